/**
 * Server-side prepared statements of the PostgreSQL connector (target.preparedStatements) against
 * the real server: each data statement is parsed once per connection and executed many times, the
 * cap holds, 0 prepares nothing, and a prepared statement survives the table being altered or
 * re-created under it (PostgreSQL re-plans it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { TableDescription, WriteBatch } from '../../connectors/contract.ts';
import type { ColumnSchema } from '../../connectors/core/column-type.ts';
import { ErrorCodes, TargetError } from '../../connectors/core/errors.ts';
import { newRow, type Row } from '../../connectors/core/value.ts';
import { createPostgresConnector, type PostgresConnector } from '../../connectors/postgres/index.ts';

const URL = process.env.CDC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'it_pg_prepared';
const admin = new pg.Client({ connectionString: URL });

const columns: ColumnSchema[] = [
  { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
  { name: 'name', type: { kind: 'string' }, optional: true },
];

interface Prepared {
  statement: string;
  executions: number;
}

/**
 * The connector's pool (a private field): with one connection, what it runs shares the session of the
 * writes, whose prepared statements pg_prepared_statements shows only to that session.
 */
function sessionsOf(conn: PostgresConnector): { query<R extends pg.QueryResultRow>(text: string): Promise<pg.QueryResult<R>> } {
  return (conn as unknown as { sessions: ReturnType<typeof sessionsOf> }).sessions;
}

/** The statements prepared on the connector's only connection, in the order they were prepared. */
async function preparedOn(conn: PostgresConnector): Promise<Prepared[]> {
  const res = await sessionsOf(conn).query<{ statement: string; executions: string }>(
    "SELECT statement, (generic_plans + custom_plans)::text AS executions FROM pg_prepared_statements WHERE name LIKE 'cdc\\_sink\\_%' ORDER BY prepare_time",
  );
  return res.rows.map((r) => ({ statement: r.statement, executions: Number(r.executions) }));
}

function rows(from: number, count: number): Row[] {
  return Array.from({ length: count }, (_v, i) => Object.assign(newRow(), { id: from + i, name: `n${from + i}` }));
}

interface Setup {
  readonly preparedStatements?: number;
  readonly poolSize?: number;
}

async function connector({ preparedStatements, poolSize = 1 }: Setup): Promise<{ conn: PostgresConnector; d: TableDescription }> {
  const conn = createPostgresConnector({ url: URL, schema: SCHEMA, applicationName: 'it_pg_prepared', poolSize, preparedStatements });
  await conn.connect();
  const table = { schema: null, name: 'people' };
  await conn.executeDdl([conn.dialect.createTable(table, columns, ['id'])]);
  const d = await conn.describeTable(table);
  assert.ok(d);
  return { conn, d };
}

/** Runs fn with a fresh schema and a connector (one connection unless said), closed afterwards. */
async function withConnector(setup: Setup, fn: (conn: PostgresConnector, d: TableDescription) => Promise<void>): Promise<void> {
  await reset();
  const { conn, d } = await connector(setup);
  try {
    await fn(conn, d);
  } finally {
    await conn.close();
  }
}

function batch(d: TableDescription, upserts: Row[], deletes: Row[], nextOffset: string, expected: string | null, partition = 0): WriteBatch {
  return {
    groupId: 'g',
    tables: [{ table: d.table, description: d, columns, keyColumns: ['id'], mode: 'upsert', truncate: false, deletes, upserts }],
    offsets: [{ topic: 't', partition, nextOffset, expected }],
  };
}

async function ids(): Promise<number[]> {
  return (await admin.query<{ id: number }>(`SELECT id FROM ${SCHEMA}.people ORDER BY id`)).rows.map((r) => r.id);
}

async function reset(): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
}

before(async () => {
  await admin.connect();
  await reset();
});

after(async () => {
  await reset();
  await admin.end();
});

