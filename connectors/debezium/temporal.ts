/**
 * Epoch days / ms / µs / ns -> ISO strings, exactly, for any year (0001-01-01, 9999-12-31,
 * negative epochs, years > 9999 as "+YYYYY"). Never a JS Date: integer arithmetic only, with
 * BigInt for values beyond 2^53.
 */

export type TimeUnit = 'ms' | 'us' | 'ns';

interface UnitInfo {
  readonly perSecond: number;
  readonly perDay: number;
  readonly perDayBig: bigint;
  readonly digits: number;
}

const UNITS: Record<TimeUnit, UnitInfo> = {
  ms: { perSecond: 1e3, perDay: 864e5, perDayBig: 86_400_000n, digits: 3 },
  us: { perSecond: 1e6, perDay: 864e8, perDayBig: 86_400_000_000n, digits: 6 },
  ns: { perSecond: 1e9, perDay: 864e11, perDayBig: 86_400_000_000_000n, digits: 9 },
};

export function unitDigits(unit: TimeUnit): number {
  return UNITS[unit].digits;
}

/**
 * Every decoded date and timestamp passes through here (a wide row has several), so the common
 * cases allocate nothing but the result: two- and three-digit groups come from tables, and a date's
 * text is remembered by its day (a batch's timestamps fall on few days).
 */
const DIGITS2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const DIGITS3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DATES_REMEMBERED = 4096;
const dates = new Map<number, string>();

function pad2(n: number): string {
  return n < 100 ? (DIGITS2[n] as string) : String(n);
}

/** `digits` (3, 6 or 9) zero-padded digits of a fraction below 10^digits. */
function fractionText(frac: number, digits: number): string {
  if (digits === 3) return DIGITS3[frac] as string;
  const low = DIGITS3[frac % 1000] as string;
  const rest = Math.floor(frac / 1000);
  if (digits === 6) return (DIGITS3[rest] as string) + low;
  return (DIGITS3[Math.floor(rest / 1000)] as string) + (DIGITS3[rest % 1000] as string) + low;
}

function yearText(y: number): string {
  if (y > 9999) return `+${y}`;
  if (y < 0) return `-${String(-y).padStart(4, '0')}`;
  return String(y).padStart(4, '0');
}

/** Civil date of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm). */
export function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

/** Days since 1970-01-01 of a civil date (inverse of civilFromDays). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** "YYYY-MM-DD" of a day count since the epoch. */
export function formatDate(days: number): string {
  let text = dates.get(days);
  if (text === undefined) {
    const [y, m, d] = civilFromDays(days);
    text = `${yearText(y)}-${pad2(m)}-${pad2(d)}`;
    if (dates.size >= DATES_REMEMBERED) dates.clear();
    dates.set(days, text);
  }
  return text;
}

/** "HH:MM:SS.fff..." of a non-negative amount of `unit` (hours may exceed 23). */
function clock(amount: number, info: UnitInfo): string {
  const secs = Math.floor(amount / info.perSecond);
  const frac = amount - secs * info.perSecond;
  const h = Math.floor(secs / 3600);
  const rest = secs - h * 3600;
  const mi = Math.floor(rest / 60);
  const s = rest - mi * 60;
  return `${pad2(h)}:${pad2(mi)}:${pad2(s)}.${fractionText(frac, info.digits)}`;
}

/** "YYYY-MM-DDTHH:MM:SS.f..." (unit's digits) of an epoch amount read as UTC wall clock. */
export function formatTimestamp(value: number | bigint, unit: TimeUnit): string {
  const info = UNITS[unit];
  let days: number;
  let rest: number;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    days = Math.floor(value / info.perDay);
    rest = value - days * info.perDay;
    if (rest < 0) {
      days--;
      rest += info.perDay;
    } else if (rest >= info.perDay) {
      days++;
      rest -= info.perDay;
    }
  } else {
    const big = BigInt(value);
    let bigDays = big / info.perDayBig;
    let bigRest = big - bigDays * info.perDayBig;
    if (bigRest < 0n) {
      bigDays -= 1n;
      bigRest += info.perDayBig;
    }
    days = Number(bigDays);
    rest = Number(bigRest);
  }
  const date = formatDate(days);
  return date.length === 10 ? timestampChars(date, rest, info) : `${date}T${clock(rest, info)}`;
}

