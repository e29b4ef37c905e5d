/**
 * Value -> the text PostgreSQL parses for the target column's type. Every value is bound as text
 * (an element of the text[] literal bound per column, see changes.ts and array-literal.ts) and
 * cast to the column's real type in SQL, so the server parses it exactly: no float, Date or bigint
 * conversion happens in the driver.
 *
 * | value | text |
 * | --- | --- |
 * | boolean | 't' / 'f' |
 * | number | String(n); 'NaN', 'Infinity', '-Infinity', '-0' |
 * | bigint, decimal string | as is |
 * | Buffer | '\x' + hex (bytea); plain hex for a PostGIS column |
 * | geometry | its WKB as bytes; 'SRID=n;' + hex WKB for a PostGIS column |
 * | date / timestamp | years beyond 9999 lose the '+' ('+10000-01-01' -> '10000-01-01'); year 0 and negative (ISO) years become 'YYYY-MM-DD BC' |
 * | time / timestamp with 7-9 fraction digits | TRUNCATED to 6 digits (see below) |
 * | array | PostgreSQL array literal, every element double-quoted, NULL elements as NULL |
 * | anything else (json, uuid, interval, enum, ...) | the string as is |
 *
 * Nanoseconds: PostgreSQL keeps microseconds and ROUNDS extra digits on input, in floating point
 * (half-even-ish: .1234565 -> .123456 but .1234575 -> .123458), and rounding can move a value to
 * the next day ('9999-12-31T23:59:59.9999995' -> year 10000) or make a time '24:00:00'. cdc-sink
 * truncates to microseconds instead: deterministic, never changes the date, easy to reproduce when
 * verifying against the source. Columns stored as text keep every digit.
 */
import type { ColumnType } from '../core/column-type.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';
import type { GeometryValue, Value } from '../core/value.ts';
import { quoteArrayElement } from './array-literal.ts';
import { arrayElementType, castType, columnTypeSql, targetCategory, type TargetCategory } from './types.ts';

/** Turns one (present, not UNCHANGED) value into its bind text, or null for SQL NULL. */
export type ValueEncoder = (value: Value) => string | null;

export function isGeometryValue(v: unknown): v is GeometryValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && 'wkb' in v;
}

export function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

/** ISO (astronomical) years to PostgreSQL's: no '+', 4+ digits, year 0 = 1 BC, -1 = 2 BC. */
export function pgYears(text: string): string {
  const first = text.charCodeAt(0);
  const signed = first === 43 /* + */ || first === 45; /* - */
  if (!signed && !text.startsWith('0000')) return text;
  const m = /^([+-]?)(\d{4,})(-.*)$/.exec(text);
  if (!m) return text;
  const digits = m[2] ?? '';
  const rest = m[3] ?? '';
  const year = m[1] === '-' ? -Number(digits) : Number(digits);
  if (year >= 1) return `${String(year).padStart(4, '0')}${rest}`;
  return `${String(1 - year).padStart(4, '0')}${rest} BC`;
}

/** Cuts fraction digits beyond microseconds: '12:00:00.123456789' -> '12:00:00.123456'. */
export function truncateToMicros(text: string): string {
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  let end = dot + 1;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  return end - dot - 1 > 6 ? text.slice(0, dot + 7) + text.slice(end) : text;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** '\x' + hex, the bytea input form. */
export function byteaText(b: Buffer): string {
  return `\\x${b.toString('hex')}`;
}

/** The text of a value without any knowledge of its column. */
export function genericText(v: Value): string | null {
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 't' : 'f';
    case 'number':
      return numberText(v);
    case 'bigint':
      return v.toString();
    default:
      if (Buffer.isBuffer(v)) return byteaText(v);
      if (Array.isArray(v)) return arrayLiteral(v, genericText);
      if (isGeometryValue(v)) return byteaText(v.wkb);
      throw new TargetError(ErrorCodes.INTERNAL, `cannot bind a value of type ${Object.prototype.toString.call(v)}`, {
        kind: 'fatal',
      });
  }
}

/**
 * A PostgreSQL array literal: '{"a","b c",NULL}'. Every element is double-quoted with \ and "
 * escaped, so commas, braces, spaces, empty strings and the word NULL survive; nested arrays
 * become nested braces (multi-dimensional arrays must be rectangular, as PostgreSQL requires).
 */
export function arrayLiteral(values: readonly Value[], element: ValueEncoder): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i] ?? null;
    if (Array.isArray(v)) {
      out += arrayLiteral(v as readonly Value[], element);
    } else {
      const text = element(v);
      out += text === null ? 'NULL' : quoteArrayElement(text);
    }
  }
  return `${out}}`;
}

function temporalEncoder(kind: 'date' | 'time' | 'timetz' | 'timestamp' | 'timestamptz'): ValueEncoder {
  const fix =
    kind === 'date' ? pgYears : kind === 'time' || kind === 'timetz' ? truncateToMicros : (s: string) => truncateToMicros(pgYears(s));
  return (v) => (typeof v === 'string' ? fix(v) : genericText(v));
}

function spatialEncoder(v: Value): string | null {
  if (isGeometryValue(v)) return `${v.srid === null ? '' : `SRID=${v.srid};`}${v.wkb.toString('hex')}`;
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return genericText(v);
}

function leafType(cast: string): string {
  let t = cast;
  for (let e = arrayElementType(t); e !== null; e = arrayElementType(t)) t = e;
  return t;
}

/**
 * The encoder for one column: its source type (from the change) and the cast type of the target
 * column (see castType). Chosen once per statement, then run in a plain loop over the rows.
 */
export function encoderFor(type: ColumnType | undefined, cast: string): ValueEncoder {
  if (type?.kind === 'array') {
    const element = encoderFor(type.items.kind === 'array' ? leafItems(type.items) : type.items, leafType(cast));
    return (v) => (Array.isArray(v) ? arrayLiteral(v as readonly Value[], element) : genericText(v));
  }
  const category: TargetCategory = targetCategory(cast);
  if (category === 'spatial') return spatialEncoder;
  if (type === undefined || category === 'text') return genericText;
  switch (type.kind) {
    case 'date':
    case 'time':
    case 'timetz':
    case 'timestamp':
    case 'timestamptz':
      return temporalEncoder(type.kind);
    default:
      return genericText;
  }
}

function leafItems(type: ColumnType): ColumnType {
  return type.kind === 'array' ? leafItems(type.items) : type;
}

/** One value's bind text for a column (tests, messages); writers use encoderFor. */
export function valueToText(value: Value, type?: ColumnType, targetCast?: string): string | null {
  const cast = targetCast ?? (type === undefined ? 'text' : castType(columnTypeSql(type)));
  return encoderFor(type, cast)(value);
}
