/**
 * What a buffered change keeps of its Kafka record until the flush: with a dead-letter topic, the
 * decoder's retained copy (its bytes may be sent there); without one, only the record's position, so
 * that neither a copy nor the Kafka client's fetch response is held per buffered change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CdcSinkError, ErrorCodes } from '../../../connectors/core/errors.ts';
import type { WriteBatch } from '../../../connectors/contract.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { PartitionWorker } from '../../../services/sink/pipeline/partition-worker.ts';
import type { DeadLetter, PipelineDeps } from '../../../services/sink/pipeline/stages.ts';
import { TOPIC, activeHooks, records, workerDeps } from './worker-fixture.ts';

/** Rejects any batch holding the row with id `bad`, as a database rejects one row. */
function rejecting(bad: number, written: number[]) {
  return (batch: WriteBatch, options?: { dryRun?: boolean }) => {
    const ids = batch.tables.flatMap((t) => t.upserts.map((r) => r['id'] as number));
    if (ids.includes(bad)) return Promise.reject(new CdcSinkError(ErrorCodes.TARGET_DATA, `row ${bad} rejected`, { kind: 'data' }));
    if (!options?.dryRun) written.push(...ids);
    return Promise.resolve();
  };
}

test('without a dead-letter topic the decoder is never asked for a retained copy', async () => {
  const written: number[] = [];
  let retained = 0;
  const deps: PipelineDeps = {
    ...workerDeps({ write: rejecting(-1, written) }),
    retain: (r) => {
      retained++;
      return r;
    },
  };
  await new PartitionWorker(TOPIC, 0, null, deps).process(records(1, 50), activeHooks);
  assert.equal(retained, 0);
  assert.deepEqual(written, Array.from({ length: 50 }, (_, i) => i + 1));
});

test('with a dead-letter topic a rejected row is sent with the bytes of its retained copy', async () => {
  const written: number[] = [];
  const copies = new Set<KafkaRecord>();
  const sent: DeadLetter[] = [];
  const base = workerDeps({ write: rejecting(3, written) });
  const deps = {
    ...base,
    connector: { ...base.connector, write: rejecting(3, written) },
    retain: (r: KafkaRecord) => {
      const copy = { ...r, value: r.value === null ? null : Buffer.from(r.value) };
      copies.add(copy);
      return copy;
    },
    deadLetter: {
      send: (letters: readonly DeadLetter[]) => {
        sent.push(...letters);
        return Promise.resolve();
      },
    },
  } as unknown as PipelineDeps;
  await new PartitionWorker(TOPIC, 0, null, deps).process(records(1, 5), activeHooks);
  assert.equal(copies.size, 5, 'every buffered record was retained');
  assert.equal(sent.length, 1);
  const letter = sent[0]!;
  assert.ok(copies.has(letter.record), 'the dead letter is the retained copy');
  assert.equal(letter.record.value?.toString(), '3');
  assert.deepEqual(written, [1, 2, 4, 5]);
});
