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
import { createTopics, deleteTopics, testKafka, uniqueName, withProducer } from '../support/kafka.ts';
import { LEDGER_TABLES_CONFIG, checkLedger, ledgerTables, ledgerWorkload, storedOffsetsTotal } from '../support/ledger.ts';
import { dropSchema, waitFor } from '../support/postgres.ts';
import { spawnSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('rebal');
const schema = `it_${id}`;
const group = `${id}-g`;
const PARTITIONS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tables = ledgerTables(id);
const PER_TABLE = 30_000;
const KEYS = 800;
const storedTotal = () => storedOffsetsTotal(schema, group);

type Sink = ReturnType<typeof spawnSink>;
const input = {
  topics: tables.topics,
  groupId: group,
  schema,
  extra: {
    kafka: { sessionTimeoutMs: 8000, partitionsConsumedConcurrently: 3 },
    batch: { maxRows: 300, maxAgeMs: 50 },
    tables: LEDGER_TABLES_CONFIG,
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
    await deleteTopics(kafka, tables.topics);
    await dropSchema(schema);
  });

  test('SIGTERM + restart, kill -9 + restart: the target ends exactly at the expected state', async () => {
    await dropSchema(schema);
    await createTopics(kafka, tables.topics, PARTITIONS);
    // journal rows spread over the partitions round-robin (no key, like a keyless table)
    const { stream, expected } = ledgerWorkload(tables, { perTable: PER_TABLE, keys: KEYS, seed: 99, cents: '50', journalPartitions: PARTITIONS });
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
          topicMessages: tables.topics.map((topic) => ({
            topic,
            messages: chunk.filter(([t]) => t === topic).map(([, r]) => ({ key: r.key, value: r.value, partition: r.partition })),
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

    await checkLedger(schema, expected, PER_TABLE);
    console.log(`faults: ${faults.join('; ')} (of ${total} records)`);
  });
});
