/**
 * Value conversions between cdc-sink's value representations (value.ts). castValue throws an Error
 * with the reason; callers add the column, the value and the target type.
 */
import type { Cell, ColumnType } from '../../sdk/index.ts';
import { describeType, isUnchanged } from '../../sdk/index.ts';
import { fitDecimal, formatDecimal, numberToDecimal, parseDecimal } from './decimal.ts';
import type { DecimalParts } from './decimal.ts';
import { epochToNanos, formatDate, formatTimestamp, parseTimestamp } from './time.ts';
import type { EpochUnit } from './time.ts';

const INT_RANGE: Record<8 | 16 | 32 | 64, [bigint, bigint]> = {
  8: [-128n, 127n],
  16: [-32768n, 32767n],
  32: [-2147483648n, 2147483647n],
  64: [-9223372036854775808n, 9223372036854775807n],
};
const TRUE_TEXT = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_TEXT = new Set(['false', 'f', 'no', 'n', 'off', '0']);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface CastOptions {
  /** How to read a number as a point in time (required for numbers -> timestamp/date). */
  readonly epoch?: EpochUnit;
}

/** Converts `value` to the representation of `to`. null and UNCHANGED pass through. */
export function castValue(value: Cell, to: ColumnType, options: CastOptions = {}): Cell {
  if (value === null || isUnchanged(value)) return value;
  switch (to.kind) {
    case 'int':
      return toInt(value, to.bits);
    case 'float':
      return toFloat(value);
    case 'decimal':
      return formatDecimal(fitDecimal(toDecimalParts(value), to.precision, to.scale));
    case 'boolean':
      return toBoolean(value);
    case 'string':
      return toText(value, to.maxLength);
    case 'timestamp':
    case 'timestamptz':
      return toTimestamp(value, to.kind === 'timestamptz', to.precision ?? 6, options.epoch);
    case 'date':
      return toDate(value, options.epoch);
    case 'uuid': {
      const text = toText(value);
      if (!UUID_RE.test(text)) throw new Error('not a UUID');
      return text.toLowerCase();
    }
    case 'json':
      return toJson(value);
    default:
      throw new Error(`casting to ${describeType(to)} is not supported`);
  }
}

function toInt(value: Cell, bits: 8 | 16 | 32 | 64): number | bigint {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'boolean') n = value ? 1n : 0n;
  else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(Number.isFinite(value) ? 'has a fraction' : 'is not finite');
    n = BigInt(value);
  } else if (typeof value === 'string') {
    const p = parseDecimal(value);
    if (!p) throw new Error('is not a number');
    if (/[^0]/.test(p.frac)) throw new Error('has a fraction');
    n = BigInt(p.int === '' ? '0' : p.int) * (p.negative ? -1n : 1n);
  } else throw new Error(`a ${kindOf(value)} cannot become an integer`);
  const [min, max] = INT_RANGE[bits];
  if (n < min || n > max) throw new Error(`is out of range for int${bits}`);
  return bits === 64 ? n : Number(n);
}

function toFloat(value: Cell): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const t = value.trim();
    if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(t)) return NaN;
    if (!parseDecimal(t)) throw new Error('is not a number');
    return Number(t);
  }
  throw new Error(`a ${kindOf(value)} cannot become a float`);
}

function toDecimalParts(value: Cell): DecimalParts {
  let text: string | null;
  if (typeof value === 'number') text = numberToDecimal(value);
  else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean') text = value ? '1' : '0';
  else throw new Error(`a ${kindOf(value)} cannot become a decimal`);
  const p = text === null ? null : parseDecimal(text);
  if (!p) throw new Error(typeof value === 'number' ? 'is not finite' : 'is not a decimal number');
  return p;
}

function toBoolean(value: Cell): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (value == 0) return false;
    if (value == 1) return true;
    throw new Error('only 0 and 1 are booleans');
  }
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (TRUE_TEXT.has(t)) return true;
    if (FALSE_TEXT.has(t)) return false;
    throw new Error('is not a boolean (true/false, t/f, yes/no, y/n, on/off, 1/0)');
  }
  throw new Error(`a ${kindOf(value)} cannot become a boolean`);
}

/** Text of a scalar value; Buffers are decoded as UTF-8. */
export function toText(value: Cell, maxLength?: number): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (Buffer.isBuffer(value)) {
    try {
      text = utf8.decode(value);
    } catch {
      throw new Error('bytes that are not UTF-8 text');
    }
  } else throw new Error(`a ${kindOf(value)} cannot become text`);
  if (maxLength !== undefined && [...text].length > maxLength) throw new Error(`is longer than ${maxLength} characters`);
  return text;
}

function toNanos(value: Cell, epoch: EpochUnit | undefined): { nanos: bigint; infinite?: string } {
  if (epoch !== undefined) {
    if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'string') {
      throw new Error(`a ${kindOf(value)} is not an epoch number`);
    }
    const nanos = epochToNanos(value, epoch);
    if (nanos === null) throw new Error(`is not a number of epoch ${epoch}`);
    return { nanos };
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    throw new Error('is a number: say how to read it with from: epoch-seconds, epoch-millis, epoch-micros (or epoch-days)');
  }
  if (typeof value !== 'string') throw new Error(`a ${kindOf(value)} cannot become a point in time`);
  const t = value.trim().toLowerCase();
  if (t === 'infinity' || t === '-infinity') return { nanos: 0n, infinite: t };
  const parsed = parseTimestamp(value);
  if (!parsed) throw new Error('is not a date or timestamp (YYYY-MM-DD[ HH:MM[:SS[.fraction]]][Z|+HH:MM])');
  return { nanos: parsed.nanos };
}

function toTimestamp(value: Cell, zoned: boolean, precision: number, epoch: EpochUnit | undefined): string {
  const { nanos, infinite } = toNanos(value, epoch);
  return infinite ?? formatTimestamp(nanos, precision, zoned);
}

function toDate(value: Cell, epoch: EpochUnit | undefined): string {
  const { nanos, infinite } = toNanos(value, epoch);
  if (infinite) throw new Error('a date cannot be infinite');
  return formatDate(nanos);
}

function toJson(value: Cell): string {
  if (typeof value === 'string') {
    try {
      JSON.parse(value);
    } catch {
      throw new Error('is not JSON text');
    }
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('is not finite');
    return String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw new Error(`a ${kindOf(value)} cannot become JSON`);
}

function kindOf(value: Cell): string {
  if (Buffer.isBuffer(value)) return 'bytes value';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object' && value !== null) return 'geometry';
  return typeof value;
}
