import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { format as mysql2Format } from 'mysql2';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import { inlineStatements, type RowsStatement } from '../../../connectors/mysql/statement.ts';
import { changes, col, mariadb, mysql8020, row } from './fixtures.ts';

const orders = { schema: null, name: 'orders' };
const columns = [col('id', { kind: 'int', bits: 64 }, false), col('name', { kind: 'string' }), col('qty', { kind: 'int', bits: 32 })];
const twoRows = [row({ id: 1n, name: "a'b", qty: 5 }), row({ id: 2n, name: 'c\\d', qty: null })];

describe('mysql inline statements (tableChangesInline): golden SQL', () => {
  test('MariaDB upsert: literals in place of the placeholders, no binds', () => {
    const sqls = mariadb().tableChangesInline(changes(orders, columns, ['id'], { upserts: twoRows }));
    assert.deepEqual(sqls, [
      {
        text:
          "INSERT INTO `app`.`orders` (`id`, `name`, `qty`) VALUES ('1', 'a\\'b', 5), ('2', 'c\\\\d', NULL) " +
          'ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `qty` = VALUES(`qty`)',
        values: [],
        kind: 'upsert',
        rows: 2,
      },
    ]);
  });

  test('MySQL 8.0.20+: row alias', () => {
    const [sql] = mysql8020().tableChangesInline(changes(orders, columns, ['id'], { upserts: twoRows }));
    assert.equal(
      sql?.text,
      "INSERT INTO `app`.`orders` (`id`, `name`, `qty`) VALUES ('1', 'a\\'b', 5), ('2', 'c\\\\d', NULL) AS `new` " +
        'ON DUPLICATE KEY UPDATE `name` = `new`.`name`, `qty` = `new`.`qty`',
    );
  });

  test('append, key-only rows', () => {
    const [append] = mariadb().tableChangesInline(changes(orders, columns, [], { mode: 'append', upserts: twoRows }));
    assert.equal(append?.text, "INSERT INTO `app`.`orders` (`id`, `name`, `qty`) VALUES ('1', 'a\\'b', 5), ('2', 'c\\\\d', NULL)");
    assert.equal(append?.kind, 'insert');
    const keyOnly = [col('a', { kind: 'int', bits: 32 }, false), col('b', { kind: 'string' }, false)];
    const [k] = mariadb().tableChangesInline(changes({ schema: 'x', name: 'link' }, keyOnly, ['a', 'b'], { upserts: [row({ a: 1, b: 'p' })] }));
    assert.equal(k?.text, "INSERT INTO `x`.`link` (`a`, `b`) VALUES (1, 'p') ON DUPLICATE KEY UPDATE `a` = `a`");
  });

  test('deletes: single key IN (...), composite key row constructors; truncate first', () => {
    const sqls = mariadb().tableChangesInline(
      changes(orders, columns, ['id'], { truncate: true, deletes: [row({ id: 1n }), row({ id: 2n })], upserts: [twoRows[0] ?? row({})] }),
    );
    assert.deepEqual(
      sqls.map((s) => [s.kind, s.text, s.rows]),
      [
        ['truncate', 'DELETE FROM `app`.`orders`', 0],
        ['delete', "DELETE FROM `app`.`orders` WHERE `id` IN ('1', '2')", 2],
        ['upsert', "INSERT INTO `app`.`orders` (`id`, `name`, `qty`) VALUES ('1', 'a\\'b', 5) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `qty` = VALUES(`qty`)", 1],
      ],
    );
    const cols = [col('tenant', { kind: 'string' }, false), col('n', { kind: 'int', bits: 32 }, false)];
    const [composite] = mariadb().tableChangesInline(
      changes(orders, cols, ['tenant', 'n'], { deletes: [row({ tenant: 'a', n: 1 }), row({ tenant: "b'", n: 2 })] }),
    );
    assert.equal(composite?.text, "DELETE FROM `app`.`orders` WHERE (`tenant`, `n`) IN (('a', 1), ('b\\'', 2))");
  });

  test('UNCHANGED columns: grouped exactly as the bound form', () => {
    const cols = [col('id', { kind: 'int', bits: 32 }, false), col('name', { kind: 'string' }), col('doc', { kind: 'json' })];
    const rows = [row({ id: 1, name: 'a', doc: UNCHANGED }), row({ id: 2, name: 'b', doc: '{"k":"é"}' }), row({ id: 4, name: 'd', doc: UNCHANGED })];
    assert.deepEqual(
      mariadb().tableChangesInline(changes(orders, cols, ['id'], { upserts: rows })).map((s) => s.text),
      [
        "INSERT INTO `app`.`orders` (`id`, `name`) VALUES (1, 'a'), (4, 'd') ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)",
        'INSERT INTO `app`.`orders` (`id`, `name`, `doc`) VALUES (2, \'b\', \'{\\"k\\":\\"é\\"}\') ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `doc` = VALUES(`doc`)',
      ],
    );
  });

  test('names with ? and backticks are not placeholders: values never land inside identifiers', () => {
    const odd = [col('k?', { kind: 'int', bits: 32 }, false), col('a`?b', { kind: 'string' })];
    const [sql] = mariadb().tableChangesInline(changes({ schema: 'S?', name: 't`?' }, odd, ['k?'], { upserts: [row({ 'k?': 1, 'a`?b': '?' })] }));
    assert.equal(sql?.text, "INSERT INTO `S?`.`t``?` (`k?`, `a``?b`) VALUES (1, '?') ON DUPLICATE KEY UPDATE `a``?b` = VALUES(`a``?b`)");
  });

  test("every value type: the inline text equals mysql2's format() of the bound statement", () => {
    const cols = [
      col('id', { kind: 'int', bits: 64 }, false),
      col('dec', { kind: 'decimal', precision: 38, scale: 18 }),
      col('u64', { kind: 'decimal', precision: 20, scale: 0 }),
      col('ts', { kind: 'timestamp', precision: 6 }),
      col('tstz', { kind: 'timestamptz' }),
      col('j', { kind: 'json' }),
      col('u', { kind: 'uuid' }),
      col('blob', { kind: 'bytes' }),
      col('s', { kind: 'string' }),
      col('f', { kind: 'float', bits: 64 }),
      col('b', { kind: 'boolean' }),
      col('bits', { kind: 'bits', length: 9 }),
      col('arr', { kind: 'array', items: { kind: 'string' } }),
    ];
    const rows = [
      row({
        id: 9223372036854775807n,
        dec: '-99999999999999999999.999999999999999999',
        u64: '18446744073709551615',
        ts: '2024-02-29T23:59:59.999999',
        tstz: '2024-03-01T01:59:59.999999+02:00',
        j: '{"name":"Zoë 😀","q":"it\'s \\"x\\""}',
        u: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
        blob: Buffer.from([0x00, 0x27, 0x5c, 0xff]),
        s: "back\\slash 'quote' \"dq\" \0 \n ?",
        f: 0.30000000000000004,
        b: true,
        bits: '100000001',
        arr: ["it's", null],
      }),
      row(Object.fromEntries(cols.map((c) => [c.name, c.name === 'id' ? 0n : null]))),
    ];
    const c = changes(orders, cols, ['id'], { upserts: rows, deletes: [row({ id: 5n })], targetTypes: { u: 'binary(16)', bits: 'bit(9)' } });
    const bound = mariadb().tableChanges(c);
    const inline = mariadb().tableChangesInline(c);
    assert.equal(inline.length, bound.length);
    inline.forEach((s, i) => {
      const b = bound[i];
      assert.equal(s.text, mysql2Format(b?.text ?? '', [...(b?.values ?? [])]));
      assert.equal(s.rows, b?.rows);
      assert.equal(s.kind, b?.kind);
    });
    assert.match(inline[1]?.text ?? '', /X'f47ac10b58cc4372a5670e02b2c3d479'/);
    assert.match(inline[1]?.text ?? '', /'2024-02-29 23:59:59\.999999', '2024-02-29 23:59:59\.999999'/);
    assert.match(inline[1]?.text ?? '', /X'00275cff'/);
  });
});

