/** Reads the few numbers the demo prints from cdc-sink's Prometheus /metrics endpoint. */

export interface SinkProgress {
  /** Largest cdc_sink_replication_lag_seconds over the tables (null before the first batch). */
  readonly lagSeconds: number | null;
  /** Sum of cdc_sink_consumer_lag_messages over the partitions. */
  readonly lagMessages: number;
  /** Sum of cdc_sink_rows_written_total. */
  readonly rowsWritten: number;
}

/** Parses Prometheus text exposition lines `name{labels} value`. */
export function parseProgress(text: string): SinkProgress {
  let lag: number | null = null;
  let messages = 0;
  let rows = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const v = Number(m[3]);
    if (!Number.isFinite(v)) continue;
    if (m[1] === 'cdc_sink_replication_lag_seconds') lag = lag === null ? v : Math.max(lag, v);
    else if (m[1] === 'cdc_sink_consumer_lag_messages') messages += v;
    else if (m[1] === 'cdc_sink_rows_written_total') rows += v;
  }
  return { lagSeconds: lag, lagMessages: messages, rowsWritten: rows };
}

export async function fetchProgress(metricsUrl: string): Promise<SinkProgress | null> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) });
    return res.ok ? parseProgress(await res.text()) : null;
  } catch {
    return null;
  }
}
