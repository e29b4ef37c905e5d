/** A partition worker's dependencies for unit tests: one table, events decoded from the offset, a connector given by the test. */
import { pino } from 'pino';
import type { ChangeEvent } from '../../../connectors/core/change-event.ts';
import type { StoredOffset, WriteBatch } from '../../../connectors/contract.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import type { Route } from '../../../services/sink/pipeline/router.ts';
import type { BatchHooks, PipelineDeps } from '../../../services/sink/pipeline/stages.ts';
import { createMetrics } from '../../../services/sink/telemetry/metrics.ts';
import { Telemetry } from '../../../services/sink/telemetry/telemetry.ts';

export const TOPIC = 'srv.public.items';
const table = { namespace: 'public', name: 'items' };
const route: Route = { target: { schema: 'public', name: 'items' }, targetText: 'public.items', keyColumns: ['id'], mode: 'upsert' };

/**
 * The router of the fixture's one table: every event goes to `route`. With `remembered`, the route is
 * also answered synchronously (cachedRoute), so the worker takes records on its synchronous path.
 */
export function fixtureRouter(remembered: boolean) {
  const decision = { kind: 'route' as const, route };
  return { route: () => Promise.resolve(decision), cachedRoute: () => (remembered ? decision : undefined) };
}

export function records(from: number, to: number): KafkaRecord[] {
  const out: KafkaRecord[] = [];
  for (let o = from; o <= to; o++) out.push({ topic: TOPIC, partition: 0, offset: String(o), timestamp: '0', key: null, value: Buffer.from(String(o)) });
  return out;
}

/** An upsert of row { id: offset }. */
export function event(record: KafkaRecord): ChangeEvent {
  const id = Number(record.offset);
  return {
    op: 'upsert',
    table,
    key: { id },
    row: { id },
    before: null,
    schema: { columns: [{ name: 'id', type: { kind: 'int', bits: 64 }, optional: false }], key: ['id'] },
    source: { topic: TOPIC, partition: 0, offset: record.offset, kafkaTimestampMs: 0, sourceTimestampMs: null, sourceOp: 'c', snapshot: false, position: null, connector: null },
  };
}

export interface FixtureOptions {
  readonly write: (batch: WriteBatch) => Promise<void>;
  readonly readOffsets?: () => Promise<StoredOffset[]>;
  readonly seek?: (offset: string) => void;
  /** Called with each record as it is decoded. */
  readonly onDecode?: (record: KafkaRecord) => void;
}

export function workerDeps(options: FixtureOptions): PipelineDeps {
  return {
    groupId: 'g',
    decode: (r: KafkaRecord) => {
      options.onDecode?.(r);
      return { kind: 'change', event: event(r) } as const;
    },
    transforms: { forTable: () => Promise.resolve({ isIdentity: true, apply: (e: ChangeEvent) => Promise.resolve([e]), onError: 'fail' as const }) },
    router: fixtureRouter(false),
    schemaSync: { ensure: () => Promise.resolve({ table: route.target, columns: [{ name: 'id', dataType: 'bigint', nullable: false }], primaryKey: ['id'] }) },
    connector: { write: options.write, readOffsets: options.readOffsets ?? (() => Promise.resolve([])) },
    kafka: {
      commit: () => undefined,
      seek: (_t: string, _p: number, offset: string) => options.seek?.(offset),
      pause: () => undefined,
      resume: () => undefined,
    },
    telemetry: new Telemetry(createMetrics(), pino({ level: 'silent' })),
    batch: { maxRows: 100_000, maxAgeMs: 600_000, maxBytes: 1 << 30, flushWhenCaughtUp: true, caughtUpFlushIntervalMs: 0 },
    retry: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 0 },
    deadLetter: null,
    onTableFailure: 'stop',
    signal: new AbortController().signal,
  } as unknown as PipelineDeps;
}

export const activeHooks: BatchHooks = {
  heartbeat: () => Promise.resolve(),
  isActive: () => true,
  remaining: () => 0,
  resolveOffset: () => undefined,
};