describe('mysql inline statements: chunking by rows and bytes, not binds', () => {
  const wide = Array.from({ length: 70 }, (_, i) => col(`c${i}`, { kind: 'int', bits: 32 }, i !== 0));
  const wideRows = (n: number) => Array.from({ length: n }, (_, r) => row(Object.fromEntries(wide.map((c, i) => [c.name, i === 0 ? r : i]))));

  test('70 columns: rowsPerStatement rows a statement (the 65,535-bind limit is for placeholders only)', () => {
    const c = changes(orders, wide, ['c0'], { upserts: wideRows(3000) });
    assert.deepEqual(
      mariadb().tableChangesInline(c).map((s) => s.rows),
      [1000, 1000, 1000],
    );
    assert.deepEqual(
      mariadb().tableChanges(c).map((s) => s.rows),
      [936, 936, 936, 192],
    );
  });

  test('rowsPerStatement caps rows; deletes too', () => {
    const sqls = mariadb({ rowsPerStatement: 2 }).tableChangesInline(
      changes(orders, columns, ['id'], { upserts: [...twoRows, row({ id: 3n, name: 'c', qty: 1 })], deletes: [1n, 2n, 3n].map((id) => row({ id })) }),
    );
    assert.deepEqual(
      sqls.map((s) => `${s.kind}:${s.rows}`),
      ['delete:2', 'delete:1', 'upsert:2', 'upsert:1'],
    );
  });

  test('maxStatementBytes counts the whole text in UTF-8 bytes, escapes and hex included', () => {
    const budget = 4000;
    // 300 quotes escape to 600 bytes; 'é' takes 2 bytes; 300 bytes of blob are 600 hex digits.
    const cols = [col('id', { kind: 'int', bits: 64 }, false), col('s', { kind: 'string' }), col('b', { kind: 'bytes' })];
    const rows = Array.from({ length: 20 }, (_, i) => row({ id: BigInt(i), s: `${"'".repeat(300)}${'é'.repeat(100)}`, b: Buffer.alloc(300, 0x27) }));
    const sqls = mariadb({ maxStatementBytes: budget }).tableChangesInline(changes(orders, cols, ['id'], { upserts: rows }));
    for (const s of sqls) assert.ok(Buffer.byteLength(s.text) <= budget, `${Buffer.byteLength(s.text)} bytes`);
    assert.equal(sqls.reduce((n, s) => n + s.rows, 0), 20);
    // Each row is ~1,420 bytes of text: two rows fit 4,000 bytes with the head and tail, three do not.
    assert.deepEqual(
      sqls.map((s) => s.rows),
      Array.from({ length: 10 }, () => 2),
    );
  });

  test('a row longer than maxStatementBytes goes alone', () => {
    const rows = [row({ id: 1n, name: 'x'.repeat(5000), qty: 1 }), row({ id: 2n, name: 'y', qty: 2 }), row({ id: 3n, name: 'z', qty: 3 })];
    const sqls = mariadb({ maxStatementBytes: 1000 }).tableChangesInline(changes(orders, columns, ['id'], { upserts: rows }));
    assert.deepEqual(
      sqls.map((s) => s.rows),
      [1, 2],
    );
  });

  test('inlineStatements: head and tail counted; exactly at the budget fits', () => {
    const s: RowsStatement = { kind: 'delete', head: 'DELETE FROM t WHERE k IN (', tail: ')', width: 1, tuples: false, rows: [[1], [2], [3]] };
    const fixed = 'DELETE FROM t WHERE k IN ()'.length;
    assert.deepEqual(
      inlineStatements(s, { rowsPerStatement: 10, maxStatementBytes: fixed + '1, 2'.length }).map((x) => x.text),
      ['DELETE FROM t WHERE k IN (1, 2)', 'DELETE FROM t WHERE k IN (3)'],
    );
    assert.deepEqual(
      inlineStatements(s, { rowsPerStatement: 10, maxStatementBytes: fixed + '1, 2'.length - 1 }).map((x) => x.rows),
      [1, 1, 1],
    );
  });
});