/** Character code of the decimal digit of `n` at `place` (1, 10, 100, ...). */
function digit(n: number, place: number): number {
  return 48 + (Math.floor(n / place) % 10);
}

/**
 * "YYYY-MM-DDTHH:MM:SS.f..." of a 10-character date and an amount within its day, built as one flat
 * string: concatenating the parts made a tree of small strings that the target's encoder flattened
 * again (about half the time of the whole formatting).
 */
function timestampChars(d: string, amount: number, info: UnitInfo): string {
  // clock()'s arithmetic again, on purpose: splitting it into a helper that returns the parts cost
  // a tuple per value here (decode-micro --alloc counted ~150 bytes more per record).
  const secs = Math.floor(amount / info.perSecond);
  const f = amount - secs * info.perSecond;
  const h = Math.floor(secs / 3600);
  const rest = secs - h * 3600;
  const mi = Math.floor(rest / 60);
  const s = rest - mi * 60;
  const c = String.fromCharCode;
  const [y1, y2, y3, y4, m1, m2, d1, d2] = [d.charCodeAt(0), d.charCodeAt(1), d.charCodeAt(2), d.charCodeAt(3), d.charCodeAt(5), d.charCodeAt(6), d.charCodeAt(8), d.charCodeAt(9)];
  const [h1, h2, i1, i2, s1, s2] = [digit(h, 10), digit(h, 1), digit(mi, 10), digit(mi, 1), digit(s, 10), digit(s, 1)];
  switch (info.digits) {
    case 3:
      return c(y1, y2, y3, y4, 45, m1, m2, 45, d1, d2, 84, h1, h2, 58, i1, i2, 58, s1, s2, 46, digit(f, 100), digit(f, 10), digit(f, 1));
    case 6:
      return c(y1, y2, y3, y4, 45, m1, m2, 45, d1, d2, 84, h1, h2, 58, i1, i2, 58, s1, s2, 46,
        digit(f, 1e5), digit(f, 1e4), digit(f, 1e3), digit(f, 100), digit(f, 10), digit(f, 1));
    default:
      return c(y1, y2, y3, y4, 45, m1, m2, 45, d1, d2, 84, h1, h2, 58, i1, i2, 58, s1, s2, 46,
        digit(f, 1e8), digit(f, 1e7), digit(f, 1e6), digit(f, 1e5), digit(f, 1e4), digit(f, 1e3), digit(f, 100), digit(f, 10), digit(f, 1));
  }
}

/**
 * "HH:MM:SS.f..." of an amount past midnight. PG's 24:00:00 stays "24:00:00.000000"; MySQL TIME
 * values beyond a day or negative (durations) keep their hours: "838:59:59.000000", "-01:30:00.000000".
 */
export function formatTime(value: number | bigint, unit: TimeUnit): string {
  const info = UNITS[unit];
  const neg = value < 0;
  let abs: number;
  if (typeof value === 'number' && Number.isSafeInteger(value)) abs = Math.abs(value);
  else {
    const big = BigInt(value);
    abs = Number(big < 0n ? -big : big);
  }
  return (neg ? '-' : '') + clock(abs, info);
}

/**
 * Exact ISO-8601 duration of a signed amount (MicroDuration, NanoDuration): 2813400000000 µs ->
 * "PT781H30M". Negative durations put the sign on each component, like java.time.Duration:
 * "PT-1H-30M".
 */
