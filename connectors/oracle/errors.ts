/**
 * Classification of Oracle and node-oracledb errors (see connectors/core/errors.ts for what each
 * kind makes the pipeline do). By ORA- number first (err.errorNum, else the number in err.code
 * "ORA-00001" or at the start of the message), then node-oracledb's own NJS- codes (thin mode
 * network errors), then Node's socket error codes. Anything unknown is fatal: stopping loudly is
 * better than retrying forever or dead-lettering rows that were fine.
 *
 * Space errors (unable to extend, temp space) are retriable: a DBA adds space and the same rows
 * then go in. A missing quota (ORA-01950, ORA-01536) is fatal: it needs a GRANT, not a retry.
 */
import { CdcSinkError, type ErrorKind } from '../core/errors.ts';

export const ORA_KINDS: Readonly<Record<number, ErrorKind>> = {
  // retriable: concurrency
  60: 'retriable', // deadlock detected while waiting for resource
  54: 'retriable', // resource busy and acquire with NOWAIT specified or timeout expired
  30006: 'retriable', // resource busy; acquire with WAIT timeout expired
  8177: 'retriable', // can't serialize access for this transaction
  1013: 'retriable', // user requested cancel of current operation (call timeout)
  4068: 'retriable', // existing state of packages has been discarded
  // retriable: connection lost or instance not available
  28: 'retriable', // your session has been killed
  1012: 'retriable', // not logged on
  1033: 'retriable', // ORACLE initialization or shutdown in progress
  1034: 'retriable', // ORACLE not available
  1089: 'retriable', // immediate shutdown or close in progress
  1090: 'retriable', // shutdown in progress
  3113: 'retriable', // end-of-file on communication channel
  3114: 'retriable', // not connected to ORACLE
  3135: 'retriable', // connection lost contact
  2396: 'retriable', // exceeded maximum idle time
  25408: 'retriable', // can not safely replay call
  18: 'retriable', // maximum number of sessions exceeded
  20: 'retriable', // maximum number of processes exceeded
  // retriable: listener
  12514: 'retriable', // listener does not currently know of service
  12516: 'retriable', // listener could not find available handler
  12519: 'retriable', // no appropriate service handler found
  12520: 'retriable', // listener could not find available handler for requested type of server
  12521: 'retriable', // listener does not currently know of instance
  12528: 'retriable', // listener: all appropriate instances are blocking new connections
  12537: 'retriable', // TNS: connection closed
  12541: 'retriable', // TNS: no listener
  12170: 'retriable', // TNS: connect timeout occurred
  12571: 'retriable', // TNS: packet writer failure
  // retriable: space
  1652: 'retriable', // unable to extend temp segment
  1653: 'retriable', // unable to extend table
  1654: 'retriable', // unable to extend index
  1688: 'retriable', // unable to extend table partition
  1691: 'retriable', // unable to extend lob segment
  30036: 'retriable', // unable to extend segment in undo tablespace
  1555: 'retriable', // snapshot too old
  // data: this row is bad
  1: 'data', // unique constraint violated
  1400: 'data', // cannot insert NULL (also: '' is NULL in Oracle)
  1407: 'data', // cannot update to NULL
  12899: 'data', // value too large for column
  1401: 'data', // inserted value too large for column
  1438: 'data', // value larger than specified precision allowed for this column
  1426: 'data', // numeric overflow
  1722: 'data', // invalid number
  1830: 'data', // date format picture ends before converting entire input string
  1839: 'data', // date not valid for month specified
  1840: 'data', // input value not long enough for date format
  1841: 'data', // (full) year must be between -4713 and +9999, and not be 0
  1843: 'data', // not a valid month
  1847: 'data', // day of month must be between 1 and last day of month
  1850: 'data', // hour must be between 0 and 23
  1851: 'data', // minutes must be between 0 and 59
  1852: 'data', // seconds must be between 0 and 59
  1858: 'data', // a non-numeric character was found where a numeric was expected
  1861: 'data', // literal does not match format string
  1862: 'data', // the numeric value does not match the length of the format item
  1867: 'data', // the interval is invalid
  1873: 'data', // the leading precision of the interval is too small
  1874: 'data', // time zone hour must be between -15 and 15
  1875: 'data', // time zone minute must be between -59 and 59
  1877: 'data', // string is too long for internal buffer
  1465: 'data', // invalid hex number
  1461: 'data', // can bind a LONG value only for insert into a LONG column (value too long)
  1704: 'data', // string literal too long
  6502: 'data', // PL/SQL: numeric or value error
  22835: 'data', // buffer too small for CLOB to CHAR or BLOB to RAW conversion
  2290: 'data', // check constraint violated (IS JSON checks too)
  2291: 'data', // integrity constraint violated - parent key not found
  2292: 'data', // integrity constraint violated - child record found
  40441: 'data', // JSON syntax error
  40479: 'data', // internal JSON serializer error
  // fatal: configuration, permissions, schema
  942: 'fatal', // table or view does not exist
  904: 'fatal', // invalid identifier (column missing)
  932: 'fatal', // inconsistent datatypes (target column of an incompatible type)
  955: 'fatal', // name is already used by an existing object
  1017: 'fatal', // invalid username/password
  1031: 'fatal', // insufficient privileges
  1045: 'fatal', // user lacks CREATE SESSION privilege
  1950: 'fatal', // no privileges on tablespace (quota)
  1536: 'fatal', // space quota exceeded for tablespace
  1450: 'fatal', // maximum key length exceeded (key columns too wide for an index)
  2329: 'fatal', // column of datatype LOB cannot be unique or a primary key
  38104: 'fatal', // columns referenced in the ON clause cannot be updated
  28000: 'fatal', // the account is locked
  28001: 'fatal', // the password has expired
  12505: 'fatal', // listener does not currently know of SID (wrong SID)
};

