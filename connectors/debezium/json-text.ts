/**
 * JSON text helpers for the JsonConverter wire format:
 *
 * - lossless numbers: JSON.parse rounds integers beyond 2^53 (ts_ns, NanoTimestamp, BIGINT) and
 *   decimals with many digits (decimal.format=NUMERIC). Before JSON.parse we rewrite every number
 *   token with 16 or more digits that sits OUTSIDE string literals into a marker string: U+0000
 *   followed by the token's text. The schema-driven decoders turn a marker back into a bigint or an
 *   exact decimal string. A genuine string that starts with U+0000 gets a second U+0000 so it can
 *   never pass for a marker (`readString` strips it again).
 * - plain numbers, the fast path for payloads with a schema: that rewrite is a pass over the text in
 *   JavaScript, as costly as JSON.parse itself, and most payloads need none of it (what they carry
 *   beyond 2^53 is the source block's ts_ns, which nothing reads). So a payload with a schema is
 *   parsed by JSON.parse alone, and decoded under `decodingNumbers(true, ...)`; a codec that needs a
 *   number's exact text (an int64 beyond 2^53, a Decimal sent as a JSON number, a number inside a
 *   struct kept as JSON text, a source position) calls `requireExact()`, which then throws
 *   InexactNumber, and the decoder reads the message again with markers.
 * - splitting `{"schema":...,"payload":...}` without parsing the schema (string-aware scan).
 * - serializing parsed values (with markers) back to JSON text, numbers exactly as sent.
 */

/** Number tokens with at least this many digits become markers (15 digits always fit a double). */
const MIN_MARKED_DIGITS = 16;
const NUL_ESCAPE = '\\u0000';

/** Index of the closing quote of the string literal whose opening quote is at `open`, or -1. */
export function stringEnd(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) return -1;
    let b = q - 1;
    while (b > open && text.charCodeAt(b) === 92 /* \ */) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    from = q + 1;
  }
}

function isKeyAt(text: string, closeQuote: number): boolean {
  let i = closeQuote + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) return true;
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
    i++;
  }
  return false;
}

/**
 * Rewrites number tokens of 16+ digits outside string literals into marker strings, and doubles a
 * leading U+0000 of string values. Never changes the content of a string literal otherwise.
 * Invalid JSON stays invalid (JSON.parse reports it).
 */
export function protectLargeNumbers(text: string): string {
  const n = text.length;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = stringEnd(text, i);
      if (end === -1) break;
      if (text.startsWith(NUL_ESCAPE, i + 1) && !isKeyAt(text, end)) {
        out += text.slice(last, i + 1) + NUL_ESCAPE;
        last = i + 1;
      }
      i = end + 1;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      let digits = 0;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) digits++;
        else if (d !== 45 && d !== 43 && d !== 46 && d !== 101 && d !== 69) break; // - + . e E
      }
      if (digits >= MIN_MARKED_DIGITS) {
        out += `${text.slice(last, start)}"${NUL_ESCAPE}${text.slice(start, i)}"`;
        last = i;
      }
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** JSON.parse with large numbers kept as markers. Throws SyntaxError on invalid JSON. */
export function parseLossless(text: string): unknown {
  return JSON.parse(protectLargeNumbers(text)) as unknown;
}

/**
 * True when `text` may be parsed with plain numbers: it holds no escaped U+0000, so no parsed string
 * can pass for a marker. (A literal backslash followed by "u0000" also says no: the safe side.)
 */
export function plainParseable(text: string): boolean {
  return !text.includes(NUL_ESCAPE);
}

/** Thrown by requireExact(): the message was parsed with plain numbers and a codec needs exact ones. */
export class InexactNumber extends Error {
  constructor() {
    super('a number needs its exact text: the message is read again with markers');
    this.name = 'InexactNumber';
  }
}

/** Whether the values being decoded were parsed with plain numbers (decoding is synchronous). */
let plainNumbers = false;

