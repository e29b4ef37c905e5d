/**
 * The MySQL / MariaDB connector against the real server (MariaDB 10.11 here; MYSQL_TEST_URL points
 * elsewhere, e.g. mysql://root@127.0.0.1:3306). Uses the databases it_myconn and it_myconn_other,
 * created and dropped here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createConnection, createPool, type Connection, type Pool, type RowDataPacket } from 'mysql2/promise';
import type { ColumnSchema, ColumnType } from '../../connectors/core/column-type.ts';
import { OffsetConflictError, TargetError, type CdcSinkError } from '../../connectors/core/errors.ts';
import { UNCHANGED, newRow, type Row, type Unchanged, type Value } from '../../connectors/core/value.ts';
import type { PartitionOffset, TableChanges, TargetTableRef, WriteBatch } from '../../connectors/contract.ts';
import { createMysqlConnector, type MysqlConnector } from '../../connectors/mysql/index.ts';
import { mysqlOptionsSchema } from '../../connectors/mysql/options.ts';
import { SESSION_SETUP_SQL, parseMysqlUrl, poolOptions } from '../../connectors/mysql/pool-config.ts';

const BASE = (process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const DB = 'it_myconn';
const OTHER = 'it_myconn_other';

let admin: Connection;
let conn: MysqlConnector;

function col(name: string, type: ColumnType, optional = true): ColumnSchema {
  return { name, type, optional };
}
function row(values: Record<string, Value | Unchanged>): Row {
  return Object.assign(newRow(), values);
}
/** A JSON column as a value: MySQL's JSON type (and MariaDB's, with extended metadata) arrive parsed, text arrives as text. */
function jsonValue(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}
type DbRow = Record<string, unknown>;
async function query(sql: string, values: unknown[] = []): Promise<DbRow[]> {
  const [rows] = await admin.query<RowDataPacket[]>(sql, values);
  return rows;
}

/** TableChanges for a table, described from the server. */
async function changes(
  c: MysqlConnector,
  table: TargetTableRef,
  columns: readonly ColumnSchema[],
  keyColumns: readonly string[],
  parts: Partial<Pick<TableChanges, 'truncate' | 'deletes' | 'upserts' | 'mode'>>,
): Promise<TableChanges> {
  const description = await c.describeTable(table);
  assert.ok(description, `table ${table.name} exists`);
  return { table, description, columns, keyColumns, mode: 'upsert', truncate: false, deletes: [], upserts: [], ...parts };
}
function batch(groupId: string, tables: TableChanges[], offsets: PartitionOffset[] = []): WriteBatch {
  return { groupId, tables, offsets };
}
async function createTable(c: MysqlConnector, table: TargetTableRef, columns: readonly ColumnSchema[], key: readonly string[]): Promise<void> {
  await c.executeDdl([c.dialect.createTable(table, columns, key)]);
}

