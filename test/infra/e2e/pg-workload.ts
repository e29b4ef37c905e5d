/**
 * The PostgreSQL source workload: tables with every common type, a composite key, mixed-case and
 * reserved-word names, TOASTed values under REPLICA IDENTITY DEFAULT, and a change stream of
 * inserts, updates (with and without key changes), deletes, a truncate and a column added mid-stream.
 * `seed` runs before the connector starts (snapshot, op r); `stream` after (ops c/u/d/t).
 */
import type pg from 'pg';
import type { TableSpec } from './compare.ts';
import { PG_ALL_TYPES_COLUMNS, PG_ALL_TYPES_DDL, insertSql, pgAllTypesRow } from './pg-rows.ts';
import type { Rng } from './random.ts';

export const PG_TABLES: readonly TableSpec[] = [
  {
    name: 'all_types',
    key: ['id'],
    columns: [...PG_ALL_TYPES_COLUMNS, { name: 'c_added', kind: 'text' }, { name: 'c_added_num', kind: 'dec' }],
  },
  {
    name: 'order_items',
    key: ['order_id', 'line_no'],
    columns: [
      { name: 'order_id', kind: 'int' },
      { name: 'line_no', kind: 'int' },
      { name: 'sku', kind: 'text' },
      { name: 'qty', kind: 'int' },
      { name: 'price', kind: 'dec' },
    ],
  },
  {
    name: 'OrderLines',
    key: ['OrderId', 'LineNo'],
    columns: [
      { name: 'OrderId', kind: 'int' },
      { name: 'LineNo', kind: 'int' },
      { name: 'user', kind: 'text' },
      { name: 'order', kind: 'int' },
      { name: 'Note', kind: 'text' },
    ],
  },
  {
    name: 'order',
    key: ['id'],
    columns: [
      { name: 'id', kind: 'int' },
      { name: 'user', kind: 'text' },
      { name: 'select', kind: 'bool' },
      { name: 'from', kind: 'date' },
    ],
  },
  {
    name: 'user',
    key: ['Id'],
    columns: [
      { name: 'Id', kind: 'int' },
      { name: 'Name', kind: 'text' },
      { name: 'group', kind: 'text' },
    ],
  },
  {
    name: 'docs',
    key: ['id'],
    columns: [
      { name: 'id', kind: 'int' },
      { name: 'title', kind: 'text' },
      { name: 'version', kind: 'int' },
      { name: 'body', kind: 'text' },
      { name: 'meta', kind: 'json' },
      { name: 'blob', kind: 'bytes' },
      { name: 'nums', kind: 'array' },
    ],
  },
  {
    name: 'events',
    key: ['id'],
    columns: [
      { name: 'id', kind: 'int' },
      { name: 'payload', kind: 'text' },
    ],
  },
  {
    name: 'late',
    key: ['id'],
    columns: [
      { name: 'id', kind: 'int' },
      { name: 'v', kind: 'text' },
    ],
  },
  { name: 'zz_marker', key: ['id'], columns: [{ name: 'id', kind: 'int' }, { name: 'note', kind: 'text' }] },
];

export const PG_MARKER_TABLE = 'zz_marker';

const DDL = (s: string): string[] => [
  `CREATE SCHEMA "${s}"`,
  PG_ALL_TYPES_DDL(s),
  `CREATE TABLE "${s}".order_items (order_id int, line_no int, sku text NOT NULL, qty int, price numeric(10,2), PRIMARY KEY (order_id, line_no))`,
  `CREATE TABLE "${s}"."OrderLines" ("OrderId" int, "LineNo" int, "user" text, "order" int, "Note" text, PRIMARY KEY ("OrderId", "LineNo"))`,
  `CREATE TABLE "${s}"."order" (id int PRIMARY KEY, "user" text, "select" boolean, "from" date)`,
  `CREATE TABLE "${s}"."user" ("Id" bigint PRIMARY KEY, "Name" varchar(50), "group" text)`,
  // REPLICA IDENTITY DEFAULT: updates that do not touch a TOASTed value carry Debezium's placeholder.
  `CREATE TABLE "${s}".docs (id int PRIMARY KEY, title text, version int, body text, meta jsonb, blob bytea, nums int[])`,
  `ALTER TABLE "${s}".docs ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN blob SET STORAGE EXTERNAL`,
  `CREATE TABLE "${s}".events (id int PRIMARY KEY, payload text)`,
  // No rows until the last phase: the target table does not exist when its first events arrive.
  `CREATE TABLE "${s}".late (id int PRIMARY KEY, v text)`,
  `CREATE TABLE "${s}".zz_marker (id int PRIMARY KEY, note text)`,
];

/** A value > 8 kB that PostgreSQL stores out of line (TOAST). */
function bigDoc(r: Rng, id: number, version: number): unknown[] {
  const meta = JSON.stringify({ id, version, words: r.text(9000).split(' ') });
  const nums = Array.from({ length: 2500 }, () => r.int(-2_000_000_000, 2_000_000_000));
  return [id, `doc ${id}`, version, r.text(12_000), meta, r.bytes(10_000), nums];
}
const DOC_COLUMNS = ['id', 'title', 'version', 'body', 'meta', 'blob', 'nums'];

