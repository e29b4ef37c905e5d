/**
 * Types on the PostgreSQL side: the SQL type cdc-sink gives a column when it creates or extends a
 * table, and the type a bound text value is cast to when writing into an existing column.
 */
import type { ColumnType } from '../core/column-type.ts';

/** PostgreSQL keeps microseconds: 9-digit (nanosecond) sources are truncated to 6 (see values.ts). */
const PG_MAX_FRACTION_DIGITS = 6;
const PG_MAX_NUMERIC_PRECISION = 1000;
const PG_MAX_VARCHAR_LENGTH = 10485760;
const PG_MAX_BIT_LENGTH = 83886080;

function fractionDigits(precision: number | undefined): number {
  if (precision === undefined || !Number.isInteger(precision) || precision > PG_MAX_FRACTION_DIGITS) {
    return PG_MAX_FRACTION_DIGITS;
  }
  return Math.max(0, precision);
}

/**
 * The column type for CREATE TABLE / ADD COLUMN.
 *
 * - enum and set become text: a CREATE TYPE per source enum would have to be kept in sync with
 *   the source's ALTER TYPE / ALTER TABLE (new members), and a value outside it would stop the
 *   pipeline; text takes every value the source sends.
 * - time(9) / timestamp(9) become time(6) / timestamp(6): PostgreSQL keeps microseconds only.
 * - geometry becomes bytea holding the WKB (no PostGIS needed); a PostGIS column created by the
 *   user is written as hex (E)WKB instead.
 */
export function columnTypeSql(type: ColumnType): string {
  switch (type.kind) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return type.bits === 64 ? 'bigint' : type.bits === 32 ? 'integer' : 'smallint';
    case 'float':
      return type.bits === 32 ? 'real' : 'double precision';
    case 'decimal': {
      const { precision, scale } = type;
      if (scale === undefined || precision === undefined) return 'numeric';
      if (!Number.isInteger(precision) || precision < 1 || precision > PG_MAX_NUMERIC_PRECISION) return 'numeric';
      if (!Number.isInteger(scale) || Math.abs(scale) > PG_MAX_NUMERIC_PRECISION) return 'numeric';
      return `numeric(${precision},${scale})`;
    }
    case 'string': {
      const n = type.maxLength;
      return n !== undefined && Number.isInteger(n) && n >= 1 && n <= PG_MAX_VARCHAR_LENGTH ? `varchar(${n})` : 'text';
    }
    case 'bytes':
      return 'bytea';
    case 'date':
      return 'date';
    case 'time':
      return `time(${fractionDigits(type.precision)})`;
    case 'timetz':
      return 'time with time zone';
    case 'timestamp':
      return `timestamp(${fractionDigits(type.precision)}) without time zone`;
    case 'timestamptz':
      return `timestamp(${fractionDigits(type.precision)}) with time zone`;
    case 'interval':
      return 'interval';
    case 'json':
      return 'jsonb';
    case 'uuid':
      return 'uuid';
    case 'xml':
      return 'xml';
    case 'enum':
    case 'set':
      return 'text';
    case 'bits':
      return Number.isInteger(type.length) && type.length >= 1 && type.length <= PG_MAX_BIT_LENGTH
        ? `bit(${type.length})`
        : 'bit varying';
    case 'year':
      return 'integer';
    case 'geometry':
      return 'bytea';
    case 'array':
      return `${columnTypeSql(type.items)}[]`;
  }
}

/**
 * The type a bound text value is cast to for a target column, from the column's type as
 * format_type() reports it ("character varying(3)", "numeric(38,18)", "bit(4)[]").
 *
 * Type modifiers are dropped: an explicit cast to varchar(3) or bit(3) silently truncates or pads,
 * while the assignment into the column that follows checks them and fails ("value too long"), which
 * is what we want. "character" and "bit" without a modifier mean length 1 in a cast, so they
 * become bpchar and "bit" (quoted: no modifier).
 */
export function castType(dataType: string): string {
  let out = '';
  let i = 0;
  while (i < dataType.length) {
    const ch = dataType[i] ?? '';
    if (ch === '"') {
      const end = closingQuote(dataType, i);
      out += dataType.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '(') {
      const close = dataType.indexOf(')', i);
      const inner = close < 0 ? '' : dataType.slice(i + 1, close);
      if (close >= 0 && /^\s*-?\d+\s*(,\s*-?\d+\s*)?$/.test(inner)) {
        i = close + 1;
      } else {
        out += ch;
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out.replace(/^(?:pg_catalog\.)?(character|bit)(?=$|\[)/, (_m, name: string) =>
    name === 'character' ? 'bpchar' : '"bit"',
  );
}

function closingQuote(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '"') {
      if (text[i + 1] === '"') {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  return text.length - 1;
}

/** What kind of value a target column takes, as far as the text encoding of values cares. */
export type TargetCategory = 'bytea' | 'spatial' | 'text' | 'temporal' | 'other';

/** The category of a cast type (see castType), element type for arrays. */
export function targetCategory(cast: string): TargetCategory {
  const t = cast
    .replace(/^pg_catalog\./, '')
    .replace(/\([^()"]*\)$/, '')
    .toLowerCase();
  if (t === 'bytea') return 'bytea';
  if (/(^|\.)"?(geometry|geography)"?$/.test(t)) return 'spatial';
  if (/^(text|character varying|varchar|bpchar|character|char|name|"char"|citext|(\w+\.)?citext)$/.test(t)) return 'text';
  if (/^(date|time|timetz|timestamp|timestamptz)( with(out)? time zone)?$/.test(t)) return 'temporal';
  return 'other';
}

/** For "integer[]" the element type "integer"; null when not an array type. */
export function arrayElementType(cast: string): string | null {
  return cast.endsWith('[]') ? cast.slice(0, -2) : null;
}
