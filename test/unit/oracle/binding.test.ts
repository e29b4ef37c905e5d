import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ColumnType } from '../../../connectors/core/column-type.ts';
import type { Value } from '../../../connectors/core/value.ts';
import { bindingFor, conversionSql, targetFamily } from '../../../connectors/oracle/binding.ts';
import type { OracleBindType } from '../../../connectors/oracle/sql.ts';
import { columnTypeSql } from '../../../connectors/oracle/types.ts';
import {
  arrayJson,
  bitsBytes,
  timeIntervalText,
  timestampText,
  timestampTzText,
  uuidBytes,
} from '../../../connectors/oracle/values.ts';

interface Case {
  readonly type: ColumnType;
  readonly value: Value;
  readonly bind: OracleBindType;
  readonly sql: string;
  readonly bound: unknown;
  /** Target column type; default: what cdc-sink creates for the type. */
  readonly target?: string;
}

const geometry = { wkb: Buffer.from('0101000000000000000000f03f0000000000000040', 'hex'), srid: 4326, x: 1, y: 2 };

/** Every value kind into the column cdc-sink creates for it: bind type, SQL around :1, exact bound value. */
const CASES: Case[] = [
  { type: { kind: 'boolean' }, value: true, bind: 'number', sql: ':1', bound: 1 },
  { type: { kind: 'boolean' }, value: false, bind: 'number', sql: ':1', bound: 0 },
  { type: { kind: 'int', bits: 8 }, value: -128, bind: 'number', sql: ':1', bound: -128 },
  { type: { kind: 'int', bits: 16 }, value: 32767, bind: 'number', sql: ':1', bound: 32767 },
  { type: { kind: 'int', bits: 32 }, value: -2147483648, bind: 'number', sql: ':1', bound: -2147483648 },
  {
    type: { kind: 'int', bits: 64 },
    value: 9223372036854775807n,
    bind: 'varchar',
    sql: 'TO_NUMBER(:1)',
    bound: '9223372036854775807',
  },
  { type: { kind: 'int', bits: 64 }, value: -9007199254740993n, bind: 'varchar', sql: 'TO_NUMBER(:1)', bound: '-9007199254740993' },
  { type: { kind: 'float', bits: 32 }, value: 0.5, bind: 'binary_float', sql: ':1', bound: 0.5 },
  { type: { kind: 'float', bits: 64 }, value: 0.1, bind: 'binary_double', sql: ':1', bound: 0.1 },
  { type: { kind: 'float', bits: 64 }, value: NaN, bind: 'binary_double', sql: ':1', bound: NaN },
  { type: { kind: 'float', bits: 64 }, value: -Infinity, bind: 'binary_double', sql: ':1', bound: -Infinity },
  {
    type: { kind: 'decimal', precision: 38, scale: 18 },
    value: '12345678901234567890.123456789012345678',
    bind: 'varchar',
    sql: 'TO_NUMBER(:1)',
    bound: '12345678901234567890.123456789012345678',
  },
  { type: { kind: 'decimal' }, value: '-0.125', bind: 'varchar', sql: 'TO_NUMBER(:1)', bound: '-0.125' },
  { type: { kind: 'string', maxLength: 20 }, value: 'héllo', bind: 'varchar', sql: ':1', bound: 'héllo' },
  { type: { kind: 'string' }, value: 'long text', bind: 'clob', sql: ':1', bound: 'long text' },
  { type: { kind: 'bytes', maxLength: 4 }, value: Buffer.from([0, 255]), bind: 'raw', sql: ':1', bound: Buffer.from([0, 255]) },
  { type: { kind: 'bytes' }, value: Buffer.from('abc'), bind: 'blob', sql: ':1', bound: Buffer.from('abc') },
  { type: { kind: 'date' }, value: '2024-02-29', bind: 'varchar', sql: "TO_DATE(:1, 'YYYY-MM-DD')", bound: '2024-02-29' },
  {
    type: { kind: 'time', precision: 6 },
    value: '10:30:00.123456',
    bind: 'varchar',
    sql: 'TO_DSINTERVAL(:1)',
    bound: '0 10:30:00.123456',
  },
  { type: { kind: 'time', precision: 0 }, value: '24:00:00', bind: 'varchar', sql: 'TO_DSINTERVAL(:1)', bound: '1 00:00:00' },
  { type: { kind: 'timetz' }, value: '11:51:30.123789Z', bind: 'varchar', sql: ':1', bound: '11:51:30.123789Z' },
  {
    type: { kind: 'timestamp', precision: 6 },
    value: '2024-03-15T08:20:30.123456',
    bind: 'varchar',
    sql: `TO_TIMESTAMP(:1, 'YYYY-MM-DD"T"HH24:MI:SS.FF9')`,
    bound: '2024-03-15T08:20:30.123456000',
  },
  {
    type: { kind: 'timestamp', precision: 9 },
    value: '1970-01-01T00:00:00.000000001',
    bind: 'varchar',
    sql: `TO_TIMESTAMP(:1, 'YYYY-MM-DD"T"HH24:MI:SS.FF9')`,
    bound: '1970-01-01T00:00:00.000000001',
  },
  {
    type: { kind: 'timestamp', precision: 0 },
    value: '2024-03-15T08:20:30',
    bind: 'varchar',
    sql: `TO_TIMESTAMP(:1, 'YYYY-MM-DD"T"HH24:MI:SS.FF9')`,
    bound: '2024-03-15T08:20:30.000000000',
  },
  {
    type: { kind: 'timestamptz', precision: 6 },
    value: '2024-03-15T08:20:30.123456Z',
    bind: 'varchar',
    sql: `TO_TIMESTAMP_TZ(:1, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')`,
    bound: '2024-03-15T08:20:30.123456000+00:00',
  },
  {
    type: { kind: 'timestamptz' },
    value: '2024-03-15T08:20:30Z',
    bind: 'varchar',
    sql: `TO_TIMESTAMP_TZ(:1, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')`,
    bound: '2024-03-15T08:20:30.000000000+00:00',
  },
  {
    type: { kind: 'timestamptz' },
    value: 'infinity',
    bind: 'varchar',
    sql: `TO_TIMESTAMP_TZ(:1, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')`,
    bound: 'infinity', // Oracle rejects it: a data error for that row
  },
  { type: { kind: 'interval' }, value: 'P1Y2M3DT4H5M6.78S', bind: 'varchar', sql: ':1', bound: 'P1Y2M3DT4H5M6.78S' },
  { type: { kind: 'json' }, value: '{"a":[1,2]}', bind: 'clob', sql: ':1', bound: '{"a":[1,2]}' },
  {
    type: { kind: 'uuid' },
    value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    bind: 'raw',
    sql: ':1',
    bound: Buffer.from('a0eebc999c0b4ef8bb6d6bb9bd380a11', 'hex'),
  },
  { type: { kind: 'xml' }, value: '<a>1</a>', bind: 'clob', sql: ':1', bound: '<a>1</a>' },
  { type: { kind: 'enum', allowed: ['new', 'paid'] }, value: 'paid', bind: 'varchar', sql: ':1', bound: 'paid' },
  { type: { kind: 'set', allowed: ['wifi', 'pool'] }, value: 'wifi,pool', bind: 'varchar', sql: ':1', bound: 'wifi,pool' },
  { type: { kind: 'bits', length: 10 }, value: '1000000001', bind: 'raw', sql: ':1', bound: Buffer.from([0x02, 0x01]) },
  { type: { kind: 'year' }, value: 2024, bind: 'number', sql: ':1', bound: 2024 },
  { type: { kind: 'geometry', shape: 'point' }, value: geometry, bind: 'blob', sql: ':1', bound: geometry.wkb },
  {
    type: { kind: 'array', items: { kind: 'int', bits: 64 } },
    value: [1n, 9007199254740993n, null],
    bind: 'clob',
    sql: ':1',
    bound: '[1,9007199254740993,null]',
  },
  {
    type: { kind: 'array', items: { kind: 'decimal', precision: 10, scale: 2 } },
    value: ['1.50', '-0.25'],
    bind: 'clob',
    sql: ':1',
    bound: '[1.50,-0.25]',
  },
  {
    type: { kind: 'array', items: { kind: 'array', items: { kind: 'string' } } },
    value: [['a', 'b"c'], []],
    bind: 'clob',
    sql: ':1',
    bound: '[["a","b\\"c"],[]]',
  },
  // Targets created by someone else: the target type decides the conversion.
  { type: { kind: 'uuid' }, value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', target: 'VARCHAR2(36 CHAR)', bind: 'varchar', sql: ':1', bound: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' },
  { type: { kind: 'int', bits: 64 }, value: 42n, target: 'VARCHAR2(20 BYTE)', bind: 'varchar', sql: ':1', bound: '42' },
  { type: { kind: 'bytes' }, value: Buffer.from([0xca, 0xfe]), target: 'VARCHAR2(10 BYTE)', bind: 'varchar', sql: ':1', bound: 'cafe' },
  { type: { kind: 'boolean' }, value: true, target: 'BOOLEAN', bind: 'boolean', sql: ':1', bound: true },
  { type: { kind: 'boolean' }, value: true, target: 'CHAR(5 CHAR)', bind: 'varchar', sql: ':1', bound: 'true' },
  { type: { kind: 'float', bits: 64 }, value: 1.5, target: 'NUMBER', bind: 'binary_double', sql: ':1', bound: 1.5 },
  { type: { kind: 'decimal' }, value: '1.5', target: 'BINARY_DOUBLE', bind: 'varchar', sql: 'TO_BINARY_DOUBLE(:1)', bound: '1.5' },
  { type: { kind: 'decimal' }, value: '1.5', target: 'BINARY_FLOAT', bind: 'varchar', sql: 'TO_BINARY_FLOAT(:1)', bound: '1.5' },
  { type: { kind: 'int', bits: 32 }, value: 7, target: 'BINARY_DOUBLE', bind: 'binary_double', sql: ':1', bound: 7 },
  { type: { kind: 'date' }, value: '2024-01-02', target: 'TIMESTAMP(6)', bind: 'varchar', sql: "TO_DATE(:1, 'YYYY-MM-DD')", bound: '2024-01-02' },
  {
    type: { kind: 'timestamp', precision: 3 },
    value: '2024-01-02T03:04:05.678',
    target: 'DATE',
    bind: 'varchar',
    sql: `TO_TIMESTAMP(:1, 'YYYY-MM-DD"T"HH24:MI:SS.FF9')`,
    bound: '2024-01-02T03:04:05.678000000',
  },
  { type: { kind: 'timestamp', precision: 3 }, value: '2024-01-02T03:04:05.678', target: 'VARCHAR2(30 CHAR)', bind: 'varchar', sql: ':1', bound: '2024-01-02T03:04:05.678' },
  { type: { kind: 'interval' }, value: 'P3DT4H', target: 'INTERVAL DAY(2) TO SECOND(6)', bind: 'varchar', sql: 'TO_DSINTERVAL(:1)', bound: 'P3DT4H' },
  { type: { kind: 'timetz' }, value: '23:59:59.5Z', target: 'INTERVAL DAY(1) TO SECOND(6)', bind: 'varchar', sql: 'TO_DSINTERVAL(:1)', bound: '0 23:59:59.5' },
  { type: { kind: 'json' }, value: '{}', target: 'JSON', bind: 'clob', sql: ':1', bound: '{}' },
  { type: { kind: 'json' }, value: '{}', target: 'VARCHAR2(4000 BYTE)', bind: 'varchar', sql: ':1', bound: '{}' },
  { type: { kind: 'string' }, value: 'x', target: 'NVARCHAR2(10)', bind: 'varchar', sql: ':1', bound: 'x' },
  { type: { kind: 'string' }, value: '<x/>', target: 'XMLTYPE', bind: 'varchar', sql: ':1', bound: '<x/>' },
];

