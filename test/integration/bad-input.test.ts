/**
 * Bad input stops the sink with a clear error naming topic/partition/offset, after applying what came
 * before the bad record and without committing past it (the documented policy until dead-lettering).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, uniqueName } from '../support/kafka.ts';
import { dropSchema, query } from '../support/postgres.ts';
import { startSink } from '../support/sink.ts';

const kafka = testKafka();
const schemas: string[] = [];
const topics: string[] = [];

function table(prefix: string) {
  return new DebeziumTable({
    prefix,
    schema: 'public',
    table: 'items',
    key: ['id'],
    fields: [
      { name: 'id', type: 'int64', optional: false },
      { name: 'label', type: 'string' },
    ],
  });
}

const cases: { name: string; code: string; bad: (good: string) => string; message: RegExp }[] = [
  { name: 'malformed JSON', code: 'CDC_DECODE_MALFORMED_JSON', bad: (good) => good.slice(0, 40), message: /JSON/i },
  {
    name: 'an envelope without op',
    code: 'CDC_DECODE_BAD_ENVELOPE',
    bad: (good) => good.replace('"op":"c",', ''),
    message: /op/,
  },
  {
    name: 'an unknown logical type',
    code: 'CDC_DECODE_UNKNOWN_TYPE',
    bad: (good) => good.replaceAll('{"type":"string","optional":true,"field":"label"}', '{"type":"string","optional":true,"name":"io.debezium.data.Bogus","version":1,"field":"label"}'),
    message: /io\.debezium\.data\.Bogus/,
  },
];

describe('bad input stops without committing past the bad record', () => {
  after(async () => {
    await deleteTopics(kafka, topics);
    for (const s of schemas) await dropSchema(s);
  });

  for (const c of cases) {
    test(c.name, async () => {
      const id = uniqueName('bad');
      const schema = `it_${id}`;
      schemas.push(schema);
      const t = table(id);
      topics.push(t.topic);
      await createTopics(kafka, [t.topic], 1);
      const good1 = t.insert({ id: 1n, label: 'one' });
      const bad = c.bad(t.insert({ id: 2n, label: 'two' }).value!);
      assert.notEqual(bad, t.insert({ id: 2n, label: 'two' }).value, 'the case must really change the record');
      const good3 = t.insert({ id: 3n, label: 'three' });
      await produce(kafka, t.topic, [good1, { key: good1.key, value: bad }, good3]);

      const { app, logs } = await startSink({ topics: [t.topic], groupId: `${id}-g`, schema });
      const err = await Promise.race([app.finished, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
      if (err === 'timeout') {
        await app.stop();
        assert.fail('the sink did not stop on bad input');
      }
      assert.ok(err instanceof Error, 'finished with an error');
      assert.equal((err as Error & { code?: string }).code, c.code);
      assert.match(err.message, new RegExp(`${t.topic}\\[0\\]@1\\b`));
      assert.match(err.message, c.message);
      const logged = logs.lines.join('\n');
      assert.ok(logged.includes(c.code), 'the error code is logged');

      const rows = await query<{ id: string }>(`SELECT id::text FROM "${schema}".items ORDER BY id`);
      assert.deepEqual(rows.map((r) => r.id), ['1'], 'the record before the bad one is applied, nothing after it');
      const offsets = await query<{ next_offset: string }>(`SELECT next_offset::text FROM "${schema}".cdc_sink_offsets WHERE topic = $1`, [t.topic]);
      assert.deepEqual(offsets.map((o) => o.next_offset), ['1'], 'the stored offset stops at the bad record');
    });
  }
});
