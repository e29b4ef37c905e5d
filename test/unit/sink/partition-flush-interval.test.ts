/**
 * batch.caughtUpFlushIntervalMs: a caught-up partition that flushed less than the interval ago waits
 * out the rest (flushIfDue, called by the pipeline's timer, writes it then), and records that arrive
 * meanwhile join the same transaction; one that flushed longer ago, or never, flushes at once.
 * Time is the worker's injected clock.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WriteBatch } from '../../../connectors/contract.ts';
import { PartitionWorker } from '../../../services/sink/pipeline/partition-worker.ts';
import type { PipelineDeps } from '../../../services/sink/pipeline/stages.ts';
import { TOPIC, activeHooks, records, workerDeps } from './worker-fixture.ts';

function worker(caughtUpFlushIntervalMs: number) {
  const clock = { now: 1_000_000 };
  const transactions: number[][] = [];
  const base = workerDeps({
    write: (batch: WriteBatch) => {
      transactions.push(batch.tables.flatMap((t) => t.upserts.map((r) => r['id'] as number)));
      return Promise.resolve();
    },
  });
  const deps: PipelineDeps = {
    ...base,
    now: () => clock.now,
    batch: { maxRows: 1000, maxAgeMs: 500, maxBytes: 1 << 30, flushWhenCaughtUp: true, caughtUpFlushIntervalMs },
  };
  return { worker: new PartitionWorker(TOPIC, 0, null, deps), transactions, clock };
}

describe('partition worker: the interval between caught-up flushes', () => {
  test('the first caught-up batch is written at once; the next within the interval waits, gathering what comes meanwhile', async () => {
    const { worker: w, transactions, clock } = worker(100);
    await w.process(records(1, 3), activeHooks);
    assert.deepEqual(transactions, [[1, 2, 3]]);

    clock.now += 30;
    await w.process(records(4, 5), activeHooks);
    assert.equal(transactions.length, 1, '30 ms after the last flush: waits');
    clock.now += 30;
    await w.process(records(6, 6), activeHooks);
    await w.flushIfDue();
    assert.equal(transactions.length, 1, '60 ms: still waiting');

    clock.now += 40;
    await w.flushIfDue();
    assert.deepEqual(transactions, [[1, 2, 3], [4, 5, 6]], '100 ms after the last flush: one transaction of both fetches');
  });

  test('a partition that flushed longer ago than the interval flushes at once', async () => {
    const { worker: w, transactions, clock } = worker(100);
    await w.process(records(1, 1), activeHooks);
    clock.now += 150;
    await w.process(records(2, 2), activeHooks);
    assert.deepEqual(transactions, [[1], [2]]);
  });

  test('the wait never outlasts maxAgeMs, and a batch that fills maxRows is written regardless', async () => {
    const { worker: w, transactions, clock } = worker(10_000);
    await w.process(records(1, 1), activeHooks);
    clock.now += 10;
    await w.process(records(2, 2), activeHooks);
    clock.now += 499;
    await w.flushIfDue();
    assert.equal(transactions.length, 1);
    clock.now += 1;
    await w.flushIfDue();
    assert.deepEqual(transactions, [[1], [2]], 'written when 500 ms old (maxAgeMs)');

    await w.process(records(3, 1002), activeHooks);
    assert.equal(transactions.length, 3, 'maxRows (1000) filled: written within the interval');
  });

  test('0: every caught-up batch is written at once', async () => {
    const { worker: w, transactions } = worker(0);
    await w.process(records(1, 2), activeHooks);
    await w.process(records(3, 4), activeHooks);
    assert.deepEqual(transactions, [[1, 2], [3, 4]]);
  });
});
