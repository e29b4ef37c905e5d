/**
 * When a partition's records are written at the end of a batch (batch.flushWhenCaughtUp): at the
 * end of the partition, and also near it, when what is left in Kafka could not fill maxRows; far
 * from it, the batch waits to fill (maxAgeMs is 10 minutes here, so only the policy flushes).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WriteBatch } from '../../../connectors/contract.ts';
import { PartitionWorker } from '../../../services/sink/pipeline/partition-worker.ts';
import type { BatchHooks, PipelineDeps } from '../../../services/sink/pipeline/stages.ts';
import { TOPIC, activeHooks, records, workerDeps } from './worker-fixture.ts';

function worker(flushWhenCaughtUp: boolean): { worker: PartitionWorker; written: number[] } {
  const written: number[] = [];
  const base = workerDeps({
    write: (batch: WriteBatch) => {
      written.push(...batch.tables.flatMap((t) => t.upserts.map((r) => r['id'] as number)));
      return Promise.resolve();
    },
  });
  const deps: PipelineDeps = { ...base, batch: { maxRows: 100, maxAgeMs: 600_000, maxBytes: 1 << 30, flushWhenCaughtUp, caughtUpFlushIntervalMs: 0 } };
  return { worker: new PartitionWorker(TOPIC, 0, null, deps), written };
}

const remaining = (n: number): BatchHooks => ({ ...activeHooks, remaining: () => n });

describe('partition worker: flushing at or near the end of the partition', () => {
  test('caught up (nothing left): written at once', async () => {
    const { worker: w, written } = worker(true);
    await w.process(records(1, 10), remaining(0));
    assert.equal(written.length, 10);
  });

  test('near the end (10 buffered + 89 left < maxRows 100): written at once', async () => {
    const { worker: w, written } = worker(true);
    await w.process(records(1, 10), remaining(89));
    assert.equal(written.length, 10);
  });

  test('far enough from the end to fill a batch (10 + 90 = maxRows): waits, and the next records fill it', async () => {
    const { worker: w, written } = worker(true);
    await w.process(records(1, 10), remaining(90));
    assert.equal(written.length, 0);
    assert.equal(w.bufferedEvents, 10);
    await w.process(records(11, 20), remaining(80));
    assert.equal(written.length, 0, '20 + 80 = maxRows: still waiting');
    await w.process(records(21, 30), remaining(5));
    assert.deepEqual(written, Array.from({ length: 30 }, (_, i) => i + 1), 'one transaction of everything buffered');
  });

  test('flushWhenCaughtUp off: waits even at the end of the partition', async () => {
    const { worker: w, written } = worker(false);
    await w.process(records(1, 10), remaining(0));
    assert.equal(written.length, 0);
    await w.flush();
    assert.equal(written.length, 10);
  });
});
