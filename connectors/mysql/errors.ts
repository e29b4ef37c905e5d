/**
 * Driver errors -> retriable | data | fatal, by MySQL / MariaDB error number (errno) first, then the
 * Node / mysql2 error code, then the SQLSTATE class. Unknown errors are fatal: stopping is safer
 * than retrying forever or dead-lettering good rows.
 *
 * - retriable: the environment failed and may recover: lost or refused connections, deadlocks,
 *   lock wait timeouts, a server shutting down or read-only after a failover, disk or table full,
 *   out of memory or threads, too many connections.
 * - data: this row is bad (too long, out of range, NULL into NOT NULL, duplicate, foreign key,
 *   bad text/date/JSON, CHECK constraint). Never a disk-full error, which would drop good rows.
 * - fatal: permissions, missing tables, databases or columns, syntax: no retry can fix them.
 */
import { CdcSinkError, ErrorCodes, type ErrorCode, type ErrorKind } from '../core/errors.ts';

/** errno -> kind. Names as in the server's error list. */
export const ERRNO_KINDS: ReadonlyMap<number, ErrorKind> = new Map<number, ErrorKind>([
  // retriable: locks and transactions
  [1205, 'retriable'], // ER_LOCK_WAIT_TIMEOUT
  [1213, 'retriable'], // ER_LOCK_DEADLOCK
  [1614, 'retriable'], // ER_XA_RBDEADLOCK
  [1637, 'retriable'], // ER_TOO_MANY_CONCURRENT_TRXS
  [3572, 'retriable'], // ER_LOCK_NOWAIT
  [1317, 'retriable'], // ER_QUERY_INTERRUPTED
  [3024, 'retriable'], // ER_QUERY_TIMEOUT (max_execution_time)
  [1969, 'retriable'], // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  [1180, 'retriable'], // ER_ERROR_DURING_COMMIT
  [1181, 'retriable'], // ER_ERROR_DURING_ROLLBACK
  [1615, 'retriable'], // ER_NEED_REPREPARE
  [1461, 'retriable'], // ER_MAX_PREPARED_STMT_COUNT_REACHED
  // retriable: connections and server state
  [1040, 'retriable'], // ER_CON_COUNT_ERROR (too many connections)
  [1203, 'retriable'], // ER_TOO_MANY_USER_CONNECTIONS
  [1226, 'retriable'], // ER_USER_LIMIT_REACHED
  [1053, 'retriable'], // ER_SERVER_SHUTDOWN
  [1077, 'retriable'], // ER_NORMAL_SHUTDOWN
  [1079, 'retriable'], // ER_SHUTDOWN_COMPLETE
  [1152, 'retriable'], // ER_ABORTING_CONNECTION
  [1158, 'retriable'], // ER_NET_READ_ERROR
  [1159, 'retriable'], // ER_NET_READ_INTERRUPTED
  [1160, 'retriable'], // ER_NET_ERROR_ON_WRITE
  [1161, 'retriable'], // ER_NET_WRITE_INTERRUPTED
  [1927, 'retriable'], // ER_CONNECTION_KILLED (MariaDB)
  [4031, 'retriable'], // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8.0.24+)
  [1047, 'retriable'], // ER_UNKNOWN_COM_ERROR: Galera "WSREP has not yet prepared node"
  [1290, 'retriable'], // ER_OPTION_PREVENTS_STATEMENT: --read-only (a replica after failover)
  [1836, 'retriable'], // ER_READ_ONLY_MODE
  [1792, 'retriable'], // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
  [2002, 'retriable'], // CR_CONNECTION_ERROR
  [2003, 'retriable'], // CR_CONN_HOST_ERROR
  [2006, 'retriable'], // CR_SERVER_GONE_ERROR
  [2013, 'retriable'], // CR_SERVER_LOST
  [2055, 'retriable'], // CR_SERVER_LOST_EXTENDED
  // retriable: resources (never data: the rows are fine)
  [1021, 'retriable'], // ER_DISK_FULL
  [1114, 'retriable'], // ER_RECORD_FILE_FULL (table full)
  [1030, 'retriable'], // ER_GET_ERRNO: storage engine error (e.g. 28, no space)
  [1037, 'retriable'], // ER_OUTOFMEMORY
  [1038, 'retriable'], // ER_OUT_OF_SORTMEMORY
  [1041, 'retriable'], // ER_OUT_OF_RESOURCES
  [1135, 'retriable'], // ER_CANT_CREATE_THREAD
  [3669, 'retriable'], // ER_DA_OOM
  // data: the row
  [1406, 'data'], // ER_DATA_TOO_LONG
  [1264, 'data'], // ER_WARN_DATA_OUT_OF_RANGE
  [1690, 'data'], // ER_DATA_OUT_OF_RANGE (BIGINT UNSIGNED value is out of range)
  [1048, 'data'], // ER_BAD_NULL_ERROR
  [1263, 'data'], // ER_WARN_NULL_TO_NOTNULL
  [1364, 'data'], // ER_NO_DEFAULT_FOR_FIELD (a new row without a NOT NULL column)
  [1062, 'data'], // ER_DUP_ENTRY
  [1586, 'data'], // ER_DUP_ENTRY_WITH_KEY_NAME
  [1557, 'data'], // ER_FOREIGN_DUPLICATE_KEY
  [1451, 'data'], // ER_ROW_IS_REFERENCED_2
  [1452, 'data'], // ER_NO_REFERENCED_ROW_2
  [1216, 'data'], // ER_NO_REFERENCED_ROW
  [1217, 'data'], // ER_ROW_IS_REFERENCED
  [1265, 'data'], // WARN_DATA_TRUNCATED (an error in strict mode)
  [1366, 'data'], // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD (incorrect integer/string value)
  [1367, 'data'], // ER_ILLEGAL_VALUE_FOR_TYPE
  [1292, 'data'], // ER_TRUNCATED_WRONG_VALUE (incorrect datetime value)
  [1411, 'data'], // ER_WRONG_VALUE_FOR_TYPE
  [1300, 'data'], // ER_INVALID_CHARACTER_STRING
  [1416, 'data'], // ER_CANT_CREATE_GEOMETRY_OBJECT
  [1153, 'data'], // ER_NET_PACKET_TOO_LARGE: one row beyond max_allowed_packet
  [3140, 'data'], // ER_INVALID_JSON_TEXT
  [3141, 'data'], // ER_INVALID_JSON_TEXT_IN_PARAM
  [3144, 'data'], // ER_INVALID_JSON_CHARSET
  [3146, 'data'], // ER_INVALID_TYPE_FOR_JSON
  [3819, 'data'], // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8.0.16+)
  [4025, 'data'], // ER_CONSTRAINT_FAILED (MariaDB CHECK, e.g. JSON_VALID)
  // fatal: permissions and schema
  [1044, 'fatal'], // ER_DBACCESS_DENIED_ERROR
  [1045, 'fatal'], // ER_ACCESS_DENIED_ERROR
  [1142, 'fatal'], // ER_TABLEACCESS_DENIED_ERROR
  [1143, 'fatal'], // ER_COLUMNACCESS_DENIED_ERROR
  [1227, 'fatal'], // ER_SPECIFIC_ACCESS_DENIED_ERROR
  [1370, 'fatal'], // ER_PROCACCESS_DENIED_ERROR
  [1698, 'fatal'], // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  [1146, 'fatal'], // ER_NO_SUCH_TABLE
  [1054, 'fatal'], // ER_BAD_FIELD_ERROR
  [1049, 'fatal'], // ER_BAD_DB_ERROR
  [1046, 'fatal'], // ER_NO_DB_ERROR
  [1064, 'fatal'], // ER_PARSE_ERROR
  [1118, 'fatal'], // ER_TOO_BIG_ROWSIZE
  [1071, 'fatal'], // ER_TOO_LONG_KEY
]);

