/**
 * When a partition is flushed, through the real broker into PostgreSQL: a partition whose buffered
 * records reach the end of the partition is written at once (batch.flushWhenCaughtUp, the default),
 * without waiting for batch.maxAgeMs, and so is one whose fetch ends short of the end with fewer
 * records left than maxRows; with it off, records wait for their age (or rows/bytes). A caught-up
 * partition that flushed less than batch.caughtUpFlushIntervalMs ago waits out the rest, and the
 * pipeline's timer writes it then (0 elsewhere here, so each fetch can flush).
 * maxAgeMs is 10 minutes here, so a row that lands can only have been flushed because it caught up.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { App } from '../../services/sink/app.ts';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { flushCount, startSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('flush');
const schema = `it_${id}`;
const topics: string[] = [];
const TEN_MINUTES = 600_000;

function table(name: string): DebeziumTable {
  const t = new DebeziumTable({ prefix: id, schema: 'public', table: name, key: ['id'], fields: [{ name: 'id', type: 'int64', optional: false }, { name: 'v', type: 'string' }] });
  topics.push(t.topic);
  return t;
}

async function count(name: string): Promise<number> {
  const rows = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}"."${name}"`).catch(() => [{ n: '0' }]);
  return Number(rows[0]?.n ?? 0);
}

after(async () => {
  await deleteTopics(kafka, topics);
  await dropSchema(schema);
});

async function withSink<T>(
  t: DebeziumTable,
  flushWhenCaughtUp: boolean,
  fn: (app: App) => Promise<T>,
  kafka: Record<string, unknown> = {},
  caughtUpFlushIntervalMs = 0,
): Promise<T> {
  const { app } = await startSink({
    topics: [t.topic],
    groupId: `${id}-${t.spec.table}`,
    schema,
    extra: { batch: { maxRows: 100_000, maxAgeMs: TEN_MINUTES, flushWhenCaughtUp, caughtUpFlushIntervalMs }, kafka },
  });
  try {
    return await fn(app);
  } finally {
    await app.stop();
  }
}

test('caught up: records are written without waiting for maxAgeMs, each new record too', async () => {
  const t = table('caught_up');
  await createTopics(kafka, [t.topic], 2);
  await produce(kafka, t.topic, Array.from({ length: 20 }, (_, i) => t.insert({ id: BigInt(i), v: `a${i}` })));
  await withSink(t, true, async () => {
    await waitFor('the backlog written', async () => (await count('caught_up')) === 20 || `${await count('caught_up')} rows`, 30_000);
    await produce(kafka, t.topic, [t.insert({ id: 100n, v: 'late' })]);
    await waitFor('the new record written', async () => (await count('caught_up')) === 21 || `${await count('caught_up')} rows`, 30_000);
  });
});

test('flushWhenCaughtUp off: records wait for maxAgeMs (and are written on shutdown)', async () => {
  const t = table('by_age');
  await createTopics(kafka, [t.topic], 1);
  await produce(kafka, t.topic, Array.from({ length: 5 }, (_, i) => t.insert({ id: BigInt(i), v: `b${i}` })));
  await withSink(t, false, async (app) => {
    await waitFor('the records consumed', async () => {
      const m = await (await fetch(`${app.httpAddress()}/metrics`)).text();
      return /^cdc_sink_buffered_events 5$/m.test(m) || 'not buffered yet';
    }, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await count('by_age'), 0, 'written before maxAgeMs although flushWhenCaughtUp is off');
  });
  // The graceful stop drains the buffer.
  assert.equal(await count('by_age'), 5);
});

test('near the end: a partition read in fetches smaller than what is left is written fetch by fetch, not only once caught up', async () => {
  const t = table('near_end');
  await createTopics(kafka, [t.topic], 1);
  // One produce call per record: a record batch each (the broker hands out whole record batches).
  for (let i = 0; i < 20; i++) await produce(kafka, t.topic, [t.insert({ id: BigInt(i), v: `n${i}` })]);
  // Fetches of ~1 KB: a record or two each, so every fetch but the last ends before the end of the
  // partition (Kafka's offset lag > 0), with far fewer records left than maxRows.
  await withSink(t, true, async (app) => {
    await waitFor('all 20 written', async () => (await count('near_end')) === 20 || `${await count('near_end')} rows`, 30_000);
    const flushes = await flushCount(app.httpAddress()!);
    assert.ok(flushes > 2, `20 records read a fetch at a time, written in ${flushes} transactions (1 if only a caught-up fetch flushed)`);
  }, { maxBytes: 1024, maxBytesPerPartition: 1024 });
});

test('caughtUpFlushIntervalMs: records that come soon after a flush wait, and the timer writes them in one transaction', async () => {
  const t = table('interval');
  await createTopics(kafka, [t.topic], 1);
  await produce(kafka, t.topic, [t.insert({ id: 0n, v: 'first' })]);
  // 10 s: far longer than producing five records takes, far shorter than maxAgeMs (10 minutes).
  await withSink(t, true, async (app) => {
    await waitFor('the first record written', async () => (await count('interval')) === 1 || `${await count('interval')} rows`, 30_000);
    for (let i = 1; i <= 5; i++) await produce(kafka, t.topic, [t.insert({ id: BigInt(i), v: `i${i}` })]);
    await waitFor('the five later records written, with nothing produced after them', async () => (await count('interval')) === 6 || `${await count('interval')} rows`, 60_000);
    const flushes = await flushCount(app.httpAddress()!);
    assert.equal(flushes, 2, 'the first record at once, the five that came within the interval together');
  }, {}, 10_000);
});
