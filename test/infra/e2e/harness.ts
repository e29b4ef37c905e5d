/**
 * The steps every end-to-end test shares: topics, target database lifecycle, and waiting until the
 * target converged to the source (every record applied, every table equal row by row).
 */
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Side, TableSpec } from './compare.ts';
import { diffTables } from './compare.ts';
import { BROKERS, TARGET_MYSQL, TARGET_PG_URL } from './env.ts';
import type { E2eSink, TargetSpec } from './sink.ts';
import { lagReport } from './sink.ts';
import { mysqlSide, pgSide } from './sides.ts';
import type { OpenSide } from './sides.ts';

export function e2eKafka(): Kafka {
  return new Kafka({ clientId: 'cdc-sink-e2e', brokers: BROKERS, logLevel: logLevel.NOTHING });
}

/**
 * Creates the table topics up front (as a user with auto-creation off would), 3 partitions each, except
 * the topics of tables whose truncates replicate: a truncate has no key, so it is only ordered against
 * the rows of its own partition; those topics get one partition (as README.md tells users).
 */
export const TRUNCATED_TABLES = /\.(events|late)$/;

export async function createTableTopics(kafka: Kafka, topics: readonly string[], partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: TRUNCATED_TABLES.test(topic) ? 1 : partitions, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics and the consumer group; missing ones are fine. */
export async function deleteTopicsAndGroup(kafka: Kafka, topics: readonly string[], groupId: string | null): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 30_000 });
    if (groupId !== null) await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

export async function prepareTarget(target: TargetSpec): Promise<void> {
  await dropTarget(target);
  if (target.type === 'mysql') {
    const c = await mysql.createConnection({ host: TARGET_MYSQL.host, port: TARGET_MYSQL.port, user: TARGET_MYSQL.user });
    try {
      await c.query(`CREATE DATABASE \`${target.database}\` CHARACTER SET utf8mb4`);
    } finally {
      await c.end();
    }
  }
}

export async function dropTarget(target: TargetSpec): Promise<void> {
  if (target.type === 'postgres') {
    const c = new pg.Client({ connectionString: TARGET_PG_URL });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS "${target.schema}" CASCADE`);
    } finally {
      await c.end();
    }
  } else {
    const c = await mysql.createConnection({ host: TARGET_MYSQL.host, port: TARGET_MYSQL.port, user: TARGET_MYSQL.user });
    try {
      await c.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
    } finally {
      await c.end();
    }
  }
}

export function openTargetSide(target: TargetSpec): Promise<OpenSide> {
  return target.type === 'postgres'
    ? pgSide({ connectionString: TARGET_PG_URL }, target.schema)
    : mysqlSide({ host: TARGET_MYSQL.host, port: TARGET_MYSQL.port, user: TARGET_MYSQL.user, database: target.database }, target.database);
}

async function markerPresent(side: Side, table: string, id: number): Promise<boolean> {
  const q = side.engine === 'postgres' ? `"${side.namespace}"."${table}"` : `\`${side.namespace}\`.\`${table}\``;
  try {
    const rows = await side.query(`SELECT id FROM ${q} WHERE id = ${id}`);
    return rows.length > 0;
  } catch {
    return false;
  }
}

export interface ConvergeInput {
  readonly kafka: Kafka;
  readonly sink: E2eSink;
  readonly target: TargetSpec;
  readonly topics: readonly string[];
  readonly source: Side;
  readonly targetSide: Side;
  readonly tables: readonly TableSpec[];
  /** A row (id) of a table written as the source's last change; null to skip that wait. */
  readonly marker: { readonly table: string; readonly id: number } | null;
  readonly timeoutMs?: number;
}

export interface Converged {
  /** Rows per table once equal. */
  readonly rows: Record<string, number>;
  readonly waitedMs: number;
}

/**
 * Waits until the marker reached the target, the sink stored offsets at the end of every topic, and
 * every table is equal on both sides. Fails with the sink's error if it stopped, or after the timeout
 * with what still differs.
 */
export async function waitConverged(input: ConvergeInput): Promise<Converged> {
  const started = Date.now();
  const deadline = started + (input.timeoutMs ?? 90_000);
  let last = 'nothing checked yet';
  // Caught up yet different several polls in a row: a real difference, no need to wait any longer.
  let differing = 0;
  let settled = false;
  const poll = async (): Promise<Converged> => {
    while (!settled) {
      const marker = input.marker;
      if (marker === null || (await markerPresent(input.targetSide, marker.table, marker.id))) {
        const lag = await lagReport(input.kafka, input.target, input.sink.groupId, input.topics);
        if (lag === '') {
          const { report, diffs } = await diffTables(input.source, input.targetSide, input.tables);
          if (report === '') return { rows: Object.fromEntries(diffs.map((d) => [d.table, d.sourceRows])), waitedMs: Date.now() - started };
          last = `every record applied, but the target differs from the source:\n${report}`;
          if (++differing >= 6) throw new Error(`the target differs from the source: ${last}`);
        } else {
          differing = 0;
          last = `the sink has not applied every record yet: ${lag}`;
        }
      } else last = `the marker row ${marker.id} has not reached ${marker.table} in the target`;
      if (Date.now() > deadline) throw new Error(`the target did not converge to the source within ${input.timeoutMs ?? 90_000} ms: ${last}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('abandoned: the sink stopped');
  };
  const polling = poll();
  polling.catch(() => undefined);
  try {
    return await Promise.race([polling, input.sink.failed]);
  } finally {
    settled = true;
  }
}
