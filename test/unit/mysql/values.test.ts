import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ColumnType } from '../../../connectors/core/column-type.ts';
import { TargetError } from '../../../connectors/core/errors.ts';
import type { Value } from '../../../connectors/core/value.ts';
import { jsonText } from '../../../connectors/mysql/json-text.ts';
import { timestamptzText, truncateToMicros } from '../../../connectors/mysql/temporal.ts';
import { bitsToBuffer, valueEncoder, type Bind } from '../../../connectors/mysql/values.ts';

function encode(type: ColumnType, v: Value, targetType = 'longtext'): Bind {
  return valueEncoder('app.t', 'c', { name: 'c', type, optional: true }, { name: 'c', dataType: targetType, nullable: true })(v);
}

const wkb = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex');

const cases: [string, ColumnType, Value, Bind, string?][] = [
  ['boolean true', { kind: 'boolean' }, true, 1],
  ['boolean false', { kind: 'boolean' }, false, 0],
  ['int8', { kind: 'int', bits: 8 }, -128, -128],
  ['int32', { kind: 'int', bits: 32 }, 2147483647, 2147483647],
  ['int64 max', { kind: 'int', bits: 64 }, 9223372036854775807n, '9223372036854775807'],
  ['int64 min', { kind: 'int', bits: 64 }, -9223372036854775808n, '-9223372036854775808'],
  ['float', { kind: 'float', bits: 64 }, 1.5e300, 1.5e300],
  ['float -0', { kind: 'float', bits: 32 }, -0, -0],
  ['decimal', { kind: 'decimal', precision: 38, scale: 18 }, '-12345678901234567890.123456789012345678', '-12345678901234567890.123456789012345678'],
  ['decimal from bigint', { kind: 'decimal', precision: 20, scale: 0 }, 18446744073709551615n, '18446744073709551615'],
  ['string', { kind: 'string' }, 'héllo 😀', 'héllo 😀'],
  ['string with NUL and quotes', { kind: 'string' }, "a\u0000'\"\\b", "a\u0000'\"\\b"],
  ['bytes', { kind: 'bytes' }, Buffer.from([0, 255, 39]), Buffer.from([0, 255, 39])],
  ['bits 8 -> BIT', { kind: 'bits', length: 8 }, '10000001', Buffer.from([0x81]), 'bit(8)'],
  ['bits 4 -> BIT (right-aligned)', { kind: 'bits', length: 4 }, '0101', Buffer.from([0x05]), 'bit(4)'],
  ['bits 12', { kind: 'bits', length: 12 }, '100000000001', Buffer.from([0x08, 0x01]), 'bit(12)'],
  ['bits 72 -> VARBINARY', { kind: 'bits', length: 72 }, '1'.padEnd(72, '0'), Buffer.from('800000000000000000', 'hex'), 'varbinary(9)'],
  ['bits into a text column stay text', { kind: 'bits', length: 4 }, '0101', '0101', 'varchar(10)'],
  ['date', { kind: 'date' }, '0001-01-01', '0001-01-01'],
  ['date max', { kind: 'date' }, '9999-12-31', '9999-12-31'],
  ['time micros', { kind: 'time', precision: 6 }, '23:59:59.999999', '23:59:59.999999'],
  ['time nanos truncated', { kind: 'time', precision: 9 }, '12:00:00.123456789', '12:00:00.123456'],
  ['time nanos not rounded', { kind: 'time', precision: 9 }, '23:59:59.999999999', '23:59:59.999999'],
  ['time millis', { kind: 'time', precision: 3 }, '01:02:03.004', '01:02:03.004'],
  ['timetz', { kind: 'timetz' }, '10:15:30.5Z', '10:15:30.5'],
  ['timestamp', { kind: 'timestamp', precision: 6 }, '2024-02-29T13:14:15.123456', '2024-02-29 13:14:15.123456'],
  ['timestamp min', { kind: 'timestamp', precision: 6 }, '0001-01-01T00:00:00', '0001-01-01 00:00:00'],
  ['timestamp nanos', { kind: 'timestamp', precision: 9 }, '9999-12-31T23:59:59.999999999', '9999-12-31 23:59:59.999999'],
  ['timestamptz Z', { kind: 'timestamptz' }, '2024-01-02T03:04:05.678901Z', '2024-01-02 03:04:05.678901'],
  ['timestamptz +02:00 -> UTC', { kind: 'timestamptz' }, '2024-01-01T01:30:00.25+02:00', '2023-12-31 23:30:00.25'],
  ['timestamptz -05:30 -> UTC', { kind: 'timestamptz' }, '2024-12-31T20:00:00-0530', '2025-01-01 01:30:00'],
  ['uuid char36', { kind: 'uuid' }, '8d3c2b1a-0000-4000-8000-00000000000f', '8d3c2b1a-0000-4000-8000-00000000000f', 'char(36)'],
  ['uuid binary16', { kind: 'uuid' }, '8d3c2b1a-0000-4000-8000-00000000000f', Buffer.from('8d3c2b1a000040008000' + '00000000000f', 'hex'), 'binary(16)'],
  ['json', { kind: 'json' }, '{"a": [1, 2.5, "x"]}', '{"a": [1, 2.5, "x"]}'],
  ['xml', { kind: 'xml' }, '<a/>', '<a/>'],
  ['enum', { kind: 'enum', allowed: ['x'] }, 'x', 'x'],
  ['set', { kind: 'set', allowed: ['wifi', 'pool'] }, 'wifi,pool', 'wifi,pool'],
  ['interval', { kind: 'interval' }, 'P1Y2M3DT4H5M6.78S', 'P1Y2M3DT4H5M6.78S'],
  ['year', { kind: 'year' }, 2155, 2155],
  ['geometry -> WKB', { kind: 'geometry', shape: 'point' }, { wkb, srid: 4326 }, wkb, 'longblob'],
  ['geometry into a spatial column -> SRID + WKB', { kind: 'geometry', shape: 'point' }, { wkb, srid: 4326 }, Buffer.concat([Buffer.from([0xe6, 0x10, 0, 0]), wkb]), 'point'],
  ['array of ints', { kind: 'array', items: { kind: 'int', bits: 64 } }, [1n, null, 9007199254740993n], '[1,null,9007199254740993]'],
  ['array of decimals stays strings', { kind: 'array', items: { kind: 'decimal', scale: 2 } }, ['1.10', '-2.00'], '["1.10","-2.00"]'],
  ['null', { kind: 'int', bits: 32 }, null, null],
];

