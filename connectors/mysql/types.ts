/**
 * The MySQL / MariaDB column type cdc-sink gives a column when it creates or extends a table.
 *
 * | ColumnType | SQL type | why |
 * | --- | --- | --- |
 * | boolean | BOOLEAN (= TINYINT(1)) | |
 * | int 8/16/32/64 | TINYINT / SMALLINT / INT / BIGINT | signed: an unsigned source BIGINT cannot be told apart here; Debezium's bigint.unsigned.handling.mode=precise sends decimal(20,0), which maps to DECIMAL(20,0) |
 * | float 32/64 | FLOAT / DOUBLE | NaN and Infinity cannot be stored (a data error) |
 * | decimal(p,s) | DECIMAL(p,s) | MySQL allows p <= 65, s <= 30: larger is rejected (create the column yourself) |
 * | decimal, variable scale | DECIMAL(65,30) | RISK: values with more than 35 integer digits fail, more than 30 fraction digits are rounded |
 * | string(n), n <= 16383 | VARCHAR(n) | within the 65,535-byte row limit (see createTableColumns), else LONGTEXT |
 * | string, no length | LONGTEXT | |
 * | key string | VARCHAR(n <= 768), VARCHAR(191) when the length is unknown | an index holds at most 3072 bytes = 768 utf8mb4 characters; 191 keeps up to 4 such key columns within a composite primary key's 3072 bytes. Longer values fail as data errors |
 * | bytes(n), n <= 255 / else | VARBINARY(n) / LONGBLOB | key: VARBINARY(n <= 3072), VARBINARY(255) when unknown |
 * | date | DATE | |
 * | time(p) | TIME(min(p,6)) | MySQL keeps microseconds; nanoseconds are truncated (values.ts) |
 * | timetz | TIME(6) | holding the UTC time of day (the value's zone is always Z) |
 * | timestamp(p) | DATETIME(min(p,6)) | |
 * | timestamptz | DATETIME(6) holding UTC | not TIMESTAMP: TIMESTAMP ends in 2038 and converts on the session time zone; the sessions run at +00:00 so DATETIME keeps exactly the UTC wall clock |
 * | interval | VARCHAR(64) | the ISO-8601 text ("P1Y2M3DT4H5M6.78S"); MySQL has no interval type |
 * | json | JSON | MariaDB: an alias of LONGTEXT with a JSON_VALID check. MySQL re-serializes JSON (key order, spaces) |
 * | uuid | CHAR(36) CHARACTER SET ascii COLLATE ascii_bin, or BINARY(16) (uuidStorage) | |
 * | xml | LONGTEXT | |
 * | enum | VARCHAR(255) (longer when a member is longer) | not ENUM(...): the source may add members later, and a member missing from the target ENUM would be a data error (or worse, '' in a non-strict session) |
 * | set | VARCHAR(255) (longer when all members together are longer) | same reason; holds "a,b" |
 * | bits(n) | BIT(n) for n <= 64, else VARBINARY(ceil(n/8)) | |
 * | year | SMALLINT | YEAR holds only 1901..2155 (and 0000) |
 * | geometry | LONGBLOB holding the WKB | no SRID kept; a spatial column needs a user-created table |
 * | array | JSON | a JSON array (values.ts) |
 *
 * Tables are created with DEFAULT CHARSET=utf8mb4 and a binary NO PAD collation (utf8mb4_0900_bin
 * on MySQL 8, utf8mb4_nopad_bin on MariaDB): text compares exactly as in the source (PostgreSQL is
 * case-sensitive; a case-insensitive collation would merge the keys 'a' and 'A' into one row).
 */
import type { ColumnSchema, ColumnType } from '../core/column-type.ts';
import { describeType } from '../core/column-type.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';

export type UuidStorage = 'char36' | 'binary16';

export interface MysqlTypeOptions {
  readonly uuidStorage: UuidStorage;
}

export const MYSQL_MAX_DECIMAL_PRECISION = 65;
export const MYSQL_MAX_DECIMAL_SCALE = 30;
/** Longest VARCHAR of utf8mb4 characters that fits the 65,535-byte row limit on its own. */
export const MYSQL_MAX_VARCHAR_CHARS = 16383;
/** ADD COLUMN cannot see the existing row size: it uses VARCHAR only up to this length. */
export const ADD_COLUMN_MAX_VARCHAR_CHARS = 255;
const KEY_TEXT_DEFAULT_CHARS = 191;
const KEY_TEXT_MAX_CHARS = 768;
const KEY_BYTES_DEFAULT = 255;
const KEY_BYTES_MAX = 3072;
const SMALL_BYTES_MAX = 255;
const MAX_FRACTION_DIGITS = 6;
const TEXT_COLUMN_MIN_CHARS = 255;
const MAX_BIT_LENGTH = 64;

