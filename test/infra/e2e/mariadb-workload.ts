/**
 * The MariaDB source workload, the counterpart of pg-workload.ts: every common MariaDB type, a
 * composite key, mixed-case and reserved-word names, large texts, and phases of inserts, updates (with
 * and without key changes), deletes, a column added mid-stream, changes while the sink is stopped and
 * truncates. All statements run with time_zone +00:00.
 */
import type mysql from 'mysql2/promise';
import type { TableSpec } from './compare.ts';
import { MARIADB_ALL_TYPES_COLUMNS, MARIADB_ALL_TYPES_DDL, mariadbAllTypesRow, mysqlInsertSql } from './mariadb-rows.ts';
import type { Rng } from './random.ts';

export const MARIADB_TABLES: readonly TableSpec[] = [
  {
    name: 'all_types',
    key: ['id'],
    columns: [...MARIADB_ALL_TYPES_COLUMNS, { name: 'c_added', kind: 'text' }, { name: 'c_added_num', kind: 'dec' }],
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
      { name: 'select', kind: 'int' },
      { name: 'from', kind: 'date' },
    ],
  },
  { name: 'user', key: ['Id'], columns: [{ name: 'Id', kind: 'int' }, { name: 'Name', kind: 'text' }, { name: 'group', kind: 'text' }] },
  { name: 'events', key: ['id'], columns: [{ name: 'id', kind: 'int' }, { name: 'payload', kind: 'text' }] },
  { name: 'late', key: ['id'], columns: [{ name: 'id', kind: 'int' }, { name: 'v', kind: 'text' }] },
  { name: 'zz_marker', key: ['id'], columns: [{ name: 'id', kind: 'int' }, { name: 'note', kind: 'text' }] },
];

export const MARIADB_MARKER_TABLE = 'zz_marker';

const DDL: readonly string[] = [
  MARIADB_ALL_TYPES_DDL,
  'CREATE TABLE order_items (order_id INT, line_no INT, sku VARCHAR(40) NOT NULL, qty INT, price DECIMAL(10,2), PRIMARY KEY (order_id, line_no))',
  'CREATE TABLE `OrderLines` (`OrderId` INT, `LineNo` INT, `user` VARCHAR(40), `order` INT, `Note` TEXT, PRIMARY KEY (`OrderId`, `LineNo`))',
  'CREATE TABLE `order` (id INT PRIMARY KEY, `user` VARCHAR(40), `select` TINYINT(1), `from` DATE)',
  'CREATE TABLE `user` (`Id` BIGINT PRIMARY KEY, `Name` VARCHAR(50), `group` VARCHAR(40))',
  'CREATE TABLE events (id INT PRIMARY KEY, payload VARCHAR(100))',
  'CREATE TABLE late (id INT PRIMARY KEY, v VARCHAR(100))',
  'CREATE TABLE zz_marker (id INT PRIMARY KEY, note VARCHAR(20))',
];

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_v, i) => from + i);

async function insertAllTypes(db: mysql.Connection, r: Rng, ids: readonly number[]): Promise<void> {
  const cols = MARIADB_ALL_TYPES_COLUMNS.map((c) => c.name);
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    await db.query(mysqlInsertSql('all_types', cols, chunk.length), chunk.flatMap((id) => mariadbAllTypesRow(r, id)));
  }
}

function helpers(db: mysql.Connection) {
  const q = (sql: string, params?: unknown[]) => db.query(sql, params);
  const tx = async (fn: () => Promise<void>) => {
    await db.beginTransaction();
    await fn();
    await db.commit();
  };
  return { q, tx };
}

/** Creates the tables (in the session's database) and the rows the snapshot reads. */
export async function seedMariadb(db: mysql.Connection, r: Rng): Promise<void> {
  const { q } = helpers(db);
  for (const sql of DDL) await q(sql);
  await insertAllTypes(db, r, range(1, 60));
  for (let o = 1; o <= 10; o++) for (let l = 1; l <= 3; l++) await q('INSERT INTO order_items VALUES (?, ?, ?, ?, ?)', [o, l, `sku-${o}-${l}`, l, ((o * 10 + l) / 4).toFixed(2)]);
  for (let o = 1; o <= 5; o++) for (let l = 1; l <= 2; l++) await q('INSERT INTO `OrderLines` VALUES (?, ?, ?, ?, NULL)', [o, l, `user ${o}`, o * 100]);
  await q("INSERT INTO `order` VALUES (1, 'alice', 1, '2024-01-01'), (2, 'bob', 0, NULL)");
  await q("INSERT INTO `user` VALUES (1, 'Alice', 'admins'), (2, 'Bob', NULL)");
  await q(`INSERT INTO events VALUES ${range(1, 20).map((i) => `(${i}, 'seed ${i}')`).join(', ')}`);
}

