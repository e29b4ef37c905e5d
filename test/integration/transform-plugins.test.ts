/**
 * Transform plugins through the real broker into PostgreSQL: a user plugin loaded from a path reshapes
 * rows (the expand-contract phone rename), a split makes two tables of one, and bad plugins (one that
 * throws, one that returns garbage, a wrong apiVersion) give clear errors naming plugin and table.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { LogCapture, REPO_ROOT, startSink } from '../support/sink.ts';

const kafka = testKafka();
const cleanup: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

const examples = join(REPO_ROOT, 'transforms', 'examples');
const fixtures = join(REPO_ROOT, 'test', 'unit', 'transforms', 'fixtures');

async function applied(schema: string, topics: string[]): Promise<boolean | string> {
  let want = 0n;
  for (const t of topics) for (const h of (await topicEndOffsets(kafka, t)).values()) want += BigInt(h);
  const [r] = await query<{ s: string | null }>(`SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets`).catch(() => [{ s: '0' }]);
  return BigInt(r?.s ?? '0') === want || `stored ${r?.s} of ${want}`;
}

describe('transform plugins through the broker', () => {
  test('a plugin loaded from a path renames and normalizes; a split writes two tables', { timeout: 120_000 }, async () => {
    const id = uniqueName('tx');
    const schema = `it_${id}`;
    const customers = new DebeziumTable({
      prefix: id,
      schema: 'public',
      table: 'customers',
      key: ['id'],
      fields: [
        { name: 'id', type: 'int64', optional: false },
        { name: 'name', type: 'string' },
        { name: 'customer_phone', type: 'string' },
      ],
    });
    const orders = new DebeziumTable({
      prefix: id,
      schema: 'public',
      table: 'orders',
      key: ['order_id'],
      fields: [
        { name: 'order_id', type: 'int64', optional: false },
        { name: 'customer_id', type: 'int64' },
        { name: 'customer_name', type: 'string' },
        { name: 'customer_email', type: 'string' },
        { name: 'total', type: { decimal: { precision: 10, scale: 2 } } },
      ],
    });
    await createTopics(kafka, [customers.topic, orders.topic], 2);
    cleanup.push(() => deleteTopics(kafka, [customers.topic, orders.topic]), () => dropSchema(schema));
    await produce(kafka, customers.topic, [
      customers.insert({ id: 1n, name: 'Ann', customer_phone: '+1 (555) 010-2030' }),
      customers.insert({ id: 2n, name: 'Bob', customer_phone: '555.123.4567' }),
    ]);
    await produce(kafka, orders.topic, [
      orders.insert({ order_id: 10n, customer_id: 1n, customer_name: 'Ann', customer_email: 'ann@x.test', total: '12.50' }),
      orders.insert({ order_id: 11n, customer_id: 2n, customer_name: 'Bob', customer_email: 'bob@x.test', total: '7.00' }),
    ]);
    const { app } = await startSink({
      topics: [customers.topic, orders.topic],
      groupId: `${id}-g`,
      schema,
      extra: {
        transforms: [
          { match: 'public.customers', chain: [{ use: join(examples, 'customer-phone', 'index.ts') }] },
          { match: 'public.orders', chain: [{ use: join(examples, 'split-legacy-orders', 'index.ts'), options: { customersTable: 'order_customers' } }] },
        ],
      },
    });
    cleanup.push(() => app.stop());
    await waitFor('applied', () => applied(schema, [customers.topic, orders.topic]));

    const c = await query<{ id: string; name: string; phone_number: string }>(`SELECT id::text, name, phone_number FROM "${schema}".customers ORDER BY customers.id`);
    assert.deepEqual(c.map((r) => [r.id, r.name, r.phone_number]), [['1', 'Ann', '+15550102030'], ['2', 'Bob', '5551234567']]);
    const cols = await query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'customers'`, [schema]);
    assert.ok(!cols.some((x) => x.column_name === 'customer_phone'), 'the old column is not created in the target');
    const o = await query<{ order_id: string; customer_id: string; total: string }>(`SELECT order_id::text, customer_id::text, total::text FROM "${schema}".orders ORDER BY orders.order_id`);
    assert.deepEqual(o.map((r) => [r.order_id, r.customer_id, r.total]), [['10', '1', '12.50'], ['11', '2', '7.00']]);
    const split = await query<{ customer_id: string; name: string; email: string }>(`SELECT customer_id::text, name, email FROM "${schema}".order_customers ORDER BY order_customers.customer_id`);
    assert.deepEqual(split.map((r) => [r.customer_id, r.name, r.email]), [['1', 'Ann', 'ann@x.test'], ['2', 'Bob', 'bob@x.test']]);
    const orderCols = await query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'orders' ORDER BY ordinal_position`, [schema]);
    assert.deepEqual(orderCols.map((x) => x.column_name), ['order_id', 'customer_id', 'total'], 'the customer columns moved out of orders');
    const metrics = await (await fetch(`${app.httpAddress()}/metrics`)).text();
    assert.match(metrics, /cdc_sink_transform_duration_seconds_count\{transform="customer-phone"\} 2/);
    assert.match(metrics, /cdc_sink_transform_duration_seconds_count\{transform="split-legacy-orders"\} 2/);
  });

  const bad: { name: string; use: string; options?: Record<string, unknown>; code: string; message: RegExp; atStart: boolean }[] = [
    { name: 'a plugin that throws', use: join(fixtures, 'throws.ts'), code: 'CDC_TRANSFORM_FAILED', message: /always-throws.*kaboom|kaboom.*always-throws/s, atStart: false },
    { name: 'a plugin that returns garbage', use: join(fixtures, 'garbage.ts'), options: { mode: 'number' }, code: 'CDC_TRANSFORM_BAD_RESULT', message: /garbage/, atStart: false },
    { name: 'a wrong apiVersion', use: join(fixtures, 'wrong-api.ts'), code: 'CDC_TRANSFORM_LOAD', message: /from-the-future.*API version 2.*supports API version 1/, atStart: true },
  ];
  for (const b of bad) {
    test(`${b.name} gives a clear error naming the plugin and the table`, { timeout: 60_000 }, async () => {
      const id = uniqueName('txbad');
      const schema = `it_${id}`;
      const t = new DebeziumTable({ prefix: id, schema: 'public', table: 'items', key: ['id'], fields: [{ name: 'id', type: 'int64', optional: false }] });
      await createTopics(kafka, [t.topic], 1);
      cleanup.push(() => deleteTopics(kafka, [t.topic]), () => dropSchema(schema));
      await produce(kafka, t.topic, [t.insert({ id: 1n })]);
      const logs = new LogCapture('warn');
      const input = {
        topics: [t.topic],
        groupId: `${id}-g`,
        schema,
        extra: { transforms: [{ match: 'public.items', chain: [{ use: b.use, ...(b.options ? { options: b.options } : {}) }] }] },
      };
      let err: unknown;
      if (b.atStart) {
        err = await startSink(input, logs).then(
          async ({ app }) => {
            await app.stop();
            return null;
          },
          (e: unknown) => e,
        );
      } else {
        const { app } = await startSink(input, logs);
        err = await Promise.race([app.finished, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
        await app.stop();
      }
      assert.ok(err instanceof Error, `stopped with an error (got ${String(err)})`);
      assert.equal((err as Error & { code?: string }).code, b.code);
      assert.match(err.message, b.message);
      if (!b.atStart) assert.match(err.message, new RegExp(`${t.topic}\\[0\\]@0`), 'names the record');
      const rows = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".items`).catch(() => [{ n: '0' }]);
      assert.equal(rows[0]!.n, '0', 'nothing written past the failing record');
    });
  }
});
