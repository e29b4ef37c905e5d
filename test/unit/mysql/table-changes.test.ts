import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TargetError } from '../../../connectors/core/errors.ts';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import { changes, col, mariadb, mysql8019, mysql8020, row } from './fixtures.ts';

const orders = { schema: null, name: 'orders' };
const columns = [col('id', { kind: 'int', bits: 64 }, false), col('name', { kind: 'string' }), col('qty', { kind: 'int', bits: 32 })];
const twoRows = [row({ id: 1n, name: 'a', qty: 5 }), row({ id: 2n, name: 'b', qty: null })];
const head = 'INSERT INTO `app`.`orders` (`id`, `name`, `qty`) VALUES (?, ?, ?), (?, ?, ?)';

describe('mysql upsert forms', () => {
  test('MySQL 8.0.20+: row alias', () => {
    const d = mysql8020();
    assert.equal(d.rowAlias, true);
    const [sql, ...rest] = d.tableChanges(changes(orders, columns, ['id'], { upserts: twoRows }));
    assert.equal(rest.length, 0);
    assert.equal(sql?.text, `${head} AS \`new\` ON DUPLICATE KEY UPDATE \`name\` = \`new\`.\`name\`, \`qty\` = \`new\`.\`qty\``);
    assert.deepEqual(sql?.values, ['1', 'a', 5, '2', 'b', null]);
    assert.equal(sql?.kind, 'upsert');
    assert.equal(sql?.rows, 2);
  });

  for (const [name, dialect] of [['MySQL 8.0.19', mysql8019()], ['MariaDB', mariadb()]] as const) {
    test(`${name}: VALUES(col)`, () => {
      assert.equal(dialect.rowAlias, false);
      const [sql] = dialect.tableChanges(changes(orders, columns, ['id'], { upserts: twoRows }));
      assert.equal(sql?.text, `${head} ON DUPLICATE KEY UPDATE \`name\` = VALUES(\`name\`), \`qty\` = VALUES(\`qty\`)`);
      assert.deepEqual(sql?.values, ['1', 'a', 5, '2', 'b', null]);
    });
  }

  test('key-only rows: a no-op update of the first key column, never INSERT IGNORE', () => {
    const keyOnly = [col('a', { kind: 'int', bits: 32 }, false), col('b', { kind: 'string' }, false)];
    for (const d of [mysql8020(), mariadb()]) {
      const [sql] = d.tableChanges(changes({ schema: 'x', name: 'link' }, keyOnly, ['a', 'b'], { upserts: [row({ a: 1, b: 'p' })] }));
      assert.equal(sql?.text, 'INSERT INTO `x`.`link` (`a`, `b`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `a` = `a`');
      assert.deepEqual(sql?.values, [1, 'p']);
    }
  });

  test('append: plain multi-row INSERT', () => {
    const [sql] = mysql8020().tableChanges(changes(orders, columns, [], { mode: 'append', upserts: twoRows }));
    assert.equal(sql?.text, head);
    assert.equal(sql?.kind, 'insert');
  });

  test('quoting of reserved, mixed-case, unicode and backtick names', () => {
    const odd = [col('order', { kind: 'int', bits: 32 }, false), col('Größe', { kind: 'string' }), col('a`b', { kind: 'string' })];
    const [sql] = mariadb().tableChanges(
      changes({ schema: 'Shop', name: 'café' }, odd, ['order'], { upserts: [row({ order: 1, Größe: 'L', 'a`b': 'x' })] }),
    );
    assert.equal(
      sql?.text,
      'INSERT INTO `Shop`.`café` (`order`, `Größe`, `a``b`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `Größe` = VALUES(`Größe`), `a``b` = VALUES(`a``b`)',
    );
  });
});

