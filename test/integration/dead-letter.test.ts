/**
 * The dead-letter topic: undecodable records and rows the database rejects go there with headers that
 * say where they came from and why; every other row of the batch is written. Environmental errors
 * (here: permission denied) are never dead-lettered.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DLQ_HEADERS } from '../../services/sink/source/dead-letter.ts';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor, withPg } from '../support/postgres.ts';
import { startSink } from '../support/sink.ts';

const kafka = testKafka();
const cleanup: (() => Promise<void>)[] = [];

function itemsTable(prefix: string) {
  return new DebeziumTable({
    prefix,
    schema: 'public',
    table: 'items',
    key: ['id'],
    fields: [
      { name: 'id', type: 'int64', optional: false },
      { name: 'code', type: 'string' },
      { name: 'qty', type: 'int32' },
    ],
  });
}

interface Letter {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

async function readAll(topic: string, expected: number): Promise<Letter[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  const out: Letter[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(Array.isArray(v) ? v[0] : v);
      out.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers });
      return Promise.resolve();
    },
  });
  try {
    await waitFor(`${expected} dead letters`, () => Promise.resolve(out.length >= expected || `${out.length}`), 60_000);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

async function appliedAll(schema: string, topic: string): Promise<boolean | string> {
  const ends = await topicEndOffsets(kafka, topic);
  const want = [...ends.values()].reduce((a, b) => a + BigInt(b), 0n);
  const rows = await query<{ s: string | null }>(`SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets WHERE topic = $1`, [topic]).catch(() => [{ s: '0' }]);
  const got = BigInt(rows[0]?.s ?? '0');
  return got === want || `stored ${got} of ${want}`;
}

describe('dead-letter topic', () => {
  after(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  });

  test('bad records and rejected rows go to the dead-letter topic with context; the rest is written', { timeout: 180_000 }, async () => {
    const id = uniqueName('dlq');
    const schema = `it_${id}`;
    const t = itemsTable(id);
    const dlq = `${id}.dlq`;
    await createTopics(kafka, [t.topic], 3);
    cleanup.push(() => deleteTopics(kafka, [t.topic, dlq]), () => dropSchema(schema));
    // The target exists with tighter rules than the source: code varchar(3), qty >= 0, qty NOT NULL.
    await withPg(async (c) => {
      await c.query(`CREATE SCHEMA "${schema}"`);
      await c.query(`CREATE TABLE "${schema}".items (id bigint PRIMARY KEY, code varchar(3), qty integer NOT NULL CHECK (qty >= 0))`);
    });
    const records = [];
    for (let i = 1; i <= 600; i++) {
      let row: Record<string, unknown> = { id: BigInt(i), code: 'ok', qty: i };
      if (i === 17) row = { ...row, code: 'TOO LONG' }; // value too long
      if (i === 311) row = { ...row, qty: -5 }; // check violation
      if (i === 450) row = { ...row, qty: null }; // NOT NULL violation
      records.push(t.insert(row));
    }
    const malformed = { key: t.key({ id: 999n }), value: '{"schema":{"type":"struct"' };
    records.splice(200, 0, malformed);
    await produce(kafka, t.topic, records);

    const { app } = await startSink({ topics: [t.topic], groupId: `${id}-g`, schema, extra: { errors: { deadLetterTopic: dlq } } });
    cleanup.push(() => app.stop());
    await waitFor('every offset applied', () => appliedAll(schema, t.topic), 120_000);

    const ids = (await query<{ id: string }>(`SELECT id::text FROM "${schema}".items`)).map((r) => Number(r.id)).sort((a, b) => a - b);
    const expectedIds = Array.from({ length: 600 }, (_, i) => i + 1).filter((i) => ![17, 311, 450].includes(i));
    assert.deepEqual(ids, expectedIds, 'every good row is written, none of the rejected ones');

    const letters = await readAll(dlq, 4);
    assert.equal(letters.length, 4);
    const byStage = (stage: string) => letters.filter((l) => l.headers[DLQ_HEADERS.stage] === stage);
    const decode = byStage('decode');
    assert.equal(decode.length, 1);
    assert.equal(decode[0]!.value, malformed.value, 'the original record, unchanged');
    assert.equal(decode[0]!.headers[DLQ_HEADERS.code], 'CDC_DECODE_MALFORMED_JSON');
    assert.equal(decode[0]!.headers[DLQ_HEADERS.topic], t.topic);
    const writes = byStage('write');
    assert.equal(writes.length, 3);
    for (const w of writes) {
      assert.equal(w.headers[DLQ_HEADERS.code], 'CDC_TARGET_DATA');
      assert.equal(w.headers[DLQ_HEADERS.table], `${schema}.items`);
      assert.equal(w.headers[DLQ_HEADERS.kind], 'data');
      assert.match(w.headers[DLQ_HEADERS.partition]!, /^[0-2]$/);
      assert.match(w.headers[DLQ_HEADERS.offset]!, /^\d+$/);
      assert.ok(w.headers[DLQ_HEADERS.message]!.length > 10);
    }
    const rejectedIds = writes.map((w) => Number((JSON.parse(w.key!) as { payload: { id: number } }).payload.id)).sort((a, b) => a - b);
    assert.deepEqual(rejectedIds, [17, 311, 450]);
    // Buffered records are kept as copies (not the fetch buffer): the letters still carry the exact bytes sent.
    for (const w of writes) {
      const sent: { value: string | null } | undefined = records.find((r) => r.key === w.key);
      assert.ok(sent, `a record with key ${w.key}`);
      assert.equal(w.value, sent.value, 'the original value, byte for byte');
    }
    assert.match(writes.find((w) => w.key!.includes('"id":17'))!.headers[DLQ_HEADERS.message]!, /too long|22001/i);

    const metrics = await (await fetch(`${app.httpAddress()}/metrics`)).text();
    assert.match(metrics, new RegExp(`cdc_sink_dead_letter_total\\{table="${schema}.items",code="CDC_TARGET_DATA"\\} 3`));
    assert.match(metrics, new RegExp(`cdc_sink_dead_letter_total\\{table="${t.topic}",code="CDC_DECODE_MALFORMED_JSON"\\} 1`));
  });

  test('an environmental error (permission denied) is never dead-lettered: the sink stops', { timeout: 120_000 }, async () => {
    const id = uniqueName('dlqperm');
    const schema = `it_${id}`;
    const role = `r_${id}`;
    const t = itemsTable(id);
    const dlq = `${id}.dlq`;
    await createTopics(kafka, [t.topic, dlq], 1);
    cleanup.push(() => deleteTopics(kafka, [t.topic, dlq]), () => dropSchema(schema), () => withPg((c) => c.query(`DROP ROLE IF EXISTS "${role}"`)).then(() => undefined));
    await withPg(async (c) => {
      await c.query(`CREATE ROLE "${role}" LOGIN`);
      await c.query(`CREATE SCHEMA "${schema}"`);
      await c.query(`GRANT USAGE, CREATE ON SCHEMA "${schema}" TO "${role}"`);
      await c.query(`CREATE TABLE "${schema}".items (id bigint PRIMARY KEY, code text, qty integer)`);
      await c.query(`GRANT SELECT ON "${schema}".items TO "${role}"`);
    });
    await produce(kafka, t.topic, [t.insert({ id: 1n, code: 'a', qty: 1 })]);
    const { app } = await startSink({
      topics: [t.topic],
      groupId: `${id}-g`,
      schema,
      extra: { errors: { deadLetterTopic: dlq }, target: { type: 'postgres', url: `postgres://${role}@127.0.0.1:5432/test`, schema } },
    });
    const err = await Promise.race([app.finished, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
    if (err === 'timeout') await app.stop();
    assert.ok(err instanceof Error, 'the sink stopped with an error');
    assert.equal((err as Error & { code?: string }).code, 'CDC_TARGET_FATAL');
    assert.match(err.message, /permission denied/);
    const ends = await topicEndOffsets(kafka, dlq);
    assert.equal([...ends.values()].reduce((a, b) => a + Number(b), 0), 0, 'nothing was dead-lettered');
    const [row] = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".items`);
    assert.equal(row!.n, '0');
  });
});