/** How one column is used: key columns need a bounded, indexable type. */
export interface ColumnRole {
  readonly key: boolean;
  /** Longest VARCHAR allowed for a non-key text column; longer becomes LONGTEXT. */
  readonly varcharLimit: number;
}

const NON_KEY: ColumnRole = { key: false, varcharLimit: MYSQL_MAX_VARCHAR_CHARS };

function fractionDigits(precision: number | undefined): number {
  if (precision === undefined || !Number.isInteger(precision) || precision > MAX_FRACTION_DIGITS) {
    return MAX_FRACTION_DIGITS;
  }
  return Math.max(0, precision);
}

function unsupported(type: ColumnType, why: string): TargetError {
  return new TargetError(
    ErrorCodes.TARGET_SCHEMA,
    `cannot create a MySQL column for ${describeType(type)}: ${why}; create the column yourself (e.g. as VARCHAR) or cast it with a transform`,
    { kind: 'fatal' },
  );
}

export function decimalTypeSql(type: Extract<ColumnType, { kind: 'decimal' }>): string {
  const { precision, scale } = type;
  if (scale === undefined) return `DECIMAL(${MYSQL_MAX_DECIMAL_PRECISION},${MYSQL_MAX_DECIMAL_SCALE})`;
  if (!Number.isInteger(scale)) throw unsupported(type, 'the scale is not an integer');
  const p = precision ?? MYSQL_MAX_DECIMAL_PRECISION;
  if (!Number.isInteger(p) || p < 1) throw unsupported(type, 'the precision is not a positive integer');
  if (scale < 0) {
    // PostgreSQL numeric(p,-s): integers rounded to 10^s, up to p+s digits.
    const digits = p - scale;
    if (digits > MYSQL_MAX_DECIMAL_PRECISION) throw unsupported(type, `MySQL DECIMAL holds at most ${MYSQL_MAX_DECIMAL_PRECISION} digits`);
    return `DECIMAL(${digits},0)`;
  }
  if (p > MYSQL_MAX_DECIMAL_PRECISION) throw unsupported(type, `MySQL DECIMAL holds at most ${MYSQL_MAX_DECIMAL_PRECISION} digits`);
  if (scale > MYSQL_MAX_DECIMAL_SCALE) throw unsupported(type, `MySQL DECIMAL holds at most ${MYSQL_MAX_DECIMAL_SCALE} fraction digits`);
  if (scale > p) throw unsupported(type, 'the scale exceeds the precision');
  return `DECIMAL(${p},${scale})`;
}

function validLength(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n >= 1;
}

function keyText(chars: number | undefined): string {
  if (!validLength(chars)) return `VARCHAR(${KEY_TEXT_DEFAULT_CHARS})`;
  return `VARCHAR(${Math.min(chars, KEY_TEXT_MAX_CHARS)})`;
}

function textOf(chars: number, role: ColumnRole): string {
  if (role.key) return keyText(chars);
  return chars <= role.varcharLimit ? `VARCHAR(${chars})` : 'LONGTEXT';
}

/** Longest text of a set value: every member, comma-separated. */
function setLength(allowed: readonly string[]): number {
  return allowed.reduce((n, m) => n + m.length, 0) + Math.max(0, allowed.length - 1);
}

