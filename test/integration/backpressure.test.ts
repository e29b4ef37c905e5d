/**
 * Bounded memory under backpressure: while the target is throttled, the sink buffers at most
 * batch.maxBytes per partition and leaves the rest of the backlog in Kafka; when the target recovers,
 * everything lands.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor, withPg } from '../support/postgres.ts';
import { spawnSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('bp');
const schema = `it_${id}`;
const t = new DebeziumTable({
  prefix: id,
  schema: 'public',
  table: 'docs',
  key: ['id'],
  fields: [
    { name: 'id', type: 'int64', optional: false },
    { name: 'body', type: 'string' },
  ],
});
const RECORDS = 12_000;
const MAX_BYTES = 256 * 1024;
const PARTITIONS = 3;

after(async () => {
  await deleteTopics(kafka, [t.topic]);
  await dropSchema(schema);
});

function metric(text: string, name: string): number {
  const lines = text.split('\n').filter((l) => l.startsWith(name));
  return lines.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

test('memory stays bounded while the target is throttled, and the backlog drains after', { timeout: 300_000 }, async () => {
  await createTopics(kafka, [t.topic], PARTITIONS);
  await withPg(async (c) => {
    await c.query(`CREATE SCHEMA "${schema}"`);
    await c.query(`CREATE TABLE "${schema}".docs (id bigint PRIMARY KEY, body text)`);
    // The throttle: every INSERT statement into the table sleeps 300 ms.
    await c.query(`CREATE FUNCTION "${schema}".slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$`);
    await c.query(`CREATE TRIGGER slow BEFORE INSERT ON "${schema}".docs FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".slow()`);
  });
  const body = 'x'.repeat(6000);
  await produce(kafka, t.topic, Array.from({ length: RECORDS }, (_, i) => t.insert({ id: BigInt(i), body: `${i}${body}` })));
  const backlogBytes = RECORDS * (body.length + 2000);

  const sink = spawnSink({
    topics: [t.topic],
    groupId: `${id}-g`,
    schema,
    extra: { batch: { maxRows: 1_000_000, maxAgeMs: 60_000, maxBytes: MAX_BYTES }, kafka: { maxBytesPerPartition: 128 * 1024 } },
  });
  try {
    await waitFor('the sink to be ready', async () => {
      if (sink.child.exitCode !== null) throw new Error(`the sink exited with ${sink.child.exitCode}: ${sink.output().slice(-4000)}`);
      const r = await fetch(`${sink.url}/readyz`).catch(() => null);
      return r?.status === 200 || `${r ? await r.text() : 'no answer'}; sink output: ${sink.output().slice(-4000)}`;
    }, 120_000);
    const baseline = rssBytes(sink.child.pid!);
    let maxBuffered = 0;
    let maxRss = 0;
    let lagWhileThrottled = 0;
    const until = Date.now() + 8_000;
    while (Date.now() < until) {
      const text = await (await fetch(`${sink.url}/metrics`)).text();
      maxBuffered = Math.max(maxBuffered, metric(text, 'cdc_sink_buffered_bytes'));
      lagWhileThrottled = Math.max(lagWhileThrottled, metric(text, 'cdc_sink_consumer_lag_messages{'));
      maxRss = Math.max(maxRss, rssBytes(sink.child.pid!));
      await new Promise((r) => setTimeout(r, 100));
    }
    const record = body.length + 4000; // one envelope, generously
    assert.ok(maxBuffered > 0, 'the sink buffered something');
    assert.ok(maxBuffered <= PARTITIONS * (MAX_BYTES + record), `buffered ${maxBuffered} bytes, bound ${PARTITIONS * (MAX_BYTES + record)}`);
    assert.ok(lagWhileThrottled > RECORDS / 2, `most of the backlog stays in Kafka while throttled (lag ${lagWhileThrottled})`);
    // Memory grows by the bounded buffers, not by the backlog (the process itself takes ~150 MB to start).
    assert.ok(maxRss - baseline < backlogBytes / 2, `RSS grew by ${maxRss - baseline} bytes for a backlog of ${backlogBytes}`);

    await withPg((c) => c.query(`DROP TRIGGER slow ON "${schema}".docs`));
    const ends = await topicEndOffsets(kafka, t.topic);
    const want = [...ends.values()].reduce((a, b) => a + Number(b), 0);
    await waitFor('the backlog drained', async () => {
      const [r] = await query<{ n: string }>(`SELECT coalesce(sum(next_offset), 0)::text AS n FROM "${schema}".cdc_sink_offsets`);
      return Number(r!.n) === want || `${r!.n} of ${want}`;
    }, 180_000);
    const [c] = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".docs`);
    assert.equal(Number(c!.n), RECORDS);
  } finally {
    sink.child.kill('SIGTERM');
    await sink.exited;
  }
});