/** Node socket and mysql2 protocol codes of a lost or unreachable server. */
export const RETRIABLE_CODES: ReadonlySet<string> = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_PACKETS_OUT_OF_ORDER',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
]);

/**
 * mysql2's codes for a failed TLS handshake. It overwrites the TLS error's own code (e.g.
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE) with HANDSHAKE_SSL_ERROR and marks the error fatal to the
 * connection, as it does HANDSHAKE_NO_SSL_SUPPORT (TLS configured, the server offers none). A
 * certificate the CA does not sign, a host name that does not match, no common protocol version:
 * configuration, which no retry can fix. Only a socket that dropped during the handshake is
 * retriable; it keeps its network message (TLS_HANDSHAKE_NETWORK).
 */
export const TLS_HANDSHAKE_CODES: ReadonlySet<string> = new Set(['HANDSHAKE_SSL_ERROR', 'HANDSHAKE_NO_SSL_SUPPORT']);
const TLS_HANDSHAKE_NETWORK = /ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|socket disconnected/i;

interface DriverErrorFields {
  readonly errno?: unknown;
  readonly code?: unknown;
  readonly sqlState?: unknown;
  readonly fatal?: unknown;
}

function fields(err: unknown): DriverErrorFields {
  return typeof err === 'object' && err !== null ? err : {};
}

