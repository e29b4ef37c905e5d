import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ColumnType } from '../../../connectors/core/column-type.ts';
import type { FieldSchema } from './build.ts';
import { decimalBase64, decodeColumn, raw } from './build.ts';

const DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const dec = (precision: number | undefined, scale: number): Omit<FieldSchema, 'field'> => ({
  type: 'bytes',
  name: DECIMAL,
  parameters: precision === undefined ? { scale: String(scale) } : { scale: String(scale), 'connect.decimal.precision': String(precision) },
});
const VSD: Omit<FieldSchema, 'field'> = {
  type: 'struct',
  name: 'io.debezium.data.VariableScaleDecimal',
  fields: [
    { type: 'int32', optional: false, field: 'scale' },
    { type: 'bytes', optional: false, field: 'value' },
  ],
};
const named = (type: string, name: string, parameters?: Record<string, string>): Omit<FieldSchema, 'field'> => ({ type, name, parameters });
const t = (name: string) => `io.debezium.time.${name}`;

type Case = readonly [title: string, schema: Omit<FieldSchema, 'field'>, wire: unknown, value: unknown, type: ColumnType];

const BIG = 12345678901234567890123456789012345678n;
const decimalCases: Case[] = [
  ['numeric(38,18) positive', dec(38, 18), decimalBase64(BIG), '12345678901234567890.123456789012345678', { kind: 'decimal', precision: 38, scale: 18 }],
  ['numeric(38,18) negative', dec(38, 18), decimalBase64(-BIG), '-12345678901234567890.123456789012345678', { kind: 'decimal', precision: 38, scale: 18 }],
  ['negative below one', dec(5, 3), 'gw==', '-0.125', { kind: 'decimal', precision: 5, scale: 3 }],
  ['README anchor 150.00', dec(10, 2), 'Opg=', '150.00', { kind: 'decimal', precision: 10, scale: 2 }],
  ['scale 0', dec(10, 0), 'Kg==', '42', { kind: 'decimal', precision: 10, scale: 0 }],
  ['scale 0 negative', dec(10, 0), '/w==', '-1', { kind: 'decimal', precision: 10, scale: 0 }],
  ['zero with scale 2', dec(10, 2), 'AA==', '0.00', { kind: 'decimal', precision: 10, scale: 2 }],
  ['small fraction 0.01', dec(10, 2), 'AQ==', '0.01', { kind: 'decimal', precision: 10, scale: 2 }],
  ['MONEY without precision', dec(undefined, 2), 'BNI=', '12.34', { kind: 'decimal', scale: 2 }],
  ['-2^63 unscaled, scale 4', dec(38, 4), decimalBase64(-(2n ** 63n)), '-922337203685477.5808', { kind: 'decimal', precision: 38, scale: 4 }],
  ['decimal.format=NUMERIC short', dec(10, 2), 1234.5, '1234.50', { kind: 'decimal', precision: 10, scale: 2 }],
  ['decimal.format=NUMERIC negative', dec(10, 3), -0.001, '-0.001', { kind: 'decimal', precision: 10, scale: 3 }],
  ['decimal.format=NUMERIC 38 digits', dec(38, 18), raw('12345678901234567890.123456789012345678'), '12345678901234567890.123456789012345678', { kind: 'decimal', precision: 38, scale: 18 }],
  ['decimal.format=NUMERIC exponent', dec(10, 0), raw('1.5E+3'), '1500', { kind: 'decimal', precision: 10, scale: 0 }],
  ['decimal.format=NUMERIC tiny exponent', dec(20, 7), raw('-1E-7'), '-0.0000001', { kind: 'decimal', precision: 20, scale: 7 }],
  ['VariableScaleDecimal 3.14159', VSD, { scale: 5, value: 'BMsv' }, '3.14159', { kind: 'decimal' }],
  ['VariableScaleDecimal scale 0', VSD, { scale: 0, value: 'Kg==' }, '42', { kind: 'decimal' }],
  ['VariableScaleDecimal negative', VSD, { scale: 3, value: 'gw==' }, '-0.125', { kind: 'decimal' }],
  ['VariableScaleDecimal 38 digits', VSD, { scale: 18, value: decimalBase64(-BIG) }, '-12345678901234567890.123456789012345678', { kind: 'decimal' }],
  ['VariableScaleDecimal negative scale', VSD, { scale: -3, value: 'Kg==' }, '42000', { kind: 'decimal' }],
  [
    'decimal.handling.mode=string with propagated NUMERIC(10,2)',
    { type: 'string', parameters: { '__debezium.source.column.type': 'NUMERIC', '__debezium.source.column.length': '10', '__debezium.source.column.scale': '2' } },
    '1234.56',
    '1234.56',
    { kind: 'decimal', precision: 10, scale: 2 },
  ],
  ['decimal.handling.mode=string NaN', { type: 'string', parameters: { '__debezium.source.column.type': 'NUMERIC' } }, 'NAN', 'NaN', { kind: 'decimal' }],
];

