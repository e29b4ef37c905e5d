/**
 * Auto-create from a TableSchema holding every ColumnType, a row of every type written and read
 * back, then add-column and a write that uses the new columns.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnSchema, ColumnType } from '../../../connectors/core/column-type.ts';
import type { Value } from '../../../connectors/core/value.ts';
import { col, dec, row, T, type Harness } from '../harness.ts';
import type { ReadAs } from '../readers/reader.ts';

interface TypeCase {
  readonly name: string;
  readonly type: ColumnType;
  readonly value: Value;
  readonly as: ReadAs;
  /** What the reader returns (see readers/reader.ts for the normalized forms). */
  readonly expected: string;
  readonly bits?: number;
}

/** WKB of POINT(1 2), little-endian. */
const POINT_WKB = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex');

/** One column per ColumnType kind (and per int / float width). */
export const TYPE_CASES: readonly TypeCase[] = [
  { name: 'c_bool', type: T.bool, value: true, as: 'bool', expected: 'true' },
  { name: 'c_int8', type: T.i8, value: -128, as: 'int', expected: '-128' },
  { name: 'c_int16', type: T.i16, value: -32768, as: 'int', expected: '-32768' },
  { name: 'c_int32', type: T.i32, value: 2147483647, as: 'int', expected: '2147483647' },
  { name: 'c_int64', type: T.i64, value: 9223372036854775807n, as: 'int', expected: '9223372036854775807' },
  { name: 'c_float32', type: T.f32, value: 1.5, as: 'float', expected: '1.5' },
  { name: 'c_float64', type: T.f64, value: -2.25, as: 'float', expected: '-2.25' },
  { name: 'c_decimal', type: dec(20, 6), value: '-12345678901234.123456', as: 'decimal', expected: '-12345678901234.123456' },
  { name: 'c_decimal_var', type: { kind: 'decimal' }, value: '3.14159', as: 'decimal', expected: '3.14159' },
  { name: 'c_string', type: T.text, value: 'héllo, 世界 ✓', as: 'text', expected: 'héllo, 世界 ✓' },
  { name: 'c_varchar', type: { kind: 'string', maxLength: 10 }, value: 'abc', as: 'text', expected: 'abc' },
  { name: 'c_bytes', type: { kind: 'bytes' }, value: Buffer.from([0, 1, 127, 128, 255]), as: 'bytes', expected: '00017f80ff' },
  { name: 'c_date', type: { kind: 'date' }, value: '2024-02-29', as: 'date', expected: '2024-02-29' },
  { name: 'c_time', type: { kind: 'time', precision: 6 }, value: '12:34:56.123456', as: 'time', expected: '12:34:56.123456' },
  { name: 'c_timetz', type: { kind: 'timetz' }, value: '12:34:56.123456Z', as: 'timetz', expected: '12:34:56.123456' },
  {
    name: 'c_timestamp',
    type: { kind: 'timestamp', precision: 6 },
    value: '2024-03-15T10:20:30.123456',
    as: 'timestamp',
    expected: '2024-03-15 10:20:30.123456',
  },
  {
    name: 'c_timestamptz',
    type: { kind: 'timestamptz', precision: 6 },
    value: '2024-03-15T08:20:30.654321Z',
    as: 'timestamptz',
    expected: '2024-03-15 08:20:30.654321',
  },
  { name: 'c_interval', type: { kind: 'interval' }, value: 'P1Y2M3DT4H5M6.78S', as: 'interval', expected: 'P1Y2M3DT4H5M6.78S' },
  { name: 'c_json', type: T.json, value: '{"b": null, "a": [1, 2.5, "x"]}', as: 'json', expected: '{"a":[1,2.5,"x"],"b":null}' },
  {
    name: 'c_uuid',
    type: { kind: 'uuid' },
    value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    as: 'uuid',
    expected: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  },
  { name: 'c_xml', type: { kind: 'xml' }, value: '<a x="1">b</a>', as: 'text', expected: '<a x="1">b</a>' },
  { name: 'c_enum', type: { kind: 'enum', allowed: ['red', 'green'] }, value: 'green', as: 'text', expected: 'green' },
  { name: 'c_set', type: { kind: 'set', allowed: ['wifi', 'pool', 'gym'] }, value: 'wifi,pool', as: 'text', expected: 'wifi,pool' },
  { name: 'c_bits', type: { kind: 'bits', length: 10 }, value: '1010000011', as: 'bits', bits: 10, expected: '1010000011' },
  { name: 'c_year', type: { kind: 'year' }, value: 2024, as: 'int', expected: '2024' },
  {
    name: 'c_geometry',
    type: { kind: 'geometry', shape: 'geometry' },
    value: { wkb: POINT_WKB, srid: null },
    as: 'bytes',
    expected: POINT_WKB.toString('hex'),
  },
  { name: 'c_array', type: { kind: 'array', items: T.i32 }, value: [1, 2, 3], as: 'json', expected: '[1,2,3]' },
];

