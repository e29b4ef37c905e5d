/**
 * Date and time texts in the forms MySQL parses, from cdc-sink's value texts (see core/value.ts).
 *
 * Nanoseconds: MySQL keeps microseconds and ROUNDS extra digits on input (unless the sql_mode has
 * TIME_TRUNCATE_FRACTIONAL), and rounding can move a value to the next day ('9999-12-31
 * 23:59:59.9999995' would overflow). cdc-sink TRUNCATES to microseconds instead: deterministic,
 * never changes the date, the same rule as the PostgreSQL connector.
 */
import { ValueError } from './value-error.ts';

const MAX_FRACTION_DIGITS = 6;

/** Cuts fraction digits beyond microseconds: '12:00:00.123456789' -> '12:00:00.123456'. */
export function truncateToMicros(text: string): string {
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  let end = dot + 1;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return end - dot - 1 > MAX_FRACTION_DIGITS ? text.slice(0, dot + 1 + MAX_FRACTION_DIGITS) + text.slice(end) : text;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** 'YYYY-MM-DD'. Years beyond 9999 ('+10000-01-01') and before year 0 do not fit a MySQL DATE. */
export function dateText(v: string): string {
  if (!DATE_RE.test(v)) throw new ValueError(`${JSON.stringify(v)} is not a date MySQL can store (0000-01-01 .. 9999-12-31)`);
  return v;
}

const TIME_RE = /^-?\d{2,3}:\d{2}:\d{2}(\.\d+)?$/;

/** 'HH:MM:SS[.ffffff]' (MySQL TIME also takes hours up to 838 and a sign). */
export function timeText(v: string): string {
  if (!TIME_RE.test(v)) throw new ValueError(`${JSON.stringify(v)} is not a time of day`);
  return truncateToMicros(v);
}

/** A UTC time of day 'HH:MM:SS[.f]Z' (or +00:00) -> 'HH:MM:SS[.ffffff]'. */
export function timetzText(v: string): string {
  const m = /^(.*?)(Z|[+-]00(:?00)?)$/.exec(v);
  if (!m) throw new ValueError(`${JSON.stringify(v)} is not a UTC time of day ('HH:MM:SS[.f]Z')`);
  return timeText(m[1] ?? '');
}

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

/** Wall clock 'YYYY-MM-DDTHH:MM:SS[.f]' -> 'YYYY-MM-DD HH:MM:SS[.ffffff]'. */
export function timestampText(v: string): string {
  if (!TIMESTAMP_RE.test(v)) {
    throw new ValueError(`${JSON.stringify(v)} is not a timestamp MySQL can store (years 0000 .. 9999)`);
  }
  return truncateToMicros(v.replace('T', ' '));
}

const TIMESTAMPTZ_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Minutes east of UTC of 'Z', '+05', '-0330', '+05:30'. */
function offsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === '') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

/**
 * An instant 'YYYY-MM-DDTHH:MM:SS[.f]Z' -> its UTC wall clock 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
 * Another offset is converted to UTC. 'infinity' / '-infinity' have no MySQL equivalent.
 */
export function timestamptzText(v: string): string {
  const m = TIMESTAMPTZ_RE.exec(v);
  if (!m) {
    const why = v === 'infinity' || v === '-infinity' ? 'has no MySQL equivalent' : 'is not a timestamp MySQL can store (years 0000 .. 9999)';
    throw new ValueError(`${JSON.stringify(v)} ${why}`);
  }
  const fraction = m[7] ?? '';
  const offset = offsetMinutes(m[8] ?? '');
  const wall = `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
  if (offset === 0) return truncateToMicros(wall + fraction);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]) - offset, Number(m[6]), 0);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new ValueError(`${JSON.stringify(v)} is outside the years MySQL can store`);
  const utc =
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return truncateToMicros(utc + fraction);
}
