import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ColumnSchema, ColumnType } from '../../../connectors/core/column-type.ts';
import { createPostgresDialect } from '../../../connectors/postgres/dialect.ts';
import { castType, targetCategory } from '../../../connectors/postgres/types.ts';

const dialect = createPostgresDialect({ schema: 'public', offsetsTable: 'cdc_sink_offsets', rowsPerStatement: 2000 });

/** Every ColumnType kind (and variant) with the SQL type it creates. */
const TYPE_CASES: [ColumnType, string][] = [
  [{ kind: 'boolean' }, 'boolean'],
  [{ kind: 'int', bits: 8 }, 'smallint'],
  [{ kind: 'int', bits: 16 }, 'smallint'],
  [{ kind: 'int', bits: 32 }, 'integer'],
  [{ kind: 'int', bits: 64 }, 'bigint'],
  [{ kind: 'float', bits: 32 }, 'real'],
  [{ kind: 'float', bits: 64 }, 'double precision'],
  [{ kind: 'decimal', precision: 38, scale: 18 }, 'numeric(38,18)'],
  [{ kind: 'decimal', precision: 10, scale: 0 }, 'numeric(10,0)'],
  [{ kind: 'decimal' }, 'numeric'],
  [{ kind: 'decimal', scale: 2 }, 'numeric'],
  [{ kind: 'decimal', precision: 2000, scale: 2 }, 'numeric'],
  [{ kind: 'string' }, 'text'],
  [{ kind: 'string', maxLength: 255 }, 'varchar(255)'],
  [{ kind: 'bytes' }, 'bytea'],
  [{ kind: 'bytes', maxLength: 16 }, 'bytea'],
  [{ kind: 'date' }, 'date'],
  [{ kind: 'time', precision: 3 }, 'time(3)'],
  [{ kind: 'time', precision: 6 }, 'time(6)'],
  [{ kind: 'time', precision: 9 }, 'time(6)'],
  [{ kind: 'timetz' }, 'time with time zone'],
  [{ kind: 'timestamp', precision: 3 }, 'timestamp(3) without time zone'],
  [{ kind: 'timestamp', precision: 6 }, 'timestamp(6) without time zone'],
  [{ kind: 'timestamp', precision: 9 }, 'timestamp(6) without time zone'],
  [{ kind: 'timestamptz' }, 'timestamp(6) with time zone'],
  [{ kind: 'timestamptz', precision: 9 }, 'timestamp(6) with time zone'],
  [{ kind: 'interval' }, 'interval'],
  [{ kind: 'json' }, 'jsonb'],
  [{ kind: 'uuid' }, 'uuid'],
  [{ kind: 'xml' }, 'xml'],
  [{ kind: 'enum', allowed: ['a', 'b'] }, 'text'],
  [{ kind: 'set', allowed: ['a', 'b'] }, 'text'],
  [{ kind: 'bits', length: 1 }, 'bit(1)'],
  [{ kind: 'bits', length: 64 }, 'bit(64)'],
  [{ kind: 'bits', length: 0 }, 'bit varying'],
  [{ kind: 'year' }, 'integer'],
  [{ kind: 'geometry', shape: 'point' }, 'bytea'],
  [{ kind: 'geometry', shape: 'geography' }, 'bytea'],
  [{ kind: 'array', items: { kind: 'int', bits: 32 } }, 'integer[]'],
  [{ kind: 'array', items: { kind: 'string', maxLength: 5 } }, 'varchar(5)[]'],
  [{ kind: 'array', items: { kind: 'array', items: { kind: 'decimal', precision: 5, scale: 2 } } }, 'numeric(5,2)[][]'],
];

void describe('postgres columnTypeSql', () => {
  for (const [type, sql] of TYPE_CASES) {
    void test(`${JSON.stringify(type)} -> ${sql}`, () => {
      assert.equal(dialect.columnTypeSql(type), sql);
    });
  }
});

