/**
 * Column codecs: a ColumnType plus a closure that turns one wire value (parsed JSON, large numbers
 * as markers) into a cdc-sink Value (connectors/core/value.ts). Compiled once per schema.
 * Also the strict readers every codec uses for the literal JSON shapes.
 */
import type { ColumnType } from '../core/column-type.ts';
import type { Unchanged, Value } from '../core/value.ts';
import { badValue, show } from './failure.ts';
import { isMarker, readString, requireExact } from './json-text.ts';
import type { ToastForms } from './toast.ts';

export type BinaryHandlingMode = 'bytes' | 'base64' | 'base64-url-safe' | 'hex';

/** Decodes one non-null wire value. Throws DecodeFailure on a mismatch. */
export type DecodeFn = (raw: unknown) => Value | Unchanged;

export interface ColumnCodec {
  readonly type: ColumnType;
  readonly decode: DecodeFn;
}

export interface CompileContext {
  readonly binaryMode: BinaryHandlingMode;
  readonly toast: ToastForms;
}

const INT_RANGE: Record<8 | 16 | 32, readonly [number, number]> = {
  8: [-128, 127],
  16: [-32768, 32767],
  32: [-2147483648, 2147483647],
};

/** int8/16/32 (also int32-based logical types): a JSON integer in range. */
export function readInt(raw: unknown, bits: 8 | 16 | 32): number {
  if (typeof raw === 'number' && Number.isInteger(raw)) {
    const [lo, hi] = INT_RANGE[bits];
    if (raw >= lo && raw <= hi) return raw;
  }
  return badValue(`expected an int${bits}, got ${show(raw)}`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^-?\d+$/;

/** int64: a JSON integer (exact beyond 2^53 thanks to the marker rewrite), as bigint. */
export function readInt64(raw: unknown): bigint {
  if (typeof raw === 'number') {
    if (Number.isSafeInteger(raw)) return BigInt(raw);
    if (Number.isInteger(raw)) {
      requireExact();
      return BigInt(raw);
    }
  } else if (isMarker(raw)) {
    const text = raw.slice(1);
    if (INTEGER_TEXT.test(text)) {
      const n = BigInt(text);
      if (n >= INT64_MIN && n <= INT64_MAX) return n;
    }
  }
  return badValue(`expected an int64, got ${show(raw)}`);
}

/** int64 used as an amount of time: number when exact, else bigint (temporal helpers take both). */
export function readInt64Amount(raw: unknown): number | bigint {
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
  return readInt64(raw);
}

/** float/double: a JSON number, or Jackson's "NaN" / "Infinity" / "-Infinity" strings. */
export function readFloat(raw: unknown, bits: 32 | 64): number {
  const v = readFloat64(raw, bits);
  // A float32 arrives as its shortest decimal text (3.4028235E38), which as a double can lie just
  // outside float32's range: round it back to the float32 it came from.
  return bits === 32 ? Math.fround(v) : v;
}

function readFloat64(raw: unknown, bits: 32 | 64): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    if (isMarker(raw)) return Number(raw.slice(1));
    if (raw === 'NaN') return NaN;
    if (raw === 'Infinity') return Infinity;
    if (raw === '-Infinity') return -Infinity;
  }
  return badValue(`expected a float${bits}, got ${show(raw)}`);
}

export function readBoolean(raw: unknown): boolean {
  return typeof raw === 'boolean' ? raw : badValue(`expected a boolean, got ${show(raw)}`);
}

/** A JSON string (never a number marker). */
export function readText(raw: unknown, what = 'a string'): string {
  const s = readString(raw);
  return s ?? badValue(`expected ${what}, got ${show(raw)}`);
}

/** A JSON object. */
export function readStruct(raw: unknown, what: string): Record<string, unknown> {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>;
  return badValue(`expected ${what} (an object), got ${show(raw)}`);
}

/** Frozen ColumnType objects, shared by every codec that needs the same one. */
export const T = {
  boolean: Object.freeze({ kind: 'boolean' }),
  int8: Object.freeze({ kind: 'int', bits: 8 }),
  int16: Object.freeze({ kind: 'int', bits: 16 }),
  int32: Object.freeze({ kind: 'int', bits: 32 }),
  int64: Object.freeze({ kind: 'int', bits: 64 }),
  float32: Object.freeze({ kind: 'float', bits: 32 }),
  float64: Object.freeze({ kind: 'float', bits: 64 }),
  string: Object.freeze({ kind: 'string' }),
  bytes: Object.freeze({ kind: 'bytes' }),
  json: Object.freeze({ kind: 'json' }),
  date: Object.freeze({ kind: 'date' }),
  timetz: Object.freeze({ kind: 'timetz' }),
  timestamptz: Object.freeze({ kind: 'timestamptz' }),
  interval: Object.freeze({ kind: 'interval' }),
  uuid: Object.freeze({ kind: 'uuid' }),
  xml: Object.freeze({ kind: 'xml' }),
  year: Object.freeze({ kind: 'year' }),
  decimal: Object.freeze({ kind: 'decimal' }),
} as const satisfies Record<string, ColumnType>;
