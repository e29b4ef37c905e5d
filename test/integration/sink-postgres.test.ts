/**
 * The core service against the real broker and the real PostgreSQL: Debezium events in, exact rows out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CUSTOMER_FIELDS, customer } from '../support/customers.ts';
import { DebeziumTable, TOAST } from '../support/debezium-events.ts';
import type { TableSpec } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { startSink } from '../support/sink.ts';
import type { App } from '../../services/sink/app.ts';

const kafka = testKafka();
const id = uniqueName('it');
const schema = `it_sink_${id.split('_').slice(1).join('')}`;
const prefix = `${id}`;

const customers: TableSpec = {
  prefix,
  schema: 'public',
  table: 'customers',
  key: ['id'],
  fields: CUSTOMER_FIELDS,
};
const t = new DebeziumTable(customers);

async function storedOffsetsTotal(group: string, topic: string): Promise<bigint> {
  const rows = await query<{ s: string | null }>(`SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets WHERE consumer_group = $1 AND topic = $2`, [group, topic]).catch(() => [{ s: null }]);
  return BigInt(rows[0]?.s ?? '0');
}

async function waitApplied(group: string, topic: string): Promise<void> {
  const ends = await topicEndOffsets(kafka, topic);
  const total = [...ends.values()].reduce((a, b) => a + BigInt(b), 0n);
  await waitFor(`${topic} applied up to ${total}`, async () => {
    const s = await storedOffsetsTotal(group, topic);
    return s === total || `stored ${s} of ${total}`;
  });
}

describe('cdc-sink -> PostgreSQL through the real broker', () => {
  const group = `${id}-g`;
  let app: App | null = null;

  before(async () => {
    await dropSchema(schema);
    await createTopics(kafka, [t.topic], 3);
    app = (await startSink({ topics: [t.topic], groupId: group, schema })).app;
  });

  after(async () => {
    await app?.stop();
    await deleteTopics(kafka, [t.topic]);
    await dropSchema(schema);
  });

  test('inserts, updates, deletes, tombstones and many changes to one key land exactly', async () => {
    // The inserts land first, so the table exists when the deletes arrive on every partition: a
    // partition whose batch reduces to deletes on a table not yet created has nothing to delete (and
    // counts nothing), which the metrics test below would otherwise see at random.
    await produce(kafka, t.topic, [1, 2, 3, 4, 5].map((n) => t.insert(customer(n))));
    await waitApplied(group, t.topic);
    const records = [t.update(customer(2, { name: 'second', balance: '42.5' }))];
    records.push(t.delete({ id: 3n }), t.tombstone({ id: 3n }));
    for (let i = 0; i < 50; i++) records.push(t.update(customer(4, { name: `v${i}`, score: i })));
    records.push(t.delete({ id: 5n }), t.tombstone({ id: 5n }), t.insert(customer(5, { name: 'reborn' })));
    await produce(kafka, t.topic, records);
    await waitApplied(group, t.topic);

    const rows = await query<Record<string, string>>(
      `SELECT id::text, name, balance::text, created_at::text, updated_at::text, birth::text, attrs::text, ext::text,
              encode(photo, 'hex') AS photo, active::text, score::text, big::text, notes
         FROM "${schema}".customers ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((r) => [r.id, r.name, r.balance, r.score]),
      [
        ['1', 'name-1', '-12345678901234567890.123456789012345678', '1.5'],
        ['2', 'second', '42.500000000000000000', '2.5'],
        ['4', 'v49', '0.000000000000000001', '49'],
        ['5', 'reborn', '-12345678901234567890.123456789012345678', '5.5'],
      ],
    );
    const r1 = rows[0]!;
    assert.equal(r1.created_at, '2024-03-15 10:20:30.123457');
    assert.equal(r1.updated_at, '2024-03-15 08:20:30.123456+00');
    assert.equal(r1.birth, '2024-02-29');
    assert.equal(r1.attrs, '{"n": 1}');
    assert.equal(r1.ext, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    assert.equal(r1.photo, '0001ff01');
    assert.equal(r1.active, 'false');
    assert.equal(r1.big, '9223372036854775806');
    assert.equal(r1.notes, 'notes-1');
  });

  test('the auto-created table has exact types and the key as primary key', async () => {
    const cols = await query<{ attname: string; t: string; notnull: boolean }>(
      `SELECT attname, format_type(atttypid, atttypmod) AS t, attnotnull AS notnull FROM pg_attribute
        WHERE attrelid = '"${schema}".customers'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    assert.deepEqual(
      Object.fromEntries(cols.map((c) => [c.attname, c.t])),
      {
        id: 'bigint',
        name: 'text',
        balance: 'numeric(38,18)',
        created_at: 'timestamp(6) without time zone',
        updated_at: 'timestamp(6) with time zone',
        birth: 'date',
        attrs: 'jsonb',
        ext: 'uuid',
        photo: 'bytea',
        active: 'boolean',
        score: 'double precision',
        big: 'bigint',
        notes: 'text',
      },
    );
    const pk = await query<{ a: string }>(
      `SELECT a.attname AS a FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = '"${schema}".customers'::regclass AND i.indisprimary`,
    );
    assert.deepEqual(pk.map((r) => r.a), ['id']);
  });

  test('the TOAST placeholder leaves the existing value', async () => {
    await produce(kafka, t.topic, [t.update(customer(1, { name: 'toasted', notes: TOAST }))]);
    await waitApplied(group, t.topic);
    const [r] = await query<{ name: string; notes: string }>(`SELECT name, notes FROM "${schema}".customers WHERE id = 1`);
    assert.deepEqual(r, { name: 'toasted', notes: 'notes-1' });
  });

  test('a truncate empties the table; later inserts land after it', async () => {
    await produce(kafka, t.topic, [t.truncate(), t.insert(customer(7))].map((r) => ({ ...r, partition: 0 })));
    await waitApplied(group, t.topic);
    const rows = await query<{ id: string }>(`SELECT id::text FROM "${schema}".customers ORDER BY id`);
    // Rows on other partitions than the truncate are not ordered against it; all earlier rows are older.
    assert.deepEqual(rows.map((r) => r.id), ['7']);
  });

  test("Kafka's committed offsets follow the target (for consumer-lag tools)", async () => {
    const ends = await topicEndOffsets(kafka, t.topic);
    await waitApplied(group, t.topic);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor('offsets committed to Kafka', async () => {
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [t.topic] });
        const got = new Map((committed?.partitions ?? []).map((p) => [p.partition, p.offset]));
        return [...ends].every(([p, end]) => got.get(p) === end || (end === '0' && got.get(p) === '-1')) || `committed ${JSON.stringify([...got])}, ends ${JSON.stringify([...ends])}`;
      });
    } finally {
      await admin.disconnect();
    }
  });

  test('/healthz, /readyz and /metrics report the flow', async () => {
    const base = app!.httpAddress();
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'cdc_sink_events_consumed_total',
      'cdc_sink_rows_written_total',
      'cdc_sink_batch_duration_seconds',
      'cdc_sink_consumer_lag_messages',
      'cdc_sink_replication_lag_seconds',
      'cdc_sink_errors_total',
      'process_cpu_seconds_total',
    ]) {
      assert.match(metrics, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    const consumed = metrics.match(new RegExp(`^cdc_sink_events_consumed_total\\{topic="${t.topic}"\\} (\\d+)`, 'm'));
    assert.ok(consumed, 'consumed counter for the topic');
    assert.ok(Number(consumed[1]) >= 60, `consumed ${consumed[1]}`);
    assert.match(metrics, new RegExp(`^cdc_sink_rows_written_total\\{table="${schema}.customers",op="delete"\\} [1-9]`, 'm'));
    assert.match(metrics, new RegExp(`^cdc_sink_rows_written_total\\{table="${schema}.customers",op="truncate"\\} 1`, 'm'));
    assert.ok(!metrics.includes('name-1') && !metrics.includes('postgres://'), 'no row data or URLs in metrics');
  });
});
