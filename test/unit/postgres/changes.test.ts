import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type { TableChanges, TargetColumn } from '../../../connectors/contract.ts';
import type { ColumnSchema } from '../../../connectors/core/column-type.ts';
import { TargetError } from '../../../connectors/core/errors.ts';
import { newRow, UNCHANGED, type Row, type Unchanged, type Value } from '../../../connectors/core/value.ts';
import { createPostgresDialect } from '../../../connectors/postgres/dialect.ts';

const dialect = createPostgresDialect({ schema: 'public', offsetsTable: 'cdc_sink_offsets', rowsPerStatement: 2000 });

function row(values: Record<string, Value | Unchanged>): Row {
  return Object.assign(newRow(), values);
}

// pg ships no types for its lib/ files; prepareValue is the conversion it applies to every parameter.
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };

/**
 * The expected binds: one text[] literal per column (what changes.ts binds). Also checks that each
 * literal is exactly the text node-postgres sent when the sink bound the column as the array
 * `columns[i]` (the shape before), so the server receives the same bytes as before.
 */
function binds(literals: string[], columns: (string | null)[][]): string[] {
  assert.deepEqual(literals, columns.map((c) => prepareValue(c)), 'the literal is what node-postgres made of the array');
  return literals;
}

const ORDER_COLUMNS: ColumnSchema[] = [
  { name: 'id', type: { kind: 'int', bits: 64 }, optional: false },
  { name: 'doc', type: { kind: 'json' }, optional: true },
  { name: 'order', type: { kind: 'string' }, optional: true },
];
const ORDER_TARGET: TargetColumn[] = [
  { name: 'id', dataType: 'bigint', nullable: false },
  { name: 'doc', dataType: 'jsonb', nullable: true },
  { name: 'order', dataType: 'character varying(10)', nullable: true },
];

function changes(over: Partial<TableChanges> = {}): TableChanges {
  const table = over.table ?? { schema: null, name: 'orders' };
  return {
    table,
    description: { table, columns: ORDER_TARGET, primaryKey: ['id'] },
    columns: ORDER_COLUMNS,
    keyColumns: ['id'],
    mode: 'upsert',
    truncate: false,
    deletes: [],
    upserts: [],
    ...over,
  };
}

const UPSERT_ALL =
  'INSERT INTO "public"."orders" ("id", "doc", "order") SELECT u."id"::bigint, u."doc"::jsonb, u."order"::character varying ' +
  'FROM unnest($1::text[], $2::text[], $3::text[]) AS u("id", "doc", "order") ' +
  'ON CONFLICT ("id") DO UPDATE SET "doc" = EXCLUDED."doc", "order" = EXCLUDED."order"';