/** Phase 1, into the running sink. */
export async function liveMariadb(db: mysql.Connection, r: Rng): Promise<void> {
  const { q, tx } = helpers(db);
  await tx(() => insertAllTypes(db, r, range(61, 260)));
  for (const id of range(261, 280)) await insertAllTypes(db, r, [id]);
  await q("UPDATE all_types SET c_text = CONCAT(c_text, ' upd'), c_dec = c_dec + 1, c_bool = 1 - c_bool, c_datetime = c_datetime + INTERVAL 1 SECOND WHERE id % 4 = 1 AND id > 3 AND c_datetime < '9000-01-01'");
  await q('UPDATE all_types SET c_json = NULL, c_set = NULL, c_enum = NULL WHERE id % 9 = 0');
  await q("UPDATE all_types SET c_json = '{\"updated\": true}', c_set = 'b', c_bit = 170, c_timestamp = '2020-02-02 02:02:02.020202' WHERE id BETWEEN 100 AND 120");
  await q("UPDATE all_types SET c_big = CONCAT(c_big, 'tail') WHERE id % 20 = 0");
  await q('UPDATE all_types SET id = id + 100000 WHERE id % 13 = 0');
  await q('UPDATE order_items SET line_no = line_no + 10 WHERE order_id IN (2, 4)');
  await q("UPDATE `OrderLines` SET `LineNo` = 9, `Note` = 'moved' WHERE `OrderId` = 3 AND `LineNo` = 1");
  await q('DELETE FROM all_types WHERE id % 7 = 3');
  await tx(async () => {
    await q('DELETE FROM all_types WHERE id = 5');
    await insertAllTypes(db, r, [5]);
  });
  await tx(async () => {
    await insertAllTypes(db, r, [9001]);
    await q("UPDATE all_types SET c_text = 'short-lived' WHERE id = 9001");
    await q('DELETE FROM all_types WHERE id = 9001');
  });
  await q('UPDATE order_items SET qty = qty * 2, price = price + 0.01 WHERE order_id % 2 = 1');
  await q('DELETE FROM order_items WHERE order_id = 7');
  await q("INSERT INTO `order` VALUES (3, 'carol', NULL, '2024-02-29')");
  await q("UPDATE `order` SET `select` = 1 - `select`, `user` = 'ALICE' WHERE id = 1");
  await q('DELETE FROM `order` WHERE id = 2');
  await q("INSERT INTO `user` VALUES (3, 'Zoë', 'users'), (4, 'Dan', 'users')");
  await q("UPDATE `user` SET `group` = 'staff' WHERE `Id` IN (2, 3)");
  await q("INSERT INTO `OrderLines` VALUES (6, 1, 'user 6', 600, 'new')");
  await q('DELETE FROM `OrderLines` WHERE `OrderId` = 1');
  await q('ALTER TABLE all_types ADD COLUMN c_added VARCHAR(100) NULL, ADD COLUMN c_added_num DECIMAL(8,2) NULL');
  await q("UPDATE all_types SET c_added = CONCAT('added ', id), c_added_num = id / 7 WHERE id % 3 = 0");
  await insertAllTypes(db, r, range(300, 310));
  await q("UPDATE all_types SET c_added = 'fresh', c_added_num = 12.5 WHERE id BETWEEN 300 AND 305");
}

/** Phase 2, while the sink is stopped. */
export async function stoppedMariadb(db: mysql.Connection, r: Rng): Promise<void> {
  const { q, tx } = helpers(db);
  await insertAllTypes(db, r, range(400, 449));
  await q("UPDATE all_types SET c_added = 'while stopped', c_double = c_double * 2 WHERE id BETWEEN 400 AND 420 OR id % 11 = 0");
  await q('DELETE FROM all_types WHERE id BETWEEN 430 AND 435 OR id % 19 = 0');
  await q('UPDATE all_types SET id = id + 200000 WHERE id BETWEEN 440 AND 444');
  await tx(async () => {
    await q('UPDATE order_items SET order_id = order_id + 100 WHERE order_id = 1');
    await q("INSERT INTO order_items VALUES (1, 1, 'reused key', 1, 0.99)");
  });
  await q('UPDATE `user` SET `Name` = NULL WHERE `Id` = 1');
}

/** Phase 3, while the sink is stopped: truncates between inserts, on tables old and new to the target. */
export async function truncateMariadb(db: mysql.Connection): Promise<void> {
  const { q } = helpers(db);
  await q(`INSERT INTO events VALUES ${range(21, 40).map((i) => `(${i}, 'before truncate ${i}')`).join(', ')}`);
  await q('TRUNCATE TABLE events');
  await q(`INSERT INTO events VALUES ${range(41, 65).map((i) => `(${i}, 'after truncate ${i}')`).join(', ')}`);
  await q("UPDATE events SET payload = CONCAT(payload, ' (upd)') WHERE id % 5 = 0");
  await q(`INSERT INTO late VALUES ${range(1, 15).map((i) => `(${i}, 'first ${i}')`).join(', ')}`);
  await q('TRUNCATE TABLE late');
  await q(`INSERT INTO late VALUES ${range(16, 30).map((i) => `(${i}, 'second ${i}')`).join(', ')}`);
}

export async function markMariadb(db: mysql.Connection, phase: number): Promise<void> {
  await db.query("INSERT INTO zz_marker VALUES (?, 'done')", [phase]);
}
