/**
 * The Oracle SQL type of a column cdc-sink creates (CREATE TABLE / ALTER TABLE ADD), by logical
 * type. See README.md for the whole table and the reasons. In short:
 *
 * - boolean: NUMBER(1) holding 1/0 (a BOOLEAN type exists only from 23ai).
 * - ints: the smallest NUMBER(p) that holds the range; int64 NUMBER(19).
 * - decimal(p,s): NUMBER(p,s) for p <= 38. Oracle has no exact type beyond 38 digits: wider
 *   (or variable-scale) decimals become NUMBER, which keeps 38-40 significant digits and rounds
 *   the rest.
 * - string: VARCHAR2(n CHAR) up to 4000, else CLOB. With MAX_STRING_SIZE=STANDARD a VARCHAR2
 *   holds at most 4000 bytes whatever the CHAR length: longer multi-byte values fail (ORA-12899).
 * - key columns cannot be LOBs and Oracle caps an index key at ~6400 bytes (8K blocks): string-like
 *   keys become VARCHAR2(min(n,1000) CHAR), binary keys RAW(min(n,2000)).
 * - time: INTERVAL DAY(1) TO SECOND(p) (a time of day as the interval since midnight; DAY(1) so
 *   that PostgreSQL's 24:00:00 fits). timetz and interval (ISO-8601 text): VARCHAR2.
 * - json / array: CLOB CHECK (c IS JSON), or the native JSON type with jsonColumnType 'json'.
 * - uuid: RAW(16) (the 16 bytes; RAWTOHEX shows them without dashes).
 */
import type { ColumnSchema, ColumnType } from '../core/column-type.ts';

export type JsonColumnType = 'clob' | 'json';

export interface TypeOptions {
  readonly jsonColumnType: JsonColumnType;
}

export const ORACLE_MAX_NUMBER_PRECISION = 38;
/** Longest VARCHAR2 / RAW without MAX_STRING_SIZE=EXTENDED. */
export const ORACLE_MAX_VARCHAR = 4000;
export const ORACLE_MAX_RAW = 2000;
/** Length of string-like key columns: 1000 chars are at most 4000 bytes in AL32UTF8. */
export const ORACLE_KEY_VARCHAR = 1000;

const KEY_TEXT = `VARCHAR2(${ORACLE_KEY_VARCHAR} CHAR)`;
const KEY_RAW = `RAW(${ORACLE_MAX_RAW})`;

function fraction(p: number | undefined, fallback: number): number {
  const v = p ?? fallback;
  return Math.max(0, Math.min(9, Math.trunc(v)));
}

function decimalSql(precision: number | undefined, scale: number | undefined): string {
  if (scale === undefined || !Number.isInteger(scale) || scale < -84 || scale > 127) return 'NUMBER';
  if (precision === undefined) return `NUMBER(*,${scale})`;
  if (!Number.isInteger(precision) || precision < 1 || precision > ORACLE_MAX_NUMBER_PRECISION) return 'NUMBER';
  return scale === 0 ? `NUMBER(${precision})` : `NUMBER(${precision},${scale})`;
}

function rawOrBlob(bytes: number | undefined, key: boolean): string {
  if (key) return `RAW(${Math.max(1, Math.min(bytes ?? ORACLE_MAX_RAW, ORACLE_MAX_RAW))})`;
  return bytes !== undefined && bytes <= ORACLE_MAX_RAW ? `RAW(${Math.max(1, bytes)})` : 'BLOB';
}

function jsonSql(options: TypeOptions, key: boolean): string {
  if (key) return KEY_TEXT;
  return options.jsonColumnType === 'json' ? 'JSON' : 'CLOB';
}

/** The SQL type of a column; key columns get index-friendly types (never LOBs). */
export function columnTypeSql(type: ColumnType, options: TypeOptions, key = false): string {
  switch (type.kind) {
    case 'boolean':
      return 'NUMBER(1)';
    case 'int':
      return { 8: 'NUMBER(3)', 16: 'NUMBER(5)', 32: 'NUMBER(10)', 64: 'NUMBER(19)' }[type.bits];
    case 'float':
      return type.bits === 32 ? 'BINARY_FLOAT' : 'BINARY_DOUBLE';
    case 'decimal':
      return decimalSql(type.precision, type.scale);
    case 'string': {
      const n = type.maxLength;
      if (key) return `VARCHAR2(${Math.max(1, Math.min(n ?? ORACLE_KEY_VARCHAR, ORACLE_KEY_VARCHAR))} CHAR)`;
      return n !== undefined && n <= ORACLE_MAX_VARCHAR ? `VARCHAR2(${Math.max(1, n)} CHAR)` : 'CLOB';
    }
    case 'bytes':
      return rawOrBlob(type.maxLength, key);
    case 'date':
      return 'DATE';
    case 'time':
      return `INTERVAL DAY(1) TO SECOND(${fraction(type.precision, 6)})`;
    case 'timetz':
      return 'VARCHAR2(32 CHAR)';
    case 'timestamp':
      return `TIMESTAMP(${fraction(type.precision, 6)})`;
    case 'timestamptz':
      return `TIMESTAMP(${fraction(type.precision, 6)}) WITH TIME ZONE`;
    case 'interval':
      return 'VARCHAR2(64 CHAR)';
    case 'json':
    case 'array':
      return jsonSql(options, key);
    case 'uuid':
      return 'RAW(16)';
    case 'xml':
      return key ? KEY_TEXT : 'CLOB';
    case 'enum':
    case 'set':
      return key ? KEY_TEXT : `VARCHAR2(${ORACLE_MAX_VARCHAR} CHAR)`;
    case 'bits':
      return rawOrBlob(Math.ceil(Math.max(1, type.length) / 8), key);
    case 'year':
      return 'NUMBER(4)';
    case 'geometry':
      return key ? KEY_RAW : 'BLOB';
  }
}

/** True when the column holds JSON text that should carry an IS JSON check. */
export function needsJsonCheck(type: ColumnType, sqlType: string): boolean {
  return (type.kind === 'json' || type.kind === 'array') && sqlType !== 'JSON';
}

/** `"NAME" TYPE [CHECK ("NAME" IS JSON)] [NOT NULL]`, with the name already quoted. */
export function columnDefinitionSql(
  quoted: string,
  column: ColumnSchema,
  options: TypeOptions,
  key: boolean,
): string {
  const sqlType = columnTypeSql(column.type, options, key);
  const check = needsJsonCheck(column.type, sqlType) ? ` CHECK (${quoted} IS JSON)` : '';
  return `${quoted} ${sqlType}${check}${key ? ' NOT NULL' : ''}`;
}