before(async () => {
  const u = new URL(BASE);
  admin = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  });
  for (const db of [DB, OTHER]) {
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db}`);
  }
  conn = createMysqlConnector({ url: `${BASE}/${DB}`, poolSize: 2 });
  await conn.connect();
});

after(async () => {
  await conn.close();
  for (const db of [DB, OTHER]) await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.end();
});

describe('mysql connector: connect and describe', () => {
  test('detects the server and builds its dialect; creates the offsets table', async () => {
    const info = conn.serverInfo;
    assert.ok(info);
    const version = String((await query('SELECT VERSION() AS v'))[0]?.v);
    assert.equal(info.flavor, /mariadb/i.test(version) ? 'mariadb' : 'mysql');
    assert.equal(conn.dialect.flavor, info.flavor);
    const offsets = await conn.describeTable({ schema: null, name: 'cdc_sink_offsets' });
    assert.deepEqual(offsets?.primaryKey, ['consumer_group', 'topic', 'kafka_partition']);
    await conn.healthcheck();
    await conn.connect(); // again: harmless
  });

  test('describeTable: types, nullability, key order, case-sensitive names, other database', async () => {
    await query(`CREATE TABLE ${DB}.Mixed (a INT NOT NULL, b DECIMAL(10,2) NULL, c VARCHAR(20) NOT NULL, PRIMARY KEY (c, a))`);
    await query(`CREATE TABLE ${DB}.mixed (z INT NULL)`);
    await query(`CREATE TABLE ${OTHER}.elsewhere (id BIGINT PRIMARY KEY)`);
    const d = await conn.describeTable({ schema: null, name: 'Mixed' });
    // MariaDB (and MySQL 5.7) show the display width of INT: int(11); MySQL 8 shows int.
    assert.deepEqual(
      d?.columns.map((c) => ({ ...c, dataType: c.dataType.replace(/^int\(11\)$/, 'int') })),
      [
        { name: 'a', dataType: 'int', nullable: false },
        { name: 'b', dataType: 'decimal(10,2)', nullable: true },
        { name: 'c', dataType: 'varchar(20)', nullable: false },
      ],
    );
    assert.deepEqual(d?.primaryKey, ['c', 'a']);
    assert.deepEqual((await conn.describeTable({ schema: null, name: 'mixed' }))?.columns.map((c) => c.name), ['z']);
    assert.deepEqual((await conn.describeTable({ schema: OTHER, name: 'elsewhere' }))?.primaryKey, ['id']);
    assert.equal(await conn.describeTable({ schema: null, name: 'nope' }), null);
  });

  test('addColumns: ALTER TABLE with every column, NULL-able', async () => {
    const t = { schema: OTHER, name: 'grow' };
    await createTable(conn, t, [col('id', { kind: 'int', bits: 32 }, false)], ['id']);
    const added = [col('note', { kind: 'string', maxLength: 30 }, false), col('at', { kind: 'timestamptz' })];
    await conn.executeDdl(conn.dialect.addColumns(t, added));
    if (conn.dialect.flavor === 'mariadb') await conn.executeDdl(conn.dialect.addColumns(t, added)); // IF NOT EXISTS
    const d = await conn.describeTable(t);
    assert.deepEqual(
      d?.columns.map((c) => [c.name, c.dataType, c.nullable]),
      [
        ['id', d?.columns[0]?.dataType, false],
        ['note', 'varchar(30)', true],
        ['at', 'datetime(6)', true],
      ],
    );
  });
});

describe('mysql connector: every type round trip', () => {
  const wkb = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex');
  const columns: ColumnSchema[] = [
    col('id', { kind: 'int', bits: 64 }, false),
    col('b', { kind: 'boolean' }),
    col('i8', { kind: 'int', bits: 8 }),
    col('i16', { kind: 'int', bits: 16 }),
    col('i32', { kind: 'int', bits: 32 }),
    col('f32', { kind: 'float', bits: 32 }),
    col('f64', { kind: 'float', bits: 64 }),
    col('dec', { kind: 'decimal', precision: 38, scale: 18 }),
    col('decv', { kind: 'decimal' }),
    col('dec20', { kind: 'decimal', precision: 20, scale: 0 }),
    col('s', { kind: 'string' }),
    col('vs', { kind: 'string', maxLength: 10 }),
    col('by', { kind: 'bytes' }),
    col('d', { kind: 'date' }),
    col('t', { kind: 'time', precision: 6 }),
    col('tn', { kind: 'time', precision: 9 }),
    col('ttz', { kind: 'timetz' }),
    col('ts', { kind: 'timestamp', precision: 6 }),
    col('tstz', { kind: 'timestamptz' }),
    col('iv', { kind: 'interval' }),
    col('j', { kind: 'json' }),
    col('u', { kind: 'uuid' }),
    col('x', { kind: 'xml' }),
    col('e', { kind: 'enum', allowed: ['small', 'large'] }),
    col('st', { kind: 'set', allowed: ['wifi', 'pool'] }),
    col('bt8', { kind: 'bits', length: 8 }),
    col('bt72', { kind: 'bits', length: 72 }),
    col('y', { kind: 'year' }),
    col('g', { kind: 'geometry', shape: 'point' }),
    col('arr', { kind: 'array', items: { kind: 'int', bits: 64 } }),
  ];
  const max = row({
    id: 9223372036854775807n, b: true, i8: 127, i16: 32767, i32: 2147483647, f32: 3.5, f64: 1.7976931348623157e308,
    dec: '99999999999999999999.999999999999999999', decv: '12345.678901234567890123456789012345',
    dec20: '18446744073709551615', s: "héllo 😀 “q” ' \\ \u0000 end", vs: 'abcdefghij', by: Buffer.from([0x00, 0xff, 0x00, 0x27, 0x5c]),
    d: '9999-12-31', t: '23:59:59.999999', tn: '12:34:56.123456789', ttz: '10:15:30.5Z', ts: '9999-12-31T23:59:59.999999',
    tstz: '1969-07-20T20:17:40.000001+02:00', iv: 'P1Y2M3DT4H5M6.78S', j: '{"a":[1,2.5,"x"],"b":null}',
    u: '8d3c2b1a-0000-4000-8000-00000000000f', x: '<a b="1"/>', e: 'large', st: 'wifi,pool', bt8: '10000001',
    bt72: '1'.padEnd(71, '0') + '1', y: 2155, g: { wkb, srid: 4326 }, arr: [1n, null, 9007199254740993n],
  });
  const min = row({
    id: -9223372036854775808n, b: false, i8: -128, i16: -32768, i32: -2147483648, f32: -1.25, f64: -2.2250738585072014e-308,
    dec: '-99999999999999999999.999999999999999999', decv: '-0.000000000000000000000000000001', dec20: '0',
    s: '', vs: '', by: Buffer.alloc(0), d: '0001-01-01', t: '00:00:00', tn: '00:00:00.000000001', ttz: '00:00:00Z',
    ts: '0001-01-01T00:00:00', tstz: '2024-02-29T12:00:00Z', iv: 'PT0S', j: '[]', u: '00000000-0000-0000-0000-000000000000',
    x: '', e: 'small', st: '', bt8: '00000000', bt72: '0'.repeat(72), y: 0, g: { wkb, srid: null }, arr: [],
  });
  const nulls = row(Object.fromEntries(columns.map((c) => [c.name, c.name === 'id' ? 0n : null])));

  test('extreme values come back exactly (nanoseconds truncated, instants in UTC)', async () => {
    const t = { schema: null, name: 'every_type' };
    await createTable(conn, t, columns, ['id']);
    await conn.write(batch('g-types', [await changes(conn, t, columns, ['id'], { upserts: [max, min, nulls] })]));
    const rows = await query(
      `SELECT CAST(id AS CHAR) AS id, b, i8, i16, i32, f32, f64, CAST(\`dec\` AS CHAR) AS \`dec\`, CAST(decv AS CHAR) AS decv,
              CAST(dec20 AS CHAR) AS dec20, s, vs, \`by\`, d, t, tn, ttz, ts, tstz, iv, j, u, x, e, st, bt8,
              HEX(bt72) AS bt72, y, g, arr FROM ${DB}.every_type ORDER BY id DESC`,
    );
    assert.equal(rows.length, 3);
    const [a, n, z] = rows as [DbRow, DbRow, DbRow];
    assert.deepEqual({ ...a }, {
      id: '9223372036854775807', b: 1, i8: 127, i16: 32767, i32: 2147483647, f32: 3.5, f64: 1.7976931348623157e308,
      dec: '99999999999999999999.999999999999999999', decv: '12345.678901234567890123456789012345',
      dec20: '18446744073709551615', s: "héllo 😀 “q” ' \\ \u0000 end", vs: 'abcdefghij', by: Buffer.from([0x00, 0xff, 0x00, 0x27, 0x5c]),
      d: '9999-12-31', t: '23:59:59.999999', tn: '12:34:56.123456', ttz: '10:15:30.500000', ts: '9999-12-31 23:59:59.999999',
      tstz: '1969-07-20 18:17:40.000001', iv: 'P1Y2M3DT4H5M6.78S', j: a.j, u: '8d3c2b1a-0000-4000-8000-00000000000f',
      x: '<a b="1"/>', e: 'large', st: 'wifi,pool', bt8: Buffer.from([0x81]), bt72: '800000000000000001', y: 2155, g: wkb, arr: a.arr,
    });
    assert.deepEqual(jsonValue(a.j), { a: [1, 2.5, 'x'], b: null });
    // As text: JSON.parse would round 9007199254740993.
    assert.equal(String((await query(`SELECT CAST(arr AS CHAR) AS t FROM ${DB}.every_type WHERE id > 0`))[0]?.t).replaceAll(' ', ''), '[1,null,9007199254740993]');
    assert.deepEqual(
      [z.id, z.b, z.i8, z.f64, z.dec, z.decv, z.dec20, z.s, z.by, z.d, z.t, z.tn, z.ttz, z.ts, z.tstz, z.bt8, z.bt72, z.y],
      ['-9223372036854775808', 0, -128, -2.2250738585072014e-308, '-99999999999999999999.999999999999999999',
        '-0.000000000000000000000000000001', '0', '', Buffer.alloc(0), '0001-01-01', '00:00:00.000000', '00:00:00.000000',
        '00:00:00.000000', '0001-01-01 00:00:00.000000', '2024-02-29 12:00:00.000000', Buffer.from([0]), '000000000000000000', 0],
    );
    const nullValues = Object.entries(n).filter(([k]) => k !== 'id').map(([, v]) => v);
    assert.equal(n.id, '0');
    assert.ok(nullValues.every((v) => v === null), 'every other column is NULL');
  });

  test('uuid in both storages', async () => {
    const u16 = createMysqlConnector({ url: `${BASE}/${DB}`, uuidStorage: 'binary16', poolSize: 1 });
    try {
      await u16.connect();
      const columns = [col('u', { kind: 'uuid' }, false), col('v', { kind: 'uuid' })];
      const t = { schema: null, name: 'uuids16' };
      await createTable(u16, t, columns, ['u']);
      const uuid = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
      await u16.write(batch('g-uuid', [await changes(u16, t, columns, ['u'], { upserts: [row({ u: uuid, v: null })] })]));
      // The char36 connector writes into the same BINARY(16) column by its type.
      await conn.write(batch('g-uuid', [await changes(conn, t, columns, ['u'], { upserts: [row({ u: uuid, v: uuid })] })]));
      const rows = await query(`SELECT LOWER(HEX(u)) AS u, LOWER(HEX(v)) AS v, LENGTH(u) AS n FROM ${DB}.uuids16`);
      assert.deepEqual(rows.map((r) => ({ ...r })), [{ u: uuid.replaceAll('-', ''), v: uuid.replaceAll('-', ''), n: 16 }]);
      const d = await u16.describeTable(t);
      assert.equal(d?.columns[0]?.dataType, 'binary(16)');
    } finally {
      await u16.close();
    }
  });
});

