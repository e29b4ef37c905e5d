/**
 * The write coalescer in front of the real PostgreSQL and MariaDB connectors: several partitions'
 * batches go in one transaction with all their offsets; when that transaction fails on one
 * partition's moved offset and another's rejected row, it is rolled back and the batches are
 * written alone, so the innocent batch lands and each failure names its own partition or table.
 * Uses the PostgreSQL schema and the MariaDB database it_coalesce, created and dropped here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import pg from 'pg';
import type { Connector, TableDescription } from '../../connectors/contract.ts';
import { OffsetConflictError, TargetError } from '../../connectors/core/errors.ts';
import { createMysqlConnector } from '../../connectors/mysql/index.ts';
import { createPostgresConnector } from '../../connectors/postgres/index.ts';
import { WriteCoalescer } from '../../services/sink/pipeline/write-coalescer.ts';
import { GROUP, batch, changes, rows } from '../support/id-code-batches.ts';
import { PG_URL } from '../support/postgres.ts';

const NAME = 'it_coalesce';
const MY_BASE = (process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');

interface Engine {
  readonly name: string;
  setUp(): Promise<Connector>;
  ids(table: string): Promise<number[]>;
  offsets(): Promise<string[]>;
  tearDown(): Promise<void>;
}

function postgres(): Engine {
  const admin = new pg.Client({ connectionString: PG_URL });
  return {
    name: 'PostgreSQL',
    async setUp() {
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${NAME} CASCADE`);
      await admin.query(`CREATE SCHEMA ${NAME}`);
      for (const t of ['a', 'b', 'c']) await admin.query(`CREATE TABLE ${NAME}.${t} (id int PRIMARY KEY, code varchar(3))`);
      return createPostgresConnector({ url: PG_URL, schema: NAME, poolSize: 2 });
    },
    async ids(table) {
      return (await admin.query<{ id: number }>(`SELECT id FROM ${NAME}.${table} ORDER BY id`)).rows.map((r) => r.id);
    },
    async offsets() {
      const res = await admin.query<{ p: number; o: string }>(
        `SELECT kafka_partition AS p, next_offset::text AS o FROM ${NAME}.cdc_sink_offsets WHERE consumer_group = $1 ORDER BY 1`,
        [GROUP],
      );
      return res.rows.map((r) => `${r.p}=${r.o}`);
    },
    async tearDown() {
      await admin.query(`DROP SCHEMA IF EXISTS ${NAME} CASCADE`);
      await admin.end();
    },
  };
}

function mariadb(): Engine {
  let admin: Connection;
  return {
    name: 'MariaDB',
    async setUp() {
      admin = await createConnection(MY_BASE);
      await admin.query(`DROP DATABASE IF EXISTS ${NAME}`);
      await admin.query(`CREATE DATABASE ${NAME}`);
      for (const t of ['a', 'b', 'c']) await admin.query(`CREATE TABLE ${NAME}.${t} (id int PRIMARY KEY, code varchar(3))`);
      return createMysqlConnector({ url: `${MY_BASE}/${NAME}`, poolSize: 2 });
    },
    async ids(table) {
      const [r] = await admin.query<RowDataPacket[]>(`SELECT id FROM ${NAME}.${table} ORDER BY id`);
      return r.map((x) => Number(x.id));
    },
    async offsets() {
      const [r] = await admin.query<RowDataPacket[]>(
        `SELECT kafka_partition AS p, next_offset AS o FROM ${NAME}.cdc_sink_offsets WHERE consumer_group = ? ORDER BY 1`,
        [GROUP],
      );
      return r.map((x) => `${String(x.p)}=${String(x.o)}`);
    },
    async tearDown() {
      await admin.query(`DROP DATABASE IF EXISTS ${NAME}`);
      await admin.end();
    },
  };
}

for (const engine of [postgres(), mariadb()]) {
  describe(`write coalescer on ${engine.name}`, () => {
    let conn: Connector;
    const tables: Record<string, TableDescription> = {};
    const transactions: number[] = [];
    let coalescer: WriteCoalescer;

    before(async () => {
      conn = await engine.setUp();
      await conn.connect();
      for (const name of ['a', 'b', 'c']) {
        const d = await conn.describeTable({ schema: null, name });
        assert.ok(d, name);
        tables[name] = d;
      }
      coalescer = new WriteCoalescer((b) => conn.write(b), { writesInFlight: 1, combine: true, maxRows: 1000 }, (n) => transactions.push(n));
    });

    after(async () => {
      await conn.close();
      await engine.tearDown();
    });

    test('three partitions due together: one transaction with their rows and all three offsets', async () => {
      transactions.length = 0;
      await Promise.all([
        coalescer.write(batch([changes(tables.a!, rows(1, 2))], [[0, '10', null]])),
        coalescer.write(batch([changes(tables.b!, rows(1, 2)), changes(tables.a!, rows(100, 1))], [[1, '20', null]])),
        coalescer.write(batch([changes(tables.c!, rows(1, 2))], [[2, '30', null]])),
      ]);
      assert.deepEqual(transactions, [3]);
      assert.deepEqual(await engine.ids('a'), [1, 2, 100]);
      assert.deepEqual(await engine.ids('b'), [1, 2]);
      assert.deepEqual(await engine.ids('c'), [1, 2]);
      assert.deepEqual(await engine.offsets(), ['0=10', '1=20', '2=30']);
    });

    test('a moved offset and a rejected row: rolled back together, then each batch alone, and the innocent one lands', async () => {
      transactions.length = 0;
      const results = await Promise.allSettled([
        coalescer.write(batch([changes(tables.a!, rows(3, 1))], [[0, '11', '10']])),
        // Another writer moved partition 1 to 20: this batch still expects null.
        coalescer.write(batch([changes(tables.b!, rows(3, 1))], [[1, '21', null]])),
        coalescer.write(batch([changes(tables.c!, rows(3, 1, 'too long'))], [[2, '31', '30']])),
      ]);
      assert.deepEqual(transactions, [3, 1, 1, 1]);
      assert.equal(results[0].status, 'fulfilled');
      const [, conflict, rejected] = results.map((r) => (r.status === 'rejected' ? (r.reason as Error) : null));
      assert.ok(conflict instanceof OffsetConflictError, `partition 1: ${String(conflict)}`);
      assert.match(conflict.message, /\[1\]|partition 1/);
      assert.ok(rejected instanceof TargetError, `partition 2: ${String(rejected)}`);
      assert.equal(rejected.kind, 'data');
      assert.match(rejected.message, /\bc\b/);
      assert.deepEqual(await engine.ids('a'), [1, 2, 3, 100]);
      assert.deepEqual(await engine.ids('b'), [1, 2]);
      assert.deepEqual(await engine.ids('c'), [1, 2]);
      assert.deepEqual(await engine.offsets(), ['0=11', '1=20', '2=30']);
    });
  });
}