describe('mysql deletes and truncate', () => {
  test('single key: k IN (...)', () => {
    const sqls = mariadb().tableChanges(changes(orders, columns, ['id'], { deletes: [row({ id: 1n }), row({ id: 2n })] }));
    assert.deepEqual(
      sqls.map((s) => [s.text, s.values, s.kind]),
      [['DELETE FROM `app`.`orders` WHERE `id` IN (?, ?)', ['1', '2'], 'delete']],
    );
  });

  test('composite key: row constructor IN', () => {
    const cols = [col('tenant', { kind: 'string' }, false), col('n', { kind: 'int', bits: 32 }, false)];
    const [sql] = mysql8020().tableChanges(
      changes(orders, cols, ['tenant', 'n'], { deletes: [row({ tenant: 'a', n: 1 }), row({ tenant: 'b', n: 2 })] }),
    );
    assert.equal(sql?.text, 'DELETE FROM `app`.`orders` WHERE (`tenant`, `n`) IN ((?, ?), (?, ?))');
    assert.deepEqual(sql?.values, ['a', 1, 'b', 2]);
  });

  test('truncate is DELETE FROM (TRUNCATE would commit implicitly), then deletes, then upserts', () => {
    const sqls = mysql8020().tableChanges(
      changes(orders, columns, ['id'], { truncate: true, deletes: [row({ id: 9n })], upserts: [twoRows[0] ?? row({})] }),
    );
    assert.deepEqual(
      sqls.map((s) => s.kind),
      ['truncate', 'delete', 'upsert'],
    );
    assert.equal(sqls[0]?.text, 'DELETE FROM `app`.`orders`');
    assert.deepEqual(sqls[0]?.values, []);
  });

  test('a delete without a key value is a data error', () => {
    assert.throws(
      () => mariadb().tableChanges(changes(orders, columns, ['id'], { deletes: [row({ id: null })] })),
      (err: unknown) => err instanceof TargetError && err.kind === 'data' && /no value for key column id/.test(err.message),
    );
  });

  test('nothing to do: no statements', () => {
    assert.deepEqual(mariadb().tableChanges(changes(orders, columns, ['id'], {})), []);
  });
});

describe('mysql UNCHANGED columns', () => {
  const cols = [col('id', { kind: 'int', bits: 32 }, false), col('name', { kind: 'string' }), col('doc', { kind: 'json' })];
  const rows = [
    row({ id: 1, name: 'a', doc: UNCHANGED }),
    row({ id: 2, name: 'b', doc: '{}' }),
    row({ id: 3, name: UNCHANGED, doc: UNCHANGED }),
    row({ id: 4, name: 'd', doc: UNCHANGED }),
  ];

  test('rows are grouped by the columns they provide; the others are neither inserted nor updated', () => {
    const sqls = mysql8020().tableChanges(changes(orders, cols, ['id'], { upserts: rows }));
    assert.deepEqual(
      sqls.map((s) => [s.text, s.values]),
      [
        [
          'INSERT INTO `app`.`orders` (`id`, `name`) VALUES (?, ?), (?, ?) AS `new` ON DUPLICATE KEY UPDATE `name` = `new`.`name`',
          [1, 'a', 4, 'd'],
        ],
        [
          'INSERT INTO `app`.`orders` (`id`, `name`, `doc`) VALUES (?, ?, ?) AS `new` ON DUPLICATE KEY UPDATE `name` = `new`.`name`, `doc` = `new`.`doc`',
          [2, 'b', '{}'],
        ],
        ['INSERT INTO `app`.`orders` (`id`) VALUES (?) ON DUPLICATE KEY UPDATE `id` = `id`', [3]],
      ],
    );
    for (const s of sqls) assert.ok(!s.values.includes(UNCHANGED as never));
  });

  test('an UNCHANGED key column is a data error', () => {
    assert.throws(
      () => mariadb().tableChanges(changes(orders, cols, ['id'], { upserts: [row({ id: UNCHANGED, name: 'x', doc: null })] })),
      /no value for key column id/,
    );
  });
});