void describe('postgres createTable / addColumns', () => {
  void test('every column type, key columns NOT NULL, primary key in key order', () => {
    const columns: ColumnSchema[] = TYPE_CASES.map(([type], i) => ({ name: `c${i}`, type, optional: false }));
    const sql = dialect.createTable({ schema: 'app', name: 'all_types' }, columns, ['c3', 'c1']);
    const defs = TYPE_CASES.map(([, t], i) => `"c${i}" ${t}${i === 1 || i === 3 ? ' NOT NULL' : ''}`);
    assert.equal(sql.text, `CREATE TABLE IF NOT EXISTS "app"."all_types" (${defs.join(', ')}, PRIMARY KEY ("c3", "c1"))`);
    assert.deepEqual(sql.values, []);
  });

  void test('reserved and mixed-case names; no key -> no primary key; optional flags ignored', () => {
    const columns: ColumnSchema[] = [
      { name: 'order', type: { kind: 'int', bits: 64 }, optional: false },
      { name: 'User Name', type: { kind: 'string' }, optional: false },
    ];
    assert.equal(
      dialect.createTable({ schema: null, name: 'OrderLines' }, columns, []).text,
      'CREATE TABLE IF NOT EXISTS "public"."OrderLines" ("order" bigint, "User Name" text)',
    );
  });

  void test('addColumns: one ALTER TABLE, every column nullable, IF NOT EXISTS', () => {
    const sql = dialect.addColumns({ schema: 's', name: 't' }, [
      { name: 'note', type: { kind: 'string', maxLength: 20 }, optional: false },
      { name: 'ts', type: { kind: 'timestamptz' }, optional: true },
    ]);
    assert.deepEqual(sql, [
      {
        text: 'ALTER TABLE "s"."t" ADD COLUMN IF NOT EXISTS "note" varchar(20), ADD COLUMN IF NOT EXISTS "ts" timestamp(6) with time zone',
        values: [],
      },
    ]);
  });

  void test('addColumns with nothing to add returns no statement', () => {
    assert.deepEqual(dialect.addColumns({ schema: 's', name: 't' }, []), []);
  });

  void test('createTable rejects a too long column name', () => {
    const columns: ColumnSchema[] = [{ name: 'c'.repeat(64), type: { kind: 'boolean' }, optional: true }];
    assert.throws(() => dialect.createTable({ schema: null, name: 't' }, columns, []), /64 bytes long/);
  });
});

void describe('postgres castType', () => {
  const cases: [string, string][] = [
    ['integer', 'integer'],
    ['character varying(3)', 'character varying'],
    ['character varying', 'character varying'],
    ['character(2)', 'bpchar'],
    ['character(2)[]', 'bpchar[]'],
    ['bit(3)', '"bit"'],
    ['bit varying(5)', 'bit varying'],
    ['numeric(38,18)', 'numeric'],
    ['numeric(5,-2)', 'numeric'],
    ['timestamp(3) without time zone', 'timestamp without time zone'],
    ['time(6) with time zone', 'time with time zone'],
    ['interval year to month', 'interval year to month'],
    ['character varying(20)[]', 'character varying[]'],
    ['"My(3)Type"', '"My(3)Type"'],
    ['"s"."t(1)"[]', '"s"."t(1)"[]'],
    ['public.geometry(Point,4326)', 'public.geometry(Point,4326)'],
  ];
  for (const [input, cast] of cases) {
    void test(`${input} -> ${cast}`, () => assert.equal(castType(input), cast));
  }

  void test('target categories', () => {
    assert.equal(targetCategory('bytea'), 'bytea');
    assert.equal(targetCategory('character varying'), 'text');
    assert.equal(targetCategory('text'), 'text');
    assert.equal(targetCategory('timestamp without time zone'), 'temporal');
    assert.equal(targetCategory('date'), 'temporal');
    assert.equal(targetCategory('public.geometry'), 'spatial');
    assert.equal(targetCategory('geography'), 'spatial');
    assert.equal(targetCategory('geometry(Point,4326)'), 'spatial');
    assert.equal(targetCategory('jsonb'), 'other');
  });
});
