import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes, TargetError } from '../../../connectors/core/errors.ts';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import { bindDef, groupByPresence, resolveKeyColumns } from '../../../connectors/oracle/changes.ts';
import { changes, col, dialect, row, target } from './fixtures.ts';

const ORDERS = {
  columns: [
    col('id', { kind: 'int', bits: 64 }, false),
    col('region', { kind: 'string', maxLength: 10 }, false),
    col('total', { kind: 'decimal', precision: 12, scale: 2 }),
    col('note', { kind: 'string' }),
    col('paid_at', { kind: 'timestamp', precision: 6 }),
  ],
  targetColumns: [
    target('ID', 'NUMBER(19)', false),
    target('REGION', 'VARCHAR2(10 CHAR)', false),
    target('TOTAL', 'NUMBER(12,2)'),
    target('NOTE', 'CLOB'),
    target('PAID_AT', 'TIMESTAMP(6)'),
  ],
  keyColumns: ['id', 'region'],
};

const MERGE_ALL =
  'MERGE INTO "ORDERS" t USING (SELECT TO_NUMBER(:1) AS "ID", :2 AS "REGION", TO_NUMBER(:3) AS "TOTAL", ' +
  `:4 AS "NOTE", TO_TIMESTAMP(:5, 'YYYY-MM-DD"T"HH24:MI:SS.FF9') AS "PAID_AT" FROM dual) s ` +
  'ON (t."ID" = s."ID" AND t."REGION" = s."REGION") ' +
  'WHEN MATCHED THEN UPDATE SET t."TOTAL" = s."TOTAL", t."NOTE" = s."NOTE", t."PAID_AT" = s."PAID_AT" ' +
  'WHEN NOT MATCHED THEN INSERT ("ID", "REGION", "TOTAL", "NOTE", "PAID_AT") ' +
  'VALUES (s."ID", s."REGION", s."TOTAL", s."NOTE", s."PAID_AT")';