void describe('postgres upsert', () => {
  void test('single key: one statement, one text[] per column', () => {
    const sql = dialect.tableChanges(
      changes({ upserts: [row({ id: 1n, doc: '{"a":1}', order: 'x' }), row({ id: 2n, doc: null, order: 'y' })] }),
    );
    assert.deepEqual(sql, [
      {
        text: UPSERT_ALL,
        values: binds(['{"1","2"}', '{"{\\"a\\":1}",NULL}', '{"x","y"}'], [['1', '2'], ['{"a":1}', null], ['x', 'y']]),
      },
    ]);
  });

  void test('composite key', () => {
    const table = { schema: 'Sales', name: 'OrderLines' };
    const sql = dialect.tableChanges({
      table,
      description: {
        table,
        columns: [
          { name: 'order_id', dataType: 'integer', nullable: false },
          { name: 'line', dataType: 'smallint', nullable: false },
          { name: 'qty', dataType: 'numeric(10,2)', nullable: true },
        ],
        primaryKey: ['order_id', 'line'],
      },
      columns: [
        { name: 'order_id', type: { kind: 'int', bits: 32 }, optional: false },
        { name: 'line', type: { kind: 'int', bits: 16 }, optional: false },
        { name: 'qty', type: { kind: 'decimal', precision: 10, scale: 2 }, optional: true },
      ],
      keyColumns: ['order_id', 'line'],
      mode: 'upsert',
      truncate: false,
      deletes: [],
      upserts: [row({ order_id: 7, line: 1, qty: '2.50' })],
    });
    assert.deepEqual(sql, [
      {
        text:
          'INSERT INTO "Sales"."OrderLines" ("order_id", "line", "qty") SELECT u."order_id"::integer, u."line"::smallint, u."qty"::numeric ' +
          'FROM unnest($1::text[], $2::text[], $3::text[]) AS u("order_id", "line", "qty") ' +
          'ON CONFLICT ("order_id", "line") DO UPDATE SET "qty" = EXCLUDED."qty"',
        values: binds(['{"7"}', '{"1"}', '{"2.50"}'], [['7'], ['1'], ['2.50']]),
      },
    ]);
  });

  void test('key-only table: DO NOTHING', () => {
    const table = { schema: 'public', name: 'tags' };
    const sql = dialect.tableChanges({
      table,
      description: { table, columns: [{ name: 'tag', dataType: 'text', nullable: false }], primaryKey: ['tag'] },
      columns: [{ name: 'tag', type: { kind: 'string' }, optional: false }],
      keyColumns: ['tag'],
      mode: 'upsert',
      truncate: false,
      deletes: [],
      upserts: [row({ tag: 'a' }), row({ tag: 'b' })],
    });
    assert.deepEqual(sql, [
      {
        text:
          'INSERT INTO "public"."tags" ("tag") SELECT u."tag"::text FROM unnest($1::text[]) AS u("tag") ON CONFLICT ("tag") DO NOTHING',
        values: binds(['{"a","b"}'], [['a', 'b']]),
      },
    ]);
  });

  void test('append: plain INSERT, no key needed', () => {
    const sql = dialect.tableChanges(
      changes({ mode: 'append', keyColumns: [], upserts: [row({ id: 1n, doc: '[]', order: null })] }),
    );
    assert.deepEqual(sql, [
      {
        text:
          'INSERT INTO "public"."orders" ("id", "doc", "order") SELECT u."id"::bigint, u."doc"::jsonb, u."order"::character varying ' +
          'FROM unnest($1::text[], $2::text[], $3::text[]) AS u("id", "doc", "order")',
        values: binds(['{"1"}', '{"[]"}', '{NULL}'], [['1'], ['[]'], [null]]),
      },
    ]);
  });

  void test('UNCHANGED columns: one statement per set of written columns, in first-seen order', () => {
    const sql = dialect.tableChanges(
      changes({
        upserts: [
          row({ id: 1n, doc: '{}', order: 'a' }),
          row({ id: 2n, doc: UNCHANGED, order: 'b' }),
          row({ id: 3n, doc: '{"z":0}', order: 'c' }),
          row({ id: 4n, doc: UNCHANGED, order: 'd' }),
        ],
      }),
    );
    assert.deepEqual(sql, [
      {
        text: UPSERT_ALL,
        values: binds(['{"1","3"}', '{"{}","{\\"z\\":0}"}', '{"a","c"}'], [['1', '3'], ['{}', '{"z":0}'], ['a', 'c']]),
      },
      {
        text:
          'INSERT INTO "public"."orders" ("id", "order") SELECT u."id"::bigint, u."order"::character varying ' +
          'FROM unnest($1::text[], $2::text[]) AS u("id", "order") ON CONFLICT ("id") DO UPDATE SET "order" = EXCLUDED."order"',
        values: binds(['{"2","4"}', '{"b","d"}'], [['2', '4'], ['b', 'd']]),
      },
    ]);
  });

  void test('a column missing from the row counts as absent; every non-key column absent -> DO NOTHING', () => {
    const sql = dialect.tableChanges(changes({ upserts: [row({ id: 5n, doc: UNCHANGED })] }));
    assert.deepEqual(sql, [
      {
        text: 'INSERT INTO "public"."orders" ("id") SELECT u."id"::bigint FROM unnest($1::text[]) AS u("id") ON CONFLICT ("id") DO NOTHING',
        values: binds(['{"5"}'], [['5']]),
      },
    ]);
  });

  void test('explicit NULL is written (only absent / UNCHANGED columns are left out)', () => {
    const sql = dialect.tableChanges(changes({ upserts: [row({ id: 1n, doc: null, order: null })] }));
    assert.deepEqual(sql, [{ text: UPSERT_ALL, values: binds(['{"1"}', '{NULL}', '{NULL}'], [['1'], [null], [null]]) }]);
  });

  void test('a column the target lacks is an error naming table and column', () => {
    const c = changes({
      columns: [...ORDER_COLUMNS, { name: 'extra', type: { kind: 'string' }, optional: true }],
      upserts: [row({ id: 1n, doc: null, order: null, extra: 'x' })],
    });
    assert.throws(
      () => dialect.tableChanges(c),
      (err: unknown) =>
        err instanceof TargetError && err.kind === 'fatal' && /public\.orders: column "extra" is not in the target table/.test(err.message),
    );
  });

  void test('an upsert row without its key is a data error', () => {
    assert.throws(
      () => dialect.tableChanges(changes({ upserts: [row({ id: UNCHANGED, doc: null, order: null })] })),
      (err: unknown) => err instanceof TargetError && err.kind === 'data' && /key column "id"/.test(err.message),
    );
  });

  void test('upsert mode without key columns is refused', () => {
    assert.throws(() => dialect.tableChanges(changes({ keyColumns: [], upserts: [row({ id: 1n })] })), /no key columns/);
  });

  void test('casts to the target column type, not the source type (user-created target)', () => {
    const table = { schema: null, name: 't' };
    const sql = dialect.tableChanges({
      table,
      description: {
        table,
        columns: [
          { name: 'id', dataType: 'uuid', nullable: false },
          { name: 'n', dataType: 'bit(3)', nullable: true },
          { name: 'tags', dataType: 'character(2)[]', nullable: true },
        ],
        primaryKey: ['id'],
      },
      columns: [
        { name: 'id', type: { kind: 'string' }, optional: false },
        { name: 'n', type: { kind: 'bits', length: 3 }, optional: true },
        { name: 'tags', type: { kind: 'array', items: { kind: 'string' } }, optional: true },
      ],
      keyColumns: ['id'],
      mode: 'upsert',
      truncate: false,
      deletes: [],
      upserts: [row({ id: '123e4567-e89b-12d3-a456-426614174000', n: '101', tags: ['ab', null] })],
    });
    assert.equal(
      sql[0]?.text,
      'INSERT INTO "public"."t" ("id", "n", "tags") SELECT u."id"::uuid, u."n"::"bit", u."tags"::bpchar[] ' +
        'FROM unnest($1::text[], $2::text[], $3::text[]) AS u("id", "n", "tags") ' +
        'ON CONFLICT ("id") DO UPDATE SET "n" = EXCLUDED."n", "tags" = EXCLUDED."tags"',
    );
    // The array value is itself an element of the column's text[]: its literal, quoted and escaped.
    assert.deepEqual(
      sql[0]?.values,
      binds(
        ['{"123e4567-e89b-12d3-a456-426614174000"}', '{"101"}', '{"{\\"ab\\",NULL}"}'],
        [['123e4567-e89b-12d3-a456-426614174000'], ['101'], ['{"ab",NULL}']],
      ),
    );
  });
});

