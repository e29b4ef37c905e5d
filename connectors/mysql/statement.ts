/**
 * The statements tableChanges builds, with what they do (for error messages and logs), and the
 * chunking every multi-row statement shares: at most `rowsPerStatement` rows, at most
 * maxBindParameters binds, and at most `maxStatementBytes` of bound data (max_allowed_packet).
 */
import type { Sql, TargetColumn } from '../contract.ts';
import type { Bind } from './values.ts';

export type StatementKind = 'truncate' | 'delete' | 'upsert' | 'insert';

export interface MysqlSql extends Sql {
  readonly values: readonly Bind[];
  readonly kind: StatementKind;
  /** Rows the statement carries (0 for truncate). */
  readonly rows: number;
}

/** MySQL's prepared statements take at most 65,535 placeholders (a 2-byte count in the protocol). */
export const MYSQL_MAX_BIND_PARAMETERS = 65535;

export interface ChunkLimits {
  readonly rowsPerStatement: number;
  readonly maxBindParameters: number;
  readonly maxStatementBytes: number;
}

/** Rows per statement for `width` binds a row: min(rowsPerStatement, floor(maxBind / width)). */
export function rowsPerStatement(limits: ChunkLimits, width: number): number {
  return Math.max(1, Math.min(limits.rowsPerStatement, Math.floor(limits.maxBindParameters / Math.max(1, width))));
}

/** Bytes a bind takes in the execute packet (an upper bound: length prefix + data). */
export function bindBytes(b: Bind): number {
  if (b === null) return 1;
  if (typeof b === 'number') return 9;
  if (typeof b === 'string') return Buffer.byteLength(b, 'utf8') + 9;
  return b.length + 9;
}

/**
 * Splits rows (each already encoded to its binds) into chunks within the limits. A single row
 * larger than maxStatementBytes goes alone (the server then rejects it as a data error).
 */
export function chunkRows(rows: readonly (readonly Bind[])[], width: number, limits: ChunkLimits): Bind[][][] {
  const perStatement = rowsPerStatement(limits, width);
  const chunks: Bind[][][] = [];
  let current: Bind[][] = [];
  let bytes = 0;
  for (const row of rows) {
    const rowSize = row.reduce<number>((n, b) => n + bindBytes(b), 0);
    if (current.length > 0 && (current.length >= perStatement || bytes + rowSize > limits.maxStatementBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row as Bind[]);
    bytes += rowSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** '(?, ?, ?)' */
export function placeholders(width: number): string {
  return `(${Array.from({ length: width }, () => '?').join(', ')})`;
}

/** '(?, ?), (?, ?)' for `rows` rows of `width` binds. */
export function valuesList(rows: number, width: number): string {
  const one = placeholders(width);
  return Array.from({ length: rows }, () => one).join(', ');
}

/** Target columns by lower-cased name (MySQL column names ignore case). */
export function targetColumnMap(columns: readonly TargetColumn[]): Map<string, TargetColumn> {
  return new Map(columns.map((c) => [c.name.toLowerCase(), c]));
}
