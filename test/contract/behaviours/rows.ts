/**
 * Row behaviours: upsert, delete, delete + re-insert in one batch, composite keys, key-only
 * tables, append mode, NULL vs defaults, UNCHANGED, truncate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import { col, dec, row, T, type Harness } from '../harness.ts';

const ITEMS = [col('id', T.i64, false), col('name', T.text), col('amount', dec(12, 2))];
const ITEMS_READ = { id: 'int', name: 'text', amount: 'decimal' } as const;

export function rowBehaviours(h: Harness): void {
  test('upsert inserts new rows, then updates them by key', async () => {
    await h.create('ct_upsert', ITEMS, ['id']);
    await h.apply('ct_upsert', ITEMS, ['id'], {
      upserts: [row({ id: 1n, name: 'one', amount: '1.50' }), row({ id: 2n, name: 'two', amount: '-2.00' })],
    });
    assert.deepEqual(await h.read('ct_upsert', ITEMS_READ, ['id']), [
      ['1', 'one', '1.5'],
      ['2', 'two', '-2'],
    ]);
    await h.apply('ct_upsert', ITEMS, ['id'], {
      upserts: [row({ id: 2n, name: 'zwei', amount: '99999999.99' }), row({ id: 3n, name: 'three', amount: null })],
    });
    assert.deepEqual(await h.read('ct_upsert', ITEMS_READ, ['id']), [
      ['1', 'one', '1.5'],
      ['2', 'zwei', '99999999.99'],
      ['3', 'three', null],
    ]);
  });

  test('delete removes rows by key; deleting a missing key is not an error', async () => {
    await h.create('ct_delete', ITEMS, ['id']);
    await h.apply('ct_delete', ITEMS, ['id'], {
      upserts: [1n, 2n, 3n].map((id) => row({ id, name: `n${id}`, amount: '1' })),
    });
    await h.apply('ct_delete', ITEMS, ['id'], { deletes: [row({ id: 2n }), row({ id: 42n })] });
    assert.deepEqual(await h.read('ct_delete', ITEMS_READ, ['id']), [
      ['1', 'n1', '1'],
      ['3', 'n3', '1'],
    ]);
  });

  // The contract (connectors/contract.ts TableChanges): truncate, then deletes, then upserts. So a
  // delete and an upsert of the same key in one TableChanges leave the row there, with the upsert's
  // values. (The pipeline reduces a key to its last event, so it never sends both; the connector
  // must still be deterministic about it.)
  test('a delete and an upsert of one key in one batch: deletes go first, the row exists afterwards', async () => {
    await h.create('ct_delete_reinsert', ITEMS, ['id']);
    await h.apply('ct_delete_reinsert', ITEMS, ['id'], { upserts: [row({ id: 1n, name: 'old', amount: '1' })] });
    await h.apply('ct_delete_reinsert', ITEMS, ['id'], {
      deletes: [row({ id: 1n }), row({ id: 2n })],
      upserts: [row({ id: 1n, name: 'new', amount: null }), row({ id: 2n, name: 'born', amount: '2' })],
    });
    assert.deepEqual(await h.read('ct_delete_reinsert', ITEMS_READ, ['id']), [
      ['1', 'new', null],
      ['2', 'born', '2'],
    ]);
  });

  test('composite keys: upsert, update and delete match every key column', async () => {
    const cols = [col('tenant', T.text, false), col('id', T.i64, false), col('v', T.i32)];
    await h.create('ct_composite', cols, ['tenant', 'id']);
    await h.apply('ct_composite', cols, ['tenant', 'id'], {
      upserts: [
        row({ tenant: 'a', id: 1n, v: 1 }),
        row({ tenant: 'a', id: 2n, v: 2 }),
        row({ tenant: 'b', id: 1n, v: 3 }),
        row({ tenant: 'b', id: 2n, v: 4 }),
      ],
    });
    await h.apply('ct_composite', cols, ['tenant', 'id'], {
      deletes: [row({ tenant: 'a', id: 2n })],
      upserts: [row({ tenant: 'b', id: 1n, v: 30 })],
    });
    // Key columns named in another order than the primary key's.
    await h.apply('ct_composite', cols, ['id', 'tenant'], {
      deletes: [row({ tenant: 'b', id: 2n })],
      upserts: [row({ tenant: 'a', id: 1n, v: 10 })],
    });
    assert.deepEqual(await h.read('ct_composite', { tenant: 'text', id: 'int', v: 'int' }, ['tenant', 'id']), [
      ['a', '1', '10'],
      ['b', '1', '30'],
    ]);
  });

  test('key-only tables: upserting an existing key is a no-op, deletes remove it', async () => {
    const cols = [col('a', T.i32, false), col('b', T.text, false)];
    await h.create('ct_keyonly', cols, ['a', 'b']);
    await h.apply('ct_keyonly', cols, ['a', 'b'], { upserts: [row({ a: 1, b: 'x' }), row({ a: 2, b: 'y' })] });
    await h.apply('ct_keyonly', cols, ['a', 'b'], {
      deletes: [row({ a: 2, b: 'y' })],
      upserts: [row({ a: 1, b: 'x' }), row({ a: 3, b: 'z' })],
    });
    assert.deepEqual(await h.read('ct_keyonly', { a: 'int', b: 'text' }, ['a']), [
      ['1', 'x'],
      ['3', 'z'],
    ]);
  });

  test('append mode inserts every row, also equal ones', async () => {
    const cols = [col('seq', T.i64), col('what', T.text)];
    await h.create('ct_append', cols, []);
    const rows = [row({ seq: 1n, what: 'a' }), row({ seq: 1n, what: 'a' }), row({ seq: 2n, what: 'b' })];
    await h.apply('ct_append', cols, [], { mode: 'append', upserts: rows });
    await h.apply('ct_append', cols, [], { mode: 'append', upserts: [row({ seq: 2n, what: 'b' })] });
    assert.deepEqual(await h.read('ct_append', { seq: 'int', what: 'text' }, ['seq']), [
      ['1', 'a'],
      ['1', 'a'],
      ['2', 'b'],
      ['2', 'b'],
    ]);
  });

  test('an explicit NULL stays NULL in a column with a DEFAULT; an empty string is not NULL', async () => {
    const cols = [col('id', T.i64, false), col('status', T.text), col('note', T.text)];
    await h.create('ct_nulls', cols, ['id']);
    await h.reader.setDefault('ct_nulls', 'status', 'fresh');
    await h.apply('ct_nulls', cols, ['id'], {
      upserts: [row({ id: 1n, status: null, note: '' }), row({ id: 2n, status: 'set', note: null })],
    });
    // Oracle: '' is NULL (targets.ts quirks.emptyStringIsNull).
    assert.deepEqual(await h.read('ct_nulls', { id: 'int', status: 'text', note: 'text' }, ['id']), [
      ['1', null, h.emptyString()],
      ['2', 'set', null],
    ]);
    await h.apply('ct_nulls', cols, ['id'], { upserts: [row({ id: 2n, status: null, note: 'x' })] });
    assert.deepEqual(await h.read('ct_nulls', { id: 'int', status: 'text' }, ['id']), [
      ['1', null],
      ['2', null],
    ]);
  });

  test('UNCHANGED leaves the stored value; a new row without the column gets the column default', async () => {
    const cols = [col('id', T.i64, false), col('body', T.text), col('n', T.i32)];
    await h.create('ct_unchanged', cols, ['id']);
    await h.reader.setDefault('ct_unchanged', 'body', 'dflt');
    await h.apply('ct_unchanged', cols, ['id'], {
      upserts: [row({ id: 1n, body: 'big text', n: 1 }), row({ id: 2n, body: 'other', n: 2 })],
    });
    // One batch mixing rows with and without UNCHANGED columns, and a new row whose body is UNCHANGED.
    await h.apply('ct_unchanged', cols, ['id'], {
      upserts: [
        row({ id: 1n, body: UNCHANGED, n: 10 }),
        row({ id: 2n, body: 'changed', n: 20 }),
        row({ id: 3n, body: UNCHANGED, n: 30 }),
      ],
    });
    assert.deepEqual(await h.read('ct_unchanged', { id: 'int', body: 'text', n: 'int' }, ['id']), [
      ['1', 'big text', '10'],
      ['2', 'changed', '20'],
      ['3', 'dflt', '30'],
    ]);
  });

  test('truncate empties the table before the batch\'s deletes and upserts', async () => {
    await h.create('ct_truncate', ITEMS, ['id']);
    await h.apply('ct_truncate', ITEMS, ['id'], { upserts: [1n, 2n, 3n].map((id) => row({ id, name: 'x', amount: '1' })) });
    await h.apply('ct_truncate', ITEMS, ['id'], { truncate: true, upserts: [row({ id: 9n, name: 'after', amount: '9' })] });
    assert.deepEqual(await h.read('ct_truncate', ITEMS_READ, ['id']), [['9', 'after', '9']]);
    await h.apply('ct_truncate', ITEMS, ['id'], { truncate: true });
    assert.equal(await h.reader.count('ct_truncate'), 0);
  });
}
