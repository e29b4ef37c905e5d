/**
 * The PostgreSQL connector's batch transaction, pipelined (target.pipeline, the default) and in turn,
 * against the real server behind a counting TCP relay: a pipelined batch is one round trip whatever
 * its statements; a statement failing in the middle still names its table and leaves nothing, the
 * offsets included; an offset moved by another writer fails the batch inside the transaction; and
 * the connection serves the next batch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { TableDescription } from '../../connectors/contract.ts';
import { OffsetConflictError, TargetError } from '../../connectors/core/errors.ts';
import { createPostgresConnector, type PostgresConnector } from '../../connectors/postgres/index.ts';
import { rejection } from '../contract/harness.ts';
import { CountingRelay } from '../support/counting-relay.ts';
import { GROUP, batch, changes, rows } from '../support/id-code-batches.ts';
import { PG_URL } from '../support/postgres.ts';

const SCHEMA = 'it_pg_pipeline';
const admin = new pg.Client({ connectionString: PG_URL });

async function ids(table: string): Promise<number[]> {
  return (await admin.query<{ id: number }>(`SELECT id FROM ${SCHEMA}.${table} ORDER BY id`)).rows.map((r) => r.id);
}

async function offsets(): Promise<string[]> {
  const res = await admin.query<{ p: number; o: string }>(
    `SELECT kafka_partition AS p, next_offset::text AS o FROM ${SCHEMA}.cdc_sink_offsets WHERE consumer_group = $1 ORDER BY 1`,
    [GROUP],
  );
  return res.rows.map((r) => `${r.p}=${r.o}`);
}

interface Fixture {
  relay: CountingRelay;
  conn: PostgresConnector;
  a: TableDescription;
  b: TableDescription;
}

/** Fresh tables a and b (code varchar(3)), a connector with one connection through the relay, warmed up. */
async function fixture(pipeline: boolean): Promise<Fixture> {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  for (const t of ['a', 'b']) await admin.query(`CREATE TABLE ${SCHEMA}.${t} (id int PRIMARY KEY, code varchar(3))`);
  const relay = new CountingRelay(new URL(PG_URL), 5432);
  const conn = createPostgresConnector({ url: await relay.listen(), schema: SCHEMA, poolSize: 1, pipeline });
  await conn.connect();
  const a = await conn.describeTable({ schema: null, name: 'a' });
  const b = await conn.describeTable({ schema: null, name: 'b' });
  assert.ok(a && b);
  // The session's setup and the first statements' Parse happen here, not in what a test counts.
  await conn.write(batch([changes(a, rows(1, 1)), changes(b, rows(1, 1))], [[0, '1', null], [1, '1', null]]));
  return { relay, conn, a, b };
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
  await admin.connect();
});

after(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
});

for (const pipeline of [true, false]) {
  void describe(`postgres connector: the batch transaction, ${pipeline ? 'pipelined' : 'in turn'}`, () => {
    void test(`two tables and two offsets take ${pipeline ? 'one round trip' : 'one round trip per statement (6)'}`, () =>
      withFixture(pipeline, async ({ relay, conn, a, b }) => {
        relay.roundTrips = 0;
        await conn.write(batch([changes(a, rows(2, 3)), changes(b, rows(2, 2))], [[0, '4', '1'], [1, '3', '1']]));
        // BEGIN, a's upsert, b's upsert, two offset moves, COMMIT.
        assert.equal(relay.roundTrips, pipeline ? 1 : 6);
        assert.deepEqual(await ids('a'), [1, 2, 3, 4]);
        assert.deepEqual(await ids('b'), [1, 2, 3]);
        assert.deepEqual(await offsets(), ['0=4', '1=3']);
      }));

    void test('a statement failing in the middle names its table and its cause, and nothing of the batch stays', () =>
      withFixture(pipeline, async ({ conn, a, b }) => {
        const err = await rejection(() =>
          conn.write(batch([changes(a, rows(2, 3)), changes(b, rows(2, 2, 'toolong'))], [[0, '4', '1'], [1, '3', '1']])),
        );
        assert.ok(err instanceof TargetError, `${err.name}: ${err.message}`);
        assert.equal(err.kind, 'data', err.message);
        assert.equal(err.table, `${SCHEMA}.b`);
        assert.match(err.message, new RegExp(`^writing 2 rows to ${SCHEMA}\\.b: .*too long.*\\(SQLSTATE 22001\\)`));
        assert.deepEqual(await ids('a'), [1], "a's rows, written before the failure, are rolled back");
        assert.deepEqual(await offsets(), ['0=1', '1=1']);

        // The same connection writes the next batch.
        await conn.write(batch([changes(a, rows(2, 3)), changes(b, rows(2, 2))], [[0, '4', '1'], [1, '3', '1']]));
        assert.deepEqual(await ids('a'), [1, 2, 3, 4]);
        assert.deepEqual(await offsets(), ['0=4', '1=3']);
      }));

    void test('an offset another writer moved fails the batch with OffsetConflictError, inside the transaction', () =>
      withFixture(pipeline, async ({ conn, a, b }) => {
        await admin.query(`UPDATE ${SCHEMA}.cdc_sink_offsets SET next_offset = 7 WHERE kafka_partition = 1`);
        const moved = await rejection(() =>
          conn.write(batch([changes(a, rows(2, 3)), changes(b, rows(2, 2))], [[0, '4', '1'], [1, '3', '1']])),
        );
        assert.ok(moved instanceof OffsetConflictError, `${moved.name}: ${moved.message}`);
        assert.match(moved.message, /^storing the next offset 3 of t\[1\] for group g: expected stored next offset 1, but another writer moved it/);
        assert.deepEqual(await ids('a'), [1]);
        assert.deepEqual(await ids('b'), [1]);
        assert.deepEqual(await offsets(), ['0=1', '1=7']);

        const exists = await rejection(() => conn.write(batch([changes(a, rows(9, 1))], [[0, '5', null]])));
        assert.ok(exists instanceof OffsetConflictError, `an insert over a stored offset: ${exists.name}: ${exists.message}`);
        assert.match(exists.message, /expected no stored offset/);
        assert.deepEqual(await ids('a'), [1]);

        await conn.write(batch([changes(a, rows(2, 1))], [[1, '8', '7']]));
        assert.deepEqual(await offsets(), ['0=1', '1=8']);
        assert.deepEqual(await ids('a'), [1, 2]);
      }));
  });
}
