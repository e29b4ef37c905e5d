import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WriteBatch } from '../../../connectors/contract.ts';
import { PACKED_TEXT_BYTES, batchTexts, packStatements } from '../../../connectors/mysql/batch-texts.ts';
import { RAISE_UNLESS_ONE_ROW } from '../../../connectors/mysql/offsets-sql.ts';
import { changes, col, mariadb, row } from './fixtures.ts';

const t = { schema: null, name: 't' };
const columns = [col('id', { kind: 'int', bits: 32 }, false), col('s', { kind: 'string' })];

function batch(rows: number, size = 1): WriteBatch {
  const upserts = Array.from({ length: rows }, (_v, i) => row({ id: i, s: 'x'.repeat(size) }));
  return {
    groupId: 'g',
    tables: [changes(t, columns, ['id'], { upserts, deletes: [row({ id: -1 })] })],
    offsets: [
      { topic: 'k', partition: 0, nextOffset: '10', expected: '5' },
      { topic: 'k', partition: 1, nextOffset: '3', expected: null },
    ],
  };
}

describe('mysql batch texts (target.pipeline)', () => {
  test('packStatements joins in order up to the limit; a statement over it goes alone', () => {
    assert.deepEqual(packStatements(['aa', 'bb', 'cc'], 100), ['aa;\nbb;\ncc']);
    assert.deepEqual(packStatements(['aa', 'bb', 'cc'], 6), ['aa;\nbb', 'cc']);
    assert.deepEqual(packStatements(['aa', 'b'.repeat(10), 'cc'], 6), ['aa', 'b'.repeat(10), 'cc']);
    // UTF-8 bytes, not characters: 'é' is two.
    assert.deepEqual(packStatements(['éé', 'x'], 6), ['éé', 'x']);
    assert.deepEqual(packStatements([], 6), []);
  });

  test('a small batch is one text: START TRANSACTION, each offset move with its check, the table statements, COMMIT', () => {
    const d = mariadb();
    const b = batch(2);
    const [move0, check0] = d.moveOffsetInline('g', b.offsets[0]!);
    const [move1] = d.moveOffsetInline('g', b.offsets[1]!);
    const data = d.tableChangesInline(b.tables[0]!).map((s) => s.text);
    assert.equal(data.length, 2, 'a delete and an upsert');
    assert.equal(check0, RAISE_UNLESS_ONE_ROW);
    assert.deepEqual(batchTexts(d, b, false), [
      ['START TRANSACTION', move0, RAISE_UNLESS_ONE_ROW, move1, RAISE_UNLESS_ONE_ROW, ...data, 'COMMIT'].join(';\n'),
    ]);
    assert.match(batchTexts(d, b, true)[0]!, /;\nROLLBACK$/, 'a dry run rolls back');
  });

  test("packed within the dialect's statement budget and 1 MiB, an offset's move and check never split", () => {
    const small = mariadb({ maxStatementBytes: 600 });
    const texts = batchTexts(small, batch(3, 100), false);
    assert.ok(texts.length > 2, `${texts.length} texts`);
    for (const text of texts) {
      assert.ok(Buffer.byteLength(text) <= 600 || !text.includes(';'), `a text over the budget holds one statement: ${text.slice(0, 80)}`);
      assert.ok(!text.startsWith(RAISE_UNLESS_ONE_ROW), 'no check is separated from its move');
    }
    assert.equal(texts.join(';\n'), batchTexts(mariadb(), batch(3, 100), false)[0], 'the same statements in the same order');

    const big = batchTexts(mariadb(), batch(3000, 1000), false);
    assert.ok(big.length >= 3, `${big.length} texts`);
    for (const text of big) assert.ok(Buffer.byteLength(text) <= PACKED_TEXT_BYTES);
    assert.ok(big[0]!.startsWith('START TRANSACTION;\n'));
    assert.ok(big[big.length - 1]!.endsWith(';\nCOMMIT'));
  });
});
