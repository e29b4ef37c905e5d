/**
 * The metric names dashboards and alerts may use: what cdc-sink's registry really exports
 * (services/sink/telemetry/metrics.ts, with prom-client's default process_* and nodejs_* metrics),
 * histogram series suffixes included, plus metrics announced but not registered yet.
 */
import { createMetrics } from '../../../services/sink/telemetry/metrics.ts';

/**
 * Announced in the deployment brief, registered later by the pipeline (dead-letter support).
 * Move a name out of here once services/sink/telemetry/metrics.ts registers it.
 */
export const PENDING_METRICS: readonly string[] = [];

export interface KnownMetrics {
  /** Every series name a query may select. */
  readonly series: ReadonlySet<string>;
  /** The base names of cdc_sink_* metrics the registry exports today. */
  readonly cdcSinkMetrics: readonly string[];
}

export function knownMetrics(): KnownMetrics {
  const series = new Set<string>(PENDING_METRICS);
  const cdcSinkMetrics: string[] = [];
  for (const metric of createMetrics().registry.getMetricsAsArray()) {
    const { name } = metric;
    const type = String(metric.type);
    series.add(name);
    if (type === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) series.add(name + suffix);
    } else if (type === 'summary') {
      for (const suffix of ['_sum', '_count']) series.add(name + suffix);
    }
    if (name.startsWith('cdc_sink_')) cdcSinkMetrics.push(name);
  }
  return { series, cdcSinkMetrics: cdcSinkMetrics.sort() };
}

/** Whether `series` (e.g. cdc_sink_batch_duration_seconds_bucket) belongs to metric `base`. */
export function seriesOf(series: string, base: string): boolean {
  return series === base || ['_bucket', '_sum', '_count'].some((s) => series === base + s);
}