/** The SQL type of a column; `role` says whether it is a key column and how long a VARCHAR may be. */
export function columnTypeSql(type: ColumnType, opts: MysqlTypeOptions, role: ColumnRole = NON_KEY): string {
  switch (type.kind) {
    case 'boolean':
      return 'BOOLEAN';
    case 'int':
      return type.bits === 64 ? 'BIGINT' : type.bits === 32 ? 'INT' : type.bits === 16 ? 'SMALLINT' : 'TINYINT';
    case 'float':
      return type.bits === 32 ? 'FLOAT' : 'DOUBLE';
    case 'decimal':
      return decimalTypeSql(type);
    case 'string':
      if (role.key) return keyText(type.maxLength);
      return validLength(type.maxLength) ? textOf(type.maxLength, role) : 'LONGTEXT';
    case 'bytes': {
      const n = type.maxLength;
      if (role.key) return `VARBINARY(${validLength(n) ? Math.min(n, KEY_BYTES_MAX) : KEY_BYTES_DEFAULT})`;
      return validLength(n) && n <= SMALL_BYTES_MAX ? `VARBINARY(${n})` : 'LONGBLOB';
    }
    case 'date':
      return 'DATE';
    case 'time':
      return `TIME(${fractionDigits(type.precision)})`;
    case 'timetz':
      return `TIME(${MAX_FRACTION_DIGITS})`;
    case 'timestamp':
      return `DATETIME(${fractionDigits(type.precision)})`;
    case 'timestamptz':
      return `DATETIME(${fractionDigits(type.precision)})`;
    case 'interval':
      return 'VARCHAR(64)';
    case 'json':
    case 'array':
      return role.key ? keyText(undefined) : 'JSON';
    case 'uuid':
      return opts.uuidStorage === 'binary16' ? 'BINARY(16)' : 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';
    case 'xml':
      return role.key ? keyText(undefined) : 'LONGTEXT';
    case 'enum':
      return textOf(Math.max(TEXT_COLUMN_MIN_CHARS, ...type.allowed.map((m) => m.length)), role);
    case 'set':
      return textOf(Math.max(TEXT_COLUMN_MIN_CHARS, setLength(type.allowed)), role);
    case 'bits': {
      const n = validLength(type.length) ? type.length : 1;
      return n <= MAX_BIT_LENGTH ? `BIT(${n})` : `VARBINARY(${Math.ceil(n / 8)})`;
    }
    case 'year':
      return 'SMALLINT';
    case 'geometry':
      return role.key ? `VARBINARY(${KEY_BYTES_DEFAULT})` : 'LONGBLOB';
  }
}

/** Bytes a column of this SQL type takes toward MySQL's 65,535-byte row limit (an upper bound). */
export function rowBytes(sqlType: string): number {
  const m = /^(VARCHAR|VARBINARY|CHAR|BINARY)\((\d+)\)/.exec(sqlType);
  if (m) {
    const n = Number(m[2]);
    const perChar = m[1] === 'VARCHAR' || (m[1] === 'CHAR' && !sqlType.includes('ascii')) ? 4 : 1;
    return n * perChar + 2;
  }
  if (sqlType.startsWith('DECIMAL')) return 32;
  // LONGTEXT / LONGBLOB / JSON keep 12 bytes in the row; numbers and dates at most 8; BIT(64) 8.
  return 12;
}

const ROW_LIMIT_BYTES = 65535;
/** Room kept for NULL flags and length bytes the estimate does not count. */
const ROW_LIMIT_MARGIN = 1024;

/**
 * The SQL type of every column of a new table. Text columns get VARCHAR(n) while the table stays
 * within MySQL's 65,535-byte row limit (utf8mb4 counts 4 bytes a character); the text columns that
 * would push it over become LONGTEXT (which takes 12 bytes in the row). Key columns always keep
 * their bounded type: they are counted first.
 */
export function createTableColumnTypes(
  columns: readonly ColumnSchema[],
  key: readonly string[],
  opts: MysqlTypeOptions,
): string[] {
  const keys = new Set(key);
  const fixed = columns.map((c) =>
    keys.has(c.name) ? columnTypeSql(c.type, opts, { key: true, varcharLimit: MYSQL_MAX_VARCHAR_CHARS }) : null,
  );
  const bounded = columns.map((c, i) => fixed[i] ?? columnTypeSql(c.type, opts));
  let budget = ROW_LIMIT_BYTES - ROW_LIMIT_MARGIN;
  // Key and non-text columns first: they cannot shrink.
  columns.forEach((_c, i) => {
    const t = bounded[i] ?? '';
    if (fixed[i] !== null || !t.startsWith('VARCHAR')) budget -= rowBytes(t);
  });
  return columns.map((c, i) => {
    const t = bounded[i] ?? '';
    if (fixed[i] !== null || !t.startsWith('VARCHAR')) return t;
    const bytes = rowBytes(t);
    if (bytes <= budget) {
      budget -= bytes;
      return t;
    }
    const demoted = columnTypeSql(c.type, opts, { key: false, varcharLimit: 0 });
    budget -= rowBytes(demoted);
    return demoted;
  });
}
