/**
 * With kafka.prefetch, kafkajs fetches a partition's next batch while the worker still processes the
 * previous one, so a batch can be handed to the worker before the worker seeks (after another writer
 * moved the stored offset, or on resume) and run after it. Such a batch starts at the old position:
 * taking it would write its rows and move the offset past the records between the seek target and
 * the batch. The worker drops every batch handed over before its own seek. Kafka's pending-seek flag
 * (hooks.isActive) is left true here, as it is once kafkajs has started its next fetch.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OffsetConflictError } from '../../../connectors/core/errors.ts';
import type { WriteBatch } from '../../../connectors/contract.ts';
import { PartitionWorker } from '../../../services/sink/pipeline/partition-worker.ts';
import { TOPIC, activeHooks as hooks, records, workerDeps } from './worker-fixture.ts';

/** A worker whose writes conflict once (another writer stored `stored`), then succeed. */
function setup(stored: string) {
  const writes: { ids: unknown[]; nextOffset: string; expected: string | null }[] = [];
  const seeks: string[] = [];
  let conflicts = 1;
  const deps = workerDeps({
    write: (batch: WriteBatch) => {
      if (conflicts-- > 0) return Promise.reject(new OffsetConflictError('stored offset moved'));
      const o = batch.offsets[0]!;
      writes.push({ ids: batch.tables.flatMap((t) => t.upserts.map((r) => r['id'])), nextOffset: o.nextOffset, expected: o.expected });
      return Promise.resolve();
    },
    readOffsets: () => Promise.resolve([{ topic: TOPIC, partition: 0, nextOffset: stored }]),
    seek: (offset) => void seeks.push(offset),
  });
  return { deps, hooks, writes, seeks };
}

describe('partition worker: batches handed over before the worker seeks', () => {
  test('a batch queued while the previous one resyncs is dropped; the batch fetched from the seek target is applied', async () => {
    const { deps, hooks, writes, seeks } = setup('5');
    const worker = new PartitionWorker(TOPIC, 0, '1', deps);
    // Batch 1-3 is processed; 4-6 is handed over meanwhile (prefetched from after 3).
    const first = worker.process(records(1, 3), hooks);
    const prefetched = worker.process(records(4, 6), hooks);
    await Promise.all([first, prefetched]);
    // The flush of 1-3 found the stored offset at 5 (another writer): the worker seeks to 5 and
    // must not take 4-6, which would store 7 without the writer's view of 5 and 6 being re-read.
    assert.deepEqual(seeks, ['5']);
    assert.deepEqual(writes, []);
    // What kafkajs fetches from the seek target is taken: 5 and 6 with the stored offset 5 expected.
    await worker.process(records(5, 6), hooks);
    assert.deepEqual(writes, [{ ids: [5, 6], nextOffset: '7', expected: '5' }]);
  });

  test('batches handed over after the seek are taken in order', async () => {
    const { deps, hooks, writes, seeks } = setup('1');
    const worker = new PartitionWorker(TOPIC, 0, '1', deps);
    // The first write conflicts but the stored offset is still 1 (a read race): the worker re-reads
    // it and seeks back to 1, so 1-3 and the batch queued behind them are fetched again.
    await Promise.all([worker.process(records(1, 3), hooks), worker.process(records(4, 6), hooks)]);
    assert.deepEqual(seeks, ['1']);
    await worker.process(records(1, 3), hooks);
    await worker.process(records(4, 6), hooks);
    assert.deepEqual(writes, [
      { ids: [1, 2, 3], nextOffset: '4', expected: '1' },
      { ids: [4, 5, 6], nextOffset: '7', expected: '4' },
    ]);
  });
});
