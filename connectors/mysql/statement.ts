/**
 * The statements tableChanges builds, with what they do (for error messages and logs), and their
 * two renderings:
 *
 * - bound (`boundStatements`, dialect.tableChanges): placeholders and binds, for server-side
 *   prepared statements. At most `rowsPerStatement` rows, at most maxBindParameters binds, and at
 *   most `maxStatementBytes` of bound data (max_allowed_packet).
 * - inline (`inlineStatements`, dialect.tableChangesInline, what the connector sends): the values
 *   as literals (literal.ts), one text-protocol statement, nothing prepared on the server. No bind
 *   limit applies; at most `rowsPerStatement` rows and at most `maxStatementBytes` bytes of
 *   statement text (UTF-8, head and tail included), the connector's share of max_allowed_packet.
 */
import type { Sql, TargetColumn } from '../contract.ts';
import { sqlLiteral, tupleLiteral } from './literal.ts';
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

/**
 * One multi-row statement before chunking and rendering: `head`, the rows separated by ', ', then
 * `tail`. Rows are '(a, b)' tuples, or bare values when `tuples` is false (a one-column IN list).
 */
export interface RowsStatement {
  readonly kind: Exclude<StatementKind, 'truncate'>;
  readonly head: string;
  readonly tail: string;
  /** Binds per row. */
  readonly width: number;
  readonly tuples: boolean;
  readonly rows: readonly (readonly Bind[])[];
}

/** With placeholders: chunked by rows, binds and bound bytes (chunkRows). */
export function boundStatements(s: RowsStatement, limits: ChunkLimits): MysqlSql[] {
  const one = s.tuples ? placeholders(s.width) : '?';
  return chunkRows(s.rows, s.width, limits).map((chunk) => ({
    text: s.head + Array.from({ length: chunk.length }, () => one).join(', ') + s.tail,
    values: chunk.flat(),
    kind: s.kind,
    rows: chunk.length,
  }));
}

const SEPARATOR = ', ';

/**
 * With the values inlined as literals (no binds): at most rowsPerStatement rows and at most
 * maxStatementBytes bytes of text. A single row longer than that goes alone (the server then
 * rejects it: ER_NET_PACKET_TOO_LARGE, a data error).
 */
export function inlineStatements(s: RowsStatement, limits: Pick<ChunkLimits, 'rowsPerStatement' | 'maxStatementBytes'>): MysqlSql[] {
  const perStatement = Math.max(1, limits.rowsPerStatement);
  const fixed = Buffer.byteLength(s.head, 'utf8') + Buffer.byteLength(s.tail, 'utf8');
  const out: MysqlSql[] = [];
  let parts: string[] = [];
  let bytes = fixed;
  const flush = (): void => {
    out.push({ text: s.head + parts.join(SEPARATOR) + s.tail, values: [], kind: s.kind, rows: parts.length });
    parts = [];
    bytes = fixed;
  };
  for (const row of s.rows) {
    const text = s.tuples ? tupleLiteral(row) : sqlLiteral(row[0] ?? null);
    const size = Buffer.byteLength(text, 'utf8');
    if (parts.length > 0 && (parts.length >= perStatement || bytes + SEPARATOR.length + size > limits.maxStatementBytes)) flush();
    bytes += (parts.length > 0 ? SEPARATOR.length : 0) + size;
    parts.push(text);
  }
  if (parts.length > 0) flush();
  return out;
}
