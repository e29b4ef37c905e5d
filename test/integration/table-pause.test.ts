/**
 * errors.onTableFailure: pause — a table whose rows the database keeps rejecting is suspended (its
 * partition paused) while other tables keep flowing; /readyz, metrics and logs show it; POST /resume
 * retries from the failed record once the cause is fixed, and nothing is lost.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor, withPg } from '../support/postgres.ts';
import { startSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('pause');
const schema = `it_${id}`;
const table = (name: string) =>
  new DebeziumTable({
    prefix: id,
    schema: 'public',
    table: name,
    key: ['id'],
    fields: [
      { name: 'id', type: 'int64', optional: false },
      { name: 'code', type: 'string' },
    ],
  });
const good = table('good');
const bad = table('bad');
let stop: () => Promise<void> = () => Promise.resolve();

after(async () => {
  await stop();
  await deleteTopics(kafka, [good.topic, bad.topic]);
  await dropSchema(schema);
});

const count = async (t: string) => Number((await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}"."${t}"`))[0]!.n);

test('a failing table pauses, the others flow, and POST /resume retries it', { timeout: 180_000 }, async () => {
  await createTopics(kafka, [good.topic, bad.topic], 1);
  await withPg(async (c) => {
    await c.query(`CREATE SCHEMA "${schema}"`);
    await c.query(`CREATE TABLE "${schema}".bad (id bigint PRIMARY KEY, code varchar(3))`);
  });
  await produce(kafka, bad.topic, [1, 2, 3].map((i) => bad.insert({ id: BigInt(i), code: i === 2 ? 'much too long' : 'ok' })));
  const { app, logs } = await startSink({ topics: [good.topic, bad.topic], groupId: `${id}-g`, schema, extra: { errors: { onTableFailure: 'pause' } } });
  stop = () => app.stop();
  const base = app.httpAddress()!;

  await waitFor('the bad table to pause', async () => {
    const body = (await (await fetch(`${base}/readyz`)).json()) as { paused?: Record<string, string> };
    return Object.keys(body.paused ?? {}).length === 1;
  });
  const ready = (await (await fetch(`${base}/readyz`)).json()) as { status: string; paused: Record<string, string> };
  assert.deepEqual(Object.keys(ready.paused), [`${bad.topic}[0]`]);
  assert.match(ready.paused[`${bad.topic}[0]`]!, /CDC_TARGET_DATA/);
  assert.match(await (await fetch(`${base}/metrics`)).text(), new RegExp(`cdc_sink_paused_partitions\\{topic="${bad.topic}",partition="0"\\} 1`));
  assert.ok(logs.find(/partition paused/), 'the pause is logged');
  // The batch holding the rejected row is one transaction: none of it is applied while paused.
  assert.equal(await count('bad'), 0, 'nothing of the failed batch is applied');

  // The other table keeps flowing while the bad one is paused.
  await produce(kafka, good.topic, [1, 2, 3, 4].map((i) => good.insert({ id: BigInt(i), code: 'g' })));
  await waitFor('the good table', async () => (await count('good').catch(() => 0)) === 4);

  // Fix the cause, resume: the paused rows land.
  await withPg((c) => c.query(`ALTER TABLE "${schema}".bad ALTER COLUMN code TYPE text`));
  const resumed = (await (await fetch(`${base}/resume`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic: bad.topic }) })).json()) as { resumed: string[] };
  assert.deepEqual(resumed.resumed, [`${bad.topic}[0]`]);
  await waitFor('the bad table after resume', async () => (await count('bad')) === 3);
  const rows = await query<{ id: string; code: string }>(`SELECT id::text, code FROM "${schema}".bad ORDER BY bad.id`);
  assert.deepEqual(rows.map((r) => [r.id, r.code]), [['1', 'ok'], ['2', 'much too long'], ['3', 'ok']]);
  const after = (await (await fetch(`${base}/readyz`)).json()) as { paused: Record<string, string> };
  assert.deepEqual(after.paused, {});
});