void describe('postgres connector: prepared statements', () => {
  void test('each statement is prepared once per connection and executed by every batch, whatever its row count', () =>
    withConnector({}, async (conn, d) => {
      await conn.write(batch(d, rows(1, 3), [], '3', null));
      await conn.write(batch(d, rows(4, 7), [], '10', '3'));
      await conn.write(batch(d, rows(11, 50), rows(1, 2), '60', '10'));
      await conn.write(batch(d, rows(61, 1), rows(3, 1), '61', '60'));
      const prepared = await preparedOn(conn);
      const upsert = prepared.filter((p) => p.statement.startsWith(`INSERT INTO "${SCHEMA}"."people"`));
      const del = prepared.filter((p) => p.statement.startsWith(`DELETE FROM "${SCHEMA}"."people"`));
      const moves = prepared.filter((p) => p.statement.startsWith('WITH moved AS (UPDATE'));
      assert.deepEqual(upsert.map((p) => p.executions), [4], 'one upsert statement, run by all four batches');
      assert.deepEqual(del.map((p) => p.executions), [2]);
      assert.deepEqual(moves.map((p) => p.executions), [3], 'one offset move, run by the three batches after the first');
      assert.equal(prepared.length, 4, 'upsert, delete, offset insert and offset move');
      assert.deepEqual(await ids(), Array.from({ length: 58 }, (_v, i) => i + 4), 'ids 1-3 deleted, 4-61 upserted');
    }));

  void test('only the first preparedStatements texts are prepared; later statements are sent unprepared and still applied', () =>
    withConnector({ preparedStatements: 1 }, async (conn, d) => {
      await conn.write(batch(d, rows(1, 2), [], '2', null));
      await conn.write(batch(d, rows(3, 2), rows(1, 1), '4', '2'));
      const prepared = await preparedOn(conn);
      assert.equal(prepared.length, 1);
      assert.ok(prepared[0]?.statement.startsWith(`INSERT INTO "${SCHEMA}"."people"`));
      assert.equal(prepared[0]?.executions, 2);
      assert.deepEqual(await ids(), [2, 3, 4]);
      assert.deepEqual(await conn.readOffsets('g'), [{ topic: 't', partition: 0, nextOffset: '4' }]);
    }));

  void test('preparedStatements 0 prepares nothing', () =>
    withConnector({ preparedStatements: 0 }, async (conn, d) => {
      await conn.write(batch(d, rows(1, 2), rows(5, 1), '2', null));
      await conn.write(batch(d, rows(3, 2), [], '4', '2'));
      assert.deepEqual(await preparedOn(conn), []);
      assert.deepEqual(await ids(), [1, 2, 3, 4]);
    }));

  void test('sessions that lose their prepared statements (a pooler in transaction mode): one retriable failure, then unprepared', () =>
    withConnector({}, async (conn, d) => {
      await conn.write(batch(d, rows(1, 2), [], '2', null));
      assert.ok((await preparedOn(conn)).length > 0);
      // What PgBouncer in transaction mode does to a client: the next transaction runs on a server
      // session without the statements the client prepared. DEALLOCATE ALL on the only connection.
      await sessionsOf(conn).query('DEALLOCATE ALL');
      const err = await conn.write(batch(d, rows(3, 2), [], '4', '2')).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof TargetError, String(err));
      assert.equal(err.kind, 'retriable');
      assert.equal(err.code, ErrorCodes.TARGET_RETRIABLE);
      assert.match(err.message, /SQLSTATE 26000.*sent unprepared from now on/);
      await conn.write(batch(d, rows(3, 2), [], '4', '2'));
      await conn.write(batch(d, rows(5, 2), rows(1, 1), '6', '4'));
      assert.deepEqual(await preparedOn(conn), [], 'nothing prepared any more');
      assert.deepEqual(await ids(), [2, 3, 4, 5, 6]);
      assert.deepEqual(await conn.readOffsets('g'), [{ topic: 't', partition: 0, nextOffset: '6' }]);
    }));

  void test('batches in flight on several connections when the statements are lost all fail as retriable, then go through unprepared', () =>
    withConnector({ poolSize: 2 }, async (conn, d) => {
      // Two writes at once: each connection of the pool prepares the statements.
      await Promise.all([conn.write(batch(d, rows(1, 2), [], '2', null, 0)), conn.write(batch(d, rows(3, 2), [], '2', null, 1))]);
      // A query on each connection: two at once, each holding its session for a moment (pg_sleep).
      const onBoth = (text: string) => Promise.all([0, 1].map(() => sessionsOf(conn).query<{ n: number }>(text)));
      const counts = await onBoth("SELECT count(*)::int AS n FROM pg_prepared_statements, pg_sleep(0.3) WHERE name LIKE 'cdc\\_sink\\_%'");
      assert.ok(counts.every((r) => (r.rows[0]?.n ?? 0) > 0), `both connections prepared: ${JSON.stringify(counts.map((r) => r.rows))}`);
      await onBoth('DEALLOCATE ALL; SELECT pg_sleep(0.3)');
      const outcomes = await Promise.allSettled([conn.write(batch(d, rows(5, 1), [], '3', '2', 0)), conn.write(batch(d, rows(6, 1), [], '3', '2', 1))]);
      for (const o of outcomes) {
        assert.equal(o.status, 'rejected');
        const err: unknown = o.status === 'rejected' ? o.reason : null;
        assert.ok(err instanceof TargetError, String(err));
        assert.equal(err.kind, 'retriable', err.message);
      }
      await Promise.all([conn.write(batch(d, rows(5, 1), [], '3', '2', 0)), conn.write(batch(d, rows(6, 1), [], '3', '2', 1))]);
      assert.deepEqual(await ids(), [1, 2, 3, 4, 5, 6]);
    }));

  void test('a prepared statement keeps working when its table gains a column or is dropped and re-created', () =>
    withConnector({}, async (conn, d) => {
      await conn.write(batch(d, rows(1, 2), [], '2', null));
      await admin.query(`ALTER TABLE ${SCHEMA}.people ADD COLUMN extra text DEFAULT 'x'`);
      await conn.write(batch(d, rows(3, 2), [], '4', '2'));
      const extra = await admin.query<{ extra: string }>(`SELECT extra FROM ${SCHEMA}.people WHERE id = 4`);
      assert.equal(extra.rows[0]?.extra, 'x');
      await admin.query(`DROP TABLE ${SCHEMA}.people`);
      await conn.executeDdl([conn.dialect.createTable(d.table, columns, ['id'])]);
      await conn.write(batch(d, rows(10, 3), [], '7', '4'));
      assert.deepEqual(await ids(), [10, 11, 12]);
      const upsert = (await preparedOn(conn)).filter((p) => p.statement.startsWith(`INSERT INTO "${SCHEMA}"."people"`));
      assert.deepEqual(upsert.map((p) => p.executions), [3], 'the same prepared statement, re-planned by the server');
    }));
});
