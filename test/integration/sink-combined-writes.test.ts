/**
 * batch.combineWrites through the whole service (real broker, real PostgreSQL): with one write in
 * flight (writesInFlight 1) held up by a table lock, the flushes of the other partitions wait for the
 * slot and then go together in one transaction; every row and every partition's offset lands exactly.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { customer, CUSTOMER_FIELDS } from '../support/customers.ts';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { dropSchema, PG_URL, query, waitFor } from '../support/postgres.ts';
import { startSink } from '../support/sink.ts';
import type { App } from '../../services/sink/app.ts';

const kafka = testKafka();
const id = uniqueName('it');
const schema = `it_combined_${id.split('_').slice(1).join('')}`;
const group = `${id}-g`;
const t = new DebeziumTable({ prefix: id, schema: 'public', table: 'customers', key: ['id'], fields: CUSTOMER_FIELDS });
let app: App | null = null;

async function storedOffsets(): Promise<Map<number, string>> {
  const rows = await query<{ p: number; o: string }>(
    `SELECT kafka_partition AS p, next_offset::text AS o FROM "${schema}".cdc_sink_offsets WHERE consumer_group = $1 AND topic = $2`,
    [group, t.topic],
  ).catch(() => []);
  return new Map(rows.map((r) => [r.p, r.o]));
}

async function waitApplied(): Promise<void> {
  const ends = await topicEndOffsets(kafka, t.topic);
  await waitFor(`${t.topic} applied`, async () => {
    const stored = await storedOffsets();
    return [...ends].every(([p, o]) => o === '0' || stored.get(p) === o) || `stored ${JSON.stringify([...stored])}, ends ${JSON.stringify([...ends])}`;
  });
}

/** The sink's cdc_sink_batches_per_transaction: [transactions, batches]. */
async function transactions(): Promise<[number, number]> {
  const metric = await app!.telemetry.metrics.batchesPerTransaction.get();
  const value = (name: string) => metric.values.find((v) => v.metricName === name)?.value ?? 0;
  return [value('cdc_sink_batches_per_transaction_count'), value('cdc_sink_batches_per_transaction_sum')];
}

before(async () => {
  await dropSchema(schema);
  await createTopics(kafka, [t.topic], 3);
  app = (await startSink({ topics: [t.topic], groupId: group, schema, extra: { batch: { combineWrites: true, writesInFlight: 1 } } })).app;
});

after(async () => {
  await app?.stop();
  await deleteTopics(kafka, [t.topic]);
  await dropSchema(schema);
});

test('with combineWrites, partitions that wait for the write slot share the next transaction', async () => {
  // The table and every partition's first offset first.
  await produce(kafka, t.topic, Array.from({ length: 30 }, (_v, i) => t.insert(customer(i + 1))));
  await waitApplied();
  const before = await transactions();

  const locker = new pg.Client({ connectionString: PG_URL });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${schema}".customers IN ACCESS EXCLUSIVE MODE`);
    const updates = Array.from({ length: 30 }, (_v, i) => t.update(customer(i + 1, { name: `second-${i + 1}` })));
    await produce(kafka, t.topic, updates);
    // The first flush waits for the lock; the other partitions' flushes, due at once, wait for the write slot.
    await waitFor('a flush waiting for the table lock', async () => {
      const waiting = await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`);
      return (waiting[0]?.n ?? 0) > 0 || 'none yet';
    });
    await new Promise((r) => setTimeout(r, 1000));
    await locker.query('COMMIT');
  } finally {
    await locker.end();
  }
  await waitApplied();

  const after = await transactions();
  const [txs, batches] = [after[0] - before[0], after[1] - before[1]];
  // Typically 3 batches in 2 transactions: the blocked one alone, then the two that waited.
  assert.ok(batches >= 3, `a batch per partition at least: ${batches}`);
  assert.ok(txs < batches, `some transaction carried several batches: ${txs} transactions of ${batches} batches`);
  const rows = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".customers WHERE name LIKE 'second-%'`);
  assert.equal(rows[0]?.n, '30');
  const ends = await topicEndOffsets(kafka, t.topic);
  assert.deepEqual(await storedOffsets(), ends);
});