const INT64: ColumnType = { kind: 'int', bits: 64 };
const integerCases: Case[] = [
  ['int64 max', { type: 'int64' }, raw('9223372036854775807'), 9223372036854775807n, INT64],
  ['int64 min', { type: 'int64' }, raw('-9223372036854775808'), -9223372036854775808n, INT64],
  ['int64 2^53+1', { type: 'int64' }, raw('9007199254740993'), 9007199254740993n, INT64],
  ['int64 small', { type: 'int64' }, 5, 5n, INT64],
  ['int64 15 digits', { type: 'int64' }, 999999999999999, 999999999999999n, INT64],
  ['int32', { type: 'int32' }, -2147483648, -2147483648, { kind: 'int', bits: 32 }],
  ['int16', { type: 'int16' }, 32767, 32767, { kind: 'int', bits: 16 }],
  ['int8', { type: 'int8' }, -128, -128, { kind: 'int', bits: 8 }],
  ['boolean', { type: 'boolean' }, false, false, { kind: 'boolean' }],
  ['double NaN', { type: 'double' }, 'NaN', NaN, { kind: 'float', bits: 64 }],
  ['double Infinity', { type: 'double' }, 'Infinity', Infinity, { kind: 'float', bits: 64 }],
  ['double -Infinity', { type: 'double' }, '-Infinity', -Infinity, { kind: 'float', bits: 64 }],
  ['float NaN', { type: 'float' }, 'NaN', NaN, { kind: 'float', bits: 32 }],
  ['double with 17 digits', { type: 'double' }, raw('0.30000000000000004'), 0.30000000000000004, { kind: 'float', bits: 64 }],
  ['float', { type: 'float' }, 3.5, 3.5, { kind: 'float', bits: 32 }],
];

