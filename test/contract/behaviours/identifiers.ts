/**
 * Identifiers taken literally: reserved words, mixed case and non-ASCII names for tables and
 * columns, through createTable, describeTable, upsert, delete and the reader.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnSchema } from '../../../connectors/core/column-type.ts';
import { col, row, T, type Harness } from '../harness.ts';

interface NamedTable {
  readonly table: string;
  readonly key: string;
  readonly other: string;
  readonly third: string;
}

const TABLES: readonly NamedTable[] = [
  { table: 'order', key: 'select', other: 'user', third: 'order' },
  { table: 'user', key: 'order', other: 'select', third: 'from' },
  { table: 'select', key: 'user', other: 'group', third: 'table' },
  { table: 'OrderLines', key: 'CustomerID', other: 'LineText', third: 'Qty' },
  { table: 'café', key: '数量', other: 'café', third: 'naïve Ünïcode' },
];

export function identifierBehaviours(h: Harness): void {
  for (const t of TABLES) {
    test(`table ${JSON.stringify(t.table)} with columns ${[t.key, t.other, t.third].map((c) => JSON.stringify(c)).join(', ')}`, async () => {
      const cols: ColumnSchema[] = [col(t.key, T.i64, false), col(t.other, T.text), col(t.third, T.i32)];
      await h.create(t.table, cols, [t.key]);
      const description = await h.connector.describeTable(h.ref(t.table));
      assert.ok(description);
      assert.deepEqual(
        description.columns.map((c) => c.name),
        [t.key, t.other, t.third],
      );
      assert.deepEqual(description.primaryKey, [t.key]);

      await h.apply(t.table, cols, [t.key], {
        upserts: [
          row({ [t.key]: 1n, [t.other]: 'één', [t.third]: 1 }),
          row({ [t.key]: 2n, [t.other]: '二', [t.third]: 2 }),
          row({ [t.key]: 3n, [t.other]: 'drei', [t.third]: 3 }),
        ],
      });
      await h.apply(t.table, cols, [t.key], {
        deletes: [row({ [t.key]: 3n })],
        upserts: [row({ [t.key]: 2n, [t.other]: 'twee', [t.third]: 22 })],
      });
      assert.deepEqual(await h.read(t.table, { [t.key]: 'int', [t.other]: 'text', [t.third]: 'int' }, [t.key]), [
        ['1', 'één', '1'],
        ['2', 'twee', '22'],
      ]);
    });
  }

  test('two tables whose names differ only in case stay two tables', async () => {
    const cols = [col('id', T.i64, false), col('v', T.text)];
    await h.create('CaseTable', cols, ['id']);
    await h.create('casetable', cols, ['id']);
    await h.apply('CaseTable', cols, ['id'], { upserts: [row({ id: 1n, v: 'upper' })] });
    await h.apply('casetable', cols, ['id'], { upserts: [row({ id: 1n, v: 'lower' })] });
    assert.deepEqual(await h.read('CaseTable', { id: 'int', v: 'text' }, ['id']), [['1', 'upper']]);
    assert.deepEqual(await h.read('casetable', { id: 'int', v: 'text' }, ['id']), [['1', 'lower']]);
  });
}
