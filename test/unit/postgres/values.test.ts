import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ColumnType } from '../../../connectors/core/column-type.ts';
import type { Value } from '../../../connectors/core/value.ts';
import {
  arrayLiteral,
  genericText,
  pgYears,
  truncateToMicros,
  valueToText,
} from '../../../connectors/postgres/values.ts';

const wkb = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex');

/** [what, value, source type, target cast (undefined: the type cdc-sink would create), text] */
const CASES: [string, Value, ColumnType | undefined, string | undefined, string | null][] = [
  ['null', null, { kind: 'int', bits: 32 }, undefined, null],
  ['true', true, { kind: 'boolean' }, undefined, 't'],
  ['false', false, { kind: 'boolean' }, undefined, 'f'],
  ['int8', -128, { kind: 'int', bits: 8 }, undefined, '-128'],
  ['int32 max', 2147483647, { kind: 'int', bits: 32 }, undefined, '2147483647'],
  ['int64 min', -9223372036854775808n, { kind: 'int', bits: 64 }, undefined, '-9223372036854775808'],
  ['int64 max', 9223372036854775807n, { kind: 'int', bits: 64 }, undefined, '9223372036854775807'],
  ['float', 0.1, { kind: 'float', bits: 64 }, undefined, '0.1'],
  ['float max', Number.MAX_VALUE, { kind: 'float', bits: 64 }, undefined, '1.7976931348623157e+308'],
  ['float min subnormal', 5e-324, { kind: 'float', bits: 64 }, undefined, '5e-324'],
  ['float NaN', NaN, { kind: 'float', bits: 64 }, undefined, 'NaN'],
  ['float +inf', Infinity, { kind: 'float', bits: 32 }, undefined, 'Infinity'],
  ['float -inf', -Infinity, { kind: 'float', bits: 32 }, undefined, '-Infinity'],
  ['float -0', -0, { kind: 'float', bits: 64 }, undefined, '-0'],
  ['decimal', '-12345678901234567890.123456789012345678', { kind: 'decimal', precision: 38, scale: 18 }, undefined, '-12345678901234567890.123456789012345678'],
  ['string', 'it\'s "quoted" \\ café ✓', { kind: 'string' }, undefined, 'it\'s "quoted" \\ café ✓'],
  ['empty string', '', { kind: 'string' }, undefined, ''],
  ['bytes', Buffer.from([0x00, 0xff, 0x10]), { kind: 'bytes' }, undefined, '\\x00ff10'],
  ['empty bytes', Buffer.alloc(0), { kind: 'bytes' }, undefined, '\\x'],
  ['bytes into PostGIS', Buffer.from([0x01, 0xab]), { kind: 'bytes' }, 'geometry', '01ab'],
  ['bits', '00101', { kind: 'bits', length: 5 }, undefined, '00101'],
  ['date', '2024-02-29', { kind: 'date' }, undefined, '2024-02-29'],
  ['date 0001', '0001-01-01', { kind: 'date' }, undefined, '0001-01-01'],
  ['date 9999', '9999-12-31', { kind: 'date' }, undefined, '9999-12-31'],
  ['date +10000', '+10000-01-01', { kind: 'date' }, undefined, '10000-01-01'],
  ['date year 0', '0000-06-01', { kind: 'date' }, undefined, '0001-06-01 BC'],
  ['date year -1', '-0001-06-01', { kind: 'date' }, undefined, '0002-06-01 BC'],
  ['date into text keeps the source text', '+10000-01-01', { kind: 'date' }, 'text', '+10000-01-01'],
  ['time micros', '23:59:59.999999', { kind: 'time', precision: 6 }, undefined, '23:59:59.999999'],
  ['time nanos truncated', '23:59:59.999999999', { kind: 'time', precision: 9 }, undefined, '23:59:59.999999'],
  ['time millis', '12:00:00.500', { kind: 'time', precision: 3 }, undefined, '12:00:00.500'],
  ['timetz nanos', '12:00:00.123456789Z', { kind: 'timetz' }, undefined, '12:00:00.123456Z'],
  ['timestamp', '2024-01-02T03:04:05.123456', { kind: 'timestamp', precision: 6 }, undefined, '2024-01-02T03:04:05.123456'],
  ['timestamp nanos truncated', '9999-12-31T23:59:59.999999999', { kind: 'timestamp', precision: 9 }, undefined, '9999-12-31T23:59:59.999999'],
  ['timestamp nanos into text keeps digits', '2024-01-01T00:00:00.123456789', { kind: 'timestamp', precision: 9 }, 'character varying', '2024-01-01T00:00:00.123456789'],
  ['timestamp +10000', '+10000-01-01T00:00:00', { kind: 'timestamp', precision: 6 }, undefined, '10000-01-01T00:00:00'],
  ['timestamptz', '2024-01-02T03:04:05.5Z', { kind: 'timestamptz' }, undefined, '2024-01-02T03:04:05.5Z'],
  ['timestamptz nanos', '2024-01-02T03:04:05.123456789Z', { kind: 'timestamptz' }, undefined, '2024-01-02T03:04:05.123456Z'],
  ['timestamptz infinity', 'infinity', { kind: 'timestamptz' }, undefined, 'infinity'],
  ['timestamptz -infinity', '-infinity', { kind: 'timestamptz' }, undefined, '-infinity'],
  ['timestamptz BC', '-0044-03-15T12:00:00Z', { kind: 'timestamptz' }, undefined, '0045-03-15T12:00:00Z BC'],
  ['interval', 'P1Y2M3DT4H5M6.78S', { kind: 'interval' }, undefined, 'P1Y2M3DT4H5M6.78S'],
  ['json', '{"a":[1,"x"],"b":null}', { kind: 'json' }, undefined, '{"a":[1,"x"],"b":null}'],
  ['uuid', '123e4567-e89b-12d3-a456-426614174000', { kind: 'uuid' }, undefined, '123e4567-e89b-12d3-a456-426614174000'],
  ['xml', '<a b="1">x</a>', { kind: 'xml' }, undefined, '<a b="1">x</a>'],
  ['enum', 'medium', { kind: 'enum', allowed: ['small', 'medium'] }, undefined, 'medium'],
  ['set', 'wifi,pool', { kind: 'set', allowed: ['wifi', 'pool'] }, undefined, 'wifi,pool'],
  ['year', 2024, { kind: 'year' }, undefined, '2024'],
  ['geometry -> bytea', { wkb, srid: 4326, x: 1, y: 2 }, { kind: 'geometry', shape: 'point' }, undefined, `\\x${wkb.toString('hex')}`],
  ['geometry -> PostGIS', { wkb, srid: 4326 }, { kind: 'geometry', shape: 'point' }, 'geometry(Point,4326)', `SRID=4326;${wkb.toString('hex')}`],
  ['geometry -> PostGIS no srid', { wkb, srid: null }, { kind: 'geometry', shape: 'geometry' }, 'public.geometry', wkb.toString('hex')],
  ['int array', [1, null, 3], { kind: 'array', items: { kind: 'int', bits: 32 } }, undefined, '{"1",NULL,"3"}'],
  ['empty array', [], { kind: 'array', items: { kind: 'int', bits: 32 } }, undefined, '{}'],
  ['2-d array', [[1n, 2n], [3n, null]], { kind: 'array', items: { kind: 'array', items: { kind: 'int', bits: 64 } } }, undefined, '{{"1","2"},{"3",NULL}}'],
  ['string array escaping', ['a,b', '{x}', '', 'NULL', 'say "hi"', 'back\\slash', ' sp '], { kind: 'array', items: { kind: 'string' } }, undefined, '{"a,b","{x}","","NULL","say \\"hi\\"","back\\\\slash"," sp "}'],
  ['bytea array', [Buffer.from([0, 255]), null], { kind: 'array', items: { kind: 'bytes' } }, undefined, '{"\\\\x00ff",NULL}'],
  ['timestamp array truncated', ['2024-01-01T00:00:00.123456789'], { kind: 'array', items: { kind: 'timestamp', precision: 9 } }, undefined, '{"2024-01-01T00:00:00.123456"}'],
  ['boolean array', [true, false], { kind: 'array', items: { kind: 'boolean' } }, undefined, '{"t","f"}'],
];