describe('oracle tableChanges: statement kinds', () => {
  test('truncate, deletes and upserts, in that order', () => {
    const sqls = dialect().tableChanges(
      changes({
        ...ORDERS,
        truncate: true,
        deletes: [row({ id: 7n, region: 'eu' })],
        upserts: [
          row({ id: 1n, region: 'eu', total: '10.50', note: 'hello', paid_at: '2024-01-02T03:04:05.123456' }),
          row({ id: 2n, region: 'us', total: null, note: null, paid_at: null }),
        ],
      }),
    );
    assert.equal(sqls.length, 3);
    assert.deepEqual(sqls[0], { text: 'DELETE FROM "ORDERS"', values: [] });
    assert.deepEqual(sqls[1], {
      text: 'DELETE FROM "ORDERS" WHERE "ID" = TO_NUMBER(:1) AND "REGION" = :2',
      values: [['7', 'eu']],
      batch: true,
      bindDefs: [
        { type: 'varchar', maxSize: 1 },
        { type: 'varchar', maxSize: 2 },
      ],
    });
    assert.deepEqual(sqls[2], {
      text: MERGE_ALL,
      values: [
        ['1', 'eu', '10.50', 'hello', '2024-01-02T03:04:05.123456000'],
        ['2', 'us', null, null, null],
      ],
      batch: true,
      bindDefs: [
        { type: 'varchar', maxSize: 1 },
        { type: 'varchar', maxSize: 2 },
        { type: 'varchar', maxSize: 5 },
        { type: 'varchar', maxSize: 5 }, // a short CLOB value travels inline
        { type: 'varchar', maxSize: 29 },
      ],
    });
  });

  test('nothing to do: no statements', () => {
    assert.deepEqual(dialect().tableChanges(changes(ORDERS)), []);
  });

  test('key-only upsert: MERGE without WHEN MATCHED', () => {
    const sqls = dialect().tableChanges(
      changes({
        columns: [col('a', { kind: 'int', bits: 32 }), col('b', { kind: 'uuid' })],
        targetColumns: [target('A', 'NUMBER(10)'), target('B', 'RAW(16)')],
        keyColumns: ['a', 'b'],
        upserts: [row({ a: 1, b: '00000000-0000-0000-0000-000000000001' })],
      }),
    );
    assert.equal(sqls.length, 1);
    assert.equal(
      sqls[0]?.text,
      'MERGE INTO "ORDERS" t USING (SELECT :1 AS "A", :2 AS "B" FROM dual) s ON (t."A" = s."A" AND t."B" = s."B") ' +
        'WHEN NOT MATCHED THEN INSERT ("A", "B") VALUES (s."A", s."B")',
    );
    assert.deepEqual(sqls[0]?.values, [[1, Buffer.from('00000000000000000000000000000001', 'hex')]]);
    assert.deepEqual(sqls[0]?.bindDefs, [{ type: 'number' }, { type: 'raw', maxSize: 16 }]);
  });

  test('append: plain INSERT, keys not needed', () => {
    const sqls = dialect({ schema: 'audit' }).tableChanges(
      changes({
        table: { schema: null, name: 'events' },
        columns: [col('at', { kind: 'timestamptz' }), col('payload', { kind: 'json' }), col('ok', { kind: 'boolean' })],
        targetColumns: [target('AT', 'TIMESTAMP(6) WITH TIME ZONE'), target('PAYLOAD', 'CLOB'), target('OK', 'NUMBER(1)')],
        keyColumns: [],
        mode: 'append',
        upserts: [row({ at: '2024-01-01T00:00:00Z', payload: '{"a":1}', ok: true })],
      }),
    );
    assert.deepEqual(sqls, [
      {
        text:
          'INSERT INTO "AUDIT"."EVENTS" ("AT", "PAYLOAD", "OK") VALUES ' +
          `(TO_TIMESTAMP_TZ(:1, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM'), :2, :3)`,
        values: [['2024-01-01T00:00:00.000000000+00:00', '{"a":1}', 1]],
        batch: true,
        bindDefs: [{ type: 'varchar', maxSize: 35 }, { type: 'varchar', maxSize: 7 }, { type: 'number' }],
      },
    ]);
  });

  test('reserved words and preserve case: names quoted as the catalog stores them', () => {
    const sqls = dialect({ identifierCase: 'preserve' }).tableChanges(
      changes({
        table: { schema: 'Shop', name: 'order' },
        columns: [col('user', { kind: 'int', bits: 32 }), col('Level', { kind: 'string', maxLength: 5 })],
        targetColumns: [target('user', 'NUMBER(10)'), target('Level', 'VARCHAR2(5 CHAR)')],
        keyColumns: ['user'],
        upserts: [row({ user: 3, Level: 'gold' })],
      }),
    );
    assert.equal(
      sqls[0]?.text,
      'MERGE INTO "Shop"."order" t USING (SELECT :1 AS "user", :2 AS "Level" FROM dual) s ON (t."user" = s."user") ' +
        'WHEN MATCHED THEN UPDATE SET t."Level" = s."Level" ' +
        'WHEN NOT MATCHED THEN INSERT ("user", "Level") VALUES (s."user", s."Level")',
    );
  });

  test('upper case: a column created quoted in lower case is still found by its exact name', () => {
    const sqls = dialect().tableChanges(
      changes({
        columns: [col('id', { kind: 'int', bits: 32 }), col('mixedCase', { kind: 'string', maxLength: 5 })],
        targetColumns: [target('ID', 'NUMBER(10)'), target('mixedCase', 'VARCHAR2(5 CHAR)')],
        keyColumns: ['id'],
        deletes: [row({ id: 1 })],
        upserts: [row({ id: 1, mixedCase: 'x' })],
      }),
    );
    assert.equal(sqls[0]?.text, 'DELETE FROM "ORDERS" WHERE "ID" = :1');
    assert.match(sqls[1]?.text ?? '', /SELECT :1 AS "ID", :2 AS "mixedCase" FROM dual/);
  });
});

describe('oracle tableChanges: key columns named as the catalog stores them', () => {
  test('keys taken from the target primary key ("ID") match the rows\' source names ("id")', () => {
    const sqls = dialect().tableChanges(
      changes({
        columns: [col('id', { kind: 'int', bits: 32 }), col('name', { kind: 'string', maxLength: 5 })],
        targetColumns: [target('ID', 'NUMBER(10)'), target('NAME', 'VARCHAR2(5 CHAR)')],
        keyColumns: ['ID'],
        deletes: [row({ id: 9 })],
        upserts: [row({ id: 1, name: 'a' })],
      }),
    );
    assert.equal(sqls[0]?.text, 'DELETE FROM "ORDERS" WHERE "ID" = :1');
    assert.deepEqual(sqls[0]?.values, [[9]]);
    assert.match(sqls[1]?.text ?? '', /ON \(t\."ID" = s\."ID"\) WHEN MATCHED THEN UPDATE SET t\."NAME" = s\."NAME"/);
  });

  test('resolveKeyColumns', () => {
    const columns = [{ name: 'id' }, { name: 'Region' }];
    assert.deepEqual(resolveKeyColumns(['ID', 'REGION'], columns, 'upper'), ['id', 'Region']);
    assert.deepEqual(resolveKeyColumns(['id'], columns, 'upper'), ['id']);
    assert.deepEqual(resolveKeyColumns(['ID'], columns, 'preserve'), ['ID']);
    assert.deepEqual(resolveKeyColumns(['other'], columns, 'upper'), ['other']);
  });
});

