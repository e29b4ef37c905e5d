/**
 * Rebalances while events flow: two `cdc-sink run` processes in one consumer group consume two
 * topics of 6 partitions each while a producer streams the events in. Meanwhile one instance is
 * stopped with SIGTERM and started again, the other is killed with SIGKILL and started again, and
 * finally one of each is killed / stopped once more. Partitions move between the instances every
 * time; at the end the target must equal the expected state exactly: a keyed table checked row by
 * row, and an append-only journal in which a change applied twice would be an extra row.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DebeziumTable } from '../support/debezium-events.ts';
import type { ChangeRecord } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, testKafka, uniqueName, withProducer } from '../support/kafka.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { spawnSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('rebal');
const schema = `it_${id}`;
const group = `${id}-g`;
const PARTITIONS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const accounts = new DebeziumTable({
  prefix: id,
  schema: 'public',
  table: 'accounts',
  key: ['id'],
  fields: [
    { name: 'id', type: 'int64', optional: false },
    { name: 'balance', type: { decimal: { precision: 18, scale: 2 } } },
    { name: 'version', type: 'int32' },
  ],
});
const journal = new DebeziumTable({
  prefix: id,
  schema: 'public',
  table: 'journal',
  key: [],
  fields: [
    { name: 'seq', type: 'int64', optional: false },
    { name: 'amount', type: { decimal: { precision: 18, scale: 2 } } },
  ],
});

const PER_TABLE = 30_000;
const KEYS = 800;

/** The stream as [topic, record] in production order, and the expected accounts state. */
function workload(): { stream: [string, ChangeRecord][]; expected: Map<string, string> } {
  let seed = 99;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const state = new Map<number, { balance: string; version: number }>();
  const stream: [string, ChangeRecord][] = [];
  for (let i = 0; i < PER_TABLE; i++) {
    const k = Math.floor(rand() * KEYS);
    const cur = state.get(k);
    if (cur && rand() < 0.07) {
      state.delete(k);
      stream.push([accounts.topic, accounts.delete({ id: BigInt(k) })], [accounts.topic, accounts.tombstone({ id: BigInt(k) })]);
    } else {
      const next = { balance: (Math.round(rand() * 1e6) / 100).toFixed(2), version: (cur?.version ?? 0) + 1 };
      state.set(k, next);
      stream.push([accounts.topic, cur ? accounts.update({ id: BigInt(k), ...next }) : accounts.insert({ id: BigInt(k), ...next })]);
    }
    // journal rows spread over the partitions round-robin (no key, like a keyless table)
    stream.push([journal.topic, { ...journal.insert({ seq: BigInt(i), amount: `${i}.50` }), partition: i % PARTITIONS } as ChangeRecord]);
  }
  return { stream, expected: new Map([...state].map(([k, v]) => [String(k), `${v.balance}|${v.version}`])) };
}

async function storedTotal(): Promise<number> {
  const rows = await query<{ s: string | null }>(`SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets WHERE consumer_group = $1`, [group]).catch(() => [{ s: null }]);
  return Number(rows[0]?.s ?? '0');
}

type Sink = ReturnType<typeof spawnSink>;
const input = {
  topics: [accounts.topic, journal.topic],
  groupId: group,
  schema,
  extra: {
    kafka: { sessionTimeoutMs: 8000, partitionsConsumedConcurrently: 3 },
    batch: { maxRows: 300, maxAgeMs: 50 },
    tables: { map: [{ source: 'public.journal', mode: 'append' }] },
    log: { level: 'info' },
  },
};

async function started(name: string): Promise<Sink> {
  const s = spawnSink(input);
  await waitFor(`${name} serves http`, async () => {
    if (s.child.exitCode !== null) return `${name} exited: ${s.output().slice(-2000)}`;
    return (await fetch(`${s.url}/healthz`).catch(() => null))?.status === 200;
  }, 60_000);
  return s;
}

