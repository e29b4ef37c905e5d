/** Rows for the MariaDB all-types table: every common MariaDB type, edge values, NULLs. */
import type { ColumnSpec } from './compare.ts';
import type { Rng } from './random.ts';

export const MARIADB_ALL_TYPES_DDL = `CREATE TABLE all_types (
  id BIGINT PRIMARY KEY,
  c_tinyint TINYINT, c_bool TINYINT(1), c_smallint SMALLINT, c_mediumint MEDIUMINT, c_int INT, c_bigint BIGINT,
  c_ubigint BIGINT UNSIGNED, c_uint INT UNSIGNED,
  c_dec DECIMAL(20,6), c_dec0 DECIMAL(10,0), c_float FLOAT, c_double DOUBLE,
  c_varchar VARCHAR(50), c_char CHAR(5), c_text TEXT, c_big MEDIUMTEXT, c_blob BLOB, c_varbinary VARBINARY(16),
  c_date DATE, c_time TIME(6), c_datetime DATETIME(6), c_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
  c_json JSON, c_enum ENUM('small','medium','large'), c_set SET('a','b','c'), c_bit BIT(8), c_year YEAR
) DEFAULT CHARSET=utf8mb4`;

export const MARIADB_ALL_TYPES_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', kind: 'int' },
  { name: 'c_tinyint', kind: 'int' },
  { name: 'c_bool', kind: 'int' },
  { name: 'c_smallint', kind: 'int' },
  { name: 'c_mediumint', kind: 'int' },
  { name: 'c_int', kind: 'int' },
  { name: 'c_bigint', kind: 'int' },
  { name: 'c_ubigint', kind: 'int' },
  { name: 'c_uint', kind: 'int' },
  { name: 'c_dec', kind: 'dec' },
  { name: 'c_dec0', kind: 'dec' },
  { name: 'c_float', kind: 'float4' },
  { name: 'c_double', kind: 'float8' },
  { name: 'c_varchar', kind: 'text' },
  { name: 'c_char', kind: 'char' },
  { name: 'c_text', kind: 'text' },
  { name: 'c_big', kind: 'text' },
  { name: 'c_blob', kind: 'bytes' },
  { name: 'c_varbinary', kind: 'bytes' },
  { name: 'c_date', kind: 'date' },
  { name: 'c_time', kind: 'time' },
  { name: 'c_datetime', kind: 'ts' },
  { name: 'c_timestamp', kind: 'tstz' },
  { name: 'c_json', kind: 'json' },
  { name: 'c_enum', kind: 'text' },
  { name: 'c_set', kind: 'text' },
  { name: 'c_bit', kind: 'bits', length: 8 },
  { name: 'c_year', kind: 'int' },
];

const TEXTS = [`it's "quoted" \\ back\\slash`, 'unicode: é ß 漢字 😀', 'multi\nline\ttab', '', ' trailing ', "'; DROP TABLE x; --"];
// Debezium's snapshot reads FLOAT through MariaDB's text protocol, which prints 6 significant digits
// (16777216 arrives as 16777200.0; streamed values are exact): FLOAT values here have at most 6.
const FLOATS = [0, 3.14, -0.5, 1e10, 123.456, 1.5e-7];
const DOUBLES = [1 / 3, 1e-300, -2.5e300, 0.1, Math.PI, Number.MAX_SAFE_INTEGER];
const DATES = ['2024-02-29', '1970-01-01', '1969-12-31', '1000-01-01', '9999-12-31'];
const TIMES = ['00:00:00', '23:59:59.999999', '12:34:56.789', '06:07:08.000001'];
const DATETIMES = ['2024-03-15 10:20:30.123456', '1969-12-31 23:59:59.999999', '1000-01-01 00:00:00', '9999-12-31 23:59:59.999999'];
const TIMESTAMPS = ['2024-03-15 10:20:30.123456', '1970-01-01 00:00:01', '2038-01-19 03:14:07.999999', '2001-09-09 01:46:40.5'];
const JSONS = ['{"b": 1, "a": [1, 2, {"c": null}], "s": "x\\"y"}', '[]', '"str"', '{"n": 1.5}', 'null', '{"deep": {"k": [true, false, "ü"]}}'];
const SETS = ['', 'a', 'a,c', 'a,b,c', null];

/** Values in MARIADB_ALL_TYPES_COLUMNS order; ids 1-3 are edge rows (maxima, minima, all NULL). */
export function mariadbAllTypesRow(r: Rng, id: number): unknown[] {
  if (id === 3) return [id, ...MARIADB_ALL_TYPES_COLUMNS.slice(1).map(() => null)];
  if (id === 1 || id === 2) {
    const max = id === 1;
    return [
      id, max ? 127 : -128, max ? 1 : 0, max ? 32767 : -32768, max ? 8388607 : -8388608, max ? 2147483647 : -2147483648,
      max ? '9223372036854775807' : '-9223372036854775808', max ? '9223372036854775807' : '0', max ? 4294967295 : 0,
      max ? '99999999999999.999999' : '-99999999999999.999999', max ? '9999999999' : '-9999999999', max ? 3.40282e38 : -3.40282e38,
      max ? 1.7976931348623157e308 : -1.7976931348623157e308, 'x'.repeat(50), max ? 'abcde' : '', r.text(3000), r.text(20_000),
      max ? Buffer.from([0, 255, 0, 1]) : Buffer.alloc(0), max ? Buffer.alloc(16, 0xff) : Buffer.alloc(0),
      max ? '9999-12-31' : '1000-01-01', max ? '23:59:59.999999' : '00:00:00', max ? '9999-12-31 23:59:59.999999' : '1000-01-01 00:00:00',
      max ? '2038-01-19 03:14:07.999999' : '1970-01-01 00:00:01', '{"max": 1}', max ? 'large' : 'small', max ? 'a,b,c' : '',
      max ? 255 : 0, max ? 2155 : 1901,
    ];
  }
  return [
    id,
    r.int(-128, 127),
    r.pick([0, 1, null]),
    r.int(-32768, 32767),
    r.int(-8388608, 8388607),
    r.int(-2147483648, 2147483647),
    `${r.pick(['', '-'])}${r.int(1, 9_000_000)}${String(r.int(0, 999_999_999)).padStart(9, '0')}`,
    `${r.int(1, 9_000_000)}${String(r.int(0, 999_999_999)).padStart(9, '0')}`,
    r.int(0, 4294967295),
    `${r.pick(['', '-'])}${r.int(0, 99_999_999)}.${String(r.int(0, 999_999)).padStart(6, '0')}`,
    String(r.int(-999_999, 999_999)),
    r.pick(FLOATS),
    r.pick(DOUBLES),
    `v${id}-${r.int(0, 999)}`,
    r.pick(['ab', 'abcde', 'x y', '']),
    `${r.pick(TEXTS)} #${id}`,
    id % 10 === 0 ? r.text(20_000) : null,
    r.bytes(r.int(0, 40)),
    r.bytes(r.int(0, 16)),
    r.pick(DATES),
    r.pick(TIMES),
    r.pick(DATETIMES),
    r.pick(TIMESTAMPS),
    r.pick(JSONS),
    r.pick(['small', 'medium', 'large', null]),
    r.pick(SETS),
    r.int(0, 255),
    r.int(1901, 2155),
  ];
}

/** A multi-row INSERT with ? parameters. */
export function mysqlInsertSql(table: string, columns: readonly string[], rows: number): string {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
}