export function classifyError(err: unknown): ErrorKind {
  if (err instanceof CdcSinkError) return err.kind;
  const f = fields(err);
  if (typeof f.errno === 'number') {
    const kind = ERRNO_KINDS.get(f.errno);
    if (kind !== undefined) return kind;
  }
  if (typeof f.code === 'string' && RETRIABLE_CODES.has(f.code)) return 'retriable';
  if (typeof f.code === 'string' && TLS_HANDSHAKE_CODES.has(f.code)) {
    const message = err instanceof Error ? err.message : '';
    return f.code === 'HANDSHAKE_SSL_ERROR' && TLS_HANDSHAKE_NETWORK.test(message) ? 'retriable' : 'fatal';
  }
  if (typeof f.sqlState === 'string') {
    if (f.sqlState.startsWith('08') || f.sqlState === '40001') return 'retriable';
    if (f.sqlState.startsWith('22') || f.sqlState.startsWith('23')) return 'data';
  }
  // mysql2 marks errors that broke the connection (socket closed, protocol error) as fatal to it.
  if (f.fatal === true && typeof f.errno !== 'number') return 'retriable';
  if (err instanceof Error && err.message === 'Pool is closed.') return 'fatal';
  // An AggregateError of connection attempts (IPv4 and IPv6) carries the socket codes inside.
  if (err instanceof AggregateError && err.errors.length > 0 && err.errors.every((e) => classifyError(e) === 'retriable')) {
    return 'retriable';
  }
  return 'fatal';
}

/** True when the error means the connection itself is unusable: destroy it, never pool it again. */
export function isConnectionBroken(err: unknown): boolean {
  const f = fields(err);
  if (f.fatal === true) return true;
  if (typeof f.code === 'string' && RETRIABLE_CODES.has(f.code) && !f.code.startsWith('ER_')) return true;
  return typeof f.errno === 'number' && [1053, 1077, 1152, 1158, 1159, 1160, 1161, 1927, 2006, 2013, 2055, 4031].includes(f.errno);
}

/** The stable code of a TargetError for a classified driver error. */
export function targetErrorCode(err: unknown, kind: ErrorKind): ErrorCode {
  const errno = fields(err).errno;
  if (errno === 1146) return ErrorCodes.TARGET_MISSING_TABLE;
  if (errno === 1054 || errno === 1049) return ErrorCodes.TARGET_SCHEMA;
  if (kind === 'retriable') return isConnectionBroken(err) ? ErrorCodes.TARGET_CONNECTION : ErrorCodes.TARGET_RETRIABLE;
  return kind === 'data' ? ErrorCodes.TARGET_DATA : ErrorCodes.TARGET_FATAL;
}

/** The server's message with its error number, for our messages: "ER_DATA_TOO_LONG 1406: Data too long ...". */
export function driverErrorText(err: unknown): string {
  const f = fields(err);
  const message = err instanceof Error ? err.message : String(err);
  const code = typeof f.code === 'string' ? f.code : '';
  const errno = typeof f.errno === 'number' && f.errno > 0 ? ` ${f.errno}` : '';
  return code === '' && errno === '' ? message : `${code}${errno}: ${message}`;
}