describe('oracle bindings: every value kind', () => {
  for (const c of CASES) {
    const target = c.target ?? columnTypeSql(c.type, { jsonColumnType: 'clob' });
    const shown = typeof c.value === 'string' || typeof c.value === 'number' || typeof c.value === 'boolean' ? String(c.value) : typeof c.value;
    test(`${JSON.stringify(c.type)} into ${target}: ${shown}`, () => {
      const b = bindingFor(c.type, target);
      assert.equal(b.bindType, c.bind);
      assert.equal(conversionSql(b.conversion, ':1'), c.sql);
      const bound = b.encode(c.value);
      if (typeof c.bound === 'number' && Number.isNaN(c.bound)) assert.ok(Number.isNaN(bound));
      else assert.deepEqual(bound, c.bound);
    });
  }

  test('unknown source type: text for text columns, TO_NUMBER for numbers, Buffers for RAW', () => {
    assert.equal(bindingFor(undefined, 'VARCHAR2(10 CHAR)').encode(12), '12');
    const n = bindingFor(undefined, 'NUMBER(19)');
    assert.equal(n.conversion, 'to_number');
    assert.equal(n.encode(12345678901234567890n), '12345678901234567890');
    assert.deepEqual(bindingFor(undefined, 'RAW(4)').encode(Buffer.from([1])), Buffer.from([1]));
    assert.throws(() => bindingFor(undefined, 'RAW(4)').encode('x'), /expected bytes, got a string/);
  });

  test('values that cannot be encoded throw plain errors', () => {
    assert.throws(() => bindingFor({ kind: 'uuid' }, 'RAW(16)').encode('not-a-uuid'), /is not a UUID/);
    assert.throws(() => bindingFor({ kind: 'bits', length: 3 }, 'RAW(1)').encode('102'), /only 0 and 1/);
    assert.throws(() => bindingFor({ kind: 'int', bits: 32 }, 'NUMBER(10)').encode('7'), /expected a number, got a string/);
    assert.equal(bindingFor({ kind: 'int', bits: 32 }, 'NUMBER(10)').encode(7n), 7);
    assert.throws(() => bindingFor({ kind: 'int', bits: 32 }, 'NUMBER(10)').encode(2n ** 60n), /expected a number, got a bigint/);
  });
});

