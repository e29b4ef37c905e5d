/**
 * cdc-sink in-process (buildApp) against the real broker and a PostgreSQL or MySQL/MariaDB target,
 * and the "caught up" check: the offsets the sink stored in the target equal the topics' ends.
 */
import type { Kafka } from 'kafkajs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { buildApp } from '../../../services/sink/app.ts';
import type { App } from '../../../services/sink/app.ts';
import { parseConfig } from '../../../services/sink/config/load.ts';
import { LogCapture, REPO_ROOT } from '../../support/sink.ts';
import { BROKERS, TARGET_PG_URL, targetMysqlUrl } from './env.ts';

export type TargetSpec = { type: 'postgres'; schema: string } | { type: 'mysql'; database: string };

export interface E2eSink {
  readonly app: App;
  readonly logs: LogCapture;
  readonly groupId: string;
  /** Rejects as soon as the app stops by itself (a stop error), with the error and recent logs. */
  readonly failed: Promise<never>;
}

export function sinkConfig(target: TargetSpec, topics: readonly string[], groupId: string): Record<string, unknown> {
  const targetDoc =
    target.type === 'postgres'
      ? { type: 'postgres', url: TARGET_PG_URL, schema: target.schema }
      : { type: 'mysql', url: targetMysqlUrl(target.database) };
  return {
    kafka: { brokers: BROKERS, groupId, topics: [...topics], maxWaitTimeMs: 100 },
    target: targetDoc,
    batch: { maxRows: 2000, maxAgeMs: 100 },
    tables: { defaultSchema: target.type === 'postgres' ? target.schema : null },
    http: { port: 0, host: '127.0.0.1' },
    log: { level: 'warn' },
  };
}

export async function startE2eSink(target: TargetSpec, topics: readonly string[], groupId: string): Promise<E2eSink> {
  const logs = new LogCapture('warn');
  const config = parseConfig(sinkConfig(target, topics, groupId), { env: {}, baseDir: REPO_ROOT });
  const app = buildApp(config, { logger: logs.logger });
  const failed = app.finished.then((err) => {
    throw new Error(`cdc-sink stopped${err ? `: ${err.message}` : ''}\nlast log lines:\n${logs.lines.slice(-10).join('')}`);
  });
  failed.catch(() => undefined);
  await app.start();
  return { app, logs, groupId, failed };
}

/** Next offsets the sink stored in the target, "topic:partition" -> offset. */
export async function storedOffsets(target: TargetSpec, groupId: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  if (target.type === 'postgres') {
    const c = new pg.Client({ connectionString: TARGET_PG_URL });
    await c.connect();
    try {
      const { rows } = await c
        .query<{ topic: string; p: number; o: string }>(
          `SELECT topic, kafka_partition AS p, next_offset::text AS o FROM "${target.schema}".cdc_sink_offsets WHERE consumer_group = $1`,
          [groupId],
        )
        .catch(() => ({ rows: [] as { topic: string; p: number; o: string }[] }));
      for (const r of rows) out.set(`${r.topic}:${r.p}`, BigInt(r.o));
    } finally {
      await c.end();
    }
  } else {
    const c = await mysql.createConnection({ uri: targetMysqlUrl(target.database) });
    try {
      const [rows] = await c
        .query('SELECT topic, kafka_partition AS p, CAST(next_offset AS CHAR) AS o FROM cdc_sink_offsets WHERE consumer_group = ?', [groupId])
        .catch(() => [[]]);
      for (const r of rows as { topic: string; p: number; o: string }[]) out.set(`${r.topic}:${r.p}`, BigInt(r.o));
    } finally {
      await c.end();
    }
  }
  return out;
}

/** High watermarks of every partition of `topics`, "topic:partition" -> offset. */
export async function endOffsets(kafka: Kafka, topics: readonly string[]): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out = new Map<string, bigint>();
    for (const t of topics) {
      for (const o of await admin.fetchTopicOffsets(t)) out.set(`${t}:${o.partition}`, BigInt(o.high));
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** "" when the sink applied every record up to the topics' ends, else what is missing. */
export async function lagReport(kafka: Kafka, target: TargetSpec, groupId: string, topics: readonly string[]): Promise<string> {
  const [ends, stored] = await Promise.all([endOffsets(kafka, topics), storedOffsets(target, groupId)]);
  const behind: string[] = [];
  for (const [tp, end] of ends) {
    // A partition that never received a record has no stored offset.
    const at = stored.get(tp) ?? 0n;
    if (at !== end) behind.push(`${tp} at ${at} of ${end}`);
  }
  return behind.join(', ');
}