describe('mysql connector: user-created column types', () => {
  test('geometry into a spatial column (SRID + WKB), timestamptz into TIMESTAMP, bits into BIT(3)', async () => {
    await query(`CREATE TABLE ${DB}.spatial (id INT PRIMARY KEY, g POINT NULL, at TIMESTAMP(6) NULL, f BIT(3) NULL)`);
    const t = { schema: null, name: 'spatial' };
    const c = [
      col('id', { kind: 'int', bits: 32 }, false),
      col('g', { kind: 'geometry', shape: 'point' }),
      col('at', { kind: 'timestamptz' }),
      col('f', { kind: 'bits', length: 3 }),
    ];
    const wkb = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex'); // POINT(1 2)
    await conn.write(batch('g-spatial', [await changes(conn, t, c, ['id'], { upserts: [row({ id: 1, g: { wkb, srid: 4326 }, at: '2030-01-02T03:04:05.123456Z', f: '101' })] })]));
    const [r] = await query(
      `SELECT ST_AsText(g) AS wkt, ST_SRID(g) AS srid, UNIX_TIMESTAMP(at) AS epoch, f + 0 AS f FROM ${DB}.spatial`,
    );
    assert.equal(r?.wkt, 'POINT(1 2)');
    assert.equal(Number(r?.srid), 4326);
    assert.equal(String(r?.epoch), String(Date.UTC(2030, 0, 2, 3, 4, 5) / 1000) + '.123456');
    assert.equal(Number(r?.f), 5);
  });
});