describe('oracle target families', () => {
  const cases: [string, string][] = [
    ['VARCHAR2(20 CHAR)', 'text'],
    ['VARCHAR2(20 BYTE)', 'text'],
    ['NVARCHAR2(20)', 'text'],
    ['CHAR(1 BYTE)', 'text'],
    ['NCHAR(3)', 'text'],
    ['CLOB', 'clob'],
    ['NCLOB', 'clob'],
    ['JSON', 'clob'],
    ['NUMBER', 'number'],
    ['NUMBER(10)', 'number'],
    ['NUMBER(*,0)', 'number'],
    ['FLOAT(126)', 'number'],
    ['binary_double', 'binary_double'],
    ['BINARY_FLOAT', 'binary_float'],
    ['BOOLEAN', 'boolean'],
    ['RAW(16)', 'raw'],
    ['LONG RAW', 'raw'],
    ['BLOB', 'blob'],
    ['DATE', 'date'],
    ['TIMESTAMP(6)', 'timestamp'],
    ['TIMESTAMP(6) WITH TIME ZONE', 'timestamp'],
    ['TIMESTAMP(9) WITH LOCAL TIME ZONE', 'timestamp'],
    ['INTERVAL DAY(1) TO SECOND(6)', 'dsinterval'],
    ['INTERVAL YEAR(2) TO MONTH', 'other'],
    ['XMLTYPE', 'other'],
    ['SDO_GEOMETRY', 'other'],
  ];
  for (const [dataType, family] of cases) {
    test(`${dataType} -> ${family}`, () => assert.equal(targetFamily(dataType), family));
  }
});

