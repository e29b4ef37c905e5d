/**
 * Connector options -> mysql2 pool options, and the session every connection gets.
 *
 * - timezone 'Z', dateStrings, supportBigNumbers + bigNumberStrings: values read back (offsets,
 *   verify) never pass through JS Date or lossy numbers.
 * - charset utf8mb4 (utf8mb4_unicode_ci, known to MySQL 5.5.3+ and every MariaDB).
 * - flags FOUND_ROWS (mysql2's default, set explicitly): UPDATE reports matched rows, which the
 *   offset compare-and-set relies on (offsets-sql.ts).
 * - multipleStatements only with `pipeline` (a batch goes as one multi-statement text, write-batch.ts);
 *   every value in such a text is a literal the connector escaped itself (literal.ts).
 * - maxPreparedStatements 16: only the few fixed-shape statements are prepared (offset insert and
 *   compare-and-set, describeTable, readOffsets: about six texts); the data statements go as text
 *   with inlined literals (write-batch.ts), so the cache, and the server's statements, stay small.
 *   The cache closes the least recently used beyond that.
 * - resetOnRelease off: a reset would drop the session settings below.
 * - queryFormat: a statement queried without values goes exactly as given (the data statements
 *   arrive with their values already inlined, and mysql2's formatter would scan every byte of
 *   them for placeholders it then leaves alone); with values, mysql2's own format().
 */
import { readFileSync } from 'node:fs';
import type { format } from 'mysql2';
import type { PoolOptions, SslOptions } from 'mysql2/promise';
import { CdcSinkError, ErrorCodes } from '../core/errors.ts';
import { mysql2 } from './driver-module.ts';
import type { MysqlOptions, MysqlSslOptions } from './options.ts';

/**
 * Every session: UTC, so DATETIME holds UTC and NOW()/UTC_TIMESTAMP() agree; and a strict
 * sql_mode, so that bad values fail instead of being truncated or zeroed:
 * STRICT_ALL_TABLES (errors, not warnings), NO_ZERO_DATE / NO_ZERO_IN_DATE, ERROR_FOR_DIVISION_BY_ZERO,
 * NO_ENGINE_SUBSTITUTION (never a silent MyISAM table), NO_AUTO_VALUE_ON_ZERO (a source row whose
 * AUTO_INCREMENT key is 0 keeps 0 instead of getting a new number). It must NOT contain
 * NO_BACKSLASH_ESCAPES: the data statements carry values as backslash-escaped, single-quoted
 * literals (literal.ts), and setting the whole sql_mode here is what keeps a server default of
 * NO_BACKSLASH_ESCAPES from changing how they are read.
 */
export const SESSION_SQL_MODE =
  'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO';
export const SESSION_SETUP_SQL = `SET time_zone = '+00:00', sql_mode = '${SESSION_SQL_MODE}'`;

export const MAX_PREPARED_STATEMENTS_PER_CONNECTION = 16;

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** From the url path, or the `database` option; null when neither names one. */
  readonly database: string | null;
}

function configError(message: string): CdcSinkError {
  return new CdcSinkError(ErrorCodes.CONFIG_INVALID, `mysql target: ${message}`, { kind: 'fatal' });
}

/** mysql://user:pass@host:port/db -> its parts. Query parameters are rejected (use the options). */
export function parseMysqlUrl(url: string, databaseOverride?: string): ServerAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw configError('url is not a valid URL (expected mysql://user:password@host:3306/database)');
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw configError(`url must start with mysql:// (got ${u.protocol}//)`);
  }
  if (u.search !== '') {
    throw configError('url query parameters are not supported: use the connector options (ssl, database, ...)');
  }
  if (u.hostname === '') throw configError('url has no host');
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (path.includes('/')) throw configError(`url path ${JSON.stringify(path)} is not a database name`);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port === '' ? 3306 : Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: databaseOverride ?? (path === '' ? null : path),
  };
}

/** Where a connector points, without the password, for messages. */
export function addressText(a: ServerAddress): string {
  return `${a.user}@${a.host}:${a.port}/${a.database ?? ''}`;
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CdcSinkError(ErrorCodes.CONFIG_FILE, `mysql target: cannot read ssl.caFile ${path}`, { kind: 'fatal', cause: err });
  }
}

export function sslConfig(ssl: MysqlSslOptions | undefined): SslOptions | undefined {
  if (ssl === undefined || ssl.mode === 'disable') return undefined;
  const ca = ssl.ca ?? (ssl.caFile === undefined ? undefined : readCa(ssl.caFile));
  const verify = ssl.mode === 'verify-ca' || ssl.mode === 'verify-full';
  if (verify && ca === undefined) {
    throw configError(`ssl.mode ${ssl.mode} needs ssl.ca or ssl.caFile`);
  }
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(ssl.cert === undefined ? {} : { cert: ssl.cert }),
    ...(ssl.key === undefined ? {} : { key: ssl.key }),
    rejectUnauthorized: verify,
    verifyIdentity: ssl.mode === 'verify-full',
  };
}

/** mysql2's queryFormat: no values, no formatting; otherwise what mysql2 does by default (timezone 'Z' as the pool's). */
export function queryFormat(sql: string, values: unknown): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return mysql2().format(sql, values as Parameters<typeof format>[1], false, 'Z');
}

export function poolOptions(options: MysqlOptions, address: ServerAddress): PoolOptions {
  const ssl = sslConfig(options.ssl);
  return {
    host: address.host,
    port: address.port,
    user: address.user,
    password: address.password,
    ...(address.database === null ? {} : { database: address.database }),
    ...(ssl === undefined ? {} : { ssl }),
    connectionLimit: options.poolSize,
    maxIdle: options.poolSize,
    waitForConnections: true,
    queueLimit: 0,
    connectTimeout: options.connectTimeoutMs,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10000,
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: 'UTF8MB4_UNICODE_CI',
    flags: ['FOUND_ROWS'],
    multipleStatements: options.pipeline,
    maxPreparedStatements: MAX_PREPARED_STATEMENTS_PER_CONNECTION,
    resetOnRelease: false,
    queryFormat,
  };
}