describe('oracle tableChanges: UNCHANGED and absent columns', () => {
  test('rows are grouped by the columns they carry, unchanged columns left out', () => {
    const sqls = dialect().tableChanges(
      changes({
        ...ORDERS,
        upserts: [
          row({ id: 1n, region: 'eu', total: '1.00', note: UNCHANGED, paid_at: null }),
          row({ id: 2n, region: 'eu', total: '2.00', note: 'n', paid_at: null }),
          row({ id: 3n, region: 'eu', total: '3.00', note: UNCHANGED, paid_at: null }),
          row({ id: 4n, region: 'eu', total: UNCHANGED, note: UNCHANGED, paid_at: UNCHANGED }),
          row({ id: 5n, region: 'eu', total: '5.00', paid_at: null }), // note absent: same as unchanged
        ],
      }),
    );
    assert.equal(sqls.length, 3);
    assert.equal(
      sqls[0]?.text,
      'MERGE INTO "ORDERS" t USING (SELECT TO_NUMBER(:1) AS "ID", :2 AS "REGION", TO_NUMBER(:3) AS "TOTAL", ' +
        `TO_TIMESTAMP(:4, 'YYYY-MM-DD"T"HH24:MI:SS.FF9') AS "PAID_AT" FROM dual) s ` +
        'ON (t."ID" = s."ID" AND t."REGION" = s."REGION") ' +
        'WHEN MATCHED THEN UPDATE SET t."TOTAL" = s."TOTAL", t."PAID_AT" = s."PAID_AT" ' +
        'WHEN NOT MATCHED THEN INSERT ("ID", "REGION", "TOTAL", "PAID_AT") VALUES (s."ID", s."REGION", s."TOTAL", s."PAID_AT")',
    );
    assert.deepEqual(sqls[0]?.values, [
      ['1', 'eu', '1.00', null],
      ['3', 'eu', '3.00', null],
      ['5', 'eu', '5.00', null],
    ]);
    assert.equal(sqls[1]?.text, MERGE_ALL);
    assert.deepEqual(sqls[1]?.values, [['2', 'eu', '2.00', 'n', null]]);
    assert.equal(
      sqls[2]?.text,
      'MERGE INTO "ORDERS" t USING (SELECT TO_NUMBER(:1) AS "ID", :2 AS "REGION" FROM dual) s ' +
        'ON (t."ID" = s."ID" AND t."REGION" = s."REGION") ' +
        'WHEN NOT MATCHED THEN INSERT ("ID", "REGION") VALUES (s."ID", s."REGION")',
    );
    assert.deepEqual(sqls[2]?.values, [['4', 'eu']]);
  });

  test('groupByPresence: "" for complete rows, masks otherwise, first-seen order', () => {
    const groups = groupByPresence(
      [row({ a: 1, b: UNCHANGED }), row({ a: 1, b: 2 }), row({ a: 2 }), row({ a: 3, b: 3 })],
      ['a', 'b'],
    );
    assert.deepEqual([...groups.keys()], ['10', '']);
    assert.equal(groups.get('10')?.length, 2);
    assert.equal(groups.get('')?.length, 2);
  });
});

