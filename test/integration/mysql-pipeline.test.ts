/**
 * The MySQL / MariaDB connector's batch transaction, together as multi-statement texts
 * (target.pipeline, the default) and in turn, against the real server behind a counting TCP relay:
 * a steady-traffic batch is one round trip; a batch over the packing limit a few; a statement
 * failing in the middle still names its table and leaves nothing, the offsets included; an offset
 * moved by another writer stops the text before its COMMIT; and the connection serves the next
 * batch. Uses the database it_my_pipeline, created and dropped here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import type { TableDescription } from '../../connectors/contract.ts';
import { OffsetConflictError, TargetError } from '../../connectors/core/errors.ts';
import { batchTexts } from '../../connectors/mysql/batch-texts.ts';
import { createMysqlConnector, type MysqlConnector } from '../../connectors/mysql/index.ts';
import { rejection } from '../contract/harness.ts';
import { CountingRelay } from '../support/counting-relay.ts';
import { GROUP, batch, changes, rows } from '../support/id-code-batches.ts';

const BASE = (process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const DB = 'it_my_pipeline';
let admin: Connection;

async function ids(table: string): Promise<number[]> {
  const [r] = await admin.query<RowDataPacket[]>(`SELECT id FROM ${DB}.${table} ORDER BY id`);
  return r.map((x) => Number(x.id));
}

async function offsets(): Promise<string[]> {
  const [r] = await admin.query<RowDataPacket[]>(
    `SELECT kafka_partition AS p, next_offset AS o FROM ${DB}.cdc_sink_offsets WHERE consumer_group = ? ORDER BY 1`,
    [GROUP],
  );
  return r.map((x) => `${String(x.p)}=${String(x.o)}`);
}

interface Fixture {
  relay: CountingRelay;
  conn: MysqlConnector;
  a: TableDescription;
  b: TableDescription;
  c: TableDescription;
}

/** Fresh tables a and b (code varchar(3)) and c (code text), a connector with one connection through the relay, warmed up. */
async function fixture(pipeline: boolean): Promise<Fixture> {
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);
  for (const t of ['a', 'b']) await admin.query(`CREATE TABLE ${DB}.${t} (id int PRIMARY KEY, code varchar(3))`);
  await admin.query(`CREATE TABLE ${DB}.c (id int PRIMARY KEY, code text)`);
  const relay = new CountingRelay(new URL(BASE), 3306);
  const conn = createMysqlConnector({ url: `${(await relay.listen()).replace(/\/$/, '')}/${DB}`, poolSize: 1, pipeline });
  await conn.connect();
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => conn.describeTable({ schema: null, name })));
  assert.ok(a && b && c);
  // The session's setup and, in turn, the offset statements' PREPARE happen here, not in what a test counts.
  await conn.write(batch([changes(a, rows(1, 1)), changes(b, rows(1, 1))], [[0, '1', null], [1, '0', null]]));
  await conn.write(batch([changes(b, rows(1, 1))], [[1, '1', '0']]));
  return { relay, conn, a, b, c };
}

async function withFixture(pipeline: boolean, fn: (f: Fixture) => Promise<void>): Promise<void> {
  const f = await fixture(pipeline);
  try {
    await fn(f);
  } finally {
    await f.conn.close();
    await f.relay.close();
  }
}

before(async () => {
  const u = new URL(BASE);
  admin = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
});

after(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.end();
});

