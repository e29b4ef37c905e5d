import type { ErrorCode } from '../core/errors.ts';
import { ErrorCodes } from '../core/errors.ts';

/**
 * Internal error raised while decoding, before we know (or bother to compute) the record location.
 * The decoder turns every DecodeFailure into a DecodeError carrying topic/partition/offset/key.
 * `path` is filled on the way up (column name, array index, struct field), so that the final
 * message reads "column tags[2]: expected a string, got 12".
 */
export class DecodeFailure extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly path: string[];
  /** What we were doing, e.g. "decoding the after image of public.orders". */
  context: string | undefined;

  constructor(code: ErrorCode, detail: string, cause?: unknown) {
    super(detail, { cause });
    this.name = 'DecodeFailure';
    this.code = code;
    this.detail = detail;
    this.path = [];
    this.context = undefined;
  }

  /** Text with context and path: "decoding the after image of public.t: column tags[2]: ...". */
  describe(): string {
    let text = this.detail;
    if (this.path.length > 0) {
      let p = '';
      for (const seg of this.path) p += seg.startsWith('[') || p === '' ? seg : `.${seg}`;
      text = `column ${p}: ${text}`;
    }
    return this.context === undefined ? text : `${this.context}: ${text}`;
  }
}

/** Throws a DECODE_BAD_VALUE failure. */
export function badValue(detail: string, cause?: unknown): never {
  throw new DecodeFailure(ErrorCodes.DECODE_BAD_VALUE, detail, cause);
}

/** Adds a path segment (outermost last call first) to a DecodeFailure and rethrows anything. */
export function withPath(err: unknown, segment: string): never {
  if (err instanceof DecodeFailure) err.path.unshift(segment);
  throw err;
}

/** Short printable form of a wire value for messages ('xx', 12, {...}). */
export function show(raw: unknown): string {
  if (typeof raw === 'string') {
    const s = raw.charCodeAt(0) === 0 ? raw.slice(1) : raw;
    const shown = s.length > 60 ? `${s.slice(0, 60)}…` : s;
    return raw.charCodeAt(0) === 0 && raw.charCodeAt(1) !== 0 ? shown : `'${shown}'`;
  }
  if (raw === null || typeof raw !== 'object') return String(raw);
  return Array.isArray(raw) ? 'an array' : 'an object';
}

/** Runs `fn`; a DecodeFailure escaping it gets `context` (unless a deeper one was set). */
export function inContext<R>(context: string, fn: () => R): R {
  try {
    return fn();
  } catch (err) {
    return withContext(err, () => context);
  }
}

/** Gives a DecodeFailure its context (unless a deeper one was set; made only now) and rethrows anything. */
export function withContext(err: unknown, context: () => string): never {
  if (err instanceof DecodeFailure && err.context === undefined) err.context = context();
  throw err;
}