describe('mysql chunking', () => {
  const wide = Array.from({ length: 70 }, (_, i) => col(`c${i}`, { kind: 'int', bits: 32 }, i !== 0));
  const wideRows = (n: number) =>
    Array.from({ length: n }, (_, r) => row(Object.fromEntries(wide.map((c, i) => [c.name, i === 0 ? r : i]))));

  test('70 columns: 936 rows per statement (floor(65535 / 70)), below rowsPerStatement 1000', () => {
    const sqls = mariadb().tableChanges(changes(orders, wide, ['c0'], { upserts: wideRows(3000) }));
    assert.deepEqual(
      sqls.map((s) => s.rows),
      [936, 936, 936, 192],
    );
    assert.equal(sqls[0]?.values.length, 936 * 70);
    assert.ok((sqls[0]?.values.length ?? 0) <= 65535);
    assert.equal(sqls[0]?.values[70], 1);
    assert.equal(sqls[3]?.values[0], 2808);
  });

  test('rowsPerStatement caps narrow tables', () => {
    const sqls = mariadb({ rowsPerStatement: 2 }).tableChanges(
      changes(orders, columns, ['id'], { upserts: [...twoRows, row({ id: 3n, name: 'c', qty: 1 })], deletes: [1n, 2n, 3n].map((id) => row({ id })) }),
    );
    assert.deepEqual(
      sqls.map((s) => `${s.kind}:${s.rows}`),
      ['delete:2', 'delete:1', 'upsert:2', 'upsert:1'],
    );
  });

  test('deletes: at most 65535 binds per statement', () => {
    const keys = Array.from({ length: 3 }, (_, i) => col(`k${i}`, { kind: 'int', bits: 32 }, false));
    const deletes = Array.from({ length: 50000 }, (_, r) => row({ k0: r, k1: r, k2: r }));
    const sqls = mariadb({ rowsPerStatement: 65535 }).tableChanges(changes(orders, keys, ['k0', 'k1', 'k2'], { deletes }));
    assert.deepEqual(
      sqls.map((s) => s.rows),
      [21845, 21845, 6310],
    );
  });

  test('maxStatementBytes splits statements of large values', () => {
    const big = 'x'.repeat(1000);
    const rows = Array.from({ length: 10 }, (_, i) => row({ id: BigInt(i), name: big, qty: 1 }));
    const sqls = mariadb({ maxStatementBytes: 3500 }).tableChanges(changes(orders, columns, ['id'], { upserts: rows }));
    assert.deepEqual(
      sqls.map((s) => s.rows),
      [3, 3, 3, 1],
    );
  });
});

describe('mysql target columns', () => {
  test('a row column the target lacks is a fatal schema error naming table and column', () => {
    const c = changes(orders, columns, ['id'], { upserts: twoRows });
    const narrowed = { ...c, description: { ...c.description, columns: c.description.columns.filter((x) => x.name !== 'qty') } };
    assert.throws(
      () => mariadb().tableChanges(narrowed),
      (err: unknown) =>
        err instanceof TargetError && err.kind === 'fatal' && err.code === 'CDC_TARGET_SCHEMA' && /table app\.orders has no column qty/.test(err.message),
    );
  });

  test('target column names match case-insensitively, as MySQL does', () => {
    const c = changes(orders, columns, ['id'], { upserts: twoRows });
    const upper = { ...c, description: { ...c.description, columns: c.description.columns.map((x) => ({ ...x, name: x.name.toUpperCase() })) } };
    assert.equal(mariadb().tableChanges(upper).length, 1);
  });

  test('columns a row carries beyond the schema are written too', () => {
    const c = changes(orders, columns, ['id'], { upserts: [row({ id: 1n, name: 'a', qty: 1, extra: 'e' })] });
    const withExtra = { ...c, description: { ...c.description, columns: [...c.description.columns, { name: 'extra', dataType: 'text', nullable: true }] } };
    const [sql] = mariadb().tableChanges(withExtra);
    assert.match(sql?.text ?? '', /\(`id`, `name`, `qty`, `extra`\)/);
    assert.deepEqual(sql?.values, ['1', 'a', 1, 'e']);
  });
});
