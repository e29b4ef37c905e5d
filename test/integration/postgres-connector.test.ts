/**
 * The PostgreSQL connector against the real server (database `test`): exact round trips of every
 * column type, upsert/delete/truncate semantics, offsets in the same transaction, error kinds.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { pino } from 'pino';
import type { TableChanges, TableDescription, TargetTableRef, WriteBatch } from '../../connectors/contract.ts';
import type { ColumnSchema, ColumnType } from '../../connectors/core/column-type.ts';
import { ErrorCodes, OffsetConflictError, TargetError } from '../../connectors/core/errors.ts';
import { newRow, UNCHANGED, type Row, type Unchanged, type Value } from '../../connectors/core/value.ts';
import { createPostgresConnector, type PostgresConnector } from '../../connectors/postgres/index.ts';

const URL = process.env.CDC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'it_pgconn_main';
const OTHER = 'it_pgconn_other';

const admin = new pg.Client({ connectionString: URL });
let conn: PostgresConnector;

function row(values: Record<string, Value | Unchanged>): Row {
  return Object.assign(newRow(), values);
}

async function sql<R extends pg.QueryResultRow = Record<string, string | null>>(text: string, values: unknown[] = []): Promise<R[]> {
  return (await admin.query<R>(text, values)).rows;
}

async function describe_(table: TargetTableRef): Promise<TableDescription> {
  const d = await conn.describeTable(table);
  assert.ok(d, `table ${table.name} exists`);
  return d;
}

async function createTable(table: TargetTableRef, columns: ColumnSchema[], key: string[]): Promise<TableDescription> {
  await conn.executeDdl([conn.dialect.createTable(table, columns, key)]);
  return describe_(table);
}

function changesOf(
  description: TableDescription,
  columns: readonly ColumnSchema[],
  keyColumns: readonly string[],
  over: Partial<TableChanges>,
): TableChanges {
  return {
    table: description.table,
    description,
    columns,
    keyColumns,
    mode: 'upsert',
    truncate: false,
    deletes: [],
    upserts: [],
    ...over,
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected the promise to reject');
}

async function dropSchemas(): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS ${OTHER} CASCADE`);
}

before(async () => {
  await admin.connect();
  await admin.query("SET TIME ZONE 'UTC'");
  await dropSchemas();
  conn = createPostgresConnector({ url: URL, schema: SCHEMA, applicationName: 'it_pgconn_main' });
  await conn.connect();
});

after(async () => {
  await conn.close();
  await dropSchemas();
  await admin.end();
});

void describe('postgres connector: setup and catalog', () => {
  void test('connect creates the schema and the offsets table; connect again is harmless', async () => {
    const tables = await sql(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'cdc_sink_offsets'",
      [SCHEMA],
    );
    assert.equal(tables.length, 1);
    await conn.connect();
    await conn.healthcheck();
    const d = await describe_({ schema: null, name: 'cdc_sink_offsets' });
    assert.deepEqual(d.primaryKey, ['consumer_group', 'topic', 'kafka_partition']);
    assert.deepEqual(
      d.columns.map((c) => [c.name, c.dataType, c.nullable]),
      [
        ['consumer_group', 'text', false],
        ['topic', 'text', false],
        ['kafka_partition', 'integer', false],
        ['next_offset', 'bigint', false],
        ['updated_at', 'timestamp with time zone', false],
      ],
    );
  });

  void test('sessions use UTC, the statement timeout and the application name', async () => {
    await conn.executeDdl([
      {
        text:
          `CREATE TABLE ${SCHEMA}.session_probe (id integer PRIMARY KEY, tz text DEFAULT current_setting('TimeZone'), ` +
          "st text DEFAULT current_setting('statement_timeout'), app text DEFAULT current_setting('application_name'))",
        values: [],
      },
    ]);
    const d = await describe_({ schema: null, name: 'session_probe' });
    const columns: ColumnSchema[] = [{ name: 'id', type: { kind: 'int', bits: 32 }, optional: false }];
    await conn.write({ groupId: 'g-session', tables: [changesOf(d, columns, ['id'], { upserts: [row({ id: 1 })] })], offsets: [] });
    assert.deepEqual(await sql(`SELECT tz, st, app FROM ${SCHEMA}.session_probe`), [{ tz: 'UTC', st: '1min', app: 'it_pgconn_main' }]);
  });

  void test('describeTable: types as format_type shows them, nullability, primary key in key order', async () => {
    await conn.executeDdl([
      { text: `CREATE SCHEMA ${OTHER}`, values: [] },
      {
        text:
          `CREATE TABLE ${OTHER}."OrderLines" ("Line" smallint, "order" bigint, note varchar(20) NOT NULL, ` +
          'amounts numeric(10,2)[], at timestamp(3), PRIMARY KEY ("order", "Line"))',
        values: [],
      },
    ]);
    const d = await conn.describeTable({ schema: OTHER, name: 'OrderLines' });
    assert.deepEqual(d, {
      table: { schema: OTHER, name: 'OrderLines' },
      columns: [
        { name: 'Line', dataType: 'smallint', nullable: false },
        { name: 'order', dataType: 'bigint', nullable: false },
        { name: 'note', dataType: 'character varying(20)', nullable: false },
        { name: 'amounts', dataType: 'numeric(10,2)[]', nullable: true },
        { name: 'at', dataType: 'timestamp(3) without time zone', nullable: true },
      ],
      primaryKey: ['order', 'Line'],
    });
    assert.equal(await conn.describeTable({ schema: OTHER, name: 'orderlines' }), null);
    assert.equal(await conn.describeTable({ schema: null, name: 'no_such_table' }), null);
  });
});

/** [column, type, values of rows 1..4, ::text of rows 1..4] */
type TypeCase = [string, ColumnType, Value[], (string | null)[]];