const TS6: ColumnType = { kind: 'timestamp', precision: 6 };
const TS9: ColumnType = { kind: 'timestamp', precision: 9 };
const TS3: ColumnType = { kind: 'timestamp', precision: 3 };
const temporalCases: Case[] = [
  ['MicroTimestamp with micros', named('int64', t('MicroTimestamp')), raw('1710498030123456'), '2024-03-15T10:20:30.123456', TS6],
  ['MicroTimestamp epoch', named('int64', t('MicroTimestamp')), 0, '1970-01-01T00:00:00.000000', TS6],
  ['MicroTimestamp before 1970', named('int64', t('MicroTimestamp')), -1, '1969-12-31T23:59:59.999999', TS6],
  ['MicroTimestamp 0001-01-01', named('int64', t('MicroTimestamp')), raw('-62135596800000000'), '0001-01-01T00:00:00.000000', TS6],
  ['MicroTimestamp 9999-12-31T23:59:59.999999', named('int64', t('MicroTimestamp')), raw('253402300799999999'), '9999-12-31T23:59:59.999999', TS6],
  ['MicroTimestamp year 10000', named('int64', t('MicroTimestamp')), raw('253402300800000000'), '+10000-01-01T00:00:00.000000', TS6],
  ['NanoTimestamp', named('int64', t('NanoTimestamp')), raw('1710498030123456789'), '2024-03-15T10:20:30.123456789', TS9],
  ['NanoTimestamp before 1970', named('int64', t('NanoTimestamp')), -1, '1969-12-31T23:59:59.999999999', TS9],
  ['NanoTimestamp 1677 (range start)', named('int64', t('NanoTimestamp')), raw('-9223372036854775808'), '1677-09-21T00:12:43.145224192', TS9],
  ['Timestamp ms', named('int64', t('Timestamp')), 1710498030123, '2024-03-15T10:20:30.123', TS3],
  ['Timestamp ms before 1970', named('int64', t('Timestamp')), -1, '1969-12-31T23:59:59.999', TS3],
  ['Timestamp ms 0001-01-01', named('int64', t('Timestamp')), -62135596800000, '0001-01-01T00:00:00.000', TS3],
  ['connect Timestamp', named('int64', 'org.apache.kafka.connect.data.Timestamp'), 1710498030123, '2024-03-15T10:20:30.123', TS3],
  ['Date leap day', named('int32', t('Date')), 19782, '2024-02-29', { kind: 'date' }],
  ['Date epoch', named('int32', t('Date')), 0, '1970-01-01', { kind: 'date' }],
  ['Date before 1970', named('int32', t('Date')), -1, '1969-12-31', { kind: 'date' }],
  ['Date 0001-01-01', named('int32', t('Date')), -719162, '0001-01-01', { kind: 'date' }],
  ['Date 9999-12-31', named('int32', t('Date')), 2932896, '9999-12-31', { kind: 'date' }],
  ['Date year 10000', named('int32', t('Date')), 2932897, '+10000-01-01', { kind: 'date' }],
  ['connect Date', named('int32', 'org.apache.kafka.connect.data.Date'), 19782, '2024-02-29', { kind: 'date' }],
  ['MicroTime 08:30', named('int64', t('MicroTime')), 30600000000, '08:30:00.000000', { kind: 'time', precision: 6 }],
  ['MicroTime PG 24:00:00', named('int64', t('MicroTime')), 86400000000, '24:00:00.000000', { kind: 'time', precision: 6 }],
  ['MicroTime MySQL 838:59:59', named('int64', t('MicroTime')), 3020399000000, '838:59:59.000000', { kind: 'time', precision: 6 }],
  ['MicroTime MySQL negative', named('int64', t('MicroTime')), -5400000001, '-01:30:00.000001', { kind: 'time', precision: 6 }],
  ['NanoTime', named('int64', t('NanoTime')), 30600123456789, '08:30:00.123456789', { kind: 'time', precision: 9 }],
  ['Time ms', named('int32', t('Time')), 30615250, '08:30:15.250', { kind: 'time', precision: 3 }],
  ['connect Time', named('int32', 'org.apache.kafka.connect.data.Time'), 30615250, '08:30:15.250', { kind: 'time', precision: 3 }],
  ['ZonedTimestamp UTC', named('string', t('ZonedTimestamp')), '2024-03-15T08:20:30.123456Z', '2024-03-15T08:20:30.123456Z', { kind: 'timestamptz' }],
  ['ZonedTimestamp +year', named('string', t('ZonedTimestamp')), '+21016-01-01T00:00:00Z', '+21016-01-01T00:00:00Z', { kind: 'timestamptz' }],
  ['ZonedTimestamp infinity', named('string', t('ZonedTimestamp')), 'infinity', 'infinity', { kind: 'timestamptz' }],
  ['ZonedTimestamp -infinity', named('string', t('ZonedTimestamp')), '-infinity', '-infinity', { kind: 'timestamptz' }],
  ['ZonedTimestamp with offset -> UTC', named('string', t('ZonedTimestamp')), '2024-01-01T01:00:00.5+02:00', '2023-12-31T23:00:00.5Z', { kind: 'timestamptz' }],
  ['ZonedTime', named('string', t('ZonedTime')), '16:45:00Z', '16:45:00Z', { kind: 'timetz' }],
  ['ZonedTime with offset -> UTC', named('string', t('ZonedTime')), '00:30:00.123+01:00', '23:30:00.123Z', { kind: 'timetz' }],
  ['Year', named('int32', t('Year')), 2024, 2024, { kind: 'year' }],
  ['MicroDuration README', named('int64', t('MicroDuration')), 2813400000000, 'PT781H30M', { kind: 'interval' }],
  ['MicroDuration zero', named('int64', t('MicroDuration')), 0, 'PT0S', { kind: 'interval' }],
  ['MicroDuration fraction', named('int64', t('MicroDuration')), 3723500000, 'PT1H2M3.5S', { kind: 'interval' }],
  ['MicroDuration negative', named('int64', t('MicroDuration')), -5400000000, 'PT-1H-30M', { kind: 'interval' }],
  ['NanoDuration', named('int64', t('NanoDuration')), 1000000001, 'PT1.000000001S', { kind: 'interval' }],
  ['Interval string', named('string', t('Interval')), 'P1Y2M3DT4H5M6.78S', 'P1Y2M3DT4H5M6.78S', { kind: 'interval' }],
  ['IsoDate', named('string', t('IsoDate')), '2017-09-15Z', '2017-09-15', { kind: 'date' }],
  ['IsoTime', named('string', t('IsoTime')), '04:05:11.789Z', '04:05:11.789000', { kind: 'time', precision: 6 }],
  ['IsoTimestamp', named('string', t('IsoTimestamp')), '2019-07-09T02:28:57.123456Z', '2019-07-09T02:28:57.123456', TS6],
];

