import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ColumnType } from '../../../connectors/core/column-type.ts';
import { describeType } from '../../../connectors/core/column-type.ts';
import { TargetError } from '../../../connectors/core/errors.ts';
import { ignoringErrors } from '../../../connectors/oracle/ddl.ts';
import { columnTypeSql } from '../../../connectors/oracle/types.ts';
import { col, dialect } from './fixtures.ts';

const clob = { jsonColumnType: 'clob' } as const;
const json = { jsonColumnType: 'json' } as const;

/** [type, column type, key column type] */
const TYPES: [ColumnType, string, string][] = [
  [{ kind: 'boolean' }, 'NUMBER(1)', 'NUMBER(1)'],
  [{ kind: 'int', bits: 8 }, 'NUMBER(3)', 'NUMBER(3)'],
  [{ kind: 'int', bits: 16 }, 'NUMBER(5)', 'NUMBER(5)'],
  [{ kind: 'int', bits: 32 }, 'NUMBER(10)', 'NUMBER(10)'],
  [{ kind: 'int', bits: 64 }, 'NUMBER(19)', 'NUMBER(19)'],
  [{ kind: 'float', bits: 32 }, 'BINARY_FLOAT', 'BINARY_FLOAT'],
  [{ kind: 'float', bits: 64 }, 'BINARY_DOUBLE', 'BINARY_DOUBLE'],
  [{ kind: 'decimal', precision: 10, scale: 2 }, 'NUMBER(10,2)', 'NUMBER(10,2)'],
  [{ kind: 'decimal', precision: 12, scale: 0 }, 'NUMBER(12)', 'NUMBER(12)'],
  [{ kind: 'decimal', precision: 38, scale: 18 }, 'NUMBER(38,18)', 'NUMBER(38,18)'],
  [{ kind: 'decimal', precision: 39, scale: 2 }, 'NUMBER', 'NUMBER'],
  [{ kind: 'decimal', precision: 65, scale: 30 }, 'NUMBER', 'NUMBER'],
  [{ kind: 'decimal', scale: 3 }, 'NUMBER(*,3)', 'NUMBER(*,3)'],
  [{ kind: 'decimal' }, 'NUMBER', 'NUMBER'],
  [{ kind: 'decimal', precision: 5, scale: -2 }, 'NUMBER(5,-2)', 'NUMBER(5,-2)'],
  [{ kind: 'string', maxLength: 255 }, 'VARCHAR2(255 CHAR)', 'VARCHAR2(255 CHAR)'],
  [{ kind: 'string', maxLength: 4000 }, 'VARCHAR2(4000 CHAR)', 'VARCHAR2(1000 CHAR)'],
  [{ kind: 'string', maxLength: 4001 }, 'CLOB', 'VARCHAR2(1000 CHAR)'],
  [{ kind: 'string' }, 'CLOB', 'VARCHAR2(1000 CHAR)'],
  [{ kind: 'bytes', maxLength: 16 }, 'RAW(16)', 'RAW(16)'],
  [{ kind: 'bytes', maxLength: 2000 }, 'RAW(2000)', 'RAW(2000)'],
  [{ kind: 'bytes', maxLength: 2001 }, 'BLOB', 'RAW(2000)'],
  [{ kind: 'bytes' }, 'BLOB', 'RAW(2000)'],
  [{ kind: 'date' }, 'DATE', 'DATE'],
  [{ kind: 'time', precision: 3 }, 'INTERVAL DAY(1) TO SECOND(3)', 'INTERVAL DAY(1) TO SECOND(3)'],
  [{ kind: 'time', precision: 6 }, 'INTERVAL DAY(1) TO SECOND(6)', 'INTERVAL DAY(1) TO SECOND(6)'],
  [{ kind: 'time', precision: 9 }, 'INTERVAL DAY(1) TO SECOND(9)', 'INTERVAL DAY(1) TO SECOND(9)'],
  [{ kind: 'timetz' }, 'VARCHAR2(32 CHAR)', 'VARCHAR2(32 CHAR)'],
  [{ kind: 'timestamp', precision: 0 }, 'TIMESTAMP(0)', 'TIMESTAMP(0)'],
  [{ kind: 'timestamp', precision: 3 }, 'TIMESTAMP(3)', 'TIMESTAMP(3)'],
  [{ kind: 'timestamp', precision: 6 }, 'TIMESTAMP(6)', 'TIMESTAMP(6)'],
  [{ kind: 'timestamp', precision: 9 }, 'TIMESTAMP(9)', 'TIMESTAMP(9)'],
  [{ kind: 'timestamp', precision: 12 }, 'TIMESTAMP(9)', 'TIMESTAMP(9)'],
  [{ kind: 'timestamptz' }, 'TIMESTAMP(6) WITH TIME ZONE', 'TIMESTAMP(6) WITH TIME ZONE'],
  [{ kind: 'timestamptz', precision: 3 }, 'TIMESTAMP(3) WITH TIME ZONE', 'TIMESTAMP(3) WITH TIME ZONE'],
  [{ kind: 'interval' }, 'VARCHAR2(64 CHAR)', 'VARCHAR2(64 CHAR)'],
  [{ kind: 'json' }, 'CLOB', 'VARCHAR2(1000 CHAR)'],
  [{ kind: 'uuid' }, 'RAW(16)', 'RAW(16)'],
  [{ kind: 'xml' }, 'CLOB', 'VARCHAR2(1000 CHAR)'],
  [{ kind: 'enum', allowed: ['a', 'b'] }, 'VARCHAR2(4000 CHAR)', 'VARCHAR2(1000 CHAR)'],
  [{ kind: 'set', allowed: ['wifi', 'pool'] }, 'VARCHAR2(4000 CHAR)', 'VARCHAR2(1000 CHAR)'],
  [{ kind: 'bits', length: 1 }, 'RAW(1)', 'RAW(1)'],
  [{ kind: 'bits', length: 9 }, 'RAW(2)', 'RAW(2)'],
  [{ kind: 'bits', length: 64 }, 'RAW(8)', 'RAW(8)'],
  [{ kind: 'bits', length: 16008 }, 'BLOB', 'RAW(2000)'],
  [{ kind: 'year' }, 'NUMBER(4)', 'NUMBER(4)'],
  [{ kind: 'geometry', shape: 'point' }, 'BLOB', 'RAW(2000)'],
  [{ kind: 'array', items: { kind: 'int', bits: 32 } }, 'CLOB', 'VARCHAR2(1000 CHAR)'],
];

