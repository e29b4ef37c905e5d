/**
 * decoder.format avro through the real broker into the real PostgreSQL: Debezium events in the
 * Confluent Avro wire format in, exact rows out.
 *
 * No schema registry can run on this machine (test/infra/apicurio/README.md), nor Debezium's
 * AvroConverter, so the schemas are served by the in-test stand-in for the Schema Registry's REST
 * API (test/support/schema-registry.ts) and the messages are the Avro twins of DebeziumTable's
 * JsonConverter messages, built with Confluent's AvroData rules (test/support/avro-data.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../services/sink/app.ts';
import { avroTwin } from '../support/avro-data.ts';
import { CUSTOMER_FIELDS, customer } from '../support/customers.ts';
import { DebeziumTable, TOAST } from '../support/debezium-events.ts';
import type { ChangeRecord } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, testKafka, topicEndOffsets, uniqueName, withProducer } from '../support/kafka.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { TestSchemaRegistry } from '../support/schema-registry.ts';
import { startSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('it');
const schema = `it_avro_${id.split('_').slice(1).join('')}`;

const fields = CUSTOMER_FIELDS;
const t = new DebeziumTable({ prefix: id, schema: 'public', table: 'customers', key: ['id'], fields });
/** The same table after the source added a column: a new schema version, so a new schema id. */
const t2 = new DebeziumTable({ prefix: id, schema: 'public', table: 'customers', key: ['id'], fields: [...fields, { name: 'tier', type: 'int32' }] });

describe('cdc-sink -> PostgreSQL with decoder.format avro (stand-in schema registry)', () => {
  const group = `${id}-g`;
  let app: App | null = null;
  let registry: TestSchemaRegistry;

  /** Sends the Avro twins of JsonConverter records, in order. */
  async function produceAvro(recs: readonly (ChangeRecord & { partition?: number })[]): Promise<void> {
    await withProducer(kafka, (p) =>
      p.send({
        topic: t.topic,
        messages: recs.map((r) => ({ key: avroTwin(registry, r.key), value: avroTwin(registry, r.value), partition: r.partition })),
      }),
    );
  }

  async function waitApplied(): Promise<void> {
    const ends = await topicEndOffsets(kafka, t.topic);
    const total = [...ends.values()].reduce((a, b) => a + BigInt(b), 0n);
    await waitFor(`${t.topic} applied up to ${total}`, async () => {
      const rows = await query<{ s: string | null }>(
        `SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets WHERE consumer_group = $1 AND topic = $2`,
        [group, t.topic],
      ).catch(() => [{ s: null }]);
      const s = BigInt(rows[0]?.s ?? '0');
      return s === total || `stored ${s} of ${total}`;
    });
  }

  before(async () => {
    registry = await TestSchemaRegistry.start();
    await dropSchema(schema);
    await createTopics(kafka, [t.topic], 3);
    app = (
      await startSink({
        topics: [t.topic],
        groupId: group,
        schema,
        extra: { decoder: { format: 'avro', schemaRegistry: { url: registry.url } }, errors: { retry: { initialDelayMs: 50, maxDelayMs: 500 } } },
      })
    ).app;
  });

  after(async () => {
    await app?.stop();
    await deleteTopics(kafka, [t.topic]);
    await dropSchema(schema);
    await registry.close();
  });

  test('inserts, an update, deletes and tombstones land with exact values', async () => {
    await produceAvro([1, 2, 3, 4, 5].map((n) => t.insert(customer(n))));
    await waitApplied();
    await produceAvro([t.update(customer(2, { name: 'second', balance: '42.5' })), t.delete({ id: 3n }), t.tombstone({ id: 3n }), t.delete({ id: 5n }), t.tombstone({ id: 5n })]);
    await waitApplied();
    const rows = await query<Record<string, string>>(
      `SELECT id::text, name, balance::text, created_at::text, updated_at::text, birth::text, attrs::text, ext::text,
              encode(photo, 'hex') AS photo, active::text, score::text, big::text, notes
         FROM "${schema}".customers ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((r) => [r.id, r.name, r.balance, r.score, r.big]),
      [
        ['1', 'name-1', '-12345678901234567890.123456789012345678', '1.5', '9223372036854775806'],
        ['2', 'second', '42.500000000000000000', '2.5', '9223372036854775805'],
        ['4', 'name-4', '0.000000000000000001', '4.5', '9223372036854775803'],
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
    assert.equal(r1.notes, 'notes-1');
    // one request per schema id (key and value), not per message
    assert.deepEqual([...new Set(registry.requests)].length, registry.requests.length, registry.requests.join(', '));
  });

  test('the TOAST placeholder leaves the existing value', async () => {
    await produceAvro([t.update(customer(1, { name: 'toasted', notes: TOAST }))]);
    await waitApplied();
    const [r] = await query<{ name: string; notes: string }>(`SELECT name, notes FROM "${schema}".customers WHERE id = 1`);
    assert.deepEqual(r, { name: 'toasted', notes: 'notes-1' });
  });

  test('a registry outage holds a new schema version back (retried, not dead-lettered); it lands once the registry answers', async () => {
    registry.failWith = 503;
    const before = registry.requests.length;
    await produceAvro([t2.insert({ ...customer(8), tier: 3 })]);
    await waitFor('the sink to ask the failing registry again', () => Promise.resolve(registry.requests.length >= before + 2 || `${registry.requests.length - before} requests`), 20_000, 50);
    const none = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".customers WHERE id = 8`);
    assert.equal(none[0]?.n, '0');
    const metrics = await (await fetch(`${app!.httpAddress()}/metrics`)).text();
    assert.match(metrics, /^cdc_sink_retries_total\{stage="decode"\} [1-9]/m);
    const ready = await fetch(`${app!.httpAddress()}/readyz`);
    const body = await ready.text();
    assert.equal(ready.status, 503, body);
    assert.match(body, /schema-registry: fetching schema id \d+ from the schema registry/, body);
    registry.failWith = null;
    await waitApplied();
    await waitFor('ready again', async () => (await fetch(`${app!.httpAddress()}/readyz`)).status === 200);
    const [r] = await query<{ name: string; tier: string }>(`SELECT name, tier::text FROM "${schema}".customers WHERE id = 8`);
    assert.deepEqual(r, { name: 'name-8', tier: '3' });
  });

  test('a truncate empties the table; later inserts land after it', async () => {
    await produceAvro([t.truncate(), t.insert(customer(7))].map((r) => ({ ...r, partition: 0 })));
    await waitApplied();
    const rows = await query<{ id: string }>(`SELECT id::text FROM "${schema}".customers ORDER BY id`);
    assert.deepEqual(rows.map((r) => r.id), ['7']);
  });
});