const WKB = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex');
const TYPE_CASES: TypeCase[] = [
  ['b', { kind: 'boolean' }, [true, false, null, null], ['true', 'false', null, null]],
  ['i8', { kind: 'int', bits: 8 }, [-128, 127, 0, null], ['-128', '127', '0', null]],
  ['i16', { kind: 'int', bits: 16 }, [-32768, 32767, 0, null], ['-32768', '32767', '0', null]],
  ['i32', { kind: 'int', bits: 32 }, [-2147483648, 2147483647, 0, null], ['-2147483648', '2147483647', '0', null]],
  ['f32', { kind: 'float', bits: 32 }, [3.4028234663852886e38, -1.5, NaN, null], ['3.4028235e+38', '-1.5', 'NaN', null]],
  ['f64', { kind: 'float', bits: 64 }, [1.7976931348623157e308, 5e-324, -Infinity, null], ['1.7976931348623157e+308', '5e-324', '-Infinity', null]],
  [
    'dec',
    { kind: 'decimal', precision: 38, scale: 18 },
    ['12345678901234567890.123456789012345678', '-12345678901234567890.123456789012345678', '0.000000000000000001', null],
    ['12345678901234567890.123456789012345678', '-12345678901234567890.123456789012345678', '0.000000000000000001', null],
  ],
  [
    'decv',
    { kind: 'decimal' },
    ['123456789012345678901234567890.5', '-0.125', '0', null],
    ['123456789012345678901234567890.5', '-0.125', '0', null],
  ],
  [
    's',
    { kind: 'string' },
    ['café ✓ "dq" \'sq\' \\ 日本 😀', '', 'NULL', null],
    ['café ✓ "dq" \'sq\' \\ 日本 😀', '', 'NULL', null],
  ],
  ['vc', { kind: 'string', maxLength: 10 }, ['abcdefghij', 'ü', ' ', null], ['abcdefghij', 'ü', ' ', null]],
  ['by', { kind: 'bytes' }, [Buffer.from([0x00, 0xff, 0x00]), Buffer.alloc(0), Buffer.from('AB'), null], ['\\x00ff00', '\\x', '\\x4142', null]],
  ['d', { kind: 'date' }, ['0001-01-01', '9999-12-31', '+10000-01-01', null], ['0001-01-01', '9999-12-31', '10000-01-01', null]],
  ['dbc', { kind: 'date' }, ['0000-03-01', '-0044-03-15', '1970-01-01', null], ['0001-03-01 BC', '0045-03-15 BC', '1970-01-01', null]],
  ['t', { kind: 'time', precision: 6 }, ['23:59:59.999999', '00:00:00', '12:34:56.000001', null], ['23:59:59.999999', '00:00:00', '12:34:56.000001', null]],
  ['t9', { kind: 'time', precision: 9 }, ['23:59:59.999999999', '12:34:56.123456789', '00:00:00.000000001', null], ['23:59:59.999999', '12:34:56.123456', '00:00:00', null]],
  ['ttz', { kind: 'timetz' }, ['12:00:00.5Z', '23:59:59.999999Z', '00:00:00Z', null], ['12:00:00.5+00', '23:59:59.999999+00', '00:00:00+00', null]],
  [
    'ts',
    { kind: 'timestamp', precision: 6 },
    ['9999-12-31T23:59:59.999999', '0001-01-01T00:00:00', '2024-02-29T12:00:00.000001', null],
    ['9999-12-31 23:59:59.999999', '0001-01-01 00:00:00', '2024-02-29 12:00:00.000001', null],
  ],
  [
    'ts9',
    { kind: 'timestamp', precision: 9 },
    ['9999-12-31T23:59:59.999999999', '2024-01-01T00:00:00.123456789', '+10000-01-01T00:00:00', null],
    ['9999-12-31 23:59:59.999999', '2024-01-01 00:00:00.123456', '10000-01-01 00:00:00', null],
  ],
  [
    'tstz',
    { kind: 'timestamptz' },
    ['2024-06-01T12:34:56.123456Z', 'infinity', '-infinity', null],
    ['2024-06-01 12:34:56.123456+00', 'infinity', '-infinity', null],
  ],
  ['iv', { kind: 'interval' }, ['P1Y2M3DT4H5M6.78S', 'PT781H30M', 'P0D', null], ['1 year 2 mons 3 days 04:05:06.78', '781:30:00', '00:00:00', null]],
  ['j', { kind: 'json' }, ['{"b": [1, "x"], "a": null}', '"str"', '[]', null], ['{"a": null, "b": [1, "x"]}', '"str"', '[]', null]],
  [
    'u',
    { kind: 'uuid' },
    ['123e4567-e89b-12d3-a456-426614174000', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', null],
    ['123e4567-e89b-12d3-a456-426614174000', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', null],
  ],
  ['x', { kind: 'xml' }, ['<a b="1">x &amp; y</a>', '<e/>', 'text only', null], ['<a b="1">x &amp; y</a>', '<e/>', 'text only', null]],
  ['en', { kind: 'enum', allowed: ['small', 'medium'] }, ['medium', 'small', 'small', null], ['medium', 'small', 'small', null]],
  ['st', { kind: 'set', allowed: ['wifi', 'pool'] }, ['wifi,pool', '', 'pool', null], ['wifi,pool', '', 'pool', null]],
  ['bt', { kind: 'bits', length: 5 }, ['10101', '00000', '11111', null], ['10101', '00000', '11111', null]],
  ['yr', { kind: 'year' }, [2155, 1901, 0, null], ['2155', '1901', '0', null]],
  ['g', { kind: 'geometry', shape: 'point' }, [{ wkb: WKB, srid: 4326, x: 1, y: 2 }, { wkb: WKB, srid: null }, null, null], [`\\x${WKB.toString('hex')}`, `\\x${WKB.toString('hex')}`, null, null]],
  ['ai', { kind: 'array', items: { kind: 'int', bits: 32 } }, [[1, null, 3], [], [-2147483648], null], ['{1,NULL,3}', '{}', '{-2147483648}', null]],
  [
    'as',
    { kind: 'array', items: { kind: 'string' } },
    [['a,b', 'say "hi"', null, '', 'NULL', 'back\\slash', '{x}', ' sp ', 'café'], [], [null], null],
    ['{"a,b","say \\"hi\\"",NULL,"","NULL","back\\\\slash","{x}"," sp ",café}', '{}', '{NULL}', null],
  ],
  [
    'a2',
    { kind: 'array', items: { kind: 'array', items: { kind: 'int', bits: 64 } } },
    [[[1n, 2n], [3n, null]], [[-9223372036854775808n]], [], null],
    ['{{1,2},{3,NULL}}', '{{-9223372036854775808}}', '{}', null],
  ],
  [
    'adec',
    { kind: 'array', items: { kind: 'decimal', precision: 38, scale: 18 } },
    [['-1.000000000000000001', null], [], ['0'], null],
    ['{-1.000000000000000001,NULL}', '{}', '{0.000000000000000000}', null],
  ],
  ['aby', { kind: 'array', items: { kind: 'bytes' } }, [[Buffer.from([0, 255]), null], [], [Buffer.alloc(0)], null], ['{"\\\\x00ff",NULL}', '{}', '{"\\\\x"}', null]],
  ['auu', { kind: 'array', items: { kind: 'uuid' } }, [['123e4567-e89b-12d3-a456-426614174000'], [], [null], null], ['{123e4567-e89b-12d3-a456-426614174000}', '{}', '{NULL}', null]],
];
const IDS = [-9223372036854775808n, 9223372036854775807n, 0n, 42n];

void describe('postgres connector: exact round trip of every column type', () => {
  const table = { schema: null, name: 'all_types' };
  const columns: ColumnSchema[] = [
    { name: 'id', type: { kind: 'int', bits: 64 }, optional: false },
    ...TYPE_CASES.map(([name, type]): ColumnSchema => ({ name, type, optional: true })),
  ];

  void test('create via the dialect, write extreme values, read them back as text', async () => {
    const d = await createTable(table, columns, ['id']);
    assert.deepEqual(d.primaryKey, ['id']);
    assert.deepEqual(
      d.columns.map((c) => c.dataType),
      [
        'bigint', 'boolean', 'smallint', 'smallint', 'integer', 'real', 'double precision', 'numeric(38,18)', 'numeric',
        'text', 'character varying(10)', 'bytea', 'date', 'date', 'time(6) without time zone', 'time(6) without time zone',
        'time with time zone', 'timestamp(6) without time zone', 'timestamp(6) without time zone',
        'timestamp(6) with time zone', 'interval', 'jsonb', 'uuid', 'xml', 'text', 'text', 'bit(5)', 'integer', 'bytea',
        'integer[]', 'text[]', 'bigint[]', 'numeric(38,18)[]', 'bytea[]', 'uuid[]',
      ],
    );
    assert.deepEqual(
      d.columns.map((c) => c.nullable),
      columns.map((c) => c.name !== 'id'),
    );
    const rows = IDS.map((id, r) => {
      const values: Record<string, Value> = { id };
      for (const [name, , vals] of TYPE_CASES) values[name] = vals[r] ?? null;
      return row(values);
    });
    await conn.write({ groupId: 'g-types', tables: [changesOf(d, columns, ['id'], { upserts: rows })], offsets: [] });

    const list = columns.map((c) => `"${c.name}"::text AS "${c.name}"`).join(', ');
    const got = await sql(`SELECT ${list} FROM ${SCHEMA}.all_types ORDER BY id`);
    const order = [0, 2, 3, 1]; // rows by id: min, 0, 42, max
    assert.equal(got.length, 4);
    order.forEach((r, i) => {
      const expected: Record<string, string | null> = { id: String(IDS[r]) };
      for (const [name, , , texts] of TYPE_CASES) expected[name] = texts[r] ?? null;
      assert.deepEqual(got[i], expected, `row id=${String(IDS[r])}`);
    });
  });
});

void describe('postgres connector: upsert, delete, truncate', () => {
  const columns: ColumnSchema[] = [
    { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
    { name: 'name', type: { kind: 'string' }, optional: true },
    { name: 'note', type: { kind: 'string' }, optional: true },
    { name: 'doc', type: { kind: 'json' }, optional: true },
  ];
  let d: TableDescription;
  const write = (over: Partial<TableChanges>): Promise<void> =>
    conn.write({ groupId: 'g-upsert', tables: [changesOf(d, columns, ['id'], over)], offsets: [] });
  const read = (): Promise<Record<string, string | null>[]> =>
    sql(`SELECT id::text, name, note, doc::text FROM ${SCHEMA}.people ORDER BY id`);

  before(async () => {
    d = await createTable({ schema: null, name: 'people' }, columns, ['id']);
  });

  void test('upsert inserts, then updates by key', async () => {
    await write({ upserts: [row({ id: 1, name: 'a', note: 'n1', doc: '{"v": 1}' }), row({ id: 2, name: 'b', note: 'n2', doc: null })] });
    await write({ upserts: [row({ id: 1, name: 'A', note: 'N1', doc: '{"v": 2}' })] });
    assert.deepEqual(await read(), [
      { id: '1', name: 'A', note: 'N1', doc: '{"v": 2}' },
      { id: '2', name: 'b', note: 'n2', doc: null },
    ]);
  });

  void test('UNCHANGED and absent columns keep their value; explicit NULL writes NULL', async () => {
    await write({
      upserts: [row({ id: 1, name: 'A2', note: UNCHANGED, doc: null }), row({ id: 2, name: null, doc: '{"w": 0}' })],
    });
    assert.deepEqual(await read(), [
      { id: '1', name: 'A2', note: 'N1', doc: null },
      { id: '2', name: null, note: 'n2', doc: '{"w": 0}' },
    ]);
  });

  void test('delete by key', async () => {
    await write({ upserts: [row({ id: 3, name: 'c', note: null, doc: null })] });
    await write({ deletes: [row({ id: 1 }), row({ id: 3 }), row({ id: 99 })] });
    assert.deepEqual(
      (await read()).map((r) => r.id),
      ['2'],
    );
  });

  void test('truncate, then the upserts of the same change', async () => {
    await write({ truncate: true, upserts: [row({ id: 10, name: 'after', note: null, doc: null })] });
    assert.deepEqual(await read(), [{ id: '10', name: 'after', note: null, doc: null }]);
  });

  void test('composite keys: upsert and delete match every key column', async () => {
    const cols: ColumnSchema[] = [
      { name: 'order', type: { kind: 'int', bits: 32 }, optional: false },
      { name: 'Line', type: { kind: 'string' }, optional: false },
      { name: 'qty', type: { kind: 'decimal', precision: 10, scale: 2 }, optional: true },
    ];
    const cd = await createTable({ schema: OTHER, name: 'Lines' }, cols, ['order', 'Line']);
    assert.deepEqual(cd.primaryKey, ['order', 'Line']);
    const w = (over: Partial<TableChanges>): Promise<void> =>
      conn.write({ groupId: 'g-comp', tables: [changesOf(cd, cols, ['order', 'Line'], over)], offsets: [] });
    await w({
      upserts: [
        row({ order: 1, Line: 'x', qty: '1.50' }),
        row({ order: 1, Line: 'y', qty: '2' }),
        row({ order: 2, Line: 'x', qty: '3.25' }),
      ],
    });
    await w({ upserts: [row({ order: 1, Line: 'y', qty: '9.99' })], deletes: [row({ order: 1, Line: 'x' })] });
    assert.deepEqual(await sql(`SELECT "order"::text, "Line", qty::text FROM ${OTHER}."Lines" ORDER BY 1, 2`), [
      { order: '1', Line: 'y', qty: '9.99' },
      { order: '2', Line: 'x', qty: '3.25' },
    ]);
  });

  void test('append mode inserts every row, duplicates included', async () => {
    const cols: ColumnSchema[] = [
      { name: 'ev', type: { kind: 'string' }, optional: true },
      { name: 'at', type: { kind: 'timestamptz' }, optional: true },
    ];
    const ad = await createTable({ schema: null, name: 'audit' }, cols, []);
    assert.deepEqual(ad.primaryKey, []);
    const rows = [row({ ev: 'x', at: '2024-01-01T00:00:00Z' }), row({ ev: 'x', at: '2024-01-01T00:00:00Z' })];
    await conn.write({ groupId: 'g-app', tables: [changesOf(ad, cols, [], { mode: 'append', upserts: rows })], offsets: [] });
    assert.deepEqual(await sql(`SELECT count(*)::text AS n FROM ${SCHEMA}.audit WHERE ev = 'x'`), [{ n: '2' }]);
  });
});

void describe('postgres connector: offsets in the same transaction', () => {
  const columns: ColumnSchema[] = [
    { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
    { name: 'code', type: { kind: 'string', maxLength: 3 }, optional: true },
  ];
  let d: TableDescription;
  const batch = (offsets: WriteBatch['offsets'], upserts: Row[], groupId = 'g-off'): WriteBatch => ({
    groupId,
    tables: [changesOf(d, columns, ['id'], { upserts })],
    offsets,
  });
  const stored = async (groupId = 'g-off'): Promise<string[]> =>
    (await conn.readOffsets(groupId)).map((o) => `${o.topic}[${o.partition}]=${o.nextOffset}`);
  const codes = async (): Promise<Record<string, string | null>[]> =>
    sql(`SELECT id::text, code FROM ${SCHEMA}.coded ORDER BY id`);

  before(async () => {
    d = await createTable({ schema: null, name: 'coded' }, columns, ['id']);
  });

  void test('first offsets are inserted, later ones moved from the expected value', async () => {
    await conn.write(
      batch(
        [
          { topic: 'db.public.coded', partition: 0, nextOffset: '10', expected: null },
          { topic: 'db.public.coded', partition: 1, nextOffset: '9223372036854775807', expected: null },
        ],
        [row({ id: 1, code: 'aaa' })],
      ),
    );
    await conn.write(batch([{ topic: 'db.public.coded', partition: 0, nextOffset: '20', expected: '10' }], [row({ id: 2, code: 'bbb' })]));
    assert.deepEqual(await stored(), ['db.public.coded[0]=20', 'db.public.coded[1]=9223372036854775807']);
    assert.deepEqual(await stored('another-group'), []);
    assert.deepEqual(await codes(), [
      { id: '1', code: 'aaa' },
      { id: '2', code: 'bbb' },
    ]);
  });

  void test('a failing statement leaves both rows and offsets unchanged (data error: value too long)', async () => {
    const err = await rejection(
      conn.write(
        batch([{ topic: 'db.public.coded', partition: 0, nextOffset: '30', expected: '20' }], [
          row({ id: 1, code: 'new' }),
          row({ id: 3, code: 'toolong' }),
        ]),
      ),
    );
    assert.ok(err instanceof TargetError, String(err));
    assert.equal(err.kind, 'data');
    assert.equal(err.code, ErrorCodes.TARGET_DATA);
    assert.equal(err.table, `${SCHEMA}.coded`);
    assert.match(err.message, /^writing 2 rows to it_pgconn_main\.coded: value too long for type character varying\(3\) \(SQLSTATE 22001\)$/);
    assert.equal((err.cause as { code?: string }).code, '22001');
    assert.deepEqual(await stored(), ['db.public.coded[0]=20', 'db.public.coded[1]=9223372036854775807']);
    assert.deepEqual(await codes(), [
      { id: '1', code: 'aaa' },
      { id: '2', code: 'bbb' },
    ]);
  });

  void test('OffsetConflictError when the stored offset is not the expected one; nothing is written', async () => {
    const moved = await rejection(
      conn.write(batch([{ topic: 'db.public.coded', partition: 0, nextOffset: '40', expected: '15' }], [row({ id: 1, code: 'zzz' })])),
    );
    assert.ok(moved instanceof OffsetConflictError, String(moved));
    assert.equal(moved.code, ErrorCodes.OFFSET_CONFLICT);
    assert.match(moved.message, /db\.public\.coded\[0\].*expected stored next offset 15/);

    const exists = await rejection(
      conn.write(batch([{ topic: 'db.public.coded', partition: 1, nextOffset: '5', expected: null }], [row({ id: 1, code: 'zzz' })])),
    );
    assert.ok(exists instanceof OffsetConflictError, String(exists));
    assert.match(exists.message, /db\.public\.coded\[1\].*expected no stored offset/);

    assert.deepEqual(await stored(), ['db.public.coded[0]=20', 'db.public.coded[1]=9223372036854775807']);
    assert.deepEqual(await codes(), [
      { id: '1', code: 'aaa' },
      { id: '2', code: 'bbb' },
    ]);
  });

  void test('the connector keeps working after failed writes', async () => {
    await conn.write(batch([{ topic: 'db.public.coded', partition: 0, nextOffset: '30', expected: '20' }], [row({ id: 1, code: 'ok' })]));
    assert.deepEqual(await stored(), ['db.public.coded[0]=30', 'db.public.coded[1]=9223372036854775807']);
    assert.equal((await codes())[0]?.code, 'ok');
  });
});

void describe('postgres connector: error kinds', () => {
  void test('a NOT NULL violation is a data error', async () => {
    await conn.executeDdl([{ text: `CREATE TABLE ${SCHEMA}.strict (id integer PRIMARY KEY, must text NOT NULL)`, values: [] }]);
    const d = await describe_({ schema: null, name: 'strict' });
    const columns: ColumnSchema[] = [
      { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
      { name: 'must', type: { kind: 'string' }, optional: true },
    ];
    const err = await rejection(
      conn.write({ groupId: 'g-err', tables: [changesOf(d, columns, ['id'], { upserts: [row({ id: 1, must: null })] })], offsets: [] }),
    );
    assert.ok(err instanceof TargetError);
    assert.equal(err.kind, 'data');
    assert.match(err.message, /^writing 1 rows to it_pgconn_main\.strict: null value in column "must".*\(SQLSTATE 23502\)$/);
    assert.equal(conn.dialect.classifyError(err.cause), 'data');
  });

  void test('a missing table is fatal', async () => {
    const columns: ColumnSchema[] = [{ name: 'id', type: { kind: 'int', bits: 32 }, optional: false }];
    const d = await createTable({ schema: null, name: 'vanishing' }, columns, ['id']);
    await admin.query(`DROP TABLE ${SCHEMA}.vanishing`);
    const err = await rejection(
      conn.write({ groupId: 'g-err', tables: [changesOf(d, columns, ['id'], { upserts: [row({ id: 1 })] })], offsets: [] }),
    );
    assert.ok(err instanceof TargetError);
    assert.equal(err.kind, 'fatal');
    assert.equal(err.code, ErrorCodes.TARGET_FATAL);
    assert.match(err.message, /SQLSTATE 42P01/);
  });

  void test('a column the target lacks fails before any round trip, naming table and column', async () => {
    const d = await describe_({ schema: null, name: 'people' });
    const columns: ColumnSchema[] = [
      { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
      { name: 'surprise', type: { kind: 'string' }, optional: true },
    ];
    const err = await rejection(
      conn.write({ groupId: 'g-err', tables: [changesOf(d, columns, ['id'], { upserts: [row({ id: 1, surprise: 'x' })] })], offsets: [] }),
    );
    assert.ok(err instanceof TargetError);
    assert.match(err.message, /it_pgconn_main\.people: column "surprise" is not in the target table/);
  });

  void test('a server that refuses connections is retriable', async () => {
    const down = createPostgresConnector({ url: 'postgres://postgres@127.0.0.1:1/test', connectTimeoutMs: 2000 });
    const err = await rejection(down.connect());
    assert.ok(err instanceof TargetError);
    assert.equal(err.kind, 'retriable');
    assert.equal(err.code, ErrorCodes.TARGET_CONNECTION);
    await down.close();
  });

  void test('a database that does not exist is fatal', async () => {
    const wrong = createPostgresConnector({ url: URL.replace(/\/test$/, '/it_pgconn_no_such_db') });
    const err = await rejection(wrong.connect());
    assert.ok(err instanceof TargetError);
    assert.equal(err.kind, 'fatal');
    assert.match(err.message, /SQLSTATE 3D000/);
  });
});

void describe('postgres connector: volume and broken connections', () => {
  void test('10,000 rows in one write: 5 statements of 2,000 rows, all present', async () => {
    const columns: ColumnSchema[] = [
      { name: 'id', type: { kind: 'int', bits: 64 }, optional: false },
      { name: 'v', type: { kind: 'string' }, optional: true },
      { name: 'n', type: { kind: 'decimal', precision: 20, scale: 4 }, optional: true },
    ];
    const d = await createTable({ schema: null, name: 'bulk' }, columns, ['id']);
    await admin.query(`CREATE TABLE ${SCHEMA}.bulk_statements (n integer)`);
    await admin.query(
      `CREATE FUNCTION ${SCHEMA}.count_statement() RETURNS trigger LANGUAGE plpgsql AS ` +
        `$$BEGIN INSERT INTO ${SCHEMA}.bulk_statements VALUES (1); RETURN NULL; END$$`,
    );
    await admin.query(
      `CREATE TRIGGER count_statements AFTER INSERT ON ${SCHEMA}.bulk FOR EACH STATEMENT EXECUTE FUNCTION ${SCHEMA}.count_statement()`,
    );
    const rows = Array.from({ length: 10000 }, (_v, i) => row({ id: BigInt(i + 1), v: `row ${i + 1}`, n: `${i + 1}.0001` }));
    const changes = changesOf(d, columns, ['id'], { upserts: rows });
    assert.equal(conn.dialect.tableChanges(changes).length, 5);
    await conn.write({ groupId: 'g-bulk', tables: [changes], offsets: [{ topic: 'bulk', partition: 0, nextOffset: '10000', expected: null }] });
    assert.deepEqual(await sql(`SELECT count(*)::text AS n FROM ${SCHEMA}.bulk_statements`), [{ n: '5' }]);
    assert.deepEqual(await sql(`SELECT count(*)::text AS c, sum(id)::text AS s, sum(n)::text AS t FROM ${SCHEMA}.bulk`), [
      { c: '10000', s: '50005000', t: '50005001.0000' },
    ]);
    assert.deepEqual(await sql(`SELECT v FROM ${SCHEMA}.bulk WHERE id = 7777`), [{ v: 'row 7777' }]);
  });

  void test('a connection killed mid-transaction is discarded; the next write works (pool of 1)', async () => {
    const logged: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done): void {
        logged.push(chunk.toString());
        done();
      },
    });
    const one = createPostgresConnector(
      { url: URL, schema: SCHEMA, poolSize: 1, applicationName: 'it_pgconn_kill' },
      { logger: pino({ level: 'warn' }, sink) },
    );
    await one.connect();
    try {
      const columns: ColumnSchema[] = [{ name: 'id', type: { kind: 'int', bits: 32 }, optional: false }];
      const d = await createTable({ schema: null, name: 'locked' }, columns, ['id']);
      await admin.query(
        `CREATE FUNCTION ${SCHEMA}.wait_lock() RETURNS trigger LANGUAGE plpgsql AS ` +
          '$$BEGIN PERFORM pg_advisory_xact_lock(774411); RETURN NULL; END$$',
      );
      await admin.query(
        `CREATE TRIGGER wait_lock AFTER INSERT ON ${SCHEMA}.locked FOR EACH STATEMENT EXECUTE FUNCTION ${SCHEMA}.wait_lock()`,
      );
      const write = (id: number): Promise<void> =>
        one.write({ groupId: 'g-kill', tables: [changesOf(d, columns, ['id'], { upserts: [row({ id })] })], offsets: [] });

      await admin.query('SELECT pg_advisory_lock(774411)');
      const pending = rejection(write(1));
      let pid: number | undefined;
      for (let i = 0; i < 200 && pid === undefined; i++) {
        const waiting = await sql<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = 'it_pgconn_kill' AND wait_event_type = 'Lock'",
        );
        pid = waiting[0]?.pid;
        if (pid === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(pid !== undefined, 'the write waits on the advisory lock');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await admin.query('SELECT pg_advisory_unlock(774411)');
      const err = await pending;
      assert.ok(err instanceof TargetError, String(err));
      assert.equal(err.kind, 'retriable');

      await write(2);
      assert.deepEqual(await sql(`SELECT id::text FROM ${SCHEMA}.locked`), [{ id: '2' }]);

      // An idle pooled connection that dies is logged, never crashes the process.
      const [idle] = await sql<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'it_pgconn_kill'");
      assert.ok(idle, 'the pool keeps its idle connection');
      await admin.query('SELECT pg_terminate_backend($1)', [idle.pid]);
      for (let i = 0; i < 200 && !logged.some((l) => l.includes('idle PostgreSQL connection failed')); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(logged.some((l) => l.includes('idle PostgreSQL connection failed')), logged.join('\n'));
      await one.healthcheck();
      await write(3);
      assert.deepEqual(await sql(`SELECT id::text FROM ${SCHEMA}.locked ORDER BY id`), [{ id: '2' }, { id: '3' }]);
    } finally {
      await one.close();
      await one.close();
    }
  });

  void test('close is idempotent and a closed connector refuses work', async () => {
    const c = createPostgresConnector({ url: URL, schema: SCHEMA });
    await c.connect();
    await c.close();
    await c.close();
    const err = await rejection(c.healthcheck());
    assert.ok(err instanceof TargetError);
    assert.match(err.message, /not connected/);
  });
});