describe('oracle columnTypeSql', () => {
  for (const [type, sql, keySql] of TYPES) {
    test(`${describeType(type)} ${JSON.stringify(type)} -> ${sql} (key ${keySql})`, () => {
      assert.equal(columnTypeSql(type, clob), sql);
      assert.equal(columnTypeSql(type, clob, true), keySql);
    });
  }

  test('every ColumnType kind is covered by the table above', () => {
    const kinds = new Set(TYPES.map(([t]) => t.kind));
    for (const kind of [
      'boolean', 'int', 'float', 'decimal', 'string', 'bytes', 'date', 'time', 'timetz', 'timestamp',
      'timestamptz', 'interval', 'json', 'uuid', 'xml', 'enum', 'set', 'bits', 'year', 'geometry', 'array',
    ]) {
      assert.ok(kinds.has(kind as ColumnType['kind']), kind);
    }
  });

  test('jsonColumnType json uses the native JSON type (not for keys)', () => {
    assert.equal(columnTypeSql({ kind: 'json' }, json), 'JSON');
    assert.equal(columnTypeSql({ kind: 'array', items: { kind: 'string' } }, json), 'JSON');
    assert.equal(columnTypeSql({ kind: 'json' }, json, true), 'VARCHAR2(1000 CHAR)');
    assert.equal(dialect({ jsonColumnType: 'json' }).columnTypeSql({ kind: 'json' }), 'JSON');
  });

  test('the dialect uses non-key types', () => {
    assert.equal(dialect().columnTypeSql({ kind: 'string' }), 'CLOB');
  });
});

