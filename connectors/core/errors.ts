/**
 * Every error cdc-sink raises on purpose carries a stable `code`, a `kind` that tells the pipeline
 * what to do with it, a message that says what we were doing, and the `cause`.
 *
 * - retriable: the environment failed (connection refused or lost, deadlock, serialization failure,
 *   timeout). Retry with backoff; never dead-letter.
 * - data: this record or row is bad (malformed event, value too long, constraint violation). Stop,
 *   or dead-letter when that is configured; the rest of the batch is unaffected.
 * - fatal: configuration or permission problems that no retry can fix. Stop the service.
 */
export type ErrorKind = 'retriable' | 'data' | 'fatal';

export const ErrorCodes = {
  CONFIG_INVALID: 'CDC_CONFIG_INVALID',
  CONFIG_FILE: 'CDC_CONFIG_FILE',
  DECODE_MALFORMED_JSON: 'CDC_DECODE_MALFORMED_JSON',
  DECODE_BAD_ENVELOPE: 'CDC_DECODE_BAD_ENVELOPE',
  DECODE_UNKNOWN_OP: 'CDC_DECODE_UNKNOWN_OP',
  DECODE_UNKNOWN_TYPE: 'CDC_DECODE_UNKNOWN_TYPE',
  DECODE_BAD_VALUE: 'CDC_DECODE_BAD_VALUE',
  DECODE_NO_KEY: 'CDC_DECODE_NO_KEY',
  DECODE_UNSUPPORTED_FORMAT: 'CDC_DECODE_UNSUPPORTED_FORMAT',
  /** An Avro datum that does not decode with its writer schema (truncated, trailing or garbage bytes). */
  DECODE_MALFORMED_AVRO: 'CDC_DECODE_MALFORMED_AVRO',
  /** A schema id the schema registry does not have (404), or whose schema is no usable Avro schema. */
  DECODE_UNKNOWN_SCHEMA: 'CDC_DECODE_UNKNOWN_SCHEMA',
  /** The schema registry is unreachable or failing (retriable), or refuses our credentials (fatal). */
  SCHEMA_REGISTRY: 'CDC_SCHEMA_REGISTRY',
  ROUTE_UNMAPPED_TABLE: 'CDC_ROUTE_UNMAPPED_TABLE',
  ROUTE_NO_KEY: 'CDC_ROUTE_NO_KEY',
  TRANSFORM_FAILED: 'CDC_TRANSFORM_FAILED',
  TRANSFORM_BAD_RESULT: 'CDC_TRANSFORM_BAD_RESULT',
  TRANSFORM_LOAD: 'CDC_TRANSFORM_LOAD',
  TARGET_CONNECTION: 'CDC_TARGET_CONNECTION',
  TARGET_RETRIABLE: 'CDC_TARGET_RETRIABLE',
  TARGET_DATA: 'CDC_TARGET_DATA',
  TARGET_FATAL: 'CDC_TARGET_FATAL',
  TARGET_SCHEMA: 'CDC_TARGET_SCHEMA',
  TARGET_MISSING_TABLE: 'CDC_TARGET_MISSING_TABLE',
  OFFSET_CONFLICT: 'CDC_OFFSET_CONFLICT',
  KAFKA: 'CDC_KAFKA',
  /** A broker's TLS certificate fails verification with the configured CA (fatal: no retry fixes it). */
  KAFKA_TLS: 'CDC_KAFKA_TLS',
  INTERNAL: 'CDC_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Where in Kafka a record came from, for messages and dead-letter headers. */
export interface RecordLocation {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Printable key (truncated), when there is one. */
  readonly key?: string;
}

export function locationText(loc: RecordLocation): string {
  const key = loc.key === undefined ? '' : ` key=${loc.key}`;
  return `${loc.topic}[${loc.partition}]@${loc.offset}${key}`;
}

export interface CdcSinkErrorOptions {
  readonly kind: ErrorKind;
  readonly cause?: unknown;
  readonly location?: RecordLocation;
  readonly table?: string;
}

export class CdcSinkError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly location: RecordLocation | undefined;
  readonly table: string | undefined;

  constructor(code: ErrorCode, message: string, options: CdcSinkErrorOptions) {
    super(options.location ? `${message} (at ${locationText(options.location)})` : message, {
      cause: options.cause,
    });
    this.name = 'CdcSinkError';
    this.code = code;
    this.kind = options.kind;
    this.location = options.location;
    this.table = options.table;
  }

  get retriable(): boolean {
    return this.kind === 'retriable';
  }
}

/** A Kafka record that cannot be decoded into a ChangeEvent. Always kind 'data'. */
export class DecodeError extends CdcSinkError {
  constructor(code: ErrorCode, message: string, location?: RecordLocation, cause?: unknown) {
    super(code, message, { kind: 'data', location, cause });
    this.name = 'DecodeError';
  }
}

/** A database operation failed; kind comes from the dialect's classification. */
export class TargetError extends CdcSinkError {
  constructor(code: ErrorCode, message: string, options: CdcSinkErrorOptions) {
    super(code, message, options);
    this.name = 'TargetError';
  }
}

/** Another writer moved a partition's stored offset under us: reload offsets, drop buffers. */
export class OffsetConflictError extends CdcSinkError {
  constructor(message: string) {
    super(ErrorCodes.OFFSET_CONFLICT, message, { kind: 'retriable' });
    this.name = 'OffsetConflictError';
  }
}

/** Text of any thrown value, with its cause chain (causes whose text the message already holds are left out), for logs. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.cause === undefined) return err.message;
  const cause = errorText(err.cause);
  return err.message.includes(cause) ? err.message : `${err.message}: ${cause}`;
}

export function errorKind(err: unknown): ErrorKind {
  return err instanceof CdcSinkError ? err.kind : 'fatal';
}
