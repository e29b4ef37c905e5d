/**
 * The text[] literals the PostgreSQL data statements bind (connectors/postgres/array-literal.ts,
 * changes.ts) against the real server (database `test`): what goes in comes back exactly, through
 * a bare `unnest($1::text[])` and through the connector's own statements (upsert, delete), with
 * the characters that matter to array syntax. A NUL character is refused as it was before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { TableChanges, TableDescription, TargetTableRef } from '../../connectors/contract.ts';
import type { ColumnSchema } from '../../connectors/core/column-type.ts';
import { TargetError } from '../../connectors/core/errors.ts';
import { newRow, type Row, type Value } from '../../connectors/core/value.ts';
import { textArrayLiteral } from '../../connectors/postgres/array-literal.ts';
import { createPostgresConnector, type PostgresConnector } from '../../connectors/postgres/index.ts';

const URL = process.env.CDC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'it_pg_array_literal';

const admin = new pg.Client({ connectionString: URL });
let conn: PostgresConnector;

/** Elements that matter to array syntax, quoting, whitespace handling or encodings. */
const SPECIAL: (string | null)[] = [
  'NULL', 'null', ' NULL', '"NULL"', '', ' ', '  padded  ', '\t', '\n', 'line 1\nline 2\r\n', '"', '""', '\\', '\\\\',
  'a"b', 'a\\b', '\\"', '"\\', 'end\\', '{', '}', '{}', '{a,b}', '{"x",NULL}', ',', 'a,b', "it's", "''", '\\x00ff',
  '\\N', 'é ß 日本語 🙂 👩‍👩‍👧', '\u00a0\u2028\ufeff', 'x'.repeat(100_000), '"\\'.repeat(20_000), null,
  // Quotes or backslashes next to control characters or non-BMP text (quoteArrayElement's regex path).
  'a"b\nc\\d\t', '{"k":"v\\n"}', '"\u0001\u001f', '"🙂\\', '\\\r\n"',
];

/** SPECIAL, then deterministic combinations of its pieces (every third one null). */
function elements(count: number): (string | null)[] {
  const pieces = SPECIAL.filter((p): p is string => p !== null && p.length < 100);
  const out = [...SPECIAL];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) out.push(null);
    else out.push(`${pieces[i % pieces.length] ?? ''}${pieces[(i * 7) % pieces.length] ?? ''}${pieces[(i * 13) % pieces.length] ?? ''}`);
  }
  return out;
}

async function unnest(param: unknown): Promise<(string | null)[]> {
  const res = await admin.query<{ v: string | null }>('SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n', [param]);
  return res.rows.map((r) => r.v);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected the promise to reject');
}

async function table(name: string, columns: ColumnSchema[], key: string[]): Promise<TableDescription> {
  const ref: TargetTableRef = { schema: null, name };
  await conn.executeDdl([conn.dialect.createTable(ref, columns, key)]);
  const d = await conn.describeTable(ref);
  assert.ok(d, `table ${name} exists`);
  return d;
}

function changesOf(d: TableDescription, columns: ColumnSchema[], key: string[], over: Partial<TableChanges>): TableChanges {
  return { table: d.table, description: d, columns, keyColumns: key, mode: 'upsert', truncate: false, deletes: [], upserts: [], ...over };
}

function row(values: Record<string, Value>): Row {
  return Object.assign(newRow(), values);
}

before(async () => {
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  conn = createPostgresConnector({ url: URL, schema: SCHEMA, applicationName: 'it_pg_array_literal', rowsPerStatement: 400 });
  await conn.connect();
});

after(async () => {
  await conn.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
});