const wkbPoint = (x: number, y: number): Buffer => {
  const b = Buffer.from([1, 1, 0, 0, 0, ...new Array<number>(16).fill(0)]);
  b.writeDoubleLE(x, 5);
  b.writeDoubleLE(y, 13);
  return b;
};
const d = (name: string) => `io.debezium.data.${name}`;
const dataCases: Case[] = [
  ['Json', named('string', d('Json')), '{"a": [1, 2.50]}', '{"a": [1, 2.50]}', { kind: 'json' }],
  ['Uuid', named('string', d('Uuid')), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', { kind: 'uuid' }],
  ['Xml', named('string', d('Xml')), '<a b="1"/>', '<a b="1"/>', { kind: 'xml' }],
  ['Ltree', named('string', d('Ltree')), 'Top.Science.Astronomy', 'Top.Science.Astronomy', { kind: 'string' }],
  ['Enum with PG escapes', named('string', d('Enum'), { allowed: 'a\\,b,c\\\\d,e' }), 'a,b', 'a,b', { kind: 'enum', allowed: ['a,b', 'c\\d', 'e'] }],
  ['EnumSet', named('string', d('EnumSet'), { allowed: 'wifi,parking,pool' }), 'wifi,pool', 'wifi,pool', { kind: 'set', allowed: ['wifi', 'parking', 'pool'] }],
  ['Bits(8)', named('bytes', d('Bits'), { length: '8' }), 'oQ==', '10100001', { kind: 'bits', length: 8 }],
  ['Bits(2) PG trimmed to zero bytes', named('bytes', d('Bits'), { length: '2' }), '', '00', { kind: 'bits', length: 2 }],
  ['Bits(10) little-endian', named('bytes', d('Bits'), { length: '10' }), Buffer.from([0x01, 0x02]).toString('base64'), '1000000001', { kind: 'bits', length: 10 }],
  ['Bits(16) trailing zero byte trimmed', named('bytes', d('Bits'), { length: '16' }), 'AQ==', '0000000000000001', { kind: 'bits', length: 16 }],
  ['Point without wkb', { type: 'struct', name: d('geometry.Point'), fields: [{ type: 'double', optional: false, field: 'x' }, { type: 'double', optional: false, field: 'y' }, { type: 'bytes', field: 'wkb' }, { type: 'int32', field: 'srid' }] }, { x: 12.5, y: -3.25, wkb: null, srid: 4326 }, { wkb: wkbPoint(12.5, -3.25), srid: 4326, x: 12.5, y: -3.25 }, { kind: 'geometry', shape: 'point' }],
  ['Geometry', { type: 'struct', name: d('geometry.Geometry'), fields: [{ type: 'bytes', optional: false, field: 'wkb' }, { type: 'int32', field: 'srid' }] }, { wkb: 'AQEAAAAAAAAAAAApQAAAAAAAAArA', srid: 4326 }, { wkb: wkbPoint(12.5, -3.25), srid: 4326 }, { kind: 'geometry', shape: 'geometry' }],
  ['Geography', { type: 'struct', name: d('geometry.Geography'), fields: [{ type: 'bytes', optional: false, field: 'wkb' }, { type: 'int32', field: 'srid' }] }, { wkb: 'AQEAAAAAAAAAAAApQAAAAAAAAArA', srid: null }, { wkb: wkbPoint(12.5, -3.25), srid: null }, { kind: 'geometry', shape: 'geography' }],
  ['bytes', { type: 'bytes' }, 'AQIDBAX/', Buffer.from([1, 2, 3, 4, 5, 255]), { kind: 'bytes' }],
  ['bytes empty', { type: 'bytes' }, '', Buffer.alloc(0), { kind: 'bytes' }],
  ['string with propagated source type stays a string', { type: 'string', parameters: { '__debezium.source.column.type': 'VARCHAR', '__debezium.source.column.length': '255' } }, 'x', 'x', { kind: 'string', maxLength: 255 }],
  ['array of Date', { type: 'array', items: { type: 'int32', name: t('Date') } }, [19782, null, -719162], ['2024-02-29', null, '0001-01-01'], { kind: 'array', items: { kind: 'date' } }],
  ['array of Decimal', { type: 'array', items: dec(10, 2) }, ['AeJA', 'gw=='], ['1234.56', '-1.25'], { kind: 'array', items: { kind: 'decimal', precision: 10, scale: 2 } }],
  ['array of MicroTimestamp', { type: 'array', items: { type: 'int64', name: t('MicroTimestamp') } }, [raw('1710498030123456'), -1], ['2024-03-15T10:20:30.123456', '1969-12-31T23:59:59.999999'], { kind: 'array', items: TS6 }],
  ['array of Uuid', { type: 'array', items: { type: 'string', name: d('Uuid') } }, ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'], ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'], { kind: 'array', items: { kind: 'uuid' } }],
  ['array of int64 beyond 2^53', { type: 'array', items: { type: 'int64' } }, [raw('9223372036854775807'), 1], [9223372036854775807n, 1n], { kind: 'array', items: INT64 }],
  ['array of arrays', { type: 'array', items: { type: 'array', items: { type: 'string' } } }, [['a'], []], [['a'], []], { kind: 'array', items: { kind: 'array', items: { kind: 'string' } } }],
  ['DoubleVector (plain array)', { type: 'array', name: d('DoubleVector'), items: { type: 'double' } }, [1.5, 2], [1.5, 2], { kind: 'array', items: { kind: 'float', bits: 64 } }],
  ['map with string keys -> json', { type: 'map', keys: { type: 'string' }, values: { type: 'string' } }, { a: '1', b: null }, '{"a":"1","b":null}', { kind: 'json' }],
  ['map with int keys -> json', { type: 'map', keys: { type: 'int32' }, values: { type: 'double' } }, [[1, 2.5], [2, 3]], '{"1":2.5,"2":3}', { kind: 'json' }],
  ['nested struct -> json with exact int64', { type: 'struct', name: 'custom.Thing', fields: [{ type: 'int64', field: 'a' }] }, { a: raw('9223372036854775807') }, '{"a":9223372036854775807}', { kind: 'json' }],
];