async function insertAllTypes(db: pg.Client, s: string, r: Rng, ids: readonly number[]): Promise<void> {
  const cols = PG_ALL_TYPES_COLUMNS.map((c) => c.name);
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    await db.query(insertSql(`"${s}".all_types`, cols, chunk.length), chunk.flatMap((id) => pgAllTypesRow(r, id)));
  }
}

async function insertDocs(db: pg.Client, s: string, r: Rng, ids: readonly number[]): Promise<void> {
  for (const id of ids) await db.query(insertSql(`"${s}".docs`, DOC_COLUMNS, 1), bigDoc(r, id, 1));
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_v, i) => from + i);

/** Creates the schema and its tables and writes the rows the snapshot will read. */
export async function seedPg(db: pg.Client, s: string, r: Rng): Promise<void> {
  for (const sql of DDL(s)) await db.query(sql);
  await insertAllTypes(db, s, r, range(1, 60));
  await insertDocs(db, s, r, [1, 2, 3]);
  await db.query(`INSERT INTO "${s}".order_items SELECT o, l, 'sku-' || o || '-' || l, l, (o * 10 + l) / 4.0 FROM generate_series(1, 10) o, generate_series(1, 3) l`);
  await db.query(`INSERT INTO "${s}"."OrderLines" SELECT o, l, 'user ' || o, o * 100, NULL FROM generate_series(1, 5) o, generate_series(1, 2) l`);
  await db.query(`INSERT INTO "${s}"."order" VALUES (1, 'alice', true, '2024-01-01'), (2, 'bob', false, NULL)`);
  await db.query(`INSERT INTO "${s}"."user" VALUES (1, 'Alice', 'admins'), (2, 'Bob', NULL)`);
  await db.query(`INSERT INTO "${s}".events SELECT i, 'before truncate ' || i FROM generate_series(1, 20) i`);
}

function helpers(db: pg.Client) {
  const q = (sql: string, params?: unknown[]) => db.query(sql, params);
  const tx = async (fn: () => Promise<void>) => {
    await q('BEGIN');
    await fn();
    await q('COMMIT');
  };
  return { q, tx };
}

/** Phase 1, into the running sink: every kind of row change and a column added mid-stream. */
export async function livePg(db: pg.Client, s: string, r: Rng): Promise<void> {
  const { q, tx } = helpers(db);
  // inserts, in one big transaction and in small ones
  await tx(() => insertAllTypes(db, s, r, range(61, 260)));
  for (const id of range(261, 280)) await insertAllTypes(db, s, r, [id]);
  await insertDocs(db, s, r, range(4, 10));

  // updates that keep the key: several columns, to NULL, no-op updates
  await q(`UPDATE "${s}".all_types SET c_text = c_text || ' upd', c_num = c_num + 1, c_bool = NOT c_bool, c_ts = c_ts + interval '1 second' WHERE id % 4 = 1 AND id > 3`);
  await q(`UPDATE "${s}".all_types SET c_json = NULL, c_int_arr = NULL, c_mood = NULL WHERE id % 9 = 0`);
  await q(`UPDATE "${s}".all_types SET c_int4 = c_int4 WHERE id % 10 = 2`);
  await q(`UPDATE "${s}".all_types SET c_jsonb = '{"updated": true}', c_text_arr = '{x,y}', c_interval = '2 hours' WHERE id BETWEEN 100 AND 120`);
  // updates that change the key
  await q(`UPDATE "${s}".all_types SET id = id + 100000 WHERE id % 13 = 0`);
  await q(`UPDATE "${s}".order_items SET line_no = line_no + 10 WHERE order_id IN (2, 4)`);
  await q(`UPDATE "${s}"."OrderLines" SET "LineNo" = 9, "Note" = 'moved' WHERE "OrderId" = 3 AND "LineNo" = 1`);
  // deletes; delete + reinsert of a key; insert + delete within one transaction
  await q(`DELETE FROM "${s}".all_types WHERE id % 7 = 3`);
  await tx(async () => {
    await q(`DELETE FROM "${s}".all_types WHERE id = 5`);
    await insertAllTypes(db, s, r, [5]);
  });
  await tx(async () => {
    await insertAllTypes(db, s, r, [9001]);
    await q(`UPDATE "${s}".all_types SET c_text = 'short-lived' WHERE id = 9001`);
    await q(`DELETE FROM "${s}".all_types WHERE id = 9001`);
  });
  await q(`UPDATE "${s}".order_items SET qty = qty * 2, price = price + 0.01 WHERE order_id % 2 = 1`);
  await q(`DELETE FROM "${s}".order_items WHERE order_id = 7`);

  // TOAST: updates that do not touch the out-of-line values must keep them in the target
  await q(`UPDATE "${s}".docs SET title = title || ' (edited)', version = version + 1 WHERE id IN (1, 2, 4, 5, 6)`);
  await q(`UPDATE "${s}".docs SET body = $1 WHERE id = 5`, [r.text(15_000)]);
  await q(`UPDATE "${s}".docs SET version = version + 1 WHERE id = 5`);
  await tx(async () => {
    await insertDocs(db, s, r, [11]);
    await q(`UPDATE "${s}".docs SET title = 'inserted then edited' WHERE id = 11`);
  });
  await q(`UPDATE "${s}".docs SET version = version + 10 WHERE id IN (1, 7)`);
  await q(`DELETE FROM "${s}".docs WHERE id = 3`);
  await q(`UPDATE "${s}".all_types SET c_int2 = 7 WHERE id = 1`);

  // reserved words and mixed case
  await q(`INSERT INTO "${s}"."order" VALUES (3, 'carol', NULL, '2024-02-29')`);
  await q(`UPDATE "${s}"."order" SET "select" = NOT "select", "user" = 'ALICE' WHERE id = 1`);
  await q(`DELETE FROM "${s}"."order" WHERE id = 2`);
  await q(`INSERT INTO "${s}"."user" VALUES (3, 'Zoë', 'users'), (4, 'Dan', 'users')`);
  await q(`UPDATE "${s}"."user" SET "group" = 'staff' WHERE "Id" IN (2, 3)`);
  await q(`INSERT INTO "${s}"."OrderLines" VALUES (6, 1, 'user 6', 600, 'new')`);
  await q(`DELETE FROM "${s}"."OrderLines" WHERE "OrderId" = 1`);

  // a column added mid-stream, then writes that use it
  await q(`ALTER TABLE "${s}".all_types ADD COLUMN c_added text, ADD COLUMN c_added_num numeric(8,2)`);
  await q(`UPDATE "${s}".all_types SET c_added = 'added ' || id, c_added_num = id / 7.0 WHERE id % 3 = 0`);
  await insertAllTypes(db, s, r, range(300, 310));
  await q(`UPDATE "${s}".all_types SET c_added = 'fresh', c_added_num = 12.5 WHERE id BETWEEN 300 AND 305`);
  await q(`UPDATE "${s}".all_types SET c_int8 = -1 WHERE id = 2`);
}