const KEY = col('id', T.i64, false);

function spec(cases: readonly TypeCase[]): Record<string, ReadAs | { as: ReadAs; bits: number }> {
  return Object.fromEntries([
    ['id', 'int'],
    ...cases.map((c) => [c.name, c.bits === undefined ? c.as : { as: c.as, bits: c.bits }]),
  ]) as Record<string, ReadAs | { as: ReadAs; bits: number }>;
}

export function ddlBehaviours(h: Harness): void {
  test('createTable from a TableSchema with every ColumnType; a row of every type reads back exactly', async () => {
    const columns: ColumnSchema[] = [KEY, ...TYPE_CASES.map((c) => col(c.name, c.type))];
    await h.create('ct_types', columns, ['id']);
    // Creating it again is harmless (IF NOT EXISTS or its equivalent).
    await h.connector.executeDdl([h.connector.dialect.createTable(h.ref('ct_types'), columns, ['id'])]);
    const description = await h.connector.describeTable(h.ref('ct_types'));
    assert.ok(description);
    assert.deepEqual(
      description.columns.map((c) => c.name),
      columns.map((c) => c.name),
    );
    assert.deepEqual(description.primaryKey, ['id']);

    const full = row({ id: 1n, ...Object.fromEntries(TYPE_CASES.map((c) => [c.name, c.value])) });
    const nulls = row({ id: 2n, ...Object.fromEntries(TYPE_CASES.map((c) => [c.name, null])) });
    await h.apply('ct_types', columns, ['id'], { upserts: [full, nulls] });
    const rows = await h.read('ct_types', spec(TYPE_CASES), ['id']);
    const got = Object.fromEntries(TYPE_CASES.map((c, i) => [c.name, rows[0]?.[i + 1]]));
    const want = Object.fromEntries(TYPE_CASES.map((c) => [c.name, c.expected]));
    assert.deepEqual(got, want);
    assert.deepEqual(rows[1], ['2', ...TYPE_CASES.map(() => null)]);
  });

  test('addColumns adds nullable columns; a write then uses them', async () => {
    const base = [KEY, col('name', T.text)];
    await h.create('ct_addcol', base, ['id']);
    await h.apply('ct_addcol', base, ['id'], { upserts: [row({ id: 1n, name: 'before' })] });

    const added = [col('c_added', T.text, false), col('c_added_amount', dec(12, 2)), col('c_added_at', { kind: 'timestamptz', precision: 6 })];
    await h.connector.executeDdl(h.connector.dialect.addColumns(h.ref('ct_addcol'), added));
    const description = await h.connector.describeTable(h.ref('ct_addcol'));
    assert.ok(description);
    assert.deepEqual(
      description.columns.map((c) => [c.name, c.nullable]),
      [
        ['id', false],
        ['name', true],
        ['c_added', true],
        ['c_added_amount', true],
        ['c_added_at', true],
      ],
    );
    const all = [...base, ...added];
    await h.apply('ct_addcol', all, ['id'], {
      upserts: [
        row({ id: 1n, name: 'before', c_added: 'x', c_added_amount: '10.50', c_added_at: '2024-01-02T03:04:05.000006Z' }),
        row({ id: 2n, name: 'new', c_added: 'y', c_added_amount: null, c_added_at: null }),
      ],
    });
    assert.deepEqual(
      await h.read('ct_addcol', { id: 'int', name: 'text', c_added: 'text', c_added_amount: 'decimal', c_added_at: 'timestamptz' }, ['id']),
      [
        ['1', 'before', 'x', '10.5', '2024-01-02 03:04:05.000006'],
        ['2', 'new', 'y', null, null],
      ],
    );
  });
}