describe('logical types, one by one', () => {
  for (const [group, cases] of [
    ['decimal', decimalCases],
    ['integer and float', integerCases],
    ['temporal', temporalCases],
    ['data', dataCases],
  ] as const) {
    describe(group, () => {
      for (const [title, schema, wire, value, type] of cases) {
        test(title, () => {
          const got = decodeColumn(schema, wire);
          assert.deepEqual(got.value, value);
          assert.deepEqual(got.type, type);
        });
      }
    });
  }

  test('the Point WKB from the PG sample is 01 01000000 f64(12.5) f64(-3.25)', () => {
    assert.deepEqual(Buffer.from('AQEAAAAAAAAAAAApQAAAAAAAAArA', 'base64'), wkbPoint(12.5, -3.25));
  });

  test('a null value stays null for every type', () => {
    for (const [, schema] of [...decimalCases, ...integerCases, ...temporalCases, ...dataCases]) {
      assert.equal(decodeColumn(schema, null).value, null);
    }
  });
});

describe('binary.handling.mode', () => {
  const BYTEA = { '__debezium.source.column.type': 'BYTEA' };
  const bytes = Buffer.from([1, 2, 3, 4, 5, 0xff, 0xfb]);
  const cases = [
    ['bytes', { type: 'bytes' }, bytes.toString('base64')],
    ['base64', { type: 'string', parameters: BYTEA }, bytes.toString('base64')],
    ['base64-url-safe', { type: 'string', parameters: BYTEA }, bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')],
    ['hex', { type: 'string', parameters: BYTEA }, bytes.toString('hex')],
  ] as const;
  for (const [mode, schema, wire] of cases) {
    test(`${mode}: a binary column decodes to the same bytes`, () => {
      const got = decodeColumn(schema, wire, { binaryHandlingMode: mode });
      assert.deepEqual(got.value, bytes);
      assert.deepEqual(got.type, { kind: 'bytes' });
    });
  }
  test('MySQL BLOB / VARBINARY(16) source types count as binary', () => {
    for (const type of ['BLOB', 'VARBINARY(16)', 'longblob']) {
      const got = decodeColumn({ type: 'string', parameters: { '__debezium.source.column.type': type } }, '0aff', { binaryHandlingMode: 'hex' });
      assert.deepEqual(got.value, Buffer.from([0x0a, 0xff]));
    }
  });
  test('PG bytea[] in hex mode: elements are bytes', () => {
    const got = decodeColumn({ type: 'array', parameters: { '__debezium.source.column.type': '_BYTEA' }, items: { type: 'string' } }, ['0102', null], { binaryHandlingMode: 'hex' });
    assert.deepEqual(got.value, [Buffer.from([1, 2]), null]);
    assert.deepEqual(got.type, { kind: 'array', items: { kind: 'bytes' } });
  });
  test('a string column that is not binary stays text in hex and base64 modes', () => {
    for (const mode of ['hex', 'base64'] as const) {
      const got = decodeColumn({ type: 'string', parameters: { '__debezium.source.column.type': 'TEXT' } }, '0102', { binaryHandlingMode: mode });
      assert.equal(got.value, '0102');
      assert.deepEqual(got.type, { kind: 'string' });
      assert.equal(decodeColumn({ type: 'string' }, 'abcd', { binaryHandlingMode: mode }).value, 'abcd');
    }
  });
  test('Decimal and Bits stay base64 bytes in every binary mode', () => {
    for (const mode of ['hex', 'base64', 'base64-url-safe'] as const) {
      assert.equal(decodeColumn(dec(10, 2), 'AeJA', { binaryHandlingMode: mode }).value, '1234.56');
      assert.equal(decodeColumn(named('bytes', d('Bits'), { length: '8' }), 'oQ==', { binaryHandlingMode: mode }).value, '10100001');
    }
  });
});