void describe('postgres delete and truncate', () => {
  void test('single key', () => {
    const sql = dialect.tableChanges(changes({ deletes: [row({ id: 1n }), row({ id: 2n })] }));
    assert.deepEqual(sql, [
      {
        text:
          'DELETE FROM "public"."orders" AS t USING unnest($1::text[]) AS d("id") WHERE t."id" = d."id"::bigint',
        values: binds(['{"1","2"}'], [['1', '2']]),
      },
    ]);
  });

  void test('composite key', () => {
    const table = { schema: 's', name: 'lines' };
    const sql = dialect.tableChanges({
      table,
      description: {
        table,
        columns: [
          { name: 'a', dataType: 'integer', nullable: false },
          { name: 'b', dataType: 'text', nullable: false },
          { name: 'v', dataType: 'text', nullable: true },
        ],
        primaryKey: ['a', 'b'],
      },
      columns: [
        { name: 'a', type: { kind: 'int', bits: 32 }, optional: false },
        { name: 'b', type: { kind: 'string' }, optional: false },
        { name: 'v', type: { kind: 'string' }, optional: true },
      ],
      keyColumns: ['a', 'b'],
      mode: 'upsert',
      truncate: false,
      deletes: [row({ a: 1, b: 'x' })],
      upserts: [],
    });
    assert.deepEqual(sql, [
      {
        text:
          'DELETE FROM "s"."lines" AS t USING unnest($1::text[], $2::text[]) AS d("a", "b") ' +
          'WHERE t."a" = d."a"::integer AND t."b" = d."b"::text',
        values: binds(['{"1"}', '{"x"}'], [['1'], ['x']]),
      },
    ]);
  });

  void test('order: truncate, deletes, upserts', () => {
    const sql = dialect.tableChanges(
      changes({ truncate: true, deletes: [row({ id: 9n })], upserts: [row({ id: 1n, doc: null, order: 'o' })] }),
    );
    assert.equal(sql.length, 3);
    assert.deepEqual(sql[0], { text: 'TRUNCATE TABLE "public"."orders"', values: [] });
    assert.match(sql[1]?.text ?? '', /^DELETE FROM/);
    assert.equal(sql[2]?.text, UPSERT_ALL);
  });

  void test('truncate alone', () => {
    assert.deepEqual(dialect.tableChanges(changes({ truncate: true })), [
      { text: 'TRUNCATE TABLE "public"."orders"', values: [] },
    ]);
  });

  void test('deletes without key columns are refused', () => {
    assert.throws(() => dialect.tableChanges(changes({ keyColumns: [], mode: 'append', deletes: [row({ id: 1n })] })), /no key columns/);
  });
});

