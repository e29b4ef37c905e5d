/**
 * How one column is bound: from the source's logical type (what the value is) and the target
 * column's type (what it must become). Strings are bound for everything exact and converted in
 * SQL, so no value passes through a JS number or Date:
 *
 * | target \ source | conversion in SQL | bind |
 * | --- | --- | --- |
 * | NUMBER <- int64, decimal | TO_NUMBER(:n) | varchar "12345678901234567890.5" |
 * | NUMBER <- int8/16/32, year, boolean | :n | number (boolean as 1/0) |
 * | NUMBER <- float | :n | binary_double |
 * | BINARY_DOUBLE/FLOAT <- float, small int | :n | binary_double / binary_float |
 * | BINARY_DOUBLE/FLOAT <- other | TO_BINARY_DOUBLE(:n) / TO_BINARY_FLOAT(:n) | varchar |
 * | DATE/TIMESTAMP* <- date | TO_DATE(:n, 'YYYY-MM-DD') | varchar |
 * | DATE/TIMESTAMP* <- timestamp | TO_TIMESTAMP(:n, 'YYYY-MM-DD"T"HH24:MI:SS.FF9') | varchar, fraction padded to 9 |
 * | DATE/TIMESTAMP* <- timestamptz | TO_TIMESTAMP_TZ(:n, '...FF9TZH:TZM') | varchar, Z as +00:00 |
 * | INTERVAL DAY TO SECOND <- time, timetz | TO_DSINTERVAL(:n) | varchar "0 10:30:00.123456" |
 * | INTERVAL DAY TO SECOND <- interval | TO_DSINTERVAL(:n) | varchar ISO (days..seconds only) |
 * | RAW / BLOB <- bytes, uuid, bits, geometry | :n | raw / blob Buffer |
 * | VARCHAR2, CHAR, ... <- anything | :n | varchar, the exact text (values.ts textOf) |
 * | CLOB, NCLOB, JSON <- anything | :n | clob, the exact text |
 * | BOOLEAN (23ai) <- boolean | :n | boolean |
 *
 * Anything else is bound as its text and left to Oracle's implicit conversion. The session's NLS
 * settings (session.ts) make TO_NUMBER read '.' as the decimal separator.
 */
import type { ColumnType } from '../core/column-type.ts';
import type { Value } from '../core/value.ts';
import type { OracleBindType, OracleBindValue } from './sql.ts';
import {
  booleanOf,
  bytesOf,
  numberOf,
  textOf,
  timeIntervalText,
  timestampText,
  timestampTzText,
} from './values.ts';

export type TargetFamily =
  | 'text'
  | 'clob'
  | 'number'
  | 'binary_double'
  | 'binary_float'
  | 'boolean'
  | 'raw'
  | 'blob'
  | 'date'
  | 'timestamp'
  | 'dsinterval'
  | 'other';

/** The family of a target column's type text ("NUMBER(10)", "VARCHAR2(20 CHAR)", "TIMESTAMP(6) WITH TIME ZONE"). */
export function targetFamily(dataType: string): TargetFamily {
  const t = dataType.trim().toUpperCase();
  if (/^(N?VARCHAR2?|N?CHAR(ACTER)?)\b/.test(t)) return 'text';
  if (/^(N?CLOB|JSON|LONG)$/.test(t)) return 'clob';
  if (/^(NUMBER|FLOAT|INTEGER|INT|SMALLINT|DEC|DECIMAL|NUMERIC)\b/.test(t)) return 'number';
  if (t === 'BINARY_DOUBLE') return 'binary_double';
  if (t === 'BINARY_FLOAT') return 'binary_float';
  if (t === 'BOOLEAN') return 'boolean';
  if (/^(RAW\b|LONG RAW$)/.test(t)) return 'raw';
  if (t === 'BLOB') return 'blob';
  if (t === 'DATE' || t.startsWith('TIMESTAMP')) return t === 'DATE' ? 'date' : 'timestamp';
  if (/^INTERVAL DAY\b/.test(t)) return 'dsinterval';
  return 'other';
}

export const TIMESTAMP_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.FF9';
export const TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM';

/** The SQL around a placeholder. */
export type Conversion =
  | 'none'
  | 'to_number'
  | 'to_binary_double'
  | 'to_binary_float'
  | 'to_date'
  | 'to_timestamp'
  | 'to_timestamp_tz'
  | 'to_dsinterval';

