/**
 * Classification of PostgreSQL and node-postgres errors (see connectors/core/errors.ts for what
 * each kind makes the pipeline do). By SQLSTATE first, then by Node's network error codes and the
 * messages node-postgres uses for lost connections. Anything unknown is fatal: stopping loudly is
 * better than retrying forever or dead-lettering rows that were fine.
 */
import { CdcSinkError, type ErrorKind } from '../core/errors.ts';

/** Exact SQLSTATEs whose kind differs from their class's (or whose class has no kind). */
const BY_CODE: Readonly<Record<string, ErrorKind>> = {
  '40001': 'retriable', // serialization_failure
  '40P01': 'retriable', // deadlock_detected
  '55P03': 'retriable', // lock_not_available (lock_timeout)
  '55006': 'retriable', // object_in_use
  '57014': 'retriable', // query_canceled: statement_timeout, or pg_cancel_backend by an operator
  '57P01': 'retriable', // admin_shutdown
  '57P02': 'retriable', // crash_shutdown
  '57P03': 'retriable', // cannot_connect_now (starting up, in recovery)
  '57P05': 'retriable', // idle_session_timeout
  '25006': 'retriable', // read_only_sql_transaction: connected to a standby during a failover
  '54000': 'data', // program_limit_exceeded: e.g. "index row size exceeds maximum" for one row
  '42501': 'fatal', // insufficient_privilege
  '42P01': 'fatal', // undefined_table
  '42703': 'fatal', // undefined_column
  '3D000': 'fatal', // invalid_catalog_name (database does not exist)
};

/** By the SQLSTATE's first two characters. */
const BY_CLASS: Readonly<Record<string, ErrorKind>> = {
  '08': 'retriable', // connection exception
  '40': 'retriable', // transaction rollback
  '53': 'retriable', // insufficient resources: disk full, out of memory, too many connections
  '58': 'retriable', // system error: I/O error
  '22': 'data', // data exception: value too long, invalid input syntax, out of range
  '23': 'data', // integrity constraint violation: not null, unique, foreign key, check
  '28': 'fatal', // invalid authorization
  '42': 'fatal', // syntax error or access rule violation
};

const RETRIABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const RETRIABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /client was closed and is not queryable/i,
  /cannot use a pool after calling end/i,
  /query read timeout/i,
];

/**
 * The SQLSTATE of a server error (five characters), or null. No SQLSTATE class starts with 'E',
 * which keeps Node's EPIPE (also five capitals) out.
 */
export function sqlState(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-DF-Z][0-9A-Z]{4}$/.test(code) ? code : null;
}

export function classifyPostgresError(err: unknown): ErrorKind {
  if (err instanceof CdcSinkError) return err.kind;
  const state = sqlState(err);
  if (state !== null) return BY_CODE[state] ?? BY_CLASS[state.slice(0, 2)] ?? 'fatal';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && RETRIABLE_NODE_CODES.has(code)) return 'retriable';
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  if (RETRIABLE_MESSAGES.some((re) => re.test(message))) return 'retriable';
  return 'fatal';
}

/** True when the connection that raised err cannot be trusted any more (discard it from the pool). */
export function isConnectionBroken(err: unknown): boolean {
  const state = sqlState(err);
  if (state === null) return true;
  return state.startsWith('08') || state.startsWith('57P');
}

/** "<message> (SQLSTATE x)" for a server error, the message otherwise. */
export function postgresErrorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const state = sqlState(err);
  return state === null ? message : `${message} (SQLSTATE ${state})`;
}
