/**
 * Timestamps as exact nanoseconds since the epoch (bigint), to and from cdc-sink's text forms
 * (value.ts): "YYYY-MM-DDTHH:MM:SS[.f...]" (timestamp), the same plus "Z" (timestamptz), "YYYY-MM-DD".
 * Civil-date arithmetic (H. Hinnant's algorithm) works for any year, so 0001 and 9999 are exact.
 */
import { parseDecimal } from './decimal.ts';

export const NANOS_PER_DAY = 86_400_000_000_000n;

export type EpochUnit = 'days' | 'seconds' | 'millis' | 'micros' | 'nanos';

const UNIT_NANOS: Record<EpochUnit, bigint> = {
  days: NANOS_PER_DAY,
  seconds: 1_000_000_000n,
  millis: 1_000_000n,
  micros: 1_000n,
  nanos: 1n,
};

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function yearText(y: number): string {
  if (y < 0) return `-${pad(-y, 4)}`;
  return y > 9999 ? `+${y}` : pad(y, 4);
}

export function formatDate(nanos: bigint): string {
  const days = Number(floorDiv(nanos, NANOS_PER_DAY));
  const { y, m, d } = civilFromDays(days);
  return `${yearText(y)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** "YYYY-MM-DDTHH:MM:SS" plus exactly `precision` fraction digits (truncated), plus "Z" when zoned. */
export function formatTimestamp(nanos: bigint, precision: number, zoned: boolean): string {
  const dayNanos = nanos - floorDiv(nanos, NANOS_PER_DAY) * NANOS_PER_DAY;
  const secs = Number(dayNanos / 1_000_000_000n);
  const frac = (dayNanos % 1_000_000_000n).toString().padStart(9, '0').slice(0, precision);
  const time = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor((secs % 3600) / 60), 2)}:${pad(secs % 60, 2)}`;
  return `${formatDate(nanos)}T${time}${precision > 0 ? `.${frac}` : ''}${zoned ? 'Z' : ''}`;
}

/**
 * An epoch number (integer or decimal, as number, bigint or text) in `unit` -> nanoseconds.
 * Fractions below a nanosecond are truncated. null when the value is not a number.
 */
export function epochToNanos(value: number | bigint | string, unit: EpochUnit): bigint | null {
  const scale = UNIT_NANOS[unit];
  if (typeof value === 'bigint') return value * scale;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value) * scale;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  const p = parseDecimal(String(value));
  if (!p) return null;
  const digits = scale.toString().length - 1;
  const whole = BigInt(p.int === '' ? '0' : p.int) * scale;
  const part = p.frac === '' ? 0n : (BigInt(p.frac.padEnd(digits, '0').slice(0, digits) || '0') * scale) / 10n ** BigInt(digits);
  const abs = whole + part;
  return p.negative ? -abs : abs;
}

export interface ParsedTimestamp {
  readonly nanos: bigint;
  /** The text carried a zone (Z or an offset), and nanos is UTC. */
  readonly zoned: boolean;
  /** The text was a date only. */
  readonly dateOnly: boolean;
}

const TS_RE =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Parses ISO-like date/timestamp text; a text without zone is taken as UTC. null when invalid. */
export function parseTimestamp(text: string): ParsedTimestamp | null {
  const m = TS_RE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  let nanos =
    BigInt(daysFromCivil(y, mo, d)) * NANOS_PER_DAY +
    BigInt(h * 3600 + mi * 60 + s) * 1_000_000_000n +
    BigInt((m[7] ?? '').padEnd(9, '0'));
  const zone = m[8];
  if (zone && !/^(Z|UTC)$/i.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    nanos -= BigInt(sign * offsetMinutes * 60) * 1_000_000_000n;
  }
  return { nanos, zoned: zone !== undefined, dateOnly: m[4] === undefined };
}

function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}
