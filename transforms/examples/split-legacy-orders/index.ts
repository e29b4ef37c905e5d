/**
 * split-legacy-orders: one legacy table becomes two. The legacy `orders` table carries its
 * customer's columns on every order:
 *
 *   orders(order_id PK, customer_id, customer_name, customer_email, ordered_at, total)
 *     -> orders(order_id PK, customer_id, ordered_at, total)
 *     -> customers(customer_id PK, name, email)
 *
 * Upserts give two upserts: the customer first, then the order (the order references it). An
 * order without customer_id (a guest checkout) gives only the order.
 *
 * Deletes give deletes in both tables where the key allows. A delete carries the order's key; the
 * customer's key (customer_id) is known only from a before image (PostgreSQL REPLICA IDENTITY FULL,
 * MySQL binlog_row_image=FULL). The choice made here: with customerDeletes: when-known (default) the
 * customer row is deleted too when the before image names it, which is right when each legacy row
 * is the only row of its customer; set customerDeletes: never when customers have several orders
 * (deleting one order must not delete the customer). Truncates reach only `orders`.
 */
import { defineTransform, findColumn, hasCell, pickRow, renameInRow, rowOf, withTable, z } from '../../sdk/index.ts';
import type { Cell, ChangeEvent, ColumnSchema, Row, SchemaMapping, TableId, TableSchema } from '../../sdk/index.ts';

const options = z
  .object({
    customersTable: z.string().min(1).default('customers'),
    customerKey: z.string().min(1).default('customer_id'),
    /** legacy column -> column of customers */
    customerColumns: z.record(z.string(), z.string()).default({ customer_name: 'name', customer_email: 'email' }),
    customerDeletes: z.enum(['when-known', 'never']).default('when-known'),
  })
  .strict();

interface Shapes {
  readonly orders: TableSchema;
  readonly customers: TableSchema;
}

export default defineTransform({
  meta: { name: 'split-legacy-orders', version: '1.0.0', apiVersion: 1, description: 'orders -> orders + customers' },
  options,
  create(opts) {
    const moved = new Map(Object.entries(opts.customerColumns));
    const customerTable = (t: TableId): TableId => ({ namespace: t.namespace, name: opts.customersTable });
    const cache = new WeakMap<TableSchema, Shapes>();

    const shapes = (schema: TableSchema): Shapes => {
      let s = cache.get(schema);
      if (s) return s;
      const key = findColumn(schema, opts.customerKey);
      if (!key) throw new Error(`the legacy table has no "${opts.customerKey}" column`);
      const customerColumns: ColumnSchema[] = [{ ...key, optional: false }];
      for (const [legacy, name] of moved) {
        const c = findColumn(schema, legacy);
        if (!c) throw new Error(`the legacy table has no "${legacy}" column`);
        customerColumns.push({ ...c, name });
      }
      s = {
        orders: { columns: schema.columns.filter((c) => !moved.has(c.name)), key: schema.key },
        customers: { columns: customerColumns, key: [opts.customerKey] },
      };
      cache.set(schema, s);
      return s;
    };

    const customerRow = (image: Row): Row => renameInRow(pickRow(image, [opts.customerKey, ...moved.keys()]), moved);
    const orderRow = (image: Row): Row => {
      const out: Record<string, Cell> = {};
      for (const [name, value] of Object.entries(image)) if (!moved.has(name)) out[name] = value;
      return rowOf(out);
    };
    const customerId = (image: Row | null): Cell | undefined =>
      image && hasCell(image, opts.customerKey) ? image[opts.customerKey] : undefined;

    return {
      mapSchema: ({ table, schema }): SchemaMapping[] => {
        const s = shapes(schema);
        return [
          { table, schema: s.orders },
          { table: customerTable(table), schema: s.customers },
        ];
      },
      apply(event: ChangeEvent) {
        if (event.op === 'truncate') return event;
        const s = shapes(event.schema);
        const order: ChangeEvent = {
          ...event,
          schema: s.orders,
          row: event.row && orderRow(event.row),
          before: event.before && orderRow(event.before),
        };
        const toCustomers = (e: ChangeEvent): ChangeEvent => withTable({ ...e, schema: s.customers }, customerTable(event.table));

        if (event.op === 'upsert') {
          const id = customerId(event.row);
          if (id === null || id === undefined) return order;
          const row = customerRow(event.row as Row);
          const customer = toCustomers({ ...event, row, key: pickRow(row, [opts.customerKey]), before: event.before && customerRow(event.before) });
          return [customer, order];
        }
        // A delete: the order always; the customer when its key is known and the policy allows.
        const id = customerId(event.before);
        if (opts.customerDeletes === 'never' || id === null || id === undefined) return order;
        const customer = toCustomers({ ...event, row: null, key: rowOf({ [opts.customerKey]: id }), before: customerRow(event.before as Row) });
        return [order, customer];
      },
    };
  },
});