for (const pipeline of [true, false]) {
  void describe(`mysql connector: the batch transaction, ${pipeline ? 'as one text' : 'in turn'}`, () => {
    void test(`two tables and two offsets take ${pipeline ? 'one round trip' : 'one round trip per statement (6)'}`, () =>
      withFixture(pipeline, async ({ relay, conn, a, b }) => {
        relay.roundTrips = 0;
        await conn.write(batch([changes(a, rows(2, 3)), changes(b, rows(2, 2))], [[0, '4', '1'], [1, '3', '1']]));
        // START TRANSACTION, two offset moves, a's upsert, b's upsert, COMMIT.
        assert.equal(relay.roundTrips, pipeline ? 1 : 6);
        assert.deepEqual(await ids('a'), [1, 2, 3, 4]);
        assert.deepEqual(await ids('b'), [1, 2, 3]);
        assert.deepEqual(await offsets(), ['0=4', '1=3']);
      }));

    void test('a batch over the packing limit goes as a few texts, in one transaction', () =>
      withFixture(pipeline, async ({ relay, conn, c }) => {
        const big = batch([changes(c, rows(10, 3000, 'x'.repeat(1000)))], [[0, '9', '1']]);
        const texts = batchTexts(conn.dialect, big, false).length;
        assert.ok(texts > 1, `3 MB of statements make more than one text (${texts})`);
        relay.roundTrips = 0;
        await conn.write(big);
        // In turn: START TRANSACTION, the offset, three statements of 1,000 rows, COMMIT.
        assert.equal(relay.roundTrips, pipeline ? texts : 6);
        assert.equal((await ids('c')).length, 3000);
        assert.deepEqual(await offsets(), ['0=9', '1=1']);
      }));

    void test('a statement failing in the middle names its table and its cause, and nothing of the batch stays', () =>
      withFixture(pipeline, async ({ conn, a, b }) => {
        const err = await rejection(() =>
          conn.write(batch([changes(a, rows(2, 3)), changes(b, rows(2, 2, 'toolong'))], [[0, '4', '1'], [1, '3', '1']])),
        );
        assert.ok(err instanceof TargetError, `${err.name}: ${err.message}`);
        assert.equal(err.kind, 'data', err.message);
        assert.equal(err.table, `${DB}.b`);
        assert.match(err.message, new RegExp(`^writing to ${DB}\\.b: upsert of 2 rows failed: ER_DATA_TOO_LONG 1406: Data too long for column 'code'`));
        assert.deepEqual(await ids('a'), [1], "a's rows, written before the failure, are rolled back");
        assert.deepEqual(await offsets(), ['0=1', '1=1']);

        // The same connection writes the next batch.
        await conn.write(batch([changes(a, rows(2, 3)), changes(b, rows(2, 2))], [[0, '4', '1'], [1, '3', '1']]));
        assert.deepEqual(await ids('a'), [1, 2, 3, 4]);
        assert.deepEqual(await offsets(), ['0=4', '1=3']);
      }));

    void test('a connection that broke fails the batch as a connection error, and the next batch gets a new one', () =>
      withFixture(pipeline, async ({ relay, conn, a }) => {
        relay.dropConnections();
        const err = await rejection(() => conn.write(batch([changes(a, rows(2, 1))], [[0, '2', '1']])));
        assert.ok(err instanceof TargetError, `${err.name}: ${err.message}`);
        assert.equal(err.kind, 'retriable', err.message);
        assert.deepEqual(await ids('a'), [1]);
        await conn.write(batch([changes(a, rows(2, 1))], [[0, '2', '1']]));
        assert.deepEqual(await ids('a'), [1, 2]);
        assert.deepEqual(await offsets(), ['0=2', '1=1']);
      }));

    void test('an offset another writer moved fails the batch with OffsetConflictError before its COMMIT', () =>
      withFixture(pipeline, async ({ conn, a, b }) => {
        await admin.query(`UPDATE ${DB}.cdc_sink_offsets SET next_offset = 7 WHERE kafka_partition = 1`);
        // The moved offset is the batch's last step: everything before it was sent and would commit.
        const moved = await rejection(() =>
          conn.write(batch([changes(a, rows(2, 3)), changes(b, rows(2, 2))], [[0, '4', '1'], [1, '3', '1']])),
        );
        assert.ok(moved instanceof OffsetConflictError, `${moved.name}: ${moved.message}`);
        assert.match(moved.message, /^the stored next offset of t\[1\] of consumer group g is no longer 1: another writer moved it/);
        assert.deepEqual(await ids('a'), [1]);
        assert.deepEqual(await ids('b'), [1]);
        assert.deepEqual(await offsets(), ['0=1', '1=7']);

        const exists = await rejection(() => conn.write(batch([changes(a, rows(9, 1))], [[0, '5', null]])));
        assert.ok(exists instanceof OffsetConflictError, `an insert over a stored offset: ${exists.name}: ${exists.message}`);
        assert.match(exists.message, /was expected to be unset, but another writer stored one/);
        assert.deepEqual(await ids('a'), [1]);
        assert.deepEqual(await offsets(), ['0=1', '1=7']);

        await conn.write(batch([changes(a, rows(2, 1))], [[1, '8', '7']]));
        assert.deepEqual(await offsets(), ['0=1', '1=8']);
        assert.deepEqual(await ids('a'), [1, 2]);
      }));
  });
}
