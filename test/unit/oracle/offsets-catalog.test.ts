import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  dataTypeText,
  describeColumnsSql,
  describePrimaryKeySql,
  SESSION_SETUP_SQL,
  targetColumn,
  type CatalogColumnRow,
} from '../../../connectors/oracle/catalog.ts';
import { dialect } from './fixtures.ts';

const offset = { topic: 'srv.public.orders', partition: 3, nextOffset: '9223372036854775807', expected: '41' };

describe('oracle offsets SQL', () => {
  test('create: PL/SQL block ignoring ORA-00955', () => {
    assert.deepEqual(dialect().createOffsetsTable(), [
      {
        text:
          `BEGIN EXECUTE IMMEDIATE 'CREATE TABLE "CDC_SINK_OFFSETS" ("CONSUMER_GROUP" VARCHAR2(255 CHAR) NOT NULL, ` +
          '"TOPIC" VARCHAR2(255 CHAR) NOT NULL, "KAFKA_PARTITION" NUMBER(10) NOT NULL, "NEXT_OFFSET" NUMBER(19) NOT NULL, ' +
          '"UPDATED_AT" TIMESTAMP(6) WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL, ' +
          `PRIMARY KEY ("CONSUMER_GROUP", "TOPIC", "KAFKA_PARTITION"))'; ` +
          'EXCEPTION WHEN OTHERS THEN IF SQLCODE != -955 THEN RAISE; END IF; END;',
        values: [],
      },
    ]);
  });

  test('the offsets table lives in the configured schema and follows identifierCase', () => {
    const d = dialect({ schema: 'cdc', offsetsTable: 'sink_offsets' });
    assert.match(d.selectOffsets('g').text, /FROM "CDC"."SINK_OFFSETS" WHERE/);
    const p = dialect({ schema: 'cdc', offsetsTable: 'sink_offsets', identifierCase: 'preserve' });
    assert.match(p.selectOffsets('g').text, /FROM "cdc"."sink_offsets" WHERE/);
  });

  test('select: offsets read back as text', () => {
    assert.deepEqual(dialect().selectOffsets('group-1'), {
      text:
        'SELECT "TOPIC", "KAFKA_PARTITION", TO_CHAR("NEXT_OFFSET") AS "NEXT_OFFSET" FROM "CDC_SINK_OFFSETS" ' +
        'WHERE "CONSUMER_GROUP" = :1 ORDER BY "TOPIC", "KAFKA_PARTITION"',
      values: ['group-1'],
    });
  });

  test('insert: INSERT ... SELECT FROM dual WHERE NOT EXISTS, placeholders in order of appearance', () => {
    assert.deepEqual(dialect().insertOffset('group-1', { ...offset, expected: null }), {
      text:
        'INSERT INTO "CDC_SINK_OFFSETS" ("CONSUMER_GROUP", "TOPIC", "KAFKA_PARTITION", "NEXT_OFFSET") ' +
        'SELECT :1, :2, :3, TO_NUMBER(:4) FROM dual WHERE NOT EXISTS (SELECT 1 FROM "CDC_SINK_OFFSETS" ' +
        'WHERE "CONSUMER_GROUP" = :5 AND "TOPIC" = :6 AND "KAFKA_PARTITION" = :7)',
      values: ['group-1', 'srv.public.orders', 3, '9223372036854775807', 'group-1', 'srv.public.orders', 3],
    });
  });

  test('update: compare-and-set on the expected offset', () => {
    assert.deepEqual(dialect().updateOffset('group-1', offset), {
      text:
        'UPDATE "CDC_SINK_OFFSETS" SET "NEXT_OFFSET" = TO_NUMBER(:1), "UPDATED_AT" = SYSTIMESTAMP ' +
        'WHERE "CONSUMER_GROUP" = :2 AND "TOPIC" = :3 AND "KAFKA_PARTITION" = :4 AND "NEXT_OFFSET" = TO_NUMBER(:5)',
      values: ['9223372036854775807', 'group-1', 'srv.public.orders', 3, '41'],
    });
  });

  test('placeholders are numbered 1..n in order of appearance in every offsets statement', () => {
    const d = dialect();
    for (const sql of [d.selectOffsets('g'), d.insertOffset('g', offset), d.updateOffset('g', offset)]) {
      const numbers = [...sql.text.matchAll(/:(\d+)/g)].map((m) => Number(m[1]));
      assert.deepEqual(
        numbers,
        numbers.map((_n, i) => i + 1),
      );
      assert.equal(numbers.length, sql.values.length);
    }
  });
});

