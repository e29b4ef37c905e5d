/**
 * Database sessions the comparison reads through: text results, UTC, ISO-8601 intervals.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Engine, Side } from './compare.ts';

export interface OpenSide extends Side {
  close(): Promise<void>;
}

export async function pgSide(config: pg.ClientConfig, namespace: string): Promise<OpenSide> {
  const c = new pg.Client(config);
  await c.connect();
  await c.query("SET TIME ZONE 'UTC'; SET intervalstyle = 'iso_8601'; SET extra_float_digits = 3");
  const engine: Engine = 'postgres';
  return {
    engine,
    namespace,
    query: async (sql) => (await c.query<Record<string, string | null>>(sql)).rows,
    close: () => c.end(),
  };
}

export async function mysqlSide(config: mysql.ConnectionOptions, namespace: string): Promise<OpenSide> {
  const c = await mysql.createConnection({ ...config, timezone: 'Z', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  await c.query("SET time_zone = '+00:00'");
  const engine: Engine = 'mysql';
  return {
    engine,
    namespace,
    query: async (sql) => {
      const [rows] = await c.query(sql);
      return (rows as Record<string, unknown>[]).map((r) => {
        const out: Record<string, string | null> = {};
        for (const [k, v] of Object.entries(r)) {
          // Every column is CAST to text: strings, or Buffers when the server labels the result binary.
          out[k] = v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : JSON.stringify(v);
        }
        return out;
      });
    },
    close: () => c.end(),
  };
}