void describe('postgres text[] literal round trip', () => {
  void test('unnest($1::text[]) of the literal gives back every element exactly, as the array did', async () => {
    const values = elements(3000);
    assert.deepEqual(await unnest(textArrayLiteral(values)), values);
    // The old way (node-postgres converting the array) reads back the same.
    assert.deepEqual(await unnest(values), values);
    assert.deepEqual(await unnest(textArrayLiteral([])), []);
    assert.deepEqual(await unnest(textArrayLiteral([null])), [null]);
    assert.deepEqual(await unnest(textArrayLiteral(['NULL', '', null])), ['NULL', '', null]);
  });

  void test('through the connector: upserts of text, varchar, jsonb and text[] columns read back exactly', async () => {
    const columns: ColumnSchema[] = [
      { name: 'id', type: { kind: 'int', bits: 64 }, optional: false },
      { name: 't', type: { kind: 'string' }, optional: true },
      { name: 'v', type: { kind: 'string', maxLength: 200_000 }, optional: true },
      { name: 'j', type: { kind: 'json' }, optional: true },
      { name: 'a', type: { kind: 'array', items: { kind: 'string' } }, optional: true },
      { name: 'a2', type: { kind: 'array', items: { kind: 'array', items: { kind: 'string' } } }, optional: true },
    ];
    const d = await table('rt_values', columns, ['id']);
    const values = elements(1500);
    const rows = values.map((t, i) =>
      row({
        id: BigInt(i),
        t,
        v: values[values.length - 1 - i] ?? null,
        j: t === null ? null : JSON.stringify({ t }),
        a: i % 5 === 0 ? null : [t, null, 'NULL', '', values[(i * 3) % values.length] ?? null],
        a2: i % 7 === 0 ? null : [[t, 'a"b'], [null, '{x,\\y}']],
      }),
    );
    // 400 rows per statement (see before()): several statements, each with its own literals.
    assert.ok(conn.dialect.tableChanges(changesOf(d, columns, ['id'], { upserts: rows })).length >= 3);
    await conn.write({ groupId: 'g-rt', tables: [changesOf(d, columns, ['id'], { upserts: rows })], offsets: [] });
    const got = await admin.query<{ id: string; t: string | null; v: string | null; j: unknown; a: unknown; a2: unknown }>(
      `SELECT r.id::text AS id, t, v, j, a, a2 FROM ${SCHEMA}.rt_values AS r ORDER BY r.id`,
    );
    assert.equal(got.rows.length, rows.length);
    for (const [i, r] of got.rows.entries()) {
      const want = rows[i] as Row;
      assert.equal(r.id, String(i));
      assert.equal(r.t, want.t, `row ${i} t`);
      assert.equal(r.v, want.v, `row ${i} v`);
      assert.deepEqual(r.j, want.j === null ? null : { t: want.t }, `row ${i} j`);
      assert.deepEqual(r.a, want.a, `row ${i} a`);
      assert.deepEqual(r.a2, want.a2, `row ${i} a2`);
    }
  });

  void test('through the connector: deletes match text keys with quotes, backslashes, braces and NULL-the-word', async () => {
    const columns: ColumnSchema[] = [
      { name: 'k', type: { kind: 'string' }, optional: false },
      { name: 'n', type: { kind: 'int', bits: 32 }, optional: true },
    ];
    const d = await table('rt_keys', columns, ['k']);
    const keys = [...new Set(elements(600).filter((k): k is string => k !== null))];
    await conn.write({ groupId: 'g-rt', tables: [changesOf(d, columns, ['k'], { upserts: keys.map((k, n) => row({ k, n })) })], offsets: [] });
    const gone = keys.filter((_k, n) => n % 2 === 0);
    await conn.write({ groupId: 'g-rt', tables: [changesOf(d, columns, ['k'], { deletes: gone.map((k) => row({ k })) })], offsets: [] });
    const left = await admin.query<{ k: string }>(`SELECT k FROM ${SCHEMA}.rt_keys ORDER BY n`);
    assert.deepEqual(
      left.rows.map((r) => r.k),
      keys.filter((_k, n) => n % 2 === 1),
    );
  });

  void test('a NUL character: refused with SQLSTATE 22021, as node-postgres arrays were; a data error from the connector', async () => {
    const bad = ['ok', 'a\u0000b'];
    for (const param of [textArrayLiteral(bad), bad]) {
      const err = await rejection(unnest(param));
      assert.equal((err as { code?: unknown }).code, '22021');
    }
    const columns: ColumnSchema[] = [
      { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
      { name: 't', type: { kind: 'string' }, optional: true },
    ];
    const d = await table('rt_nul', columns, ['id']);
    const err = await rejection(
      conn.write({ groupId: 'g-rt', tables: [changesOf(d, columns, ['id'], { upserts: [row({ id: 1, t: 'a\u0000b' })] })], offsets: [] }),
    );
    assert.ok(err instanceof TargetError, String(err));
    assert.equal(err.kind, 'data');
    assert.match(err.message, /22021/);
  });
});
