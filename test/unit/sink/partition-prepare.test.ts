/**
 * The partition worker calls the decoder's prepare (Avro: fetch the batch's schemas from the
 * registry) once per batch, before decoding any record of it: retriable failures are retried with
 * the errors.retry backoff (heartbeating meanwhile), anything else stops the service, and a shutdown
 * during the retries takes nothing. Records are decoded as skips here, so no target is involved.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { CdcSinkError, ErrorCodes } from '../../../connectors/core/errors.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { PartitionWorker, PipelineStopError } from '../../../services/sink/pipeline/partition-worker.ts';
import type { BatchHooks, PipelineDeps } from '../../../services/sink/pipeline/stages.ts';
import { createMetrics } from '../../../services/sink/telemetry/metrics.ts';
import { Telemetry } from '../../../services/sink/telemetry/telemetry.ts';

const TOPIC = 'srv.public.items';

function records(from: number, to: number): KafkaRecord[] {
  const out: KafkaRecord[] = [];
  for (let o = from; o <= to; o++) out.push({ topic: TOPIC, partition: 0, offset: String(o), timestamp: '0', key: null, value: Buffer.from([0, 0, 0, 0, 1]) });
  return out;
}

function setup(prepare: (records: readonly KafkaRecord[]) => Promise<void>, signal = new AbortController().signal) {
  const log: string[] = [];
  const telemetry = new Telemetry(createMetrics(), pino({ level: 'silent' }));
  const deps = {
    groupId: 'g',
    decode: (r: KafkaRecord) => {
      log.push(`decode ${r.offset}`);
      return { kind: 'skip', reason: 'heartbeat' } as const;
    },
    decodePrepare: async (rs: readonly KafkaRecord[]) => {
      log.push(`prepare ${rs.map((r) => r.offset).join(',')}`);
      await prepare(rs);
    },
    telemetry,
    batch: { maxRows: 1000, maxAgeMs: 600_000, maxBytes: 1 << 30, flushWhenCaughtUp: false, caughtUpFlushIntervalMs: 0 },
    retry: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 0 },
    deadLetter: null,
    onTableFailure: 'stop',
    signal,
    // not reached: every record decodes to a skip and nothing is flushed
    transforms: {} as never,
    router: {} as never,
    schemaSync: {} as never,
    connector: {} as never,
    kafka: {} as never,
  } satisfies PipelineDeps;
  const hooks: BatchHooks = {
    heartbeat: () => {
      log.push('heartbeat');
      return Promise.resolve();
    },
    isActive: () => true,
    remaining: () => 1_000_000,
    resolveOffset: (o) => log.push(`resolve ${o}`),
  };
  return { deps, hooks, log, telemetry };
}

const registryDown = () => new CdcSinkError(ErrorCodes.SCHEMA_REGISTRY, 'fetching schema id 1 from the schema registry at http://r: no response', { kind: 'retriable' });

describe('partition worker: the decoder prepare step', () => {
  test('called once per batch with the records to take (not the replays below the stored offset), before any decode', async () => {
    const { deps, hooks, log } = setup(() => Promise.resolve());
    const worker = new PartitionWorker(TOPIC, 0, '11', deps);
    await worker.process(records(10, 12), hooks);
    assert.deepEqual(log, ['prepare 11,12', 'resolve 10', 'decode 11', 'resolve 11', 'decode 12', 'resolve 12']);
  });

  test('a retriable failure (registry down) is retried with backoff and heartbeats, then the batch is decoded', async () => {
    let calls = 0;
    const { deps, hooks, log, telemetry } = setup(() => (++calls <= 2 ? Promise.reject(registryDown()) : Promise.resolve()));
    await new PartitionWorker(TOPIC, 0, null, deps).process(records(1, 1), hooks);
    assert.deepEqual(log, ['prepare 1', 'heartbeat', 'prepare 1', 'heartbeat', 'prepare 1', 'decode 1', 'resolve 1']);
    const metrics = await telemetry.metrics.registry.getSingleMetricAsString('cdc_sink_retries_total');
    assert.match(metrics, /cdc_sink_retries_total\{stage="decode"\} 2/);
  });

  test('a fatal failure (credentials refused) stops the service without decoding', async () => {
    const fatal = new CdcSinkError(ErrorCodes.SCHEMA_REGISTRY, 'the schema registry at http://r refused to serve schema id 1 (HTTP 401)', { kind: 'fatal' });
    const { deps, hooks, log } = setup(() => Promise.reject(fatal));
    await assert.rejects(new PartitionWorker(TOPIC, 0, null, deps).process(records(1, 2), hooks), (err: unknown) => err instanceof PipelineStopError && err.reason === fatal);
    assert.deepEqual(log, ['prepare 1,2']);
  });

  test('a shutdown while retrying takes nothing (no decode, no offset resolved)', async () => {
    const abort = new AbortController();
    const { deps, hooks, log } = setup(() => {
      abort.abort();
      return Promise.reject(registryDown());
    }, abort.signal);
    await new PartitionWorker(TOPIC, 0, null, deps).process(records(1, 1), hooks);
    assert.deepEqual(log, ['prepare 1']);
  });
});
