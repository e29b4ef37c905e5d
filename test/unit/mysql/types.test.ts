import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ColumnType } from '../../../connectors/core/column-type.ts';
import { TargetError } from '../../../connectors/core/errors.ts';
import { col, mariadb, mysql8019, mysql8020 } from './fixtures.ts';

const every: [ColumnType, string][] = [
  [{ kind: 'boolean' }, 'BOOLEAN'],
  [{ kind: 'int', bits: 8 }, 'TINYINT'],
  [{ kind: 'int', bits: 16 }, 'SMALLINT'],
  [{ kind: 'int', bits: 32 }, 'INT'],
  [{ kind: 'int', bits: 64 }, 'BIGINT'],
  [{ kind: 'float', bits: 32 }, 'FLOAT'],
  [{ kind: 'float', bits: 64 }, 'DOUBLE'],
  [{ kind: 'decimal', precision: 38, scale: 18 }, 'DECIMAL(38,18)'],
  [{ kind: 'decimal', precision: 20, scale: 0 }, 'DECIMAL(20,0)'],
  [{ kind: 'decimal', precision: 65, scale: 30 }, 'DECIMAL(65,30)'],
  [{ kind: 'decimal' }, 'DECIMAL(65,30)'],
  [{ kind: 'decimal', precision: 10 }, 'DECIMAL(65,30)'],
  [{ kind: 'decimal', scale: 4 }, 'DECIMAL(65,4)'],
  [{ kind: 'decimal', precision: 5, scale: -2 }, 'DECIMAL(7,0)'],
  [{ kind: 'string' }, 'LONGTEXT'],
  [{ kind: 'string', maxLength: 40 }, 'VARCHAR(40)'],
  [{ kind: 'string', maxLength: 16383 }, 'VARCHAR(16383)'],
  [{ kind: 'string', maxLength: 16384 }, 'LONGTEXT'],
  [{ kind: 'bytes' }, 'LONGBLOB'],
  [{ kind: 'bytes', maxLength: 16 }, 'VARBINARY(16)'],
  [{ kind: 'bytes', maxLength: 256 }, 'LONGBLOB'],
  [{ kind: 'date' }, 'DATE'],
  [{ kind: 'time', precision: 3 }, 'TIME(3)'],
  [{ kind: 'time', precision: 6 }, 'TIME(6)'],
  [{ kind: 'time', precision: 9 }, 'TIME(6)'],
  [{ kind: 'time', precision: 0 }, 'TIME(0)'],
  [{ kind: 'timetz' }, 'TIME(6)'],
  [{ kind: 'timestamp', precision: 3 }, 'DATETIME(3)'],
  [{ kind: 'timestamp', precision: 9 }, 'DATETIME(6)'],
  [{ kind: 'timestamptz' }, 'DATETIME(6)'],
  [{ kind: 'timestamptz', precision: 3 }, 'DATETIME(3)'],
  [{ kind: 'interval' }, 'VARCHAR(64)'],
  [{ kind: 'json' }, 'JSON'],
  [{ kind: 'uuid' }, 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin'],
  [{ kind: 'xml' }, 'LONGTEXT'],
  [{ kind: 'enum', allowed: ['a', 'bb'] }, 'VARCHAR(255)'],
  [{ kind: 'enum', allowed: ['x'.repeat(300)] }, 'VARCHAR(300)'],
  [{ kind: 'set', allowed: ['wifi', 'pool'] }, 'VARCHAR(255)'],
  [{ kind: 'set', allowed: ['x'.repeat(200), 'y'.repeat(200)] }, 'VARCHAR(401)'],
  [{ kind: 'bits', length: 1 }, 'BIT(1)'],
  [{ kind: 'bits', length: 64 }, 'BIT(64)'],
  [{ kind: 'bits', length: 65 }, 'VARBINARY(9)'],
  [{ kind: 'year' }, 'SMALLINT'],
  [{ kind: 'geometry', shape: 'point' }, 'LONGBLOB'],
  [{ kind: 'array', items: { kind: 'int', bits: 32 } }, 'JSON'],
];

describe('mysql column types', () => {
  for (const [type, sql] of every) {
    test(`${JSON.stringify(type).slice(0, 60)} -> ${sql}`, () => assert.equal(mariadb().columnTypeSql(type), sql));
  }

  test('uuidStorage binary16 -> BINARY(16)', () => {
    assert.equal(mariadb({ uuidStorage: 'binary16' }).columnTypeSql({ kind: 'uuid' }), 'BINARY(16)');
  });

  const rejected: ColumnType[] = [
    { kind: 'decimal', precision: 66, scale: 2 },
    { kind: 'decimal', precision: 40, scale: 31 },
    { kind: 'decimal', precision: 4, scale: 6 },
    { kind: 'decimal', precision: 65, scale: -5 },
  ];
  for (const type of rejected) {
    test(`rejects ${JSON.stringify(type)}`, () => {
      assert.throws(
        () => mariadb().columnTypeSql(type),
        (err: unknown) => err instanceof TargetError && err.kind === 'fatal' && /create the column yourself/.test(err.message),
      );
    });
  }
});

describe('mysql createTable', () => {
  const table = { schema: 'shop', name: 'order' };

  test('every type, key columns NOT NULL and bounded, MariaDB collation', () => {
    const columns = every.map(([type], i) => col(`c${i}`, type, i % 2 === 0));
    const sql = mariadb().createTable(table, columns, []);
    // VARCHAR(16383) takes 65,534 bytes: with the other columns it exceeds the row limit.
    const types = every.map(([, t]) => (t === 'VARCHAR(16383)' ? 'LONGTEXT' : t));
    const expected = types.map((t, i) => `\`c${i}\` ${t} ${i % 2 === 0 ? 'NULL' : 'NOT NULL'}`).join(', ');
    assert.equal(
      sql.text,
      `CREATE TABLE IF NOT EXISTS \`shop\`.\`order\` (${expected}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin`,
    );
    assert.deepEqual(sql.values, []);
  });

  test('composite key of text, bytes and uuid on MySQL 8', () => {
    const sql = mysql8020().createTable(
      { schema: null, name: 'Lines' },
      [
        col('tenant', { kind: 'string' }, false),
        col('code', { kind: 'string', maxLength: 1000 }, false),
        col('hash', { kind: 'bytes' }, false),
        col('u', { kind: 'uuid' }, false),
        col('note', { kind: 'string' }, true),
      ],
      ['tenant', 'code', 'hash', 'u'],
    );
    assert.equal(
      sql.text,
      'CREATE TABLE IF NOT EXISTS `app`.`Lines` (`tenant` VARCHAR(191) NOT NULL, `code` VARCHAR(768) NOT NULL, ' +
        '`hash` VARBINARY(255) NOT NULL, `u` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, `note` LONGTEXT NULL, ' +
        'PRIMARY KEY (`tenant`, `code`, `hash`, `u`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin',
    );
  });

  test('a key column is NOT NULL even when optional', () => {
    const sql = mysql8019().createTable({ schema: null, name: 't' }, [col('id', { kind: 'int', bits: 32 }, true)], ['id']);
    assert.match(sql.text, /`id` INT NOT NULL, PRIMARY KEY \(`id`\)/);
  });

  test('long VARCHARs beyond the 65,535-byte row limit become LONGTEXT', () => {
    const columns = [1, 2, 3, 4, 5].map((i) => col(`s${i}`, { kind: 'string', maxLength: 4000 }));
    const text = mariadb().createTable({ schema: null, name: 't' }, columns, []).text;
    // 4000 utf8mb4 characters = 16,002 bytes: four fit in 65,535 (less a margin), the fifth does not.
    assert.match(text, /`s1` VARCHAR\(4000\) NULL, `s2` VARCHAR\(4000\) NULL, `s3` VARCHAR\(4000\) NULL, `s4` VARCHAR\(4000\) NULL, `s5` LONGTEXT NULL/);
  });

  test('rejects duplicate names (case-insensitive), unknown keys and no columns', () => {
    const d = mariadb();
    assert.throws(() => d.createTable(table, [col('a', { kind: 'json' }), col('A', { kind: 'json' })], []), /appears twice/);
    assert.throws(() => d.createTable(table, [col('a', { kind: 'json' })], ['id']), /key column id is not among its columns/);
    assert.throws(() => d.createTable(table, [], []), /no columns/);
  });
});

describe('mysql addColumns', () => {
  const columns = [col('note', { kind: 'string', maxLength: 100 }, false), col('big', { kind: 'string', maxLength: 1000 })];

  test('MariaDB: one ALTER with IF NOT EXISTS, always NULL-able', () => {
    assert.deepEqual(mariadb().addColumns({ schema: null, name: 't' }, columns), [
      {
        text: 'ALTER TABLE `app`.`t` ADD COLUMN IF NOT EXISTS `note` VARCHAR(100) NULL, ADD COLUMN IF NOT EXISTS `big` LONGTEXT NULL',
        values: [],
      },
    ]);
  });

  test('MySQL: no IF NOT EXISTS', () => {
    assert.equal(
      mysql8020().addColumns({ schema: 's', name: 't' }, columns)[0]?.text,
      'ALTER TABLE `s`.`t` ADD COLUMN `note` VARCHAR(100) NULL, ADD COLUMN `big` LONGTEXT NULL',
    );
  });

  test('nothing to add: no statement', () => assert.deepEqual(mariadb().addColumns({ schema: null, name: 't' }, []), []));
});
