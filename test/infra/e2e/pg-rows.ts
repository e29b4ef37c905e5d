/** Rows for the PostgreSQL all-types table: every common type, edge values, NULLs. */
import type { Rng } from './random.ts';
import type { ColumnSpec } from './compare.ts';

export const PG_ALL_TYPES_DDL = (s: string): string => `
CREATE TYPE "${s}".mood AS ENUM ('sad', 'ok', 'happy', 'very happy');
CREATE TABLE "${s}".all_types (
  id bigint PRIMARY KEY,
  c_int2 smallint, c_int4 integer, c_int8 bigint,
  c_num numeric(12,3), c_num_free numeric,
  c_real real, c_double double precision, c_bool boolean,
  c_text text, c_varchar varchar(20), c_char char(5), c_bytea bytea,
  c_date date, c_time time, c_ts timestamp(6), c_tstz timestamptz, c_interval interval,
  c_json json, c_jsonb jsonb, c_uuid uuid, c_int_arr integer[], c_text_arr text[], c_mood "${s}".mood
)`;

export const PG_ALL_TYPES_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', kind: 'int' },
  { name: 'c_int2', kind: 'int' },
  { name: 'c_int4', kind: 'int' },
  { name: 'c_int8', kind: 'int' },
  { name: 'c_num', kind: 'dec' },
  { name: 'c_num_free', kind: 'dec' },
  { name: 'c_real', kind: 'float4' },
  { name: 'c_double', kind: 'float8' },
  { name: 'c_bool', kind: 'bool' },
  { name: 'c_text', kind: 'text' },
  { name: 'c_varchar', kind: 'text' },
  { name: 'c_char', kind: 'char' },
  { name: 'c_bytea', kind: 'bytes' },
  { name: 'c_date', kind: 'date' },
  { name: 'c_time', kind: 'time' },
  { name: 'c_ts', kind: 'ts' },
  { name: 'c_tstz', kind: 'tstz' },
  { name: 'c_interval', kind: 'interval' },
  { name: 'c_json', kind: 'json' },
  { name: 'c_jsonb', kind: 'json' },
  { name: 'c_uuid', kind: 'uuid' },
  { name: 'c_int_arr', kind: 'array' },
  { name: 'c_text_arr', kind: 'array' },
  { name: 'c_mood', kind: 'text' },
];

const TEXTS = [
  `it's "quoted" \\ back\\slash`,
  'unicode: é ß 漢字 😀 \u00a0nbsp',
  'multi\nline\ttab',
  '',
  ' leading and trailing ',
  "'; DROP TABLE x; --",
];
const NUM_FREE = ['0', '1.500', '-0.000000000000000000001', '123456789012345678901234567890.123456789', '42', '-7.25'];
const REALS = [0, 3.14, -0.5, 1e10, 123.456, 16777217, 1.1754944e-38];
const DOUBLES = [1 / 3, 1e-300, -2.5e300, 0.1, Math.PI, -0, Number.MAX_SAFE_INTEGER];
const DATES = ['2024-02-29', '1970-01-01', '1969-12-31', '0001-01-01', '9999-12-31', '2000-06-15'];
const TIMES = ['00:00:00', '23:59:59.999999', '12:34:56.789', '06:07:08.000001'];
const TIMESTAMPS = ['2024-03-15 10:20:30.123456', '1969-12-31 23:59:59.999999', '1900-01-01 00:00:00', '2099-12-31 23:59:59.5'];
const TIMESTAMPTZS = ['2024-03-15 10:20:30.123456+02', '1960-06-01 00:00:00+00', '2038-01-19 03:14:08.000001-05', '2024-10-27 01:30:00+01'];
const INTERVALS = ['1 year 2 mons 3 days 04:05:06.78', '-3 days', '00:00:00.000001', '1 mon -1 days', '-1 year -2 mons +3 days -04:05:06', '0', '36:00:00'];
const JSONS = ['{"b": 1, "a": [1, 2, {"c": null}], "s": "x\\"y"}', '[]', '"str"', '{"n": 1.5e3}', 'null', '{"deep": {"k": [true, false, "ü"]}}'];
const INT_ARRAYS: (number | null)[][] = [[1, 2, null, -3], [], [2147483647, -2147483648], [0]];
const TEXT_ARRAYS: (string | null)[][] = [['a', 'b c', 'with,comma', 'quote"d', null], [], ['{braces}', 'back\\slash'], ['NULL']];
const MOODS = ['sad', 'ok', 'happy', 'very happy', null];

/** Values in PG_ALL_TYPES_COLUMNS order; ids 1-3 are edge rows (maxima, minima, all NULL). */
export function pgAllTypesRow(r: Rng, id: number): unknown[] {
  if (id === 3) return [id, ...PG_ALL_TYPES_COLUMNS.slice(1).map(() => null)];
  if (id === 1 || id === 2) {
    const max = id === 1;
    return [
      id, max ? 32767 : -32768, max ? 2147483647 : -2147483648, max ? '9223372036854775807' : '-9223372036854775808',
      max ? '999999999.999' : '-999999999.999', max ? '99999999999999999999999999999999.999999999999999999999999999999' : '-0.000000000000000000000000000001',
      max ? 3.4028235e38 : -3.4028235e38, max ? 1.7976931348623157e308 : -1.7976931348623157e308, max,
      r.text(2000), 'x'.repeat(20), max ? 'abcde' : '', max ? Buffer.from([0, 255, 0, 1]) : Buffer.alloc(0),
      max ? '9999-12-31' : '0001-01-01', max ? '23:59:59.999999' : '00:00:00', max ? '2099-12-31 23:59:59.999999' : '1900-01-01 00:00:00.000001',
      max ? '2099-12-31 23:59:59.999999+00' : '1901-12-14 00:00:00+00', max ? '178000000 years' : '-178000000 years',
      '{"max": 1}', '{}', '00000000-0000-0000-0000-000000000000', [], [''], max ? 'very happy' : 'sad',
    ];
  }
  return [
    id,
    r.int(-32768, 32767),
    r.int(-2147483648, 2147483647),
    `${r.pick(['', '-'])}${r.int(1, 9_000_000)}${String(r.int(0, 999_999_999)).padStart(9, '0')}`,
    `${r.pick(['', '-'])}${r.int(0, 999_999_999)}.${String(r.int(0, 999)).padStart(3, '0')}`,
    r.next() < 0.3 ? `${r.int(0, 1_000_000)}.${r.int(0, 99_999)}` : r.pick(NUM_FREE),
    r.pick(REALS),
    r.pick(DOUBLES),
    id % 3 === 0 ? null : id % 2 === 0,
    `${r.pick(TEXTS)} #${id}`,
    `v${id}-${r.int(0, 999)}`,
    r.pick(['ab', 'abcde', 'x y', '']),
    r.bytes(r.int(0, 40)),
    r.pick(DATES),
    r.pick(TIMES),
    r.pick(TIMESTAMPS),
    r.pick(TIMESTAMPTZS),
    r.pick(INTERVALS),
    r.pick(JSONS),
    r.pick(JSONS),
    r.uuid(),
    r.pick(INT_ARRAYS),
    r.pick(TEXT_ARRAYS),
    r.pick(MOODS),
  ];
}

/** A multi-row INSERT with numbered parameters. */
export function insertSql(table: string, columns: readonly string[], rows: number): string {
  const tuples: string[] = [];
  for (let i = 0; i < rows; i++) tuples.push(`(${columns.map((_c, j) => `$${i * columns.length + j + 1}`).join(', ')})`);
  return `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`;
}
