/**
 * Every Prometheus metric cdc-sink exports, on one registry per app (no global state, so tests can
 * build several apps in one process). Labels are low-cardinality: topic, partition, table, op,
 * stage, code, transform, reason — never a key or a value.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const m = {
    registry,
    eventsConsumed: new Counter({
      name: 'cdc_sink_events_consumed_total',
      help: 'Kafka records consumed and decoded, by topic',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    eventsSkipped: new Counter({
      name: 'cdc_sink_events_skipped_total',
      help: 'Records that carry no row change (heartbeats, transaction markers, schema changes, messages, already-applied replays)',
      labelNames: ['topic', 'reason'] as const,
      registers: [registry],
    }),
    rowsWritten: new Counter({
      name: 'cdc_sink_rows_written_total',
      help: 'Rows applied to the target after per-key reduction, by table and operation (upsert, delete, truncate)',
      labelNames: ['table', 'op'] as const,
      registers: [registry],
    }),
    batchDuration: new Histogram({
      name: 'cdc_sink_batch_duration_seconds',
      help: 'Time from the start of a flush to the commit of its batch in the target (a wait for a write slot included), by table',
      labelNames: ['table'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    batchesPerTransaction: new Histogram({
      name: 'cdc_sink_batches_per_transaction',
      help: 'Partition batches written in one target transaction (batch.combineWrites); its count is the transactions',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'cdc_sink_consumer_lag_messages',
      help: 'Messages between the partition high watermark and the next offset to apply',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
    }),
    replicationLag: new Gauge({
      name: 'cdc_sink_replication_lag_seconds',
      help: 'Commit time in the target minus the source database time of the last applied change, by table',
      labelNames: ['table'] as const,
      registers: [registry],
    }),
    lastApplied: new Gauge({
      name: 'cdc_sink_last_applied_timestamp_seconds',
      help: 'Source database time (unix seconds) of the last change applied, by table; alert when it stops moving while the source writes',
      labelNames: ['table'] as const,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'cdc_sink_errors_total',
      help: 'Errors by pipeline stage (decode, route, transform, write, commit, kafka) and stable error code',
      labelNames: ['stage', 'code'] as const,
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'cdc_sink_dead_letter_total',
      help: 'Records sent to the dead-letter topic, by table (or source topic when no table is known) and error code',
      labelNames: ['table', 'code'] as const,
      registers: [registry],
    }),
    paused: new Gauge({
      name: 'cdc_sink_paused_partitions',
      help: '1 for each partition paused after a data error (errors.onTableFailure: pause), by topic and partition',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
    }),
    retries: new Counter({
      name: 'cdc_sink_retries_total',
      help: 'Retries of retriable errors, by stage',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    bufferedEvents: new Gauge({
      name: 'cdc_sink_buffered_events',
      help: 'Events consumed but not yet applied, over all partitions',
      registers: [registry],
    }),
    bufferedBytes: new Gauge({
      name: 'cdc_sink_buffered_bytes',
      help: 'Bytes of Kafka records consumed but not yet applied, over all partitions (bounded by batch.maxBytes per partition)',
      registers: [registry],
    }),
    transformDuration: new Histogram({
      name: 'cdc_sink_transform_duration_seconds',
      help: 'Time spent in one transform plugin per event',
      labelNames: ['transform'] as const,
      buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
      registers: [registry],
    }),
    transformErrors: new Counter({
      name: 'cdc_sink_transform_errors_total',
      help: 'Errors thrown or bad results returned by a transform plugin',
      labelNames: ['transform'] as const,
      registers: [registry],
    }),
    ready: new Gauge({
      name: 'cdc_sink_ready',
      help: '1 when connected to Kafka and the target and assigned partitions, else 0',
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