describe('mysql values -> binds', () => {
  for (const [name, type, value, bind, targetType] of cases) {
    test(name, () => assert.deepEqual(encode(type, value, targetType), bind));
  }

  test('a column the schema does not know is bound as is', () => {
    const e = valueEncoder('app.t', 'x', undefined, undefined);
    assert.equal(e(5n), '5');
    assert.equal(e(true), 1);
    assert.equal(e([true, 'a']), '[true,"a"]');
  });

  const bad: [string, ColumnType, Value, RegExp][] = [
    ['NaN float', { kind: 'float', bits: 64 }, NaN, /column c of app\.t: NaN cannot be stored/],
    ['Infinity float', { kind: 'float', bits: 32 }, Infinity, /Infinity cannot be stored/],
    ['NaN decimal', { kind: 'decimal', precision: 10, scale: 2 }, 'NaN', /"NaN" is not a decimal/],
    ['infinity timestamptz', { kind: 'timestamptz' }, 'infinity', /"infinity" has no MySQL equivalent/],
    ['-infinity timestamptz', { kind: 'timestamptz' }, '-infinity', /no MySQL equivalent/],
    ['year 10000 date', { kind: 'date' }, '+10000-01-01', /not a date MySQL can store/],
    ['BC timestamp', { kind: 'timestamp', precision: 6 }, '-0044-03-15T00:00:00', /not a timestamp/],
    ['bad uuid into binary16', { kind: 'uuid' }, 'nope', /"nope" is not a uuid/],
    ['bits with a 2', { kind: 'bits', length: 2 }, '02', /not a bit string/],
    ['NaN in an array', { kind: 'array', items: { kind: 'float', bits: 64 } }, [1, NaN], /cannot be stored in JSON/],
    ['a number as a date', { kind: 'date' }, 19000, /expected a date as a string/],
  ];
  for (const [name, type, value, message] of bad) {
    test(`data error: ${name}`, () => {
      assert.throws(
        () => encode(type, value, 'binary(16)'),
        (err: unknown) =>
          err instanceof TargetError && err.kind === 'data' && err.code === 'CDC_TARGET_DATA' && err.table === 'app.t' && message.test(err.message),
      );
    });
  }
});

describe('mysql value helpers', () => {
  test('truncateToMicros keeps 0-6 digits and cuts 7-9', () => {
    assert.equal(truncateToMicros('00:00:01'), '00:00:01');
    assert.equal(truncateToMicros('00:00:01.5'), '00:00:01.5');
    assert.equal(truncateToMicros('2020-01-01 00:00:01.1234567'), '2020-01-01 00:00:01.123456');
  });

  test('timestamptz conversion crosses years and keeps the fraction', () => {
    assert.equal(timestamptzText('0001-01-01T00:30:00.1+01:00'), '0000-12-31 23:30:00.1');
    assert.equal(timestamptzText('9999-12-31T23:59:59.999999999Z'), '9999-12-31 23:59:59.999999');
    assert.throws(() => timestamptzText('9999-12-31T23:00:00-02:00'), /outside the years/);
  });

  test('bitsToBuffer', () => {
    assert.deepEqual(bitsToBuffer(''), Buffer.from([0]));
    assert.deepEqual(bitsToBuffer('1'), Buffer.from([1]));
    assert.deepEqual(bitsToBuffer('111111111'), Buffer.from([1, 255]));
  });

  test('jsonText of nested arrays, buffers and booleans', () => {
    assert.equal(jsonText([[1, 2], [], Buffer.from('hi'), false, 'q"']), '[[1,2],[],"aGk=",false,"q\\""]');
  });
});
