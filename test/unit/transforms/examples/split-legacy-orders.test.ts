import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import type { TableSchema } from '../../../../transforms/sdk/index.ts';
import splitLegacyOrders from '../../../../transforms/examples/split-legacy-orders/index.ts';

const int64 = { kind: 'int' as const, bits: 64 as const };
const str = { kind: 'string' as const };
const legacy: TableSchema = {
  columns: [
    { name: 'order_id', type: int64, optional: false },
    { name: 'customer_id', type: int64, optional: true },
    { name: 'customer_name', type: str, optional: true },
    { name: 'customer_email', type: str, optional: true },
    { name: 'ordered_at', type: { kind: 'timestamptz', precision: 6 }, optional: false },
    { name: 'total', type: { kind: 'decimal', precision: 10, scale: 2 }, optional: false },
  ],
  key: ['order_id'],
};
const orders: TableSchema = { columns: legacy.columns.filter((c) => !c.name.startsWith('customer_') || c.name === 'customer_id'), key: ['order_id'] };
const customers: TableSchema = {
  columns: [
    { name: 'customer_id', type: int64, optional: false },
    { name: 'name', type: str, optional: true },
    { name: 'email', type: str, optional: true },
  ],
  key: ['customer_id'],
};
const row = { order_id: 10n, customer_id: 7n, customer_name: 'Ann', customer_email: 'ann@x.org', ordered_at: '2024-05-01T10:00:00.000000Z', total: '12.50' };
const orderRow = { order_id: 10n, customer_id: 7n, ordered_at: '2024-05-01T10:00:00.000000Z', total: '12.50' };

new TransformTester(splitLegacyOrders, { table: 'shop.orders' }).run('split-legacy-orders example', {
  valid: [
    {
      name: 'an upsert becomes a customers upsert then an orders upsert',
      input: { row, schema: legacy },
      output: [
        { table: 'shop.customers', op: 'upsert', row: { customer_id: 7n, name: 'Ann', email: 'ann@x.org' }, key: { customer_id: 7n }, schema: customers },
        { table: 'shop.orders', op: 'upsert', row: orderRow, key: { order_id: 10n }, schema: orders },
      ],
    },
    {
      name: 'mapSchema announces both tables (orders is the primary one)',
      input: { row, schema: legacy },
      schema: { table: 'shop.orders', schema: orders },
      rows: [{ customer_id: 7n, name: 'Ann', email: 'ann@x.org' }, orderRow],
    },
    {
      name: 'a guest order (no customer) gives only the order',
      input: { row: { ...row, customer_id: null, customer_name: null, customer_email: null }, schema: legacy },
      output: [{ table: 'shop.orders', row: { ...orderRow, customer_id: null } }],
    },
    {
      name: 'UNCHANGED customer columns stay UNCHANGED',
      input: { row: { ...row, customer_email: UNCHANGED }, schema: legacy },
      rows: [{ customer_id: 7n, name: 'Ann', email: UNCHANGED }, orderRow],
    },
    {
      name: 'a key-only delete deletes the order only (the customer key is unknown)',
      input: { op: 'delete', key: { order_id: 10n }, schema: legacy },
      output: [{ table: 'shop.orders', op: 'delete', key: { order_id: 10n }, row: null, before: null, schema: orders }],
    },
    {
      name: 'a delete with a full before image deletes the order and its customer',
      input: { op: 'delete', key: { order_id: 10n }, before: row, schema: legacy },
      output: [
        { table: 'shop.orders', op: 'delete', key: { order_id: 10n }, before: orderRow },
        { table: 'shop.customers', op: 'delete', key: { customer_id: 7n }, row: null, before: { customer_id: 7n, name: 'Ann', email: 'ann@x.org' }, schema: customers },
      ],
    },
    {
      name: 'customerDeletes: never keeps customers (they may own other orders)',
      options: { customerDeletes: 'never' },
      input: { op: 'delete', key: { order_id: 10n }, before: row, schema: legacy },
      output: [{ table: 'shop.orders', op: 'delete', key: { order_id: 10n } }],
    },
    {
      name: 'truncate reaches orders only',
      input: { op: 'truncate', schema: legacy },
      output: [{ table: 'shop.orders', op: 'truncate' }],
    },
  ],
  invalid: [
    { name: 'a legacy table without the customer key', input: { row: { order_id: 1n } }, error: /no "customer_id" column/ },
    { name: 'unknown option', options: { customerTable: 'x' }, error: /customerTable/ },
  ],
});
