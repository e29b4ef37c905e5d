/**
 * Table checksums that the generator and the databases compute the same way: every row becomes a
 * canonical text (columns in table order joined by '|', NULL as \N, decimals with their scale,
 * booleans as 1/0, timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff'), its md5 is split into two 64-bit
 * halves, and the halves are XOR-ed over the table. Order-independent, streams in the database,
 * and a row count goes with it.
 */
import { createHash } from 'node:crypto';
import type { BenchColumn, BenchRow, BenchTable, BenchValue } from './tables.ts';

export interface TableChecksum {
  readonly rows: number;
  /** 32 lower-case hex digits: the two XOR-ed halves. */
  readonly hash: string;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Micro-seconds since the epoch as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC). */
export function timestampText(us: number): string {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  const micros = us - Math.floor(us / 1_000_000) * 1_000_000;
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(micros).padStart(6, '0')}`
  );
}

function valueText(col: BenchColumn, v: BenchValue | undefined): string {
  if (v === null || v === undefined) return '\\N';
  switch (col.kind) {
    case 'boolean':
      return v ? '1' : '0';
    case 'timestamp':
      return timestampText(v as number);
    default:
      return String(v);
  }
}

export function rowText(table: BenchTable, row: BenchRow): string {
  return table.columns.map((c) => valueText(c, row[c.name])).join('|');
}

/** The checksum of the rows the target must hold. */
export function expectedChecksum(table: BenchTable, rows: Iterable<BenchRow>): TableChecksum {
  let a = 0n;
  let b = 0n;
  let count = 0;
  for (const row of rows) {
    const h = createHash('md5').update(rowText(table, row)).digest();
    a ^= h.readBigUInt64BE(0);
    b ^= h.readBigUInt64BE(8);
    count++;
  }
  return { rows: count, hash: hex64(a) + hex64(b) };
}

export function hex64(n: bigint): string {
  return n.toString(16).padStart(16, '0');
}

/** PostgreSQL: text of one column in the canonical form. */
function pgColumnText(c: BenchColumn): string {
  const q = `"${c.name}"`;
  switch (c.kind) {
    case 'boolean':
      return `coalesce(${q}::int::text, '\\N')`;
    case 'timestamp':
      return `coalesce(to_char(${q}, 'YYYY-MM-DD HH24:MI:SS.US'), '\\N')`;
    default:
      return `coalesce(${q}::text, '\\N')`;
  }
}

/** One query: count, XOR of the first and of the second md5 halves (as 16 hex digits each). */
export function pgChecksumSql(schema: string, table: BenchTable): string {
  const text = table.columns.map(pgColumnText).join(` || '|' || `);
  return (
    `SELECT count(*)::int AS n, ` +
    `lpad(to_hex(coalesce(bit_xor(('x' || substr(h, 1, 16))::bit(64)::bigint), 0)), 16, '0') AS a, ` +
    `lpad(to_hex(coalesce(bit_xor(('x' || substr(h, 17, 16))::bit(64)::bigint), 0)), 16, '0') AS b ` +
    `FROM (SELECT md5(${text}) AS h FROM "${schema}"."${table.name}") s`
  );
}

function myColumnText(c: BenchColumn): string {
  const q = `\`${c.name}\``;
  switch (c.kind) {
    case 'timestamp':
      return `COALESCE(DATE_FORMAT(${q}, '%Y-%m-%d %H:%i:%s.%f'), '\\\\N')`;
    case 'text':
      return `COALESCE(${q}, '\\\\N')`;
    default:
      return `COALESCE(CAST(${q} AS CHAR), '\\\\N')`;
  }
}

export function mysqlChecksumSql(database: string, table: BenchTable): string {
  const text = `CONCAT_WS('|', ${table.columns.map(myColumnText).join(', ')})`;
  const half = (from: number) => `LPAD(LOWER(HEX(BIT_XOR(CAST(CONV(SUBSTRING(h, ${from}, 16), 16, 10) AS UNSIGNED)))), 16, '0')`;
  return `SELECT COUNT(*) AS n, ${half(1)} AS a, ${half(17)} AS b FROM (SELECT MD5(${text}) AS h FROM \`${database}\`.\`${table.name}\`) s`;
}