describe('oracle tableChanges: chunking and bind sizes', () => {
  test('rows are chunked by rowsPerStatement; maxSize is the longest value of each chunk', () => {
    const rows = ['a', 'bbbb', 'cc', 'é', 'dddddd'].map((r, i) => row({ id: i, name: r }));
    const sqls = dialect({ rowsPerStatement: 2 }).tableChanges(
      changes({
        columns: [col('id', { kind: 'int', bits: 32 }), col('name', { kind: 'string', maxLength: 10 })],
        targetColumns: [target('ID', 'NUMBER(10)'), target('NAME', 'VARCHAR2(10 CHAR)')],
        keyColumns: ['id'],
        upserts: rows,
      }),
    );
    assert.equal(sqls.length, 3);
    assert.deepEqual(
      sqls.map((s) => s.values.length),
      [2, 2, 1],
    );
    assert.deepEqual(
      sqls.map((s) => s.bindDefs?.[1]),
      [
        { type: 'varchar', maxSize: 4 },
        { type: 'varchar', maxSize: 2 }, // 'é' is 2 bytes
        { type: 'varchar', maxSize: 6 },
      ],
    );
    assert.ok(sqls.every((s) => s.text === sqls[0]?.text && s.batch === true));
    assert.deepEqual(sqls[2]?.values, [[4, 'dddddd']]);
  });

  test('deletes are chunked too', () => {
    const sqls = dialect({ rowsPerStatement: 3 }).tableChanges(
      changes({
        columns: [col('id', { kind: 'int', bits: 32 })],
        targetColumns: [target('ID', 'NUMBER(10)')],
        keyColumns: ['id'],
        deletes: [1, 2, 3, 4].map((id) => row({ id })),
      }),
    );
    assert.deepEqual(
      sqls.map((s) => s.values),
      [[[1], [2], [3]], [[4]]],
    );
  });

  test('LOB values travel inline when short, as LOBs past 4000 / 2000 bytes', () => {
    const big = 'x'.repeat(4001);
    const sqls = dialect({ rowsPerStatement: 1 }).tableChanges(
      changes({
        columns: [col('id', { kind: 'int', bits: 32 }), col('body', { kind: 'string' }), col('bin', { kind: 'bytes' })],
        targetColumns: [target('ID', 'NUMBER(10)'), target('BODY', 'CLOB'), target('BIN', 'BLOB')],
        keyColumns: ['id'],
        upserts: [
          row({ id: 1, body: 'short', bin: Buffer.alloc(2000) }),
          row({ id: 2, body: big, bin: Buffer.alloc(2001) }),
        ],
      }),
    );
    assert.deepEqual(sqls[0]?.bindDefs, [
      { type: 'number' },
      { type: 'varchar', maxSize: 5 },
      { type: 'raw', maxSize: 2000 },
    ]);
    assert.deepEqual(sqls[1]?.bindDefs, [{ type: 'number' }, { type: 'clob' }, { type: 'blob' }]);
    assert.equal(sqls[1]?.values[0] && (sqls[1].values[0] as unknown[])[1], big);
  });

  test('bindDef', () => {
    assert.deepEqual(bindDef('varchar', 10), { type: 'varchar', maxSize: 10 });
    assert.deepEqual(bindDef('clob', 4000), { type: 'varchar', maxSize: 4000 });
    assert.deepEqual(bindDef('clob', 4001), { type: 'clob' });
    assert.deepEqual(bindDef('blob', 2001), { type: 'blob' });
    assert.deepEqual(bindDef('number', 1), { type: 'number' });
    assert.deepEqual(bindDef('binary_double', 1), { type: 'binary_double' });
  });
});

function assertTargetError(fn: () => unknown, kind: string, code: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TargetError, String(err));
    assert.equal(err.kind, kind);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('oracle tableChanges: errors', () => {
  test('a column the target lacks is a fatal schema error', () => {
    assertTargetError(
      () =>
        dialect().tableChanges(
          changes({
            ...ORDERS,
            targetColumns: ORDERS.targetColumns.slice(0, 4),
            upserts: [row({ id: 1n, region: 'x', paid_at: null })],
          }),
        ),
      'fatal',
      ErrorCodes.TARGET_SCHEMA,
      /writing to ORDERS: column "PAID_AT" is not in the target table/,
    );
  });

  test('upsert or delete without key columns is fatal', () => {
    const base = { columns: [col('a', { kind: 'int', bits: 32 })], targetColumns: [target('A', 'NUMBER(10)')], keyColumns: [] };
    assertTargetError(
      () => dialect().tableChanges(changes({ ...base, upserts: [row({ a: 1 })] })),
      'fatal',
      ErrorCodes.TARGET_SCHEMA,
      /no key columns \(use mode 'append'/,
    );
    assertTargetError(
      () => dialect().tableChanges(changes({ ...base, deletes: [row({ a: 1 })] })),
      'fatal',
      ErrorCodes.TARGET_SCHEMA,
      /cannot delete 1 rows/,
    );
  });

  test('a row without its key value is a data error', () => {
    assertTargetError(
      () => dialect().tableChanges(changes({ ...ORDERS, upserts: [row({ id: 1n, region: UNCHANGED })] })),
      'data',
      ErrorCodes.TARGET_DATA,
      /upserting into ORDERS: a row has no value for key column "region"/,
    );
  });

  test('a value that cannot be encoded is a data error naming the column', () => {
    assertTargetError(
      () =>
        dialect().tableChanges(
          changes({
            columns: [col('id', { kind: 'uuid' })],
            targetColumns: [target('ID', 'RAW(16)')],
            keyColumns: ['id'],
            upserts: [row({ id: 'nope' })],
          }),
        ),
      'data',
      ErrorCodes.TARGET_DATA,
      /writing to ORDERS: column "id": "nope" is not a UUID/,
    );
  });
});