describe('oracle catalog', () => {
  test('describe columns and primary key; null owner means the current schema', () => {
    assert.deepEqual(describeColumnsSql(null, 'ORDERS'), {
      text:
        'SELECT COLUMN_NAME, DATA_TYPE, DATA_PRECISION, DATA_SCALE, DATA_LENGTH, CHAR_LENGTH, CHAR_USED, NULLABLE ' +
        "FROM ALL_TAB_COLUMNS WHERE OWNER = NVL(:1, SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')) AND TABLE_NAME = :2 " +
        'ORDER BY COLUMN_ID',
      values: [null, 'ORDERS'],
    });
    assert.deepEqual(describePrimaryKeySql('APP', 'ORDERS'), {
      text:
        'SELECT cc.COLUMN_NAME FROM ALL_CONSTRAINTS k JOIN ALL_CONS_COLUMNS cc ' +
        'ON cc.OWNER = k.OWNER AND cc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND cc.TABLE_NAME = k.TABLE_NAME ' +
        "WHERE k.OWNER = NVL(:1, SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')) AND k.TABLE_NAME = :2 " +
        "AND k.CONSTRAINT_TYPE = 'P' ORDER BY cc.POSITION",
      values: ['APP', 'ORDERS'],
    });
  });

  const base: CatalogColumnRow = {
    COLUMN_NAME: 'C',
    DATA_TYPE: 'NUMBER',
    DATA_PRECISION: null,
    DATA_SCALE: null,
    DATA_LENGTH: 22,
    CHAR_LENGTH: 0,
    CHAR_USED: null,
    NULLABLE: 'Y',
  };
  const cases: [Partial<CatalogColumnRow>, string][] = [
    [{}, 'NUMBER'],
    [{ DATA_SCALE: 0 }, 'NUMBER(*,0)'],
    [{ DATA_PRECISION: 10, DATA_SCALE: 0 }, 'NUMBER(10)'],
    [{ DATA_PRECISION: 12, DATA_SCALE: 2 }, 'NUMBER(12,2)'],
    [{ DATA_TYPE: 'FLOAT', DATA_PRECISION: 126 }, 'FLOAT(126)'],
    [{ DATA_TYPE: 'VARCHAR2', DATA_LENGTH: 400, CHAR_LENGTH: 100, CHAR_USED: 'C' }, 'VARCHAR2(100 CHAR)'],
    [{ DATA_TYPE: 'VARCHAR2', DATA_LENGTH: 100, CHAR_LENGTH: 100, CHAR_USED: 'B' }, 'VARCHAR2(100 BYTE)'],
    [{ DATA_TYPE: 'CHAR', DATA_LENGTH: 1, CHAR_LENGTH: 1, CHAR_USED: 'B' }, 'CHAR(1 BYTE)'],
    [{ DATA_TYPE: 'NVARCHAR2', DATA_LENGTH: 40, CHAR_LENGTH: 20, CHAR_USED: 'C' }, 'NVARCHAR2(20)'],
    [{ DATA_TYPE: 'RAW', DATA_LENGTH: 16 }, 'RAW(16)'],
    [{ DATA_TYPE: 'DATE', DATA_LENGTH: 7 }, 'DATE'],
    [{ DATA_TYPE: 'TIMESTAMP(6) WITH TIME ZONE', DATA_SCALE: 6 }, 'TIMESTAMP(6) WITH TIME ZONE'],
    [{ DATA_TYPE: 'INTERVAL DAY(1) TO SECOND(6)', DATA_PRECISION: 1, DATA_SCALE: 6 }, 'INTERVAL DAY(1) TO SECOND(6)'],
    [{ DATA_TYPE: 'CLOB', DATA_LENGTH: 4000 }, 'CLOB'],
    [{ DATA_TYPE: 'BINARY_DOUBLE', DATA_LENGTH: 8 }, 'BINARY_DOUBLE'],
    [{ DATA_TYPE: 'JSON' }, 'JSON'],
  ];
  for (const [row, text] of cases) {
    test(`data type text ${JSON.stringify(row)} -> ${text}`, () => {
      assert.equal(dataTypeText({ ...base, ...row }), text);
    });
  }

  test('targetColumn: name as stored, nullable from NULLABLE', () => {
    assert.deepEqual(targetColumn({ ...base, COLUMN_NAME: 'ID', NULLABLE: 'N', DATA_PRECISION: 19, DATA_SCALE: 0 }), {
      name: 'ID',
      dataType: 'NUMBER(19)',
      nullable: false,
    });
  });

  test('session setup: UTC, explicit NLS formats, binary comparison, in one ALTER SESSION', () => {
    assert.equal(
      SESSION_SETUP_SQL,
      "ALTER SESSION SET TIME_ZONE = '+00:00' NLS_DATE_FORMAT = 'YYYY-MM-DD\"T\"HH24:MI:SS' " +
        "NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9' " +
        "NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM' " +
        "NLS_NUMERIC_CHARACTERS = '.,' NLS_COMP = 'BINARY' NLS_SORT = 'BINARY'",
    );
  });
});
