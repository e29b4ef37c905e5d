/**
 * Typed telemetry events: one call logs and updates the metrics, so every stage reports the same
 * way and no stage touches prom-client or the logger's format directly.
 */
import type { Logger } from 'pino';
import type { CdcSinkError } from '../../../connectors/core/errors.ts';
import { errorText } from '../../../connectors/core/errors.ts';
import type { Metrics } from './metrics.ts';
import { Readiness } from './readiness.ts';

export type Stage = 'decode' | 'route' | 'transform' | 'write' | 'commit' | 'kafka' | 'schema' | 'dead-letter';

export interface TableFlush {
  readonly table: string;
  readonly upserts: number;
  readonly deletes: number;
  readonly truncate: boolean;
  readonly maxSourceTimestampMs: number | null;
}

export class Telemetry {
  readonly readiness: Readiness;

  constructor(
    readonly metrics: Metrics,
    readonly logger: Logger,
  ) {
    this.readiness = new Readiness((ready) => metrics.ready.set(ready ? 1 : 0));
    metrics.ready.set(0);
  }

  consumed(topic: string, count: number): void {
    this.metrics.eventsConsumed.inc({ topic }, count);
  }

  skipped(topic: string, reason: string, count = 1): void {
    this.metrics.eventsSkipped.inc({ topic, reason }, count);
  }

  buffered(events: number, bytes: number): void {
    if (events !== 0) this.metrics.bufferedEvents.inc(events);
    if (bytes !== 0) this.metrics.bufferedBytes.inc(bytes);
  }

  consumerLag(topic: string, partition: number, messages: number): void {
    this.metrics.consumerLag.set({ topic, partition: String(partition) }, Math.max(0, messages));
  }

  flushed(topic: string, partition: number, nextOffset: string, tables: readonly TableFlush[], seconds: number): void {
    const now = Date.now();
    for (const t of tables) {
      this.metrics.batchDuration.observe({ table: t.table }, seconds);
      if (t.upserts > 0) this.metrics.rowsWritten.inc({ table: t.table, op: 'upsert' }, t.upserts);
      if (t.deletes > 0) this.metrics.rowsWritten.inc({ table: t.table, op: 'delete' }, t.deletes);
      if (t.truncate) this.metrics.rowsWritten.inc({ table: t.table, op: 'truncate' }, 1);
      if (t.maxSourceTimestampMs !== null) {
        this.metrics.replicationLag.set({ table: t.table }, Math.max(0, (now - t.maxSourceTimestampMs) / 1000));
        this.metrics.lastApplied.set({ table: t.table }, t.maxSourceTimestampMs / 1000);
      }
    }
    this.logger.debug({ topic, partition, nextOffset, tables, seconds }, 'batch applied');
  }

  /** A target transaction of this many partition batches begins. */
  transaction(batches: number): void {
    this.metrics.batchesPerTransaction.observe(batches);
  }

  error(stage: Stage, err: CdcSinkError | Error, context: Record<string, unknown> = {}): void {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : 'UNKNOWN';
    this.metrics.errors.inc({ stage, code });
    this.logger.error({ stage, code, err: errorText(err), ...context }, `${stage} failed: ${err.message}`);
  }

  retry(stage: Stage, err: Error, attempt: number, delayMs: number): void {
    this.metrics.retries.inc({ stage });
    const code = 'code' in err && typeof err.code === 'string' ? err.code : 'UNKNOWN';
    this.metrics.errors.inc({ stage, code });
    this.logger.warn({ stage, code, attempt, delayMs, err: errorText(err) }, `${stage} failed, retrying in ${delayMs} ms`);
  }

  deadLettered(table: string, err: CdcSinkError, where: { topic: string; partition: number; offset: string }): void {
    this.metrics.deadLetters.inc({ table, code: err.code });
    this.logger.warn(
      { table, code: err.code, topic: where.topic, partition: where.partition, offset: where.offset, err: errorText(err) },
      'record sent to the dead-letter topic',
    );
  }

  paused(topic: string, partition: number, isPaused: boolean, reason: string): void {
    this.metrics.paused.set({ topic, partition: String(partition) }, isPaused ? 1 : 0);
    const key = `${topic}[${partition}]`;
    if (isPaused) {
      this.pausedPartitions.set(key, reason);
      this.logger.error({ topic, partition, reason }, 'partition paused after a data error; the others keep flowing (POST /resume to retry)');
    } else {
      this.pausedPartitions.delete(key);
      this.logger.info({ topic, partition }, 'partition resumed');
    }
  }

  /** Paused partitions and why, for /readyz. */
  readonly pausedPartitions = new Map<string, string>();

  transformApplied(name: string, seconds: number): void {
    this.metrics.transformDuration.observe({ transform: name }, seconds);
  }

  transformFailed(name: string, _err: unknown): void {
    this.metrics.transformErrors.inc({ transform: name });
  }
}
