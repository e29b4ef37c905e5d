/**
 * Value encodings: cdc-sink's full-fidelity values (connectors/core/value.ts) -> what is bound.
 * Pure functions; each throws a plain Error on a value it cannot encode (changes.ts adds the table
 * and column and makes it a data error).
 *
 * Text forms are exact: bigints and decimals as their digits, timestamps with all their fraction
 * digits (padded to 9, the TO_TIMESTAMP format FF9), bytes as lower-case hex.
 */
import type { ColumnType } from '../core/column-type.ts';
import type { GeometryValue, Value } from '../core/value.ts';

export function isGeometry(v: Value): v is GeometryValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && 'wkb' in v;
}

function kindOf(v: Value): string {
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return 'Buffer';
  if (Array.isArray(v)) return 'array';
  if (isGeometry(v)) return 'geometry';
  return typeof v;
}

function unexpected(v: Value, what: string): Error {
  return new Error(`expected ${what}, got a ${kindOf(v)}`);
}

/** Text of a JS number: NaN and infinities as Oracle's TO_BINARY_DOUBLE and humans read them. */
export function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

const PLAIN_DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * JSON text of a value whose type is `type` (an array, or an element of one): decimals and
 * bigints stay exact JSON numbers, json elements are embedded as they are, bytes become base64.
 */
export function arrayJson(v: Value, type: ColumnType | undefined): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(numberText(v));
  if (typeof v === 'string') {
    if (type?.kind === 'decimal' && PLAIN_DECIMAL.test(v)) return v;
    if (type?.kind === 'json') return v;
    return JSON.stringify(v);
  }
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('base64'));
  if (Array.isArray(v)) {
    const items = type?.kind === 'array' ? type.items : undefined;
    return `[${(v as readonly Value[]).map((x) => arrayJson(x, items)).join(',')}]`;
  }
  if (isGeometry(v)) return JSON.stringify({ wkb: v.wkb.toString('base64'), srid: v.srid });
  throw unexpected(v, 'an array value');
}

/** The exact text of any value, as stored in VARCHAR2 / CLOB columns or passed to TO_NUMBER & co. */
export function textOf(v: Value, type: ColumnType | undefined): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (Array.isArray(v)) return arrayJson(v, type);
  if (isGeometry(v)) return v.wkb.toString('hex');
  throw unexpected(v, 'a value');
}

/** A JS number bound as NUMBER / BINARY_*: numbers as they are, booleans as 1/0, safe bigints. */
export function numberOf(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(v);
  }
  throw unexpected(v, 'a number');
}

export function booleanOf(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw unexpected(v, 'a boolean');
}

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

export function uuidBytes(v: string): Buffer {
  if (!UUID.test(v)) throw new Error(`"${v.slice(0, 40)}" is not a UUID`);
  return Buffer.from(v.replaceAll('-', ''), 'hex');
}

/** '0'/'1' text, most significant bit first -> bytes, left-padded to whole bytes. */
export function bitsBytes(v: string): Buffer {
  if (!/^[01]*$/.test(v)) throw new Error('bits value must hold only 0 and 1');
  const padded = v.padStart(Math.max(8, Math.ceil(v.length / 8) * 8), '0');
  const out = Buffer.alloc(padded.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(padded.slice(i * 8, i * 8 + 8), 2);
  return out;
}

/** Bytes of a binary-like value (bytes, uuid, bits, geometry WKB) for RAW / BLOB columns. */
export function bytesOf(v: Value, type: ColumnType | undefined): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (isGeometry(v)) return v.wkb;
  if (typeof v === 'string') {
    if (type?.kind === 'uuid') return uuidBytes(v);
    if (type?.kind === 'bits') return bitsBytes(v);
  }
  throw unexpected(v, 'bytes');
}

const TIMESTAMP = /^([+-]?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?$/;
const TIMESTAMP_TZ = /^([+-]?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** "2024-03-15T08:20:30.5" -> "2024-03-15T08:20:30.500000000" (format YYYY-MM-DD"T"HH24:MI:SS.FF9). */
export function timestampText(v: string): string {
  const m = TIMESTAMP.exec(v);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}` : v;
}

/** "...T08:20:30.123Z" -> "...T08:20:30.123000000+00:00" (format ...FF9TZH:TZM). */
export function timestampTzText(v: string): string {
  const m = TIMESTAMP_TZ.exec(v);
  if (!m) return v;
  const zone = m[3] === 'Z' ? '+00:00' : (m[3] ?? '+00:00');
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${zone}`;
}

const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z?$/;

/**
 * A time of day as TO_DSINTERVAL's SQL format "D HH:MM:SS[.f]": "10:30:00.25" -> "0 10:30:00.25".
 * Hours past 23 (PostgreSQL's 24:00:00) carry into the day: "1 00:00:00".
 */
export function timeIntervalText(v: string): string {
  const m = TIME.exec(v);
  if (!m) return v;
  const hours = Number(m[1]);
  const hh = String(hours % 24).padStart(2, '0');
  return `${Math.floor(hours / 24)} ${hh}:${m[2]}:${m[3]}${m[4] ?? ''}`;
}