/** node-oracledb's own codes (thin mode). */
export const NJS_KINDS: Readonly<Record<string, ErrorKind>> = {
  'NJS-040': 'retriable', // connection request timeout (pool queue)
  'NJS-123': 'retriable', // call timeout exceeded
  'NJS-500': 'retriable', // connection to the database was closed or broken
  'NJS-501': 'retriable', // connection terminated unexpectedly
  'NJS-503': 'retriable', // connection could not be established
  'NJS-510': 'retriable', // connect timed out
  'NJS-511': 'retriable', // connection refused by the listener
  'NJS-518': 'retriable', // service not registered with the listener (yet)
  'NJS-521': 'retriable', // end-of-file on the connection
  'NJS-530': 'retriable', // host unresolvable (DNS)
  'NJS-105': 'data', // NaN cannot be bound into a NUMBER
  'NJS-065': 'fatal', // connection pool was closed
  'NJS-058': 'fatal', // maxSize too small (a cdc-sink bug: bind sizes come from the data)
  'NJS-505': 'fatal', // TLS: cannot initiate (wallet)
  'NJS-506': 'fatal', // TLS handshake failure
  'NJS-507': 'fatal', // TLS: server DN mismatch
  'NJS-508': 'fatal', // TLS: host name mismatch
  'NJS-514': 'fatal', // connect string syntax
  'NJS-515': 'fatal', // Easy Connect syntax
  'NJS-516': 'fatal', // no configuration directory for tnsnames.ora
  'NJS-517': 'fatal', // tnsnames alias not found
  'NJS-519': 'fatal', // SID not registered
  'NJS-520': 'fatal', // tnsnames.ora missing
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

interface DriverErrorShape {
  readonly errorNum?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
}

/** The ORA- number of an error, or null. */
export function oraNumber(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as DriverErrorShape;
  if (typeof e.errorNum === 'number' && e.errorNum > 0) return e.errorNum;
  for (const text of [e.code, e.message]) {
    if (typeof text !== 'string') continue;
    const m = /^ORA-(\d{5})\b/.exec(text);
    if (m) return Number(m[1]);
  }
  return null;
}

/** The NJS-xxx code of a node-oracledb error, or null. */
export function njsCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as DriverErrorShape;
  for (const text of [e.code, e.message]) {
    if (typeof text !== 'string') continue;
    const m = /^(NJS-\d{3})\b/.exec(text);
    if (m) return m[1] ?? null;
  }
  return null;
}

export function classifyOracleError(err: unknown): ErrorKind {
  if (err instanceof CdcSinkError) return err.kind;
  const ora = oraNumber(err);
  if (ora !== null) return ORA_KINDS[ora] ?? 'fatal';
  const njs = njsCode(err);
  if (njs !== null) return NJS_KINDS[njs] ?? 'fatal';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && RETRIABLE_NODE_CODES.has(code)) return 'retriable';
  return 'fatal';
}

/** True when the connection that raised err cannot be trusted any more (drop it from the pool). */
export function isConnectionBroken(err: unknown): boolean {
  const ora = oraNumber(err);
  if (ora !== null) return [28, 1012, 1033, 1034, 1089, 1090, 3113, 3114, 3135, 2396, 25408].includes(ora);
  const njs = njsCode(err);
  if (njs !== null) return ['NJS-500', 'NJS-501', 'NJS-521', 'NJS-123'].includes(njs);
  return false;
}
