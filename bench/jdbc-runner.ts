/**
 * Runs the Debezium JDBC sink connector (io.debezium:debezium-connector-jdbc) in the Kafka Connect
 * worker started by test/infra/jdbc-sink/start.sh (fixed 1 GB heap) over the same topics into the
 * same database, with the settings its documentation recommends for throughput: upsert by record key,
 * deletes and tombstones applied, the reduction buffer, batch.size matched to max.poll.records.
 * The connector stores no offsets in the target, so completion is seen at the database: the sentinel
 * update that closes every topic-partition is visible in every table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteConnector, putConnector, waitRunning } from '../test/infra/connect/support/connect-rest.ts';
import { REPO_ROOT } from './cdc-sink-runner.ts';
import { ProcSampler } from './procstat.ts';
import { mb, sleep } from './result.ts';
import type { BenchTarget, TargetKind } from './targets.ts';
import type { BenchTable } from './tables.ts';

export const JDBC_CONNECT_PORT = Number(process.env.JDBC_CONNECT_PORT ?? 8095);
export const JDBC_CONNECT_URL = `http://127.0.0.1:${JDBC_CONNECT_PORT}`;
const CDC_SINK_HOME = process.env.CDC_SINK_HOME ?? join(REPO_ROOT, '.cache');

export interface JdbcSettings {
  readonly tasks: number;
  readonly batchSize: number;
}

export const DEFAULT_JDBC_SETTINGS: JdbcSettings = { tasks: 3, batchSize: 5000 };

export function connectorConfig(kind: TargetKind, space: string, topics: readonly string[], s: JdbcSettings): Record<string, string> {
  const connection =
    kind === 'postgres'
      ? { url: `jdbc:postgresql://127.0.0.1:5432/test?currentSchema=${space}&reWriteBatchedInserts=true`, username: 'postgres' }
      : { url: `jdbc:mariadb://127.0.0.1:3306/${space}`, username: 'root' };
  return {
    'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
    'tasks.max': String(s.tasks),
    topics: topics.join(','),
    'connection.url': connection.url,
    'connection.username': connection.username,
    'connection.password': '',
    'connection.pool.min_size': '1',
    'connection.pool.max_size': '4',
    'insert.mode': 'upsert',
    'primary.key.mode': 'record_key',
    'delete.enabled': 'true',
    'schema.evolution': 'basic',
    'use.reduction.buffer': 'true',
    'batch.size': String(s.batchSize),
    'consumer.override.max.poll.records': String(s.batchSize),
    // Enough bytes per fetch for a full batch of ~10 KB envelopes (the default is 1 MB per partition).
    'consumer.override.max.partition.fetch.bytes': String(8 * 1024 * 1024),
    'consumer.override.fetch.max.bytes': String(64 * 1024 * 1024),
    'collection.name.format': '${source.table}',
    'database.time_zone': 'UTC',
    'errors.tolerance': 'none',
  };
}

/** pid of the Connect worker JVM started by test/infra/jdbc-sink/start.sh. */
export function connectPid(): number {
  const file = join(CDC_SINK_HOME, 'jdbc-sink', `run-${JDBC_CONNECT_PORT}`, 'connect.pid');
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid in ${file}`);
  return pid;
}

export interface JdbcRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

export async function runJdbcSink(
  target: BenchTarget,
  space: string,
  name: string,
  topics: readonly string[],
  tables: readonly BenchTable[],
  settings: JdbcSettings,
  timeoutMs: number,
  log: (s: string) => void,
): Promise<JdbcRun> {
  const sampler = new ProcSampler(connectPid(), 500);
  const started = performance.now();
  await putConnector(JDBC_CONNECT_URL, name, connectorConfig(target.kind, space, topics, settings));
  try {
    await waitRunning(JDBC_CONNECT_URL, name, 60_000);
    const deadline = Date.now() + timeoutMs;
    let lastLog = Date.now();
    while (!(await target.sentinelsVisible(space, tables))) {
      if (Date.now() > deadline) throw new Error(`Debezium JDBC sink did not finish within ${timeoutMs / 1000} s`);
      if (Date.now() - lastLog > 30_000) {
        await waitRunning(JDBC_CONNECT_URL, name, 10_000); // fails fast with the trace if a task FAILED
        log(`  debezium-jdbc still draining after ${((performance.now() - started) / 1000).toFixed(0)} s`);
        lastLog = Date.now();
      }
      await sleep(250);
    }
    const seconds = (performance.now() - started) / 1000;
    sampler.stop();
    return { seconds, cpuSeconds: sampler.cpuSeconds, peakRssMb: mb(sampler.peakRss) };
  } finally {
    sampler.stop();
    await deleteConnector(JDBC_CONNECT_URL, name);
  }
}
