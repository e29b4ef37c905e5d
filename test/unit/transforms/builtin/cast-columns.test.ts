import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import castColumns from '../../../../transforms/builtin/cast-columns.ts';

const tester = new TransformTester(castColumns);

tester.run('cast-columns', {
  valid: [
    {
      name: 'text to integer, bigint, decimal, boolean, float',
      options: { columns: { a: 'integer', b: 'bigint', c: 'decimal(10,2)', d: 'boolean', e: 'float', f: 'smallint' } },
      input: { row: { id: 1, a: ' 42 ', b: '9007199254740993', c: '12.345', d: 'Yes', e: '1.5e3', f: '-7.00' } },
      output: {
        row: { id: 1, a: 42, b: 9007199254740993n, c: '12.35', d: true, e: 1500, f: -7 },
        types: {
          a: { kind: 'int', bits: 32 },
          b: { kind: 'int', bits: 64 },
          c: { kind: 'decimal', precision: 10, scale: 2 },
          d: { kind: 'boolean' },
          e: { kind: 'float', bits: 64 },
          f: { kind: 'int', bits: 16 },
        },
      },
    },
    {
      name: 'decimal rounding half away from zero, padding and exponents',
      options: { columns: { a: 'decimal(6,2)', b: 'decimal(6,2)', c: 'decimal', d: 'decimal(4,0)' } },
      input: { row: { id: 1, a: '-0.005', b: 3, c: 1e21, d: '9999.4' } },
      rows: [{ id: 1, a: '-0.01', b: '3.00', c: '1000000000000000000000', d: '9999' }],
    },
    {
      name: 'epoch seconds, millis and micros to timestamps',
      options: {
        columns: {
          s: { to: 'timestamptz', from: 'epoch-seconds', precision: 0 },
          ms: { to: 'timestamp', from: 'epoch-millis', precision: 3 },
          us: { to: 'timestamptz', from: 'epoch-micros' },
          neg: { to: 'timestamp', from: 'epoch-millis', precision: 3 },
          frac: { to: 'timestamptz', from: 'epoch-seconds', precision: 3 },
        },
      },
      input: { row: { id: 1, s: 1700000000, ms: 1700000000123n, us: '1700000000123456', neg: -1, frac: 1.5 } },
      output: {
        row: {
          id: 1,
          s: '2023-11-14T22:13:20Z',
          ms: '2023-11-14T22:13:20.123',
          us: '2023-11-14T22:13:20.123456Z',
          neg: '1969-12-31T23:59:59.999',
          frac: '1970-01-01T00:00:01.500Z',
        },
        types: {
          s: { kind: 'timestamptz', precision: 0 },
          ms: { kind: 'timestamp', precision: 3 },
          us: { kind: 'timestamptz', precision: 6 },
        },
      },
    },
    {
      name: 'text to timestamp, timestamptz (offset to UTC) and date; extremes of the calendar',
      options: { columns: { a: 'timestamp', b: 'timestamptz(3)', c: 'date', d: 'timestamptz', e: 'timestamp(0)', f: 'date' } },
      input: { row: { id: 1, a: '2024-02-29 13:45:00.5', b: '2024-03-01T00:30:00+02:00', c: '2024-01-01T23:00:00-03:00', d: 'infinity', e: '0001-01-01', f: '9999-12-31 23:59:59' } },
      rows: [{ id: 1, a: '2024-02-29T13:45:00.500000', b: '2024-02-29T22:30:00.000Z', c: '2024-01-02', d: 'infinity', e: '0001-01-01T00:00:00', f: '9999-12-31' }],
    },
    {
      name: 'integer and other values to text',
      options: { columns: { a: 'text', b: 'text', c: 'text', d: 'varchar(5)' } },
      input: { row: { id: 1, a: 42, b: 12345678901234567890n, c: false, d: Buffer.from('héllo') } },
      rows: [{ id: 1, a: '42', b: '12345678901234567890', c: 'false', d: 'héllo' }],
    },
    {
      name: 'uuid and json',
      options: { columns: { u: 'uuid', j: 'json' } },
      input: { row: { id: 1, u: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', j: '{"a":1}' } },
      output: { row: { id: 1, u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', j: '{"a":1}' }, types: { u: { kind: 'uuid' }, j: { kind: 'json' } } },
    },
    {
      name: 'null and UNCHANGED stay as they are',
      options: { columns: { a: 'integer', b: 'integer' } },
      input: { row: { id: 1, a: null, b: UNCHANGED } },
      rows: [{ id: 1, a: null, b: UNCHANGED }],
    },
    {
      name: 'a key column is cast in the key too (delete)',
      options: { columns: { id: 'bigint' } },
      input: { op: 'delete', key: { id: '17' }, before: { id: '17', name: 'x' } },
      output: { op: 'delete', key: { id: 17n }, before: { id: 17n, name: 'x' }, types: { id: { kind: 'int', bits: 64 } } },
    },
    {
      name: 'truncate untouched',
      options: { columns: { a: 'integer' } },
      input: { op: 'truncate', types: { a: { kind: 'string' } } },
      output: { op: 'truncate', types: { a: { kind: 'string' } } },
    },
  ],
  invalid: [
    { name: 'unknown type', options: { columns: { a: 'integr' } }, error: /option "columns.a": unknown type/ },
    { name: 'unknown from', options: { columns: { a: { to: 'timestamp', from: 'epoch-hours' } } }, error: /columns.a/ },
    {
      name: 'a value that does not convert names column, value and type',
      options: { columns: { age: 'integer' } },
      input: { row: { id: 1, age: 'forty-two and a very long explanation that goes on' } },
      error: { code: 'CDC_TRANSFORM_FAILED', message: /cannot cast column "age" value "forty-two and a very long explanatio\.\.\. to int32: is not a number/ },
    },
    { name: 'fraction to integer', options: { columns: { a: 'integer' } }, input: { row: { id: 1, a: 1.5 } }, error: /value 1.5 to int32: has a fraction/ },
    { name: 'out of range', options: { columns: { a: 'smallint' } }, input: { row: { id: 1, a: '40000' } }, error: /out of range for int16/ },
    { name: 'decimal precision', options: { columns: { a: 'decimal(4,2)' } }, input: { row: { id: 1, a: '123.4' } }, error: /decimal\(4,2\) allows 2/ },
    { name: 'not a boolean', options: { columns: { a: 'boolean' } }, input: { row: { id: 1, a: 2 } }, error: /only 0 and 1/ },
    { name: 'a number to timestamp needs from', options: { columns: { a: 'timestamp' } }, input: { row: { id: 1, a: 1700000000 } }, error: /from: epoch-seconds/ },
    { name: 'bad date text', options: { columns: { a: 'date' } }, input: { row: { id: 1, a: '2023-02-30' } }, error: /is not a date or timestamp/ },
    { name: 'too long', options: { columns: { a: 'varchar(3)' } }, input: { row: { id: 1, a: 'abcd' } }, error: /longer than 3/ },
  ],
});