/** Runs `decode` over values parsed with plain numbers (`plain`) or with markers. */
export function decodingNumbers<R>(plain: boolean, decode: () => R): R {
  const outer = plainNumbers;
  plainNumbers = plain;
  try {
    return decode();
  } finally {
    plainNumbers = outer;
  }
}

/**
 * Called by a codec about to use a parsed JS number where the token's exact text matters and the
 * number alone cannot prove it (beyond 2^53, or with a fraction). Throws InexactNumber when the
 * values were parsed with plain numbers; with markers, every number left as a number is exact.
 */
export function requireExact(): void {
  if (plainNumbers) throw new InexactNumber();
}

/** True when `v` is a marker for a number token kept as text. */
export function isMarker(v: unknown): v is string {
  return typeof v === 'string' && v.charCodeAt(0) === 0 && v.charCodeAt(1) !== 0;
}

/** The number text of a marker (call only when isMarker is true). */
export function markerText(marker: string): string {
  return marker.slice(1);
}

/**
 * The string value of a parsed JSON string, or undefined when `v` is not a string (or is a number
 * marker). Undoes the U+0000 doubling of protectLargeNumbers.
 */
export function readString(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (v.charCodeAt(0) !== 0) return v;
  return v.charCodeAt(1) === 0 ? v.slice(1) : undefined;
}

/**
 * Exact text of a JSON number (a parsed number or a marker), or undefined when `v` is not one.
 * Parsed numbers have at most 15 digits, so String() gives back the digits that were sent
 * (possibly in exponent form, e.g. 1e-7).
 */
export function numberText(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return isMarker(v) ? v.slice(1) : undefined;
}

/** Index just after the JSON value starting at `i` (object, array, or `null`), or -1. */
export function skipContainer(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 110 /* n */) return text.startsWith('null', i) ? i + 4 : -1;
  if (first !== 123 && first !== 91) return -1;
  let depth = 0;
  const n = text.length;
  for (let j = i; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) {
      j = stringEnd(text, j);
      if (j === -1) return -1;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

export const SCHEMA_HEAD = '{"schema":';
export const PAYLOAD_HEAD = ',"payload":';

/** Where schema and payload sit in a compact `{"schema":S,"payload":P}` text. */
export interface SchemaPayloadSplit {
  /** Length of `{"schema":S,"payload":` (the part that identifies the schema). */
  readonly prefixLength: number;
  readonly schemaText: string;
  readonly payloadText: string;
}

/**
 * Locates schema and payload in JsonConverter's compact output without parsing the schema.
 * Returns null for any other layout (other key order, whitespace, extra keys): the caller then
 * falls back to a full parse.
 */
export function splitSchemaPayload(text: string): SchemaPayloadSplit | null {
  if (!text.startsWith(SCHEMA_HEAD)) return null;
  const schemaEnd = skipContainer(text, SCHEMA_HEAD.length);
  if (schemaEnd === -1 || !text.startsWith(PAYLOAD_HEAD, schemaEnd)) return null;
  const prefixLength = schemaEnd + PAYLOAD_HEAD.length;
  let end = text.length;
  while (end > prefixLength && isSpace(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(end - 1) !== 125 /* } */) return null;
  return {
    prefixLength,
    schemaText: text.slice(SCHEMA_HEAD.length, schemaEnd),
    payloadText: text.slice(prefixLength, end - 1),
  };
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** JSON text of a parsed value; markers are written back as the exact number text. */
export function toJsonText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') {
    if (v.charCodeAt(0) === 0) return v.charCodeAt(1) === 0 ? JSON.stringify(v.slice(1)) : v.slice(1);
    return JSON.stringify(v);
  }
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) requireExact();
    return JSON.stringify(v);
  }
  if (typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      parts.push(`${JSON.stringify(k)}:${toJsonText(val)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return 'null';
}

/** A parsed JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