describe('rebalances while events flow (two instances, one group)', { timeout: 900_000 }, () => {
  const all: Sink[] = [];
  after(async () => {
    for (const s of all) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await deleteTopics(kafka, [accounts.topic, journal.topic]);
    await dropSchema(schema);
  });

  test('SIGTERM + restart, kill -9 + restart: the target ends exactly at the expected state', async () => {
    await dropSchema(schema);
    await createTopics(kafka, [accounts.topic, journal.topic], PARTITIONS);
    const { stream, expected } = workload();
    const total = stream.length;

    let a = await started('A');
    let b = await started('B');
    all.push(a, b);

    // The producer streams the events in chunks while the faults happen.
    let produced = 0;
    const producing = withProducer(kafka, async (p) => {
      for (let i = 0; i < stream.length; i += 400) {
        const chunk = stream.slice(i, i + 400);
        await p.sendBatch({
          topicMessages: [accounts.topic, journal.topic].map((topic) => ({
            topic,
            messages: chunk.filter(([t]) => t === topic).map(([, r]) => ({ key: r.key, value: r.value, partition: (r as ChangeRecord & { partition?: number }).partition })),
          })),
        });
        produced += chunk.length;
        await sleep(60);
      }
    });
    const progress = async (share: number) => {
      await waitFor(`${Math.round(share * 100)}% applied`, async () => {
        for (const s of all) if (s.child.exitCode !== null && s.child.signalCode === null && s.child.exitCode !== 0) return `an instance exited with ${s.child.exitCode}: ${s.output().slice(-2000)}`;
        const got = await storedTotal();
        return got >= total * share || `stored ${got}, produced ${produced} of ${total}`;
      }, 300_000, 100);
    };
    const faults: string[] = [];

    await progress(0.15);
    a.child.kill('SIGTERM');
    assert.equal(await a.exited, 0, `A did not stop cleanly on SIGTERM:\n${a.output().slice(-3000)}`);
    faults.push(`SIGTERM A at ${await storedTotal()}`);
    a = await started('A2');
    all.push(a);

    await progress(0.4);
    b.child.kill('SIGKILL');
    await b.exited;
    faults.push(`kill -9 B at ${await storedTotal()}`);
    b = await started('B2');
    all.push(b);

    await progress(0.65);
    a.child.kill('SIGKILL');
    b.child.kill('SIGTERM');
    await a.exited;
    assert.equal(await b.exited, 0, `B2 did not stop cleanly on SIGTERM:\n${b.output().slice(-3000)}`);
    faults.push(`kill -9 A2 and SIGTERM B2 at ${await storedTotal()}`);
    a = await started('A3');
    b = await started('B3');
    all.push(a, b);

    await producing;
    assert.ok(faults.every((f) => Number(f.split(' at ')[1]) < total), `a fault came after everything was applied: ${faults.join('; ')}`);
    const done = await waitFor('every offset applied', async () => {
      for (const s of [a, b]) if (s.child.exitCode !== null) return `an instance exited: ${s.output().slice(-3000)}`;
      const got = await storedTotal();
      return got === total || `stored ${got} of ${total}`;
    }, 300_000, 500).then(() => null, (err: Error) => err);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    const codes = [await a.exited, await b.exited];
    assert.equal(done, null, `${done?.message}\nA:\n${a.output().slice(-3000)}\nB:\n${b.output().slice(-3000)}`);
    assert.deepEqual(codes, [0, 0], 'the last instances did not stop cleanly');

    const journalStats = await query<{ n: string; d: string; min: string; max: string }>(
      `SELECT count(*)::text AS n, count(DISTINCT seq)::text AS d, min(seq)::text AS min, max(seq)::text AS max FROM "${schema}".journal`,
    );
    assert.deepEqual(journalStats[0], { n: String(PER_TABLE), d: String(PER_TABLE), min: '0', max: String(PER_TABLE - 1) });
    const rows = await query<{ id: string; v: string }>(`SELECT id::text, balance::text || '|' || version AS v FROM "${schema}".accounts`);
    const got = new Map(rows.map((r) => [r.id, r.v]));
    assert.equal(got.size, expected.size);
    assert.deepEqual(got, expected);
    console.log(`faults: ${faults.join('; ')} (of ${total} records)`);
  });
});