/**
 * Phase 2, while the sink is stopped: on restart it gets these as one backlog, so an insert and the
 * later TOAST-placeholder updates of the same row meet in one batch.
 */
export async function stoppedPg(db: pg.Client, s: string, r: Rng): Promise<void> {
  const { q, tx } = helpers(db);
  await insertAllTypes(db, s, r, range(400, 449));
  await q(`UPDATE "${s}".all_types SET c_added = 'while stopped', c_double = c_double * 2 WHERE id BETWEEN 400 AND 420 OR id % 11 = 0`);
  await q(`DELETE FROM "${s}".all_types WHERE id BETWEEN 430 AND 435 OR id % 19 = 0`);
  await q(`UPDATE "${s}".all_types SET id = id + 200000 WHERE id BETWEEN 440 AND 444`);
  await insertDocs(db, s, r, [20, 21]);
  await q(`UPDATE "${s}".docs SET title = 'edited while stopped', version = version + 1 WHERE id IN (1, 20, 21)`);
  await q(`UPDATE "${s}".docs SET version = version + 1 WHERE id = 20`);
  await tx(async () => {
    await q(`UPDATE "${s}".order_items SET order_id = order_id + 100 WHERE order_id = 1`);
    await q(`INSERT INTO "${s}".order_items VALUES (1, 1, 'reused key', 1, 0.99)`);
  });
  await q(`UPDATE "${s}"."user" SET "Name" = NULL WHERE "Id" = 1`);
}

/** Phase 3, while the sink is stopped: truncates between inserts, on tables old and new to the target. */
export async function truncatePg(db: pg.Client, s: string): Promise<void> {
  const { q } = helpers(db);
  await q(`INSERT INTO "${s}".events SELECT i, 'before truncate ' || i FROM generate_series(21, 40) i`);
  await q(`TRUNCATE "${s}".events`);
  await q(`INSERT INTO "${s}".events SELECT i, 'after truncate ' || i FROM generate_series(41, 65) i`);
  await q(`UPDATE "${s}".events SET payload = payload || ' (upd)' WHERE id % 5 = 0`);
  await q(`INSERT INTO "${s}".late SELECT i, 'first ' || i FROM generate_series(1, 15) i`);
  await q(`TRUNCATE "${s}".late`);
  await q(`INSERT INTO "${s}".late SELECT i, 'second ' || i FROM generate_series(16, 30) i`);
}

/** The last change of a phase: its arrival in the target means every earlier change was produced. */
export async function markPg(db: pg.Client, s: string, phase: number): Promise<void> {
  await db.query(`INSERT INTO "${s}".zz_marker VALUES ($1, 'done')`, [phase]);
}
