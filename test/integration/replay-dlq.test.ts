/**
 * cdc-sink replay-dlq: after the cause is fixed, dead-lettered records are applied; those that still
 * fail go back to the dead-letter topic with their original location, and the report says which.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { replayDeadLetters } from '../../services/replay/replay-dlq.ts';
import { parseConfig } from '../../services/sink/config/load.ts';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor, withPg } from '../support/postgres.ts';
import { LogCapture, REPO_ROOT, sinkConfigDoc, startSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('replay');
const schema = `it_${id}`;
const dlq = `${id}.dlq`;
const t = new DebeziumTable({
  prefix: id,
  schema: 'public',
  table: 'items',
  key: ['id'],
  fields: [
    { name: 'id', type: 'int64', optional: false },
    { name: 'code', type: 'string' },
  ],
});

after(async () => {
  await deleteTopics(kafka, [t.topic, dlq]);
  await dropSchema(schema);
});

const dlqSize = async () => [...(await topicEndOffsets(kafka, dlq)).values()].reduce((a, b) => a + Number(b), 0);

test('replay applies what now succeeds and sends the rest back with its original location', { timeout: 180_000 }, async () => {
  await createTopics(kafka, [t.topic], 1);
  await createTopics(kafka, [dlq], 1);
  await withPg(async (c) => {
    await c.query(`CREATE SCHEMA "${schema}"`);
    await c.query(`CREATE TABLE "${schema}".items (id bigint PRIMARY KEY, code varchar(5))`);
  });
  const codes = ['ok', 'sixsix', 'ok', 'waaaaaaaaay too long', 'ok'];
  await produce(kafka, t.topic, codes.map((code, i) => t.insert({ id: BigInt(i + 1), code })));
  const input = { topics: [t.topic], groupId: `${id}-g`, schema, extra: { errors: { deadLetterTopic: dlq } } };
  const { app } = await startSink(input);
  await waitFor('two dead letters', async () => (await dlqSize()) === 2 || `${await dlqSize()}`);
  await waitFor('the good rows', async () => (await query(`SELECT 1 FROM "${schema}".items`)).length === 3);
  await app.stop();

  // Fix part of the cause: 'sixsix' fits now, the long one still does not.
  await withPg((c) => c.query(`ALTER TABLE "${schema}".items ALTER COLUMN code TYPE varchar(6)`));
  const config = parseConfig(sinkConfigDoc(input), { env: {}, baseDir: REPO_ROOT });
  const report = await replayDeadLetters(config, { logger: new LogCapture('warn').logger });

  assert.equal(report.records, 2);
  assert.equal(report.succeeded, 1);
  assert.equal(report.failed, 1);
  assert.deepEqual(
    report.failures.map((f) => [f.topic, f.partition, f.offset, f.code]),
    [[t.topic, '0', '3', 'CDC_TARGET_DATA']],
    'the failure names the original record, not its copy in the dead-letter topic',
  );
  const rows = await query<{ id: string; code: string }>(`SELECT id::text, code FROM "${schema}".items ORDER BY items.id`);
  assert.deepEqual(rows.map((r) => [r.id, r.code]), [['1', 'ok'], ['2', 'sixsix'], ['3', 'ok'], ['5', 'ok']]);
  assert.equal(await dlqSize(), 3, 'the record that failed again was sent back');

  // A second replay only looks at what came back, and reports it again.
  const again = await replayDeadLetters(config, { logger: new LogCapture('warn').logger });
  assert.equal(again.records, 1);
  assert.equal(again.failed, 1);
  assert.equal(again.failures[0]?.offset, '3');
});