describe('mysql connector: upserts, deletes, keys', () => {
  const people = { schema: null, name: 'people' };
  const cols = [col('id', { kind: 'int', bits: 32 }, false), col('name', { kind: 'string', maxLength: 10 }, false), col('doc', { kind: 'json' })];

  before(async () => createTable(conn, people, cols, ['id']));

  test('upsert updates; delete then re-insert; deletes run before upserts in a batch', async () => {
    const write = async (parts: Partial<Pick<TableChanges, 'deletes' | 'upserts' | 'truncate'>>) =>
      conn.write(batch('g-people', [await changes(conn, people, cols, ['id'], parts)]));
    await write({ upserts: [row({ id: 1, name: 'ann', doc: '{"v":1}' }), row({ id: 2, name: 'bob', doc: null })] });
    await write({ upserts: [row({ id: 1, name: 'anna', doc: '{"v":2}' })] });
    await write({ deletes: [row({ id: 2 })] });
    assert.deepEqual((await query(`SELECT id, name FROM ${DB}.people ORDER BY id`)).map((r) => [r.id, r.name]), [[1, 'anna']]);
    await write({ upserts: [row({ id: 2, name: 'bob2', doc: null })] });
    await write({ deletes: [row({ id: 1 })], upserts: [row({ id: 1, name: 'again', doc: null })] });
    assert.deepEqual(
      (await query(`SELECT id, name FROM ${DB}.people ORDER BY id`)).map((r) => [r.id, r.name]),
      [[1, 'again'], [2, 'bob2']],
    );
  });

  test('UNCHANGED leaves the stored value', async () => {
    await conn.write(batch('g-people', [await changes(conn, people, cols, ['id'], { upserts: [row({ id: 5, name: 'eve', doc: '{"keep":true}' })] })]));
    await conn.write(batch('g-people', [await changes(conn, people, cols, ['id'], { upserts: [row({ id: 5, name: 'eve2', doc: UNCHANGED })] })]));
    const [r] = await query(`SELECT name, doc FROM ${DB}.people WHERE id = 5`);
    assert.equal(r?.name, 'eve2');
    assert.deepEqual(jsonValue(r?.doc), { keep: true });
  });

  test('truncate empties the table inside the transaction, then the batch rows land', async () => {
    await conn.write(batch('g-people', [await changes(conn, people, cols, ['id'], { truncate: true, upserts: [row({ id: 9, name: 'only', doc: null })] })]));
    assert.deepEqual((await query(`SELECT id FROM ${DB}.people`)).map((r) => r.id), [9]);
  });

  test('composite keys: upsert and delete by (tenant, n)', async () => {
    const t = { schema: OTHER, name: 'lines' };
    const c = [col('tenant', { kind: 'string' }, false), col('n', { kind: 'int', bits: 32 }, false), col('qty', { kind: 'decimal', precision: 10, scale: 2 })];
    await createTable(conn, t, c, ['tenant', 'n']);
    const rows = [row({ tenant: 'a', n: 1, qty: '1.50' }), row({ tenant: 'a', n: 2, qty: '2.00' }), row({ tenant: 'A', n: 1, qty: '3.25' })];
    await conn.write(batch('g-lines', [await changes(conn, t, c, ['tenant', 'n'], { upserts: rows })]));
    await conn.write(batch('g-lines', [await changes(conn, t, c, ['tenant', 'n'], {
      deletes: [row({ tenant: 'a', n: 2 })],
      upserts: [row({ tenant: 'a', n: 1, qty: '9.99' })],
    })]));
    assert.deepEqual(
      (await query(`SELECT tenant, n, CAST(qty AS CHAR) AS qty FROM ${OTHER}.lines ORDER BY tenant, n`)).map((r) => [r.tenant, r.n, r.qty]),
      [['A', 1, '3.25'], ['a', 1, '9.99']],
    );
  });

  test('key-only table: repeated upserts are no-ops, not errors', async () => {
    const t = { schema: null, name: 'links' };
    const c = [col('a', { kind: 'int', bits: 32 }, false), col('b', { kind: 'int', bits: 32 }, false)];
    await createTable(conn, t, c, ['a', 'b']);
    for (let i = 0; i < 2; i++) {
      await conn.write(batch('g-links', [await changes(conn, t, c, ['a', 'b'], { upserts: [row({ a: 1, b: 2 }), row({ a: 1, b: 3 })] })]));
    }
    assert.equal(Number((await query(`SELECT COUNT(*) AS n FROM ${DB}.links`))[0]?.n), 2);
  });

  test('explicit NULL stays NULL over a DEFAULT; an absent column takes the DEFAULT; NO_AUTO_VALUE_ON_ZERO', async () => {
    await query(`CREATE TABLE ${DB}.defaults (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, note VARCHAR(10) NULL DEFAULT 'dflt')`);
    const t = { schema: null, name: 'defaults' };
    const c = [col('id', { kind: 'int', bits: 32 }, false), col('note', { kind: 'string' })];
    await conn.write(batch('g-def', [await changes(conn, t, c, ['id'], { upserts: [row({ id: 1, note: null }), row({ id: 2, note: UNCHANGED }), row({ id: 0, note: 'zero' })] })]));
    assert.deepEqual(
      (await query(`SELECT id, note FROM ${DB}.defaults ORDER BY id`)).map((r) => [r.id, r.note]),
      [[0, 'zero'], [1, null], [2, 'dflt']],
    );
  });

  test('append mode inserts every row', async () => {
    const t = { schema: null, name: 'audit' };
    const c = [col('msg', { kind: 'string' }, false)];
    await createTable(conn, t, c, []);
    await conn.write(batch('g-audit', [await changes(conn, t, c, [], { mode: 'append', upserts: [row({ msg: 'x' }), row({ msg: 'x' })] })]));
    assert.equal(Number((await query(`SELECT COUNT(*) AS n FROM ${DB}.audit`))[0]?.n), 2);
  });
});