export function conversionSql(conversion: Conversion, placeholder: string): string {
  switch (conversion) {
    case 'none':
      return placeholder;
    case 'to_number':
      return `TO_NUMBER(${placeholder})`;
    case 'to_binary_double':
      return `TO_BINARY_DOUBLE(${placeholder})`;
    case 'to_binary_float':
      return `TO_BINARY_FLOAT(${placeholder})`;
    case 'to_date':
      return `TO_DATE(${placeholder}, 'YYYY-MM-DD')`;
    case 'to_timestamp':
      return `TO_TIMESTAMP(${placeholder}, '${TIMESTAMP_FORMAT}')`;
    case 'to_timestamp_tz':
      return `TO_TIMESTAMP_TZ(${placeholder}, '${TIMESTAMP_TZ_FORMAT}')`;
    case 'to_dsinterval':
      return `TO_DSINTERVAL(${placeholder})`;
  }
}

/** How the values of one column are bound (null is always bound as null, never encoded). */
export interface Binding {
  readonly bindType: OracleBindType;
  readonly conversion: Conversion;
  readonly encode: (v: Value) => OracleBindValue;
}

const SMALL_NUMBERS = new Set(['boolean', 'year']);

function isSmallNumber(type: ColumnType | undefined): boolean {
  if (type === undefined) return false;
  return SMALL_NUMBERS.has(type.kind) || (type.kind === 'int' && type.bits <= 32);
}

const BINARY_KINDS = new Set(['bytes', 'uuid', 'bits', 'geometry']);

function text(type: ColumnType | undefined, bindType: OracleBindType, conversion: Conversion): Binding {
  return { bindType, conversion, encode: (v) => textOf(v, type) };
}

function temporal(type: ColumnType | undefined): Binding | null {
  switch (type?.kind) {
    case 'date':
      return text(type, 'varchar', 'to_date');
    case 'timestamp':
      return { bindType: 'varchar', conversion: 'to_timestamp', encode: (v) => timestampText(textOf(v, type)) };
    case 'timestamptz':
      return { bindType: 'varchar', conversion: 'to_timestamp_tz', encode: (v) => timestampTzText(textOf(v, type)) };
    default:
      return null;
  }
}

/** The binding of a column whose source type is `type` (undefined: unknown) into a `dataType` column. */
export function bindingFor(type: ColumnType | undefined, dataType: string): Binding {
  const family = targetFamily(dataType);
  switch (family) {
    case 'text':
      return text(type, 'varchar', 'none');
    case 'clob':
      return text(type, 'clob', 'none');
    case 'number':
      if (isSmallNumber(type)) return { bindType: 'number', conversion: 'none', encode: numberOf };
      if (type?.kind === 'float') return { bindType: 'binary_double', conversion: 'none', encode: numberOf };
      return text(type, 'varchar', 'to_number');
    case 'binary_double':
    case 'binary_float':
      if (isSmallNumber(type) || type?.kind === 'float') return { bindType: family, conversion: 'none', encode: numberOf };
      return text(type, 'varchar', family === 'binary_double' ? 'to_binary_double' : 'to_binary_float');
    case 'boolean':
      if (type?.kind === 'boolean' || isSmallNumber(type)) {
        return { bindType: 'boolean', conversion: 'none', encode: booleanOf };
      }
      return text(type, 'varchar', 'none');
    case 'raw':
    case 'blob':
      if (type === undefined || BINARY_KINDS.has(type.kind)) {
        return { bindType: family, conversion: 'none', encode: (v) => bytesOf(v, type) };
      }
      return text(type, 'varchar', 'none');
    case 'date':
    case 'timestamp':
      return temporal(type) ?? text(type, 'varchar', 'none');
    case 'dsinterval':
      if (type?.kind === 'time' || type?.kind === 'timetz') {
        return { bindType: 'varchar', conversion: 'to_dsinterval', encode: (v) => timeIntervalText(textOf(v, type)) };
      }
      if (type?.kind === 'interval') return text(type, 'varchar', 'to_dsinterval');
      return text(type, 'varchar', 'none');
    case 'other':
      return text(type, 'varchar', 'none');
  }
}
