/**
 * The demo's source database: a small shop (customers, orders, order_lines) in schema `shop` of the
 * source PostgreSQL, and a live workload that places, pays, ships and cancels orders.
 */
import type pg from 'pg';
import type { TableSpec } from './compare.ts';
import type { Rng } from './random.ts';

export const SHOP_SCHEMA = 'shop';

export const SHOP_TABLES: readonly TableSpec[] = [
  {
    name: 'customers',
    key: ['id'],
    columns: [
      { name: 'id', kind: 'int' },
      { name: 'email', kind: 'text' },
      { name: 'name', kind: 'text' },
      { name: 'created_at', kind: 'tstz' },
    ],
  },
  {
    name: 'orders',
    key: ['id'],
    columns: [
      { name: 'id', kind: 'int' },
      { name: 'customer_id', kind: 'int' },
      { name: 'status', kind: 'text' },
      { name: 'total', kind: 'dec' },
      { name: 'placed_at', kind: 'tstz' },
      { name: 'updated_at', kind: 'tstz' },
    ],
  },
  {
    name: 'order_lines',
    key: ['order_id', 'line_no'],
    columns: [
      { name: 'order_id', kind: 'int' },
      { name: 'line_no', kind: 'int' },
      { name: 'sku', kind: 'text' },
      { name: 'qty', kind: 'int' },
      { name: 'price', kind: 'dec' },
    ],
  },
];

/** Drops and recreates the shop schema with a few customers. */
export async function createShop(db: pg.Client): Promise<void> {
  const s = SHOP_SCHEMA;
  await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await db.query(`CREATE SCHEMA ${s}`);
  await db.query(`CREATE TABLE ${s}.customers (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  await db.query(`CREATE TABLE ${s}.orders (
    id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES ${s}.customers (id),
    status text NOT NULL, total numeric(12,2) NOT NULL DEFAULT 0, placed_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz)`);
  await db.query(`CREATE TABLE ${s}.order_lines (
    order_id bigint REFERENCES ${s}.orders (id) ON DELETE CASCADE, line_no int, sku text NOT NULL,
    qty int NOT NULL, price numeric(10,2) NOT NULL, PRIMARY KEY (order_id, line_no))`);
  await db.query(`INSERT INTO ${s}.customers (email, name) SELECT 'customer' || i || '@shop.example', 'Customer ' || i FROM generate_series(1, 20) i`);
}

const SKUS = ['tea', 'coffee', 'mug', 'kettle', 'filter', 'grinder', 'beans-1kg', 'spoon'];

/** Counts of the changes one tick made. */
export interface TickStats {
  inserts: number;
  updates: number;
  deletes: number;
}

/** One step of the shop's life: a new order (sometimes a new customer), a status change, sometimes a cancellation. */
export async function shopTick(db: pg.Client, r: Rng): Promise<TickStats> {
  const s = SHOP_SCHEMA;
  const st: TickStats = { inserts: 0, updates: 0, deletes: 0 };
  await db.query('BEGIN');
  try {
    if (r.next() < 0.3) {
      const n = r.int(1, 1_000_000_000);
      const res = await db.query(`INSERT INTO ${s}.customers (email, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [`c${n}@shop.example`, `Customer ${n}`]);
      st.inserts += res.rowCount ?? 0;
    }
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO ${s}.orders (customer_id, status) SELECT id, 'placed' FROM ${s}.customers ORDER BY random() LIMIT 1 RETURNING id`,
    );
    const orderId = rows[0]!.id;
    const lines = r.int(1, 4);
    for (let l = 1; l <= lines; l++) {
      await db.query(`INSERT INTO ${s}.order_lines VALUES ($1, $2, $3, $4, $5)`, [orderId, l, r.pick(SKUS), r.int(1, 5), `${r.int(1, 99)}.${String(r.int(0, 99)).padStart(2, '0')}`]);
    }
    await db.query(`UPDATE ${s}.orders SET total = (SELECT sum(qty * price) FROM ${s}.order_lines WHERE order_id = $1) WHERE id = $1`, [orderId]);
    st.inserts += 1 + lines;
    st.updates += 1;
    const next = await db.query(
      `UPDATE ${s}.orders SET status = CASE status WHEN 'placed' THEN 'paid' ELSE 'shipped' END, updated_at = now()
        WHERE id = (SELECT id FROM ${s}.orders WHERE status IN ('placed', 'paid') AND id <> $1 ORDER BY random() LIMIT 1)`,
      [orderId],
    );
    st.updates += next.rowCount ?? 0;
    if (r.next() < 0.15) {
      const del = await db.query(`DELETE FROM ${s}.orders WHERE id = (SELECT id FROM ${s}.orders WHERE status = 'placed' ORDER BY random() LIMIT 1)`);
      st.deletes += del.rowCount ?? 0;
    }
    if (r.next() < 0.1) {
      const upd = await db.query(`UPDATE ${s}.customers SET name = name || '.' WHERE id = (SELECT id FROM ${s}.customers ORDER BY random() LIMIT 1)`);
      st.updates += upd.rowCount ?? 0;
    }
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
  return st;
}

/** Row counts per table, "-" for a table that does not exist (yet). */
export async function shopCounts(db: pg.Client, schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of SHOP_TABLES) {
    out[t.name] = await db
      .query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}"."${t.name}"`)
      .then((r) => r.rows[0]!.n)
      .catch(() => '-');
  }
  return out;
}
