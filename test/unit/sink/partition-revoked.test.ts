/**
 * A batch stops being taken once kafkajs says it is no longer the partition's (consumer stopping,
 * partition revoked, a seek pending). The worker asks after each wait of its loop (its turn, a
 * flush, a record that had to wait), not per record: nothing else runs between two records taken
 * synchronously, so the answer cannot change there. Both with the route remembered (records taken
 * synchronously) and without (every record waits for the router).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { PartitionWorker, RECORDS_PER_TURN } from '../../../services/sink/pipeline/partition-worker.ts';
import type { BatchHooks, PipelineDeps } from '../../../services/sink/pipeline/stages.ts';
import { TOPIC, activeHooks, fixtureRouter, records, workerDeps } from './worker-fixture.ts';

function setup(remembered: boolean, maxRows: number, onWrite: () => void) {
  const decoded: string[] = [];
  const deps = workerDeps({
    write: () => {
      onWrite();
      return Promise.resolve();
    },
    onDecode: (r: KafkaRecord) => void decoded.push(r.offset),
  });
  const router = fixtureRouter(remembered);
  const all = { ...deps, router, batch: { ...deps.batch, maxRows } } as unknown as PipelineDeps;
  return { deps: all, decoded };
}

for (const remembered of [true, false]) {
  const how = remembered ? 'route remembered' : 'route looked up';

  void test(`${how}: revoked while the worker gives up its turn: no record after the turn is taken`, async () => {
    let active = true;
    const hooks: BatchHooks = { ...activeHooks, isActive: () => active };
    const { deps, decoded } = setup(remembered, 100_000, () => undefined);
    const worker = new PartitionWorker(TOPIC, 0, null, deps);
    // Runs at the worker's first turn (setImmediate), after RECORDS_PER_TURN - 1 records.
    setImmediate(() => {
      active = false;
    });
    await worker.process(records(1, 3 * RECORDS_PER_TURN), hooks);
    assert.equal(decoded.length, RECORDS_PER_TURN - 1);
    assert.equal(decoded.at(-1), String(RECORDS_PER_TURN - 1));
  });

  void test(`${how}: revoked during a flush: the records after it are not taken`, async () => {
    let active = true;
    const hooks: BatchHooks = { ...activeHooks, isActive: () => active };
    const { deps, decoded } = setup(remembered, 50, () => {
      active = false;
    });
    const worker = new PartitionWorker(TOPIC, 0, null, deps);
    await worker.process(records(1, 150), hooks);
    assert.deepEqual(decoded, records(1, 50).map((r) => r.offset));
  });

  void test(`${how}: a batch that stays active is taken whole`, async () => {
    const { deps, decoded } = setup(remembered, 50, () => undefined);
    const worker = new PartitionWorker(TOPIC, 0, null, deps);
    await worker.process(records(1, 3 * RECORDS_PER_TURN), activeHooks);
    assert.equal(decoded.length, 3 * RECORDS_PER_TURN);
  });
}