void describe('postgres chunking', () => {
  const small = createPostgresDialect({ schema: 'public', offsetsTable: 'o', rowsPerStatement: 2 });
  const rows = [1n, 2n, 3n, 4n, 5n].map((id) => row({ id, doc: null, order: String(id) }));

  void test('rowsPerStatement 2 with 5 rows -> 3 statements of 2, 2, 1 rows', () => {
    const sql = small.tableChanges(changes({ upserts: rows }));
    assert.equal(sql.length, 3);
    assert.deepEqual(
      sql.map((s) => s.values[0]),
      binds(['{"1","2"}', '{"3","4"}', '{"5"}'], [['1', '2'], ['3', '4'], ['5']]),
    );
    assert.ok(sql.every((s) => s.text === UPSERT_ALL));
  });

  void test('deletes are chunked the same way', () => {
    const sql = small.tableChanges(changes({ deletes: rows }));
    assert.deepEqual(
      sql.map((s) => s.values),
      [binds(['{"1","2"}'], [['1', '2']]), binds(['{"3","4"}'], [['3', '4']]), binds(['{"5"}'], [['5']])],
    );
  });

  void test('the bind limit caps rows per statement: floor(65535 / columns)', () => {
    const big = createPostgresDialect({ schema: 'public', offsetsTable: 'o', rowsPerStatement: 100000 });
    const many = Array.from({ length: 70000 }, (_v, i) => row({ id: BigInt(i), doc: null, order: null }));
    const sql = big.tableChanges(changes({ upserts: many }));
    // 3 columns -> 21845 rows per statement. The ids hold no comma: elements = commas + 1.
    assert.deepEqual(
      sql.map((s) => (s.values[0] as string).split(',').length),
      [21845, 21845, 21845, 4465],
    );
    assert.ok(sql.every((s) => s.values.length <= 65535));
  });
});
