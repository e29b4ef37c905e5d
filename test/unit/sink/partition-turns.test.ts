/**
 * A worker taking a large batch gives the event loop a turn every RECORDS_PER_TURN records, so flush
 * results, heartbeats and other partitions' work are not held until the whole batch is taken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartitionWorker, RECORDS_PER_TURN } from '../../../services/sink/pipeline/partition-worker.ts';
import { activeHooks, records, workerDeps } from './worker-fixture.ts';

test('a batch of many records lets the event loop run while it is taken, and every record is written once', async () => {
  let decoded = 0;
  const written: unknown[] = [];
  const deps = workerDeps({
    write: (batch) => {
      written.push(...batch.tables.flatMap((t) => t.upserts.map((r) => r['id'])));
      return Promise.resolve();
    },
    onDecode: () => void decoded++,
  });
  const worker = new PartitionWorker('srv.public.items', 0, null, deps);
  const total = 5 * RECORDS_PER_TURN;
  let decodedAtFirstTurn: number | null = null;
  setImmediate(() => (decodedAtFirstTurn = decoded));
  await worker.process(records(1, total), activeHooks);
  assert.equal(decodedAtFirstTurn, RECORDS_PER_TURN - 1, 'the event loop ran before the rest of the batch was taken');
  assert.equal(decoded, total);
  assert.deepEqual(written, Array.from({ length: total }, (_, i) => i + 1));
});
