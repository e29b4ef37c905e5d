/**
 * The database-only ceiling: the same final rows, held in memory, upserted straight into the target
 * in the dialect's best form, with no Kafka, no decoding and no bookkeeping.
 *
 * - PostgreSQL: INSERT ... SELECT FROM unnest($1::bigint[], $2::text[], ...) ON CONFLICT (id) DO UPDATE,
 *   typed arrays, ROWS_PER_STATEMENT rows per statement.
 * - MariaDB: multi-row INSERT ... VALUES (...), (...) ON DUPLICATE KEY UPDATE c = VALUES(c), values
 *   inlined by the client (text protocol, no prepare), as many rows as fit max_allowed_packet.
 *
 * CONCURRENCY statements run at once (one per core), each autocommitted.
 */
import type { Pool as MyPool } from 'mysql2/promise';
import type { Pool as PgPool } from 'pg';
import { timestampText } from './checksum.ts';
import { MariaDbTarget, PostgresTarget } from './targets.ts';
import type { BenchTarget } from './targets.ts';
import { DECIMAL_PRECISION, DECIMAL_SCALE } from './tables.ts';
import type { BenchColumn, BenchRow, BenchTable, ColumnKind } from './tables.ts';

const PG_ROWS_PER_STATEMENT = 5000;
const MY_ROWS_PER_STATEMENT = 1000;
const CONCURRENCY = 2;

interface Job {
  readonly table: BenchTable;
  readonly rows: readonly BenchRow[];
}

function arrayType(kind: ColumnKind): string {
  switch (kind) {
    case 'int64':
      return 'bigint[]';
    case 'int32':
      return 'integer[]';
    case 'text':
      return 'text[]';
    case 'decimal':
      return `numeric(${DECIMAL_PRECISION},${DECIMAL_SCALE})[]`;
    case 'double':
      return 'float8[]';
    case 'boolean':
      return 'boolean[]';
    case 'timestamp':
      return 'timestamp[]';
  }
}

function pgValue(c: BenchColumn, v: BenchRow[string] | undefined): unknown {
  if (v === null || v === undefined) return null;
  return c.kind === 'timestamp' ? timestampText(v as number) : v;
}

function pgUpsertText(space: string, table: BenchTable): string {
  const cols = table.columns.map((c) => `"${c.name}"`);
  const params = table.columns.map((c, i) => `$${i + 1}::${arrayType(c.kind)}`);
  const sets = table.columns.filter((c) => c.name !== 'id').map((c) => `"${c.name}" = EXCLUDED."${c.name}"`);
  return `INSERT INTO "${space}"."${table.name}" (${cols.join(', ')}) SELECT * FROM unnest(${params.join(', ')}) ON CONFLICT (id) DO UPDATE SET ${sets.join(', ')}`;
}

async function pgJob(pool: PgPool, space: string, job: Job): Promise<void> {
  const text = pgUpsertText(space, job.table);
  const values = job.table.columns.map((c) => job.rows.map((r) => pgValue(c, r[c.name])));
  await pool.query(text, values);
}

function myValue(c: BenchColumn, v: BenchRow[string] | undefined): unknown {
  if (v === null || v === undefined) return null;
  return c.kind === 'timestamp' ? timestampText(v as number) : v;
}

async function myJob(pool: MyPool, space: string, job: Job): Promise<void> {
  const cols = job.table.columns.map((c) => `\`${c.name}\``);
  const sets = cols.filter((c) => c !== '`id`').map((c) => `${c} = VALUES(${c})`);
  const rows = job.rows.map((r) => job.table.columns.map((c) => myValue(c, r[c.name])));
  await pool.query(`INSERT INTO \`${space}\`.\`${job.table.name}\` (${cols.join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${sets.join(', ')}`, [rows]);
}

function jobs(tables: readonly BenchTable[], finalState: readonly Map<number, BenchRow>[], size: number): Job[] {
  const out: Job[] = [];
  tables.forEach((table, i) => {
    const rows = [...(finalState[i]?.values() ?? [])];
    for (let s = 0; s < rows.length; s += size) out.push({ table, rows: rows.slice(s, s + size) });
  });
  return out;
}

/** Upserts the final state into `space` (already prepared, empty); returns wall seconds and client CPU seconds. */
export async function runCeiling(
  target: BenchTarget,
  space: string,
  tables: readonly BenchTable[],
  finalState: readonly Map<number, BenchRow>[],
): Promise<{ seconds: number; clientCpuSeconds: number }> {
  const isPg = target instanceof PostgresTarget;
  const queue = jobs(tables, finalState, isPg ? PG_ROWS_PER_STATEMENT : MY_ROWS_PER_STATEMENT);
  const run = (job: Job): Promise<void> => {
    if (target instanceof PostgresTarget) return pgJob(target.pgPool, space, job);
    if (target instanceof MariaDbTarget) return myJob(target.myPool, space, job);
    throw new Error(`no ceiling for ${target.kind}`);
  };
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const job = queue[next++];
      if (job) await run(job);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}