describe('mysql connector: offsets and failures', () => {
  const t = { schema: null, name: 'ledger' };
  const c = [col('id', { kind: 'int', bits: 32 }, false), col('code', { kind: 'string', maxLength: 3 }, false)];
  const off = (nextOffset: string, expected: string | null, partition = 0): PartitionOffset => ({ topic: 'ledger', partition, nextOffset, expected });
  const ids = async () => (await query(`SELECT id FROM ${DB}.ledger ORDER BY id`)).map((r) => r.id as number);

  before(async () => createTable(conn, t, c, ['id']));

  test('offsets move in the same transaction as the rows', async () => {
    assert.deepEqual(await conn.readOffsets('g-ledger'), []);
    await conn.write(batch('g-ledger', [await changes(conn, t, c, ['id'], { upserts: [row({ id: 1, code: 'a' })] })], [off('10', null), off('5', null, 1)]));
    await conn.write(batch('g-ledger', [await changes(conn, t, c, ['id'], { upserts: [row({ id: 2, code: 'b' })] })], [off('20', '10')]));
    // Same value again: FOUND_ROWS makes the matched row count, so this is not a conflict.
    await conn.write(batch('g-ledger', [], [off('20', '20')]));
    assert.deepEqual(await conn.readOffsets('g-ledger'), [
      { topic: 'ledger', partition: 0, nextOffset: '20' },
      { topic: 'ledger', partition: 1, nextOffset: '5' },
    ]);
    assert.deepEqual(await ids(), [1, 2]);
  });

  test('a failing statement rolls back rows and offsets (data too long -> data error naming the table)', async () => {
    const bad = await changes(conn, t, c, ['id'], { upserts: [row({ id: 3, code: 'ok' })] });
    const tooLong = await changes(conn, t, c, ['id'], { upserts: [row({ id: 4, code: 'toolong' })] });
    await assert.rejects(
      conn.write(batch('g-ledger', [bad, tooLong], [off('30', '20')])),
      (err: unknown) =>
        err instanceof TargetError && err.kind === 'data' && err.code === 'CDC_TARGET_DATA' && err.table === `${DB}.ledger` &&
        /writing to it_myconn\.ledger: upsert of 1 row failed: ER_DATA_TOO_LONG 1406/.test(err.message),
    );
    assert.deepEqual(await ids(), [1, 2]);
    assert.equal((await conn.readOffsets('g-ledger'))[0]?.nextOffset, '20');
  });

  test('OffsetConflictError when the stored offset moved or already exists; nothing written', async () => {
    const rows = await changes(conn, t, c, ['id'], { upserts: [row({ id: 7, code: 'c' })] });
    await assert.rejects(conn.write(batch('g-ledger', [rows], [off('40', '15')])), OffsetConflictError);
    await assert.rejects(conn.write(batch('g-ledger', [rows], [off('40', null)])), (err: unknown) => err instanceof OffsetConflictError && err.kind === 'retriable');
    assert.deepEqual(await ids(), [1, 2]);
    assert.equal((await conn.readOffsets('g-ledger'))[0]?.nextOffset, '20');
    // A second group is independent.
    await conn.write(batch('g-other', [], [off('1', null)]));
    assert.deepEqual(await conn.readOffsets('g-other'), [{ topic: 'ledger', partition: 0, nextOffset: '1' }]);
  });

  test('two first writers of one partition at once: exactly one wins, the other gets a retriable error', async () => {
    const rows = (id: number) => changes(conn, t, c, ['id'], { upserts: [row({ id, code: 'r' })] });
    const results = await Promise.allSettled([
      conn.write(batch('g-race', [await rows(21)], [off('5', null)])),
      conn.write(batch('g-race', [await rows(22)], [off('6', null)])),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.equal((lost[0]?.reason as CdcSinkError).kind, 'retriable');
    const stored = await conn.readOffsets('g-race');
    const present = (await ids()).filter((id) => id === 21 || id === 22);
    assert.equal(present.length, 1);
    assert.deepEqual(stored, [{ topic: 'ledger', partition: 0, nextOffset: present[0] === 21 ? '5' : '6' }]);
  });

  test('NOT NULL violation -> data; missing table -> fatal CDC_TARGET_MISSING_TABLE', async () => {
    await assert.rejects(
      conn.write(batch('g-ledger', [await changes(conn, t, c, ['id'], { upserts: [row({ id: 8, code: null })] })])),
      (err: unknown) => err instanceof TargetError && err.kind === 'data' && /ER_BAD_NULL_ERROR 1048/.test(err.message),
    );
    const gone = await changes(conn, t, c, ['id'], { upserts: [row({ id: 8, code: 'x' })] });
    await assert.rejects(
      conn.write(batch('g-ledger', [{ ...gone, table: { schema: null, name: 'no_such_table' } }])),
      (err: unknown) => err instanceof TargetError && err.kind === 'fatal' && err.code === 'CDC_TARGET_MISSING_TABLE',
    );
    assert.ok(!(await ids()).includes(8));
  });

  test('a killed connection is dropped, the next write works', async () => {
    const mine = await query(`SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()`, [DB]);
    assert.ok(mine.length > 0);
    for (const r of mine) await query(`KILL CONNECTION ${Number(r.id)}`);
    const rows = async (id: number) => changes(conn, t, c, ['id'], { upserts: [row({ id, code: 'k' })] });
    let first: unknown = null;
    try {
      await conn.write(batch('g-kill', [await rows(11)]));
    } catch (err) {
      first = err;
    }
    if (first !== null) assert.equal((first as CdcSinkError).kind, 'retriable');
    await conn.write(batch('g-kill', [await rows(12)]));
    assert.ok((await ids()).includes(12));
  });
});

describe('mysql connector: large batches', () => {
  test('70 columns x 3000 rows: chunked below 65,535 binds, every row present', async () => {
    const t = { schema: null, name: 'wide' };
    const c = Array.from({ length: 70 }, (_, i) => col(`c${i}`, { kind: 'int', bits: 32 }, i !== 0));
    await createTable(conn, t, c, ['c0']);
    const rows = Array.from({ length: 3000 }, (_, r) => row(Object.fromEntries(c.map((x, i) => [x.name, i === 0 ? r : r + i]))));
    const ch = await changes(conn, t, c, ['c0'], { upserts: rows });
    assert.deepEqual(conn.dialect.tableChanges(ch).map((s) => s.rows), [936, 936, 936, 192]);
    // What the connector sends: inline literals, no bind limit, rowsPerStatement (1000) rows a statement.
    assert.deepEqual(conn.dialect.tableChangesInline(ch).map((s) => s.rows), [1000, 1000, 1000]);
    await conn.write(batch('g-wide', [ch], [{ topic: 'wide', partition: 0, nextOffset: '3000', expected: null }]));
    const [r] = await query(`SELECT COUNT(*) AS n, SUM(c0) AS s0, SUM(c69) AS s69, MAX(c69) AS m FROM ${DB}.wide`);
    assert.equal(Number(r?.n), 3000);
    assert.equal(String(r?.s0), String((2999 * 3000) / 2));
    assert.equal(String(r?.s69), String((2999 * 3000) / 2 + 69 * 3000));
    assert.equal(Number(r?.m), 2999 + 69);
  });

  test('close is idempotent; a closed connector refuses work', async () => {
    const c2 = createMysqlConnector({ url: `${BASE}/${DB}`, poolSize: 1 });
    await c2.connect();
    await Promise.all([c2.close(), c2.close()]);
    await c2.close();
    await assert.rejects(c2.readOffsets('g'), (err: unknown) => err instanceof TargetError && err.kind === 'fatal' && /closed/.test(err.message));
  });

  test('a server that refuses connections -> retriable', async () => {
    const c3 = createMysqlConnector({ url: 'mysql://root@127.0.0.1:1/x', connectTimeoutMs: 2000 });
    await assert.rejects(c3.connect(), (err: unknown) => err instanceof TargetError && err.kind === 'retriable' && err.code === 'CDC_TARGET_CONNECTION');
    await c3.close();
  });
});

/** Session status counters of the (only) connection a pool holds: exact, whatever other sessions do. */
async function sessionStatus(pool: Pool): Promise<Record<string, number>> {
  const [rows] = await pool.query<RowDataPacket[]>("SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute', 'Com_insert')");
  return Object.fromEntries(rows.map((r) => [String(r.Variable_name), Number(r.Value)]));
}

/**
 * Writes TableChanges the way the connector did before client-side formatting (placeholders +
 * conn.execute), on a connection of its own; returns that session's status counters.
 */
async function writeBound(c: MysqlConnector, all: readonly TableChanges[]): Promise<Record<string, number>> {
  const options = mysqlOptionsSchema.parse({ url: `${BASE}/${DB}` });
  const pool = createPool({ ...poolOptions(options, parseMysqlUrl(options.url)), connectionLimit: 1 });
  try {
    const pc = await pool.getConnection();
    await pc.query(SESSION_SETUP_SQL);
    for (const ch of all) {
      for (const sql of c.dialect.tableChanges(ch)) await pc.execute(sql.text, sql.values as never[]);
    }
    pc.release();
    return await sessionStatus(pool);
  } finally {
    await pool.end();
  }
}

describe('mysql connector: data statements over the text protocol', () => {
  test('many batches of varying row counts: the server prepares a bounded number of statements', async () => {
    const t = { schema: null, name: 'varying' };
    const c = [col('id', { kind: 'int', bits: 64 }, false), col('n', { kind: 'int', bits: 32 }), col('s', { kind: 'string' }), col('d', { kind: 'decimal', precision: 20, scale: 4 })];
    await createTable(conn, t, c, ['id']);
    const rowsOf = (count: number, base: number) =>
      Array.from({ length: count }, (_, i) => row({ id: BigInt(base + i), n: i, s: `r${i}'`, d: `${i}.5` }));

    // The measure sees prepares: the bound form with 20 distinct row counts prepares 20 statements.
    const control = await writeBound(conn, await Promise.all(Array.from({ length: 20 }, async (_, i) => changes(conn, t, c, ['id'], { upserts: rowsOf(i + 1, 1_000_000) }))));
    assert.ok((control.Com_stmt_prepare ?? 0) >= 20, `the bound form prepared ${control.Com_stmt_prepare} statements`);

    // One connection, so its session's counters are the connector's own.
    const writer = createMysqlConnector({ url: `${BASE}/${DB}`, poolSize: 1 });
    try {
      await writer.connect();
      let expected: string | null = null;
      let total = 0;
      // 120 batches, every one with another row count (1..1500), most with deletes of another count.
      for (let b = 0; b < 120; b++) {
        const count = 1 + ((b * 37) % 1500);
        const deletes = total === 0 ? [] : Array.from({ length: (b * 13) % 50 }, (_, i) => row({ id: BigInt(total - i - 1) }));
        const ch = await changes(writer, t, c, ['id'], { upserts: rowsOf(count, total), deletes });
        const nextOffset = String(b + 1);
        await writer.write(batch('g-varying', [ch], [{ topic: 'varying', partition: 0, nextOffset, expected }]));
        expected = nextOffset;
        total += count;
      }
      const pool = (writer as unknown as { pool: Pool | null }).pool;
      assert.ok(pool, 'the connector has a pool');
      const status = await sessionStatus(pool);
      // Prepared: the fixed statements only (describeTable's two, the offset insert and compare-and-set),
      // where the bound form needed one per distinct row count (over 120 here).
      assert.ok((status.Com_stmt_prepare ?? Infinity) <= 6, `the connector's session prepared ${status.Com_stmt_prepare} statements`);
      assert.ok((status.Com_insert ?? 0) >= 120, `${status.Com_insert} INSERT statements were sent as text`);
      assert.equal(Number((await query(`SELECT COUNT(*) AS n FROM ${DB}.varying WHERE id < 1000000`))[0]?.n) > 0, true);
      assert.deepEqual(await writer.readOffsets('g-varying'), [{ topic: 'varying', partition: 0, nextOffset: '120' }]);
    } finally {
      await writer.close();
    }
  });

  test('edge values land exactly, and exactly as prepared statements land them', async () => {
    const ddl = (name: string) =>
      `CREATE TABLE ${DB}.${name} (id BIGINT PRIMARY KEY, d DECIMAL(38,18) NULL, u64 BIGINT UNSIGNED NULL, i64 BIGINT NULL, ` +
      `ts DATETIME(6) NULL, tstz DATETIME(6) NULL, u BINARY(16) NULL, b BLOB NULL, j JSON NULL, s LONGTEXT NULL, vs VARCHAR(100) NULL, ` +
      `f DOUBLE NULL, f32 FLOAT NULL, bl BOOLEAN NULL, bits BIT(9) NULL, dflt VARCHAR(10) NULL DEFAULT 'dflt', nn VARCHAR(10) NULL DEFAULT 'dflt')`;
    await query(ddl('edge_inline'));
    await query(ddl('edge_bound'));
    const c = [
      col('id', { kind: 'int', bits: 64 }, false),
      col('d', { kind: 'decimal', precision: 38, scale: 18 }),
      col('u64', { kind: 'decimal', precision: 20, scale: 0 }),
      col('i64', { kind: 'int', bits: 64 }),
      col('ts', { kind: 'timestamp', precision: 6 }),
      col('tstz', { kind: 'timestamptz' }),
      col('u', { kind: 'uuid' }),
      col('b', { kind: 'bytes' }),
      col('j', { kind: 'json' }),
      col('s', { kind: 'string' }),
      col('vs', { kind: 'string', maxLength: 100 }),
      col('f', { kind: 'float', bits: 64 }),
      col('f32', { kind: 'float', bits: 32 }),
      col('bl', { kind: 'boolean' }),
      col('bits', { kind: 'bits', length: 9 }),
      col('dflt', { kind: 'string' }),
      col('nn', { kind: 'string' }),
    ];
    const blob = Buffer.from([0x00, 0x27, 0x5c, 0x22, 0x1a, 0x0a, 0x0d, 0x3f, 0xff, 0x00, 0x27]);
    const json = '{"name":"Zoë 😀 日本","q":"it\'s \\"x\\" \\\\ end"}';
    const text = "back\\slash 'quote' \"dq\" \\' \0 \x1a \n\r\t ? -- /* */ # `bt` 😀";
    const rows = [
      row({
        id: 1n, d: '99999999999999999999.999999999999999999', u64: '18446744073709551615', i64: 9223372036854775807n,
        ts: '2024-02-29T23:59:59.999999', tstz: '2024-02-29T23:59:59.999999Z', u: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
        b: blob, j: json, s: text, vs: 'ünïcödé ✓ \\', f: 0.30000000000000004, f32: 0.1, bl: true, bits: '100000001', dflt: UNCHANGED, nn: null,
      }),
      row({
        id: 2n, d: '-0.000000000000000001', u64: '0', i64: -9223372036854775808n, ts: '0001-01-01T00:00:00',
        tstz: '1970-01-01T00:00:00.000001+01:00', u: '00000000-0000-0000-0000-000000000000', b: Buffer.alloc(0), j: '[]',
        s: '', vs: '', f: 5e-324, f32: -3.4028234663852886e38, bl: false, bits: '000000000', dflt: UNCHANGED, nn: null,
      }),
      row(Object.fromEntries(c.map((x) => [x.name, x.name === 'id' ? 3n : null]))),
      ...[1.7976931348623157e308, 123456789012345680000, 1e21, 1e-7, -2.2250738585072014e-308, 2 ** 53 + 2].map((f, i) =>
        row({ id: BigInt(10 + i), f, f32: f === 1e-7 ? 1.401298464324817e-45 : 1.5 }),
      ),
    ];
    await conn.write(batch('g-edge', [await changes(conn, { schema: null, name: 'edge_inline' }, c, ['id'], { upserts: rows })]));
    await writeBound(conn, [await changes(conn, { schema: null, name: 'edge_bound' }, c, ['id'], { upserts: rows })]);

    const names = c.map((x) => x.name).filter((n) => n !== 'id');
    const same = names.map((n) => `a.\`${n}\` <=> b.\`${n}\` AND CAST(a.\`${n}\` AS BINARY) <=> CAST(b.\`${n}\` AS BINARY)`).join(' AND ');
    const [counts] = await query(
      `SELECT (SELECT COUNT(*) FROM ${DB}.edge_inline) AS n, (SELECT COUNT(*) FROM ${DB}.edge_bound) AS m, ` +
        `(SELECT COUNT(*) FROM ${DB}.edge_inline a JOIN ${DB}.edge_bound b USING (id) WHERE ${same}) AS equal`,
    );
    assert.deepEqual([Number(counts?.n), Number(counts?.m), Number(counts?.equal)], [rows.length, rows.length, rows.length]);

    const got = await query(
      `SELECT id, CAST(d AS CHAR) AS d, CAST(u64 AS CHAR) AS u64, CAST(i64 AS CHAR) AS i64, ts, tstz, HEX(u) AS u, HEX(b) AS b, ` +
        `CAST(j AS CHAR) AS j, s, vs, bl, bits + 0 AS bits, dflt, nn FROM ${DB}.edge_inline WHERE id < 10 ORDER BY id`,
    );
    assert.deepEqual(got.map((r) => ({ ...r })), [
      {
        id: '1', d: '99999999999999999999.999999999999999999', u64: '18446744073709551615', i64: '9223372036854775807',
        ts: '2024-02-29 23:59:59.999999', tstz: '2024-02-29 23:59:59.999999', u: 'F47AC10B58CC4372A5670E02B2C3D479',
        b: blob.toString('hex').toUpperCase(), j: json, s: text, vs: 'ünïcödé ✓ \\', bl: 1, bits: '257', dflt: 'dflt', nn: null,
      },
      {
        id: '2', d: '-0.000000000000000001', u64: '0', i64: '-9223372036854775808', ts: '0001-01-01 00:00:00.000000',
        tstz: '1969-12-31 23:00:00.000001', u: '00000000000000000000000000000000', b: '', j: '[]', s: '', vs: '', bl: 0, bits: '0',
        dflt: 'dflt', nn: null,
      },
      { id: '3', d: null, u64: null, i64: null, ts: null, tstz: null, u: null, b: null, j: null, s: null, vs: null, bl: null, bits: null, dflt: null, nn: null },
    ]);
    // Doubles through the binary protocol: the exact bits, compared as JavaScript numbers.
    const [doubles] = await admin.execute<RowDataPacket[]>(`SELECT id, f, f32 FROM ${DB}.edge_inline WHERE f IS NOT NULL ORDER BY id`);
    assert.deepEqual(
      doubles.map((r) => [String(r.id), r.f as number, r.f32 as number]),
      [
        ['1', 0.30000000000000004, Math.fround(0.1)],
        ['2', 5e-324, Math.fround(-3.4028234663852886e38)],
        ['10', 1.7976931348623157e308, 1.5],
        ['11', 123456789012345680000, 1.5],
        ['12', 1e21, 1.5],
        ['13', 1e-7, Math.fround(1.401298464324817e-45)],
        ['14', -2.2250738585072014e-308, 1.5],
        ['15', 2 ** 53 + 2, 1.5],
      ],
    );
  });

  test('a batch of statement text beyond max_allowed_packet is split by bytes, escapes and hex counted', async () => {
    const [p] = await query('SELECT @@max_allowed_packet AS p');
    const packet = Number(p?.p);
    const t = { schema: null, name: 'escapes_big' };
    const c = [col('id', { kind: 'int', bits: 64 }, false), col('s', { kind: 'string' }), col('b', { kind: 'bytes' })];
    await createTable(conn, t, c, ['id']);
    // Each row: 150,000 characters that escape to 300,000 bytes, and 200,000 bytes sent as 400,000 hex digits.
    const n = Math.ceil((packet * 1.5) / 700_000);
    const s = (i: number) => `${String(i).padStart(6, '0')}${"'".repeat(100_000)}${'\\'.repeat(49_994)}`;
    const rows = Array.from({ length: n }, (_, i) => row({ id: BigInt(i), s: s(i), b: Buffer.alloc(200_000, i % 2 === 0 ? 0x27 : 0x5c) }));
    const ch = await changes(conn, t, c, ['id'], { upserts: rows });
    const statements = conn.dialect.tableChangesInline(ch);
    assert.ok(statements.length >= 2, `${statements.length} statements`);
    for (const st of statements) assert.ok(Buffer.byteLength(st.text) < packet, `a statement of ${Buffer.byteLength(st.text)} bytes`);
    await conn.write(batch('g-big', [ch]));
    const got = await query(`SELECT id, LENGTH(s) AS ls, MD5(s) AS ms, LENGTH(b) AS lb, HEX(SUBSTRING(b, 1, 2)) AS hb FROM ${DB}.escapes_big ORDER BY id`);
    assert.equal(got.length, n);
    const { createHash } = await import('node:crypto');
    got.forEach((r, i) => {
      assert.deepEqual([Number(r.ls), r.ms, Number(r.lb), r.hb], [150_000, createHash('md5').update(s(i)).digest('hex'), 200_000, i % 2 === 0 ? '2727' : '5C5C']);
    });
  });

  test("a failed data statement's error keeps neither the statement text nor its values", async () => {
    const t = { schema: null, name: 'short_codes' };
    const c = [col('id', { kind: 'int', bits: 32 }, false), col('code', { kind: 'string', maxLength: 3 }, false)];
    await createTable(conn, t, c, ['id']);
    const secret = 'SECRET-VALUE-42';
    const err = await conn.write(batch('g-short', [await changes(conn, t, c, ['id'], { upserts: [row({ id: 1, code: secret })] })])).then(
      () => assert.fail('the write must fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TargetError && err.kind === 'data', String(err));
    assert.match(err.message, /writing to it_myconn\.short_codes: upsert of 1 row failed: ER_DATA_TOO_LONG 1406/);
    const cause = err.cause as { sql?: unknown };
    assert.equal(typeof cause.sql, 'string');
    for (const text of [err.message, String(cause.sql), JSON.stringify(cause)]) assert.ok(!text.includes(secret), text);
  });
});