describe('oracle DDL', () => {
  test('createTable: PL/SQL block ignoring ORA-00955, key NOT NULL + PRIMARY KEY, IS JSON checks', () => {
    const sql = dialect({ schema: 'app' }).createTable(
      { schema: null, name: 'order' },
      [
        col('id', { kind: 'int', bits: 64 }, false),
        col('region', { kind: 'string' }, false),
        col('note', { kind: 'string', maxLength: 200 }, false),
        col('doc', { kind: 'json' }),
        col('tags', { kind: 'array', items: { kind: 'string' } }),
        col('at', { kind: 'timestamptz', precision: 6 }),
      ],
      ['id', 'region'],
    );
    assert.deepEqual(sql.values, []);
    assert.equal(
      sql.text,
      `BEGIN EXECUTE IMMEDIATE 'CREATE TABLE "APP"."ORDER" ("ID" NUMBER(19) NOT NULL, ` +
        `"REGION" VARCHAR2(1000 CHAR) NOT NULL, "NOTE" VARCHAR2(200 CHAR), "DOC" CLOB CHECK ("DOC" IS JSON), ` +
        `"TAGS" CLOB CHECK ("TAGS" IS JSON), "AT" TIMESTAMP(6) WITH TIME ZONE, PRIMARY KEY ("ID", "REGION"))'; ` +
        'EXCEPTION WHEN OTHERS THEN IF SQLCODE != -955 THEN RAISE; END IF; END;',
    );
  });

  test('createTable without key, native JSON, preserve case', () => {
    const sql = dialect({ identifierCase: 'preserve', jsonColumnType: 'json' }).createTable(
      { schema: null, name: 'Audit' },
      [col('Doc', { kind: 'json' }), col('n', { kind: 'int', bits: 32 })],
      [],
    );
    assert.equal(
      sql.text,
      `BEGIN EXECUTE IMMEDIATE 'CREATE TABLE "Audit" ("Doc" JSON, "n" NUMBER(10))'; ` +
        'EXCEPTION WHEN OTHERS THEN IF SQLCODE != -955 THEN RAISE; END IF; END;',
    );
  });

  test('single quotes in names are doubled inside the EXECUTE IMMEDIATE literal', () => {
    const sql = dialect().createTable({ schema: null, name: "o'brien" }, [col("it's", { kind: 'date' })], []);
    assert.equal(
      sql.text,
      `BEGIN EXECUTE IMMEDIATE 'CREATE TABLE "O''BRIEN" ("IT''S" DATE)'; ` +
        'EXCEPTION WHEN OTHERS THEN IF SQLCODE != -955 THEN RAISE; END IF; END;',
    );
  });

  test('createTable rejects a key column that is not a column', () => {
    assert.throws(
      () => dialect().createTable({ schema: null, name: 't' }, [col('a', { kind: 'date' })], ['b']),
      (err: unknown) => err instanceof TargetError && err.kind === 'fatal' && /key column\(s\) b/.test(err.message),
    );
  });

  test('addColumns: one ALTER TABLE ADD per column, nullable, ignoring ORA-01430', () => {
    const sqls = dialect().addColumns({ schema: 'sales', name: 'orders' }, [
      col('total', { kind: 'decimal', precision: 12, scale: 2 }, false),
      col('meta', { kind: 'json' }),
    ]);
    assert.deepEqual(
      sqls.map((s) => s.text),
      [
        `BEGIN EXECUTE IMMEDIATE 'ALTER TABLE "SALES"."ORDERS" ADD ("TOTAL" NUMBER(12,2))'; ` +
          'EXCEPTION WHEN OTHERS THEN IF SQLCODE != -1430 THEN RAISE; END IF; END;',
        `BEGIN EXECUTE IMMEDIATE 'ALTER TABLE "SALES"."ORDERS" ADD ("META" CLOB CHECK ("META" IS JSON))'; ` +
          'EXCEPTION WHEN OTHERS THEN IF SQLCODE != -1430 THEN RAISE; END IF; END;',
      ],
    );
    assert.deepEqual(dialect().addColumns({ schema: null, name: 't' }, []), []);
  });

  test('ignoringErrors with several codes', () => {
    assert.equal(
      ignoringErrors('DROP TABLE "X"', [942, 955]),
      `BEGIN EXECUTE IMMEDIATE 'DROP TABLE "X"'; EXCEPTION WHEN OTHERS THEN ` +
        'IF SQLCODE != -942 AND SQLCODE != -955 THEN RAISE; END IF; END;',
    );
  });
});
