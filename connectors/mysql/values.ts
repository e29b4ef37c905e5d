/**
 * Value -> the bind of a column, for the source column's type and, where the storage differs, the
 * target column's type. The data statements send binds as literals (literal.ts, text protocol);
 * the bound form (dialect.tableChanges) sends the same binds as prepared-statement parameters.
 *
 * | kind | bind |
 * | --- | --- |
 * | boolean | 1 / 0 |
 * | int 8/16/32, year | number |
 * | int 64 (bigint) | decimal string (exact; mysql2 would send a JS number as a DOUBLE) |
 * | float | number, sent as DOUBLE (exact). NaN / +-Infinity: data error naming the column |
 * | decimal | the exact string, checked to be plain decimal notation (PostgreSQL 'NaN' is a data error) |
 * | bytes | Buffer |
 * | bits '0101' | Buffer, big-endian, ceil(n/8) bytes (BIT(n) and VARBINARY columns); the text when the target column is text |
 * | date | 'YYYY-MM-DD' (years beyond 9999: data error) |
 * | time / timetz | 'HH:MM:SS.ffffff', nanoseconds TRUNCATED (temporal.ts); timetz keeps the UTC time |
 * | timestamp | 'YYYY-MM-DD HH:MM:SS.ffffff' |
 * | timestamptz | UTC 'YYYY-MM-DD HH:MM:SS.ffffff'; 'infinity': data error |
 * | uuid | the text; 16 bytes from its hex when the target column is BINARY(16) |
 * | json, string, enum, set, xml, interval | the text as is |
 * | geometry | the WKB Buffer; a user-created spatial column gets MySQL's internal form (SRID, little-endian, + WKB) |
 * | array | JSON text (json-text.ts) |
 *
 * UNCHANGED is never bound (upsert.ts leaves the column out).
 */
import type { ColumnSchema, ColumnType } from '../core/column-type.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';
import type { GeometryValue, Value } from '../core/value.ts';
import type { TargetColumn } from '../contract.ts';
import { jsonText } from './json-text.ts';
import { dateText, timeText, timestampText, timestamptzText, timetzText } from './temporal.ts';
import { ValueError } from './value-error.ts';

export type Bind = string | number | Buffer | null;

/** Turns one present, not UNCHANGED value into its bind. */
export type ValueEncoder = (value: Value) => Bind;

export function isGeometryValue(v: unknown): v is GeometryValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && 'wkb' in v;
}

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const UUID_HEX_RE = /^[0-9a-fA-F]{32}$/;
const BITS_RE = /^[01]*$/;
const SPATIAL_RE = /^(geometry|point|linestring|polygon|multipoint|multilinestring|multipolygon|geometrycollection|geomcollection)\b/i;

function finiteNumber(n: number): number {
  if (!Number.isFinite(n)) throw new ValueError(`${String(n)} cannot be stored: MySQL has no NaN or Infinity`);
  return n;
}

function isArrayValue(v: Value): v is readonly Value[] {
  return Array.isArray(v);
}

/** The bind of a value without knowledge of its column. */
export function genericBind(v: Value): Bind {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v;
  if (isArrayValue(v)) return jsonText(v);
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return finiteNumber(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 1 : 0;
    default:
      return v.wkb;
  }
}

/** '0101' (most significant bit first) -> big-endian bytes, ceil(n/8) of them. */
export function bitsToBuffer(bits: string): Buffer {
  if (!BITS_RE.test(bits)) throw new ValueError(`${JSON.stringify(bits)} is not a bit string of 0 and 1`);
  const bytes = Buffer.alloc(Math.max(1, Math.ceil(bits.length / 8)));
  let byte = bytes.length - 1;
  let bit = 0;
  for (let i = bits.length - 1; i >= 0; i--) {
    if (bits.charCodeAt(i) === 49) bytes[byte] = (bytes[byte] ?? 0) | (1 << bit);
    bit++;
    if (bit === 8) {
      bit = 0;
      byte--;
    }
  }
  return bytes;
}

/** '8d3c...-...' -> its 16 bytes, for BINARY(16) uuid columns. */
export function uuidToBuffer(uuid: string): Buffer {
  const hex = uuid.replaceAll('-', '');
  if (!UUID_HEX_RE.test(hex)) throw new ValueError(`${JSON.stringify(uuid)} is not a uuid`);
  return Buffer.from(hex, 'hex');
}

/** MySQL's internal geometry form: 4-byte little-endian SRID, then the WKB. */
export function internalGeometry(g: GeometryValue): Buffer {
  const srid = Buffer.alloc(4);
  srid.writeUInt32LE(g.srid ?? 0);
  return Buffer.concat([srid, g.wkb]);
}

function text(v: Value, what: string): string {
  if (typeof v !== 'string') throw new ValueError(`expected ${what} as a string, got ${typeof v}`);
  return v;
}

function encodeTyped(type: ColumnType, target: TargetColumn | undefined, v: Value): Bind {
  const targetType = target?.dataType.toLowerCase() ?? '';
  switch (type.kind) {
    case 'boolean':
      return typeof v === 'boolean' ? (v ? 1 : 0) : genericBind(v);
    case 'float':
      return typeof v === 'number' ? finiteNumber(v) : genericBind(v);
    case 'decimal': {
      const t = typeof v === 'number' ? String(finiteNumber(v)) : typeof v === 'bigint' ? v.toString() : text(v, 'a decimal');
      if (!DECIMAL_RE.test(t)) throw new ValueError(`${JSON.stringify(t)} is not a decimal number MySQL can store`);
      return t;
    }
    case 'bits':
      if (typeof v !== 'string') return genericBind(v);
      if (targetType !== '' && !/^(bit|binary|varbinary|blob|tinyblob|mediumblob|longblob)\b/.test(targetType)) {
        return v;
      }
      return bitsToBuffer(v);
    case 'uuid':
      if (typeof v === 'string' && /^binary\(16\)/.test(targetType)) return uuidToBuffer(v);
      return genericBind(v);
    case 'date':
      return dateText(text(v, 'a date'));
    case 'time':
      return timeText(text(v, 'a time'));
    case 'timetz':
      return timetzText(text(v, 'a time'));
    case 'timestamp':
      return timestampText(text(v, 'a timestamp'));
    case 'timestamptz':
      return timestamptzText(text(v, 'a timestamp'));
    case 'geometry':
      if (isGeometryValue(v)) return SPATIAL_RE.test(targetType) ? internalGeometry(v) : v.wkb;
      return genericBind(v);
    case 'array':
      return isArrayValue(v) ? jsonText(v) : genericBind(v);
    default:
      return genericBind(v);
  }
}

/**
 * The encoder of one column. `column` is the source column (undefined when the row has a column
 * the schema does not list: its value is bound as is); `target` the existing target column.
 * Errors become data TargetErrors naming the table and column.
 */
export function valueEncoder(
  table: string,
  name: string,
  column: ColumnSchema | undefined,
  target: TargetColumn | undefined,
): ValueEncoder {
  return (v: Value): Bind => {
    if (v === null) return null;
    try {
      return column === undefined ? genericBind(v) : encodeTyped(column.type, target, v);
    } catch (err) {
      if (!(err instanceof ValueError)) throw err;
      throw new TargetError(ErrorCodes.TARGET_DATA, `cannot write column ${name} of ${table}: ${err.message}`, {
        kind: 'data',
        table,
        cause: err,
      });
    }
  };
}