describe('oracle value encodings', () => {
  test('timestamps: fraction padded to 9 digits, zone as +HH:MM', () => {
    assert.equal(timestampText('2024-01-01T00:00:00.1'), '2024-01-01T00:00:00.100000000');
    assert.equal(timestampText('+10000-01-01T00:00:00'), '+10000-01-01T00:00:00.000000000');
    assert.equal(timestampText('garbage'), 'garbage');
    assert.equal(timestampTzText('2024-01-01T00:00:00.123456789Z'), '2024-01-01T00:00:00.123456789+00:00');
    assert.equal(timestampTzText('2024-01-01T05:30:00+05:30'), '2024-01-01T05:30:00.000000000+05:30');
    assert.equal(timestampTzText('-infinity'), '-infinity');
  });

  test('times: "D HH:MM:SS[.f]" for TO_DSINTERVAL', () => {
    assert.equal(timeIntervalText('00:00:00'), '0 00:00:00');
    assert.equal(timeIntervalText('23:59:59.999999999'), '0 23:59:59.999999999');
    assert.equal(timeIntervalText('24:00:00'), '1 00:00:00');
    assert.equal(timeIntervalText('11:51:30.5Z'), '0 11:51:30.5');
  });

  test('uuids and bits to bytes', () => {
    assert.deepEqual(uuidBytes('A0EEBC999C0B4EF8BB6D6BB9BD380A11'), Buffer.from('a0eebc999c0b4ef8bb6d6bb9bd380a11', 'hex'));
    assert.deepEqual(bitsBytes('1'), Buffer.from([1]));
    assert.deepEqual(bitsBytes('11111111'), Buffer.from([0xff]));
    assert.deepEqual(bitsBytes('100000000'), Buffer.from([1, 0]));
    assert.deepEqual(bitsBytes(''), Buffer.from([0]));
  });

  test('arrays as JSON text', () => {
    const of = (items: ColumnType): ColumnType => ({ kind: 'array', items });
    assert.equal(arrayJson([1.5, NaN, true, 'x'], of({ kind: 'string' })), '[1.5,"NaN",true,"x"]');
    assert.equal(arrayJson([Buffer.from('hi')], of({ kind: 'bytes' })), '["aGk="]');
    assert.equal(arrayJson(['{"a":1}', null], of({ kind: 'json' })), '[{"a":1},null]');
    assert.equal(arrayJson(['NaN', '2.5'], of({ kind: 'decimal' })), '["NaN",2.5]');
    assert.equal(arrayJson([[1n], [2n, 3n]], of(of({ kind: 'int', bits: 64 }))), '[[1],[2,3]]');
    assert.equal(arrayJson([{ wkb: Buffer.from([1]), srid: 4326 }], of({ kind: 'geometry', shape: 'point' })), '[{"wkb":"AQ==","srid":4326}]');
    assert.equal(arrayJson(['1.5'], undefined), '["1.5"]');
  });
});
