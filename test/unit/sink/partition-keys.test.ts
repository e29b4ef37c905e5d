/**
 * Key values of buffered changes: a delete takes them from the message key, else from the before
 * image; an upsert needs them in its row or its message key, else the record is a data error
 * (ROUTE_NO_KEY) and what came before it is still written. Both with the route remembered (the
 * synchronous path of the worker) and without (the general path).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeEvent } from '../../../connectors/core/change-event.ts';
import { ErrorCodes } from '../../../connectors/core/errors.ts';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import type { WriteBatch } from '../../../connectors/contract.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { PartitionWorker, PipelineStopError } from '../../../services/sink/pipeline/partition-worker.ts';
import type { PipelineDeps } from '../../../services/sink/pipeline/stages.ts';
import { TOPIC, activeHooks, event, fixtureRouter, records, workerDeps } from './worker-fixture.ts';

/** Offsets 1..n: `special` gives the events of some offsets; the rest are upserts of { id: offset }. */
function depsWith(special: Record<number, (base: ChangeEvent) => ChangeEvent>, remembered: boolean, writes: WriteBatch[]): PipelineDeps {
  const deps = workerDeps({
    write: (batch) => {
      writes.push(batch);
      return Promise.resolve();
    },
  });
  const decode = (r: KafkaRecord) => {
    const base = event(r);
    const make = special[Number(r.offset)];
    return { kind: 'change' as const, event: make ? make(base) : base };
  };
  const router = fixtureRouter(remembered);
  return { ...deps, decode, router } as unknown as PipelineDeps;
}

for (const remembered of [true, false]) {
  const how = remembered ? 'route remembered' : 'route looked up';

  void test(`${how}: a delete without the key in its message key takes it from the before image`, async () => {
    const writes: WriteBatch[] = [];
    const deps = depsWith({ 2: (e) => ({ ...e, op: 'delete', row: null, key: null, before: { id: 1, name: 'x' } }) }, remembered, writes);
    const worker = new PartitionWorker(TOPIC, 0, null, deps);
    await worker.process(records(1, 2), activeHooks);
    const tables = writes.flatMap((w) => w.tables);
    assert.deepEqual(tables.flatMap((t) => t.deletes).map((r) => ({ ...r })), [{ id: 1 }]);
    assert.deepEqual(tables.flatMap((t) => t.upserts), []);
    assert.equal(writes.at(-1)?.offsets[0]?.nextOffset, '3');
  });

  void test(`${how}: an upsert with its key column UNCHANGED and no message key stops with ROUTE_NO_KEY after writing what came before`, async () => {
    const writes: WriteBatch[] = [];
    const deps = depsWith({ 3: (e) => ({ ...e, key: null, row: { id: UNCHANGED as never } }) }, remembered, writes);
    const worker = new PartitionWorker(TOPIC, 0, null, deps);
    await assert.rejects(worker.process(records(1, 4), activeHooks), (err: unknown) => {
      assert.ok(err instanceof PipelineStopError);
      assert.equal(err.code, ErrorCodes.ROUTE_NO_KEY);
      assert.match(err.message, /upsert for public\.items lacks a value for key column\(s\) id/);
      return true;
    });
    assert.deepEqual(writes.flatMap((w) => w.tables.flatMap((t) => t.upserts)).map((r) => ({ ...r })), [{ id: 1 }, { id: 2 }]);
    assert.equal(writes.at(-1)?.offsets[0]?.nextOffset, '3');
  });

  void test(`${how}: an upsert whose row lacks the key column takes it from its message key`, async () => {
    const writes: WriteBatch[] = [];
    const deps = depsWith({ 2: (e) => ({ ...e, key: { id: 7 }, row: { name: 'n' } }) }, remembered, writes);
    const worker = new PartitionWorker(TOPIC, 0, null, deps);
    await worker.process(records(1, 2), activeHooks);
    assert.deepEqual(writes.flatMap((w) => w.tables.flatMap((t) => t.upserts)).map((r) => ({ ...r })), [{ id: 1 }, { name: 'n' }]);
  });
}