export function formatDuration(value: number | bigint, unit: TimeUnit): string {
  const info = UNITS[unit];
  const big = BigInt(value);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  const perSecond = BigInt(info.perSecond);
  const secs = abs / perSecond;
  const frac = abs % perSecond;
  const h = secs / 3600n;
  const mi = (secs % 3600n) / 60n;
  const s = secs % 60n;
  const sign = neg ? '-' : '';
  let out = 'PT';
  if (h !== 0n) out += `${sign}${h}H`;
  if (mi !== 0n) out += `${sign}${mi}M`;
  if (s !== 0n || frac !== 0n) {
    out += `${sign}${s}`;
    if (frac !== 0n) out += `.${frac.toString().padStart(info.digits, '0').replace(/0+$/, '')}`;
    out += 'S';
  }
  return out === 'PT' ? 'PT0S' : out;
}

const ZONED_TS = /^([+-]?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?(Z|[+-]\d\d:\d\d(?::\d\d)?)$/;
const ZONED_TIME = /^(\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?(Z|[+-]\d\d:\d\d(?::\d\d)?)$/;

function offsetSeconds(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const parts = zone.slice(1).split(':').map(Number);
  return sign * ((parts[0] ?? 0) * 3600 + (parts[1] ?? 0) * 60 + (parts[2] ?? 0));
}

/**
 * ZonedTimestamp text normalised to UTC: "2024-03-15T08:20:30.123456Z" is returned as is (the
 * fraction digits as sent); another offset is converted to Z; "infinity"/"-infinity" pass.
 * Returns undefined when the text is not an ISO offset timestamp.
 */
export function normalizeZonedTimestamp(text: string): string | undefined {
  if (text === 'infinity' || text === '-infinity') return text;
  const m = ZONED_TS.exec(text);
  if (!m) return undefined;
  const zone = m[8] as string;
  if (zone === 'Z') return text;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const secs = days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6] ?? 0) - offsetSeconds(zone);
  const utcDays = Math.floor(secs / 86400);
  const rest = secs - utcDays * 86400;
  const hms = `${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor((rest % 3600) / 60))}:${pad2(rest % 60)}`;
  return `${formatDate(utcDays)}T${hms}${m[7] ?? ''}Z`;
}

/** ZonedTime text normalised to UTC ("16:45:00Z"); undefined when malformed. */
export function normalizeZonedTime(text: string): string | undefined {
  const m = ZONED_TIME.exec(text);
  if (!m) return undefined;
  const zone = m[5] as string;
  if (zone === 'Z') return text;
  const secs = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) - offsetSeconds(zone);
  const rest = ((secs % 86400) + 86400) % 86400;
  return `${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor((rest % 3600) / 60))}:${pad2(rest % 60)}${m[4] ?? ''}Z`;
}

const ISO_TIME = /^(\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$/;
const ISO_TIMESTAMP = /^([+-]?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$/;

function withFraction(base: string, fraction: string | undefined, digits: number): string {
  const f = fraction ?? '';
  return `${base}.${f.length >= digits ? f : f.padEnd(digits, '0')}`;
}

/** IsoTime ("04:05:11.789Z") as a time value with `digits` fraction digits; undefined if malformed. */
export function normalizeIsoTime(text: string, digits: number): string | undefined {
  const m = ISO_TIME.exec(text);
  return m ? withFraction(m[1] as string, m[2], digits) : undefined;
}

/** IsoTimestamp ("2019-07-09T02:28:57.123456Z") as a wall-clock timestamp; undefined if malformed. */
export function normalizeIsoTimestamp(text: string, digits: number): string | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  return m ? withFraction(m[1] as string, m[2], digits) : undefined;
}

/** IsoDate ("2017-09-15Z") as "2017-09-15"; undefined if malformed. */
export function normalizeIsoDate(text: string): string | undefined {
  const m = /^([+-]?\d{4,}-\d\d-\d\d)Z?$/.exec(text);
  return m?.[1];
}