void describe('postgres value -> text', () => {
  for (const [what, value, type, cast, text] of CASES) {
    void test(`${what} -> ${JSON.stringify(text)}`, () => {
      assert.equal(valueToText(value, type, cast), text);
    });
  }

  void test('genericText without a column type', () => {
    assert.equal(genericText(12n), '12');
    assert.equal(genericText(Buffer.from('A')), '\\x41');
    assert.equal(genericText(['a', null]), '{"a",NULL}');
    assert.equal(genericText({ wkb: Buffer.from([1]), srid: null }), '\\x01');
  });
});

void describe('postgres helpers', () => {
  void test('pgYears', () => {
    assert.equal(pgYears('2024-01-01'), '2024-01-01');
    assert.equal(pgYears('+275760-09-13T00:00:00Z'), '275760-09-13T00:00:00Z');
    assert.equal(pgYears('0000-01-01T00:00:00'), '0001-01-01T00:00:00 BC');
    assert.equal(pgYears('-4712-01-01'), '4713-01-01 BC');
    assert.equal(pgYears('infinity'), 'infinity');
    assert.equal(pgYears('-infinity'), '-infinity');
  });

  void test('truncateToMicros', () => {
    assert.equal(truncateToMicros('00:00:00'), '00:00:00');
    assert.equal(truncateToMicros('00:00:00.1234567'), '00:00:00.123456');
    assert.equal(truncateToMicros('00:00:00.123456'), '00:00:00.123456');
    assert.equal(truncateToMicros('2024-01-01T00:00:00.000000009Z'), '2024-01-01T00:00:00.000000Z');
  });

  void test('arrayLiteral with a custom element encoder', () => {
    assert.equal(arrayLiteral([1, 2], (v) => `n${typeof v === 'number' ? v : '?'}`), '{"n1","n2"}');
    assert.equal(arrayLiteral([[], []], () => 'x'), '{{},{}}');
  });
});
