/**
 * The two target databases of the benchmark. Each system writes into its own "space" (a PostgreSQL
 * schema or a MariaDB database) whose tables are created beforehand with the same DDL, so every
 * system gets identical tables and the checksums compare like with like.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { mysqlChecksumSql, pgChecksumSql } from './checksum.ts';
import type { TableChecksum } from './checksum.ts';
import { Workload, sentinelId } from './workload.ts';
import { DECIMAL_PRECISION, DECIMAL_SCALE, PARTITIONS } from './tables.ts';
import type { BenchColumn, BenchTable, ColumnKind } from './tables.ts';

export type TargetKind = 'postgres' | 'mariadb';

export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MARIADB_URL = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface UpdatedRow {
  readonly id: number;
  readonly us: number;
}

export interface BenchTarget {
  readonly kind: TargetKind;
  /** Drops and creates the space with the benchmark's tables (and an updated_at index for lag runs). */
  prepare(space: string, tables: readonly BenchTable[], opts?: { updatedAtIndex?: boolean }): Promise<void>;
  drop(space: string): Promise<void>;
  checksum(space: string, table: BenchTable): Promise<TableChecksum>;
  /** True once every partition's sentinel update is visible in every table. */
  sentinelsVisible(space: string, tables: readonly BenchTable[]): Promise<boolean>;
  /** cdc-sink's stored next offsets ("topic:partition" -> offset); empty before its table exists. */
  storedOffsets(space: string, groupId: string): Promise<Map<string, bigint>>;
  /**
   * id and updated_at (micro-seconds) of the rows of each partition p (id % PARTITIONS) with updated_at
   * above `afterUs[p]`, for the lag sampler. Per partition, so that a partition behind the others does
   * not make every poll read again what the others already showed.
   */
  updatedSince(space: string, table: string, afterUs: readonly number[]): Promise<UpdatedRow[]>;
  /** Before a measurement: write dirty pages out so one run does not pay for the previous one. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function pgType(kind: ColumnKind): string {
  switch (kind) {
    case 'int64':
      return 'bigint';
    case 'int32':
      return 'integer';
    case 'text':
      return 'text';
    case 'decimal':
      return `numeric(${DECIMAL_PRECISION},${DECIMAL_SCALE})`;
    case 'double':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'timestamp(6) without time zone';
  }
}

function myType(kind: ColumnKind): string {
  switch (kind) {
    case 'int64':
      return 'BIGINT';
    case 'int32':
      return 'INT';
    case 'text':
      return 'TEXT';
    case 'decimal':
      return `DECIMAL(${DECIMAL_PRECISION},${DECIMAL_SCALE})`;
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'DATETIME(6)';
  }
}

const colDef = (c: BenchColumn, type: string, q: string) => `${q}${c.name}${q} ${type}${c.nullable ? '' : ' NOT NULL'}`;

const sentinelPairs = () => Array.from({ length: PARTITIONS }, (_v, p) => sentinelId(p));

export class PostgresTarget implements BenchTarget {
  readonly kind = 'postgres' as const;
  private readonly pool = new pg.Pool({ connectionString: PG_URL, max: 4 });

  async prepare(space: string, tables: readonly BenchTable[], opts: { updatedAtIndex?: boolean } = {}): Promise<void> {
    await this.drop(space);
    await this.pool.query(`CREATE SCHEMA "${space}"`);
    for (const t of tables) {
      const cols = t.columns.map((c) => colDef(c, pgType(c.kind), '"'));
      await this.pool.query(`CREATE TABLE "${space}"."${t.name}" (${cols.join(', ')}, PRIMARY KEY (id))`);
      if (opts.updatedAtIndex) await this.pool.query(`CREATE INDEX ON "${space}"."${t.name}" ((id % ${PARTITIONS}), updated_at)`);
    }
  }

  async drop(space: string): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${space}" CASCADE`);
  }

  async checksum(space: string, table: BenchTable): Promise<TableChecksum> {
    const { rows } = await this.pool.query<{ n: number; a: string; b: string }>(pgChecksumSql(space, table));
    const r = rows[0];
    return { rows: r?.n ?? 0, hash: `${r?.a ?? ''}${r?.b ?? ''}` };
  }

  async sentinelsVisible(space: string, tables: readonly BenchTable[]): Promise<boolean> {
    const ids = sentinelPairs();
    const parts = tables.map((t) => `SELECT count(*) AS n FROM "${space}"."${t.name}" WHERE id = ANY($1::bigint[]) AND updated_at = to_timestamp($2::float8 / 1e6) AT TIME ZONE 'UTC'`);
    const { rows } = await this.pool.query<{ n: string }>(`SELECT sum(n)::text AS n FROM (${parts.join(' UNION ALL ')}) s`, [ids, Workload.SENTINEL_US]);
    return Number(rows[0]?.n ?? 0) === ids.length * tables.length;
  }

  async storedOffsets(space: string, groupId: string): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    try {
      const { rows } = await this.pool.query<{ topic: string; kafka_partition: number; next_offset: string }>(
        `SELECT topic, kafka_partition, next_offset::text AS next_offset FROM "${space}".cdc_sink_offsets WHERE consumer_group = $1`,
        [groupId],
      );
      for (const r of rows) out.set(`${r.topic}:${r.kafka_partition}`, BigInt(r.next_offset));
    } catch (err) {
      if ((err as { code?: string }).code !== '42P01') throw err; // undefined_table: not created yet
    }
    return out;
  }

  async updatedSince(space: string, table: string, afterUs: readonly number[]): Promise<UpdatedRow[]> {
    const where = afterUs.map((_, p) => `((id % ${PARTITIONS}) = ${p} AND updated_at > (to_timestamp($${p + 1}::float8 / 1e6) AT TIME ZONE 'UTC'))`);
    const { rows } = await this.pool.query<{ id: string; us: string }>(
      `SELECT id::text AS id, (extract(epoch from updated_at) * 1000000)::bigint::text AS us FROM "${space}"."${table}" WHERE ${where.join(' OR ')}`,
      [...afterUs],
    );
    return rows.map((r) => ({ id: Number(r.id), us: Number(r.us) }));
  }

  async settle(): Promise<void> {
    await this.pool.query('CHECKPOINT');
  }

  get pgPool(): pg.Pool {
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export class MariaDbTarget implements BenchTarget {
  readonly kind = 'mariadb' as const;
  private readonly pool = mysql.createPool({ uri: MARIADB_URL, connectionLimit: 4, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });

  async prepare(space: string, tables: readonly BenchTable[], opts: { updatedAtIndex?: boolean } = {}): Promise<void> {
    await this.drop(space);
    await this.pool.query(`CREATE DATABASE \`${space}\` CHARACTER SET utf8mb4`);
    for (const t of tables) {
      const cols = t.columns.map((c) => colDef(c, myType(c.kind), '`'));
      const index = opts.updatedAtIndex ? ', KEY (updated_at)' : '';
      await this.pool.query(`CREATE TABLE \`${space}\`.\`${t.name}\` (${cols.join(', ')}, PRIMARY KEY (id)${index}) ENGINE=InnoDB`);
    }
  }

  async drop(space: string): Promise<void> {
    await this.pool.query(`DROP DATABASE IF EXISTS \`${space}\``);
  }

  async checksum(space: string, table: BenchTable): Promise<TableChecksum> {
    const [rows] = await this.pool.query(mysqlChecksumSql(space, table));
    const r = (rows as { n: string | number; a: string | null; b: string | null }[])[0];
    return { rows: Number(r?.n ?? 0), hash: `${r?.a ?? ''}${r?.b ?? ''}` };
  }

  async sentinelsVisible(space: string, tables: readonly BenchTable[]): Promise<boolean> {
    const ids = sentinelPairs();
    const ts = sentinelText();
    const parts = tables.map((t) => `SELECT COUNT(*) AS n FROM \`${space}\`.\`${t.name}\` WHERE id IN (${ids.join(',')}) AND updated_at = '${ts}'`);
    const [rows] = await this.pool.query(`SELECT SUM(n) AS n FROM (${parts.join(' UNION ALL ')}) s`);
    return Number((rows as { n: string | number | null }[])[0]?.n ?? 0) === ids.length * tables.length;
  }

  async storedOffsets(space: string, groupId: string): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    try {
      const [rows] = await this.pool.query(`SELECT topic, kafka_partition, next_offset FROM \`${space}\`.cdc_sink_offsets WHERE consumer_group = ?`, [groupId]);
      for (const r of rows as { topic: string; kafka_partition: number; next_offset: string | number }[]) {
        out.set(`${r.topic}:${r.kafka_partition}`, BigInt(r.next_offset));
      }
    } catch (err) {
      if ((err as { code?: string }).code !== 'ER_NO_SUCH_TABLE') throw err;
    }
    return out;
  }

  async updatedSince(space: string, table: string, afterUs: readonly number[]): Promise<UpdatedRow[]> {
    const where = afterUs.map((_, p) => `(id % ${PARTITIONS} = ${p} AND updated_at > ?)`);
    const [rows] = await this.pool.query(
      `SELECT id, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', updated_at) AS us FROM \`${space}\`.\`${table}\` WHERE ${where.join(' OR ')}`,
      afterUs.map(timestampLiteral),
    );
    return (rows as { id: string | number; us: string | number }[]).map((r) => ({ id: Number(r.id), us: Number(r.us) }));
  }

  async settle(): Promise<void> {
    await this.pool.query('FLUSH TABLES');
  }

  get myPool(): mysql.Pool {
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function timestampLiteral(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const micros = String(us % 1_000_000).padStart(6, '0');
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}.${micros}`;
}

function sentinelText(): string {
  return timestampLiteral(Workload.SENTINEL_US);
}

export function openTarget(kind: TargetKind): BenchTarget {
  return kind === 'postgres' ? new PostgresTarget() : new MariaDbTarget();
}
