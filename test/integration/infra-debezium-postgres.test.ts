// End to end check of the local CDC source stack: source PostgreSQL (test/infra/source-pg) ->
// Debezium PostgreSQL connector in Kafka Connect (test/infra/connect) -> Kafka (test/infra/kafka).
// Registers a pgoutput connector on it_infra.items, makes a snapshot row, an insert, an update and
// a delete, and checks the change events on the topic. Runs only with CDC_E2E set; then a missing
// component is a failure, not a skip. CDC_CAPTURE_DIR=<dir> also saves each kind of record there.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { assertPlugins, deleteConnector, putConnector, waitRunning } from '../infra/connect/support/connect-rest.ts';
import { deleteTopicsIfExist, readUntil } from '../infra/connect/support/topic-reader.ts';
import { afterField, decodeDecimal } from '../infra/connect/support/decode.ts';
import { countKinds, inOrder, ofKind, parseRecord } from '../infra/connect/support/envelope.ts';
import type { ParsedRecord } from '../infra/connect/support/envelope.ts';
import { writeCapture } from '../infra/connect/support/capture.ts';

const env = process.env;
const skip = env.CDC_E2E
  ? false
  : 'CDC_E2E is not set: run test/infra/{kafka,connect,source-pg}/start.sh and set CDC_E2E=1 to run this test';
const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const connectUrl = env.CONNECT_URL ?? `http://127.0.0.1:${env.CONNECT_PORT ?? '8083'}`;
const pgHost = env.SOURCE_PG_HOST ?? '127.0.0.1';
const pgPort = env.SOURCE_PG_PORT ?? '5433';
const captureDir = env.CDC_CAPTURE_DIR;

const run = randomBytes(4).toString('hex');
const connector = `it-infra-pg-${run}`;
const slot = `it_infra_${run}`;
const publication = `it_infra_${run}`;
const topic = 'it_infra.it_infra.items';

describe('Debezium PostgreSQL connector on the local stack', { skip }, () => {
  let db: pg.Client;
  let admin: Admin;
  const kafka = new Kafka({ clientId: 'it-infra-debezium-pg', brokers, logLevel: logLevel.ERROR });

  before(async () => {
    await assertPlugins(connectUrl, ['io.debezium.connector.postgresql.PostgresConnector']);
    db = new pg.Client({ host: pgHost, port: Number(pgPort), user: 'postgres', database: 'source' });
    await db.connect();
    admin = kafka.admin();
    await admin.connect();
    await deleteTopicsIfExist(admin, [topic]);
    await db.query('CREATE SCHEMA IF NOT EXISTS it_infra');
    await db.query('DROP TABLE IF EXISTS it_infra.items');
    await db.query('CREATE TABLE it_infra.items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), qty int)');
    await db.query(`INSERT INTO it_infra.items VALUES (1, 'first', 1.50, 1)`);
  });

  after(async () => {
    await deleteConnector(connectUrl, connector).catch(() => undefined);
    if (db) {
      // The task releases the slot a moment after the connector is deleted.
      for (let i = 0; i < 60; i++) {
        const { rows } = await db.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
        if (rows.length === 0) break;
        if (!rows[0]!.active) {
          await db.query('SELECT pg_drop_replication_slot($1)', [slot]);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      await db.query(`DROP PUBLICATION IF EXISTS ${publication}`);
      await db.query('DROP SCHEMA IF EXISTS it_infra CASCADE');
      await db.end();
    }
    if (admin) {
      await deleteTopicsIfExist(admin, [topic]).catch(() => undefined);
      await admin.disconnect();
    }
  });

  test('snapshot, insert, update, delete and tombstone arrive with the expected ops and values', async () => {
    await putConnector(connectUrl, connector, {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': pgHost,
      'database.port': pgPort,
      'database.user': 'postgres',
      'database.password': '',
      'database.dbname': 'source',
      'topic.prefix': 'it_infra',
      'plugin.name': 'pgoutput',
      'slot.name': slot,
      'publication.name': publication,
      'publication.autocreate.mode': 'filtered',
      'table.include.list': 'it_infra.items',
      'snapshot.mode': 'initial',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'true',
    });
    await waitRunning(connectUrl, connector);
    // Changes made once the slot exists are in the stream, whatever the snapshot is doing.
    for (let i = 0; ; i++) {
      const { rowCount } = await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot]);
      if (rowCount) break;
      assert.ok(i < 120, `replication slot ${slot} was not created`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await db.query(`INSERT INTO it_infra.items VALUES (2, 'second', 9.99, 3)`);
    await db.query(`UPDATE it_infra.items SET name = 'second v2', qty = 5 WHERE id = 2`);
    await db.query('DELETE FROM it_infra.items WHERE id = 1');

    const records = (
      await readUntil(kafka, [topic], (rs) => {
        const ps = rs.map(parseRecord);
        return ofKind(ps, 'u').length > 0 && ofKind(ps, 'tombstone').length > 0;
      })
    ).map(parseRecord);

    assert.deepEqual(countKinds(records), { r: 1, c: 1, u: 1, d: 1, tombstone: 1 });
    const [read, create, update, del, tomb] = ['r', 'c', 'u', 'd', 'tombstone'].map((k) => ofKind(records, k)[0]!) as [
      ParsedRecord,
      ParsedRecord,
      ParsedRecord,
      ParsedRecord,
      ParsedRecord,
    ];

    const schema = create.env!.schema;
    assert.equal(schema.name, 'it_infra.it_infra.items.Envelope');
    const priceField = afterField(schema, 'price');
    assert.equal(priceField.name, 'org.apache.kafka.connect.data.Decimal');
    const scale = Number(priceField.parameters?.scale);
    assert.equal(scale, 2);
    const row = (p: ParsedRecord): Record<string, unknown> => {
      const after = p.env!.payload.after!;
      return { ...after, price: decodeDecimal(after.price as string, scale) };
    };

    assert.deepEqual(read.key, { id: 1 });
    assert.equal(read.env!.payload.before, null);
    assert.deepEqual(row(read), { id: 1, name: 'first', price: '1.50', qty: 1 });
    assert.notEqual(read.env!.payload.source.snapshot, 'false');

    assert.deepEqual(create.key, { id: 2 });
    assert.equal(create.env!.payload.before, null);
    assert.deepEqual(row(create), { id: 2, name: 'second', price: '9.99', qty: 3 });

    assert.deepEqual(update.key, { id: 2 });
    assert.equal(update.env!.payload.before, null, 'REPLICA IDENTITY DEFAULT: pgoutput sends no old row');
    assert.deepEqual(row(update), { id: 2, name: 'second v2', price: '9.99', qty: 5 });

    assert.deepEqual(del.key, { id: 1 });
    assert.equal(del.env!.payload.after, null);
    assert.equal(del.env!.payload.before?.id, 1);
    assert.deepEqual(tomb.key, { id: 1 });

    for (const p of [create, update, del]) {
      const src = p.env!.payload.source;
      assert.equal(src.connector, 'postgresql');
      assert.equal(src.db, 'source');
      assert.equal(src.schema, 'it_infra');
      assert.equal(src.table, 'items');
      assert.equal(src.snapshot, 'false');
      assert.equal(typeof src.lsn, 'number');
    }
    // Per key, the events are in one partition and in change order.
    assert.ok(inOrder(create, update), 'id 2: insert then update');
    assert.ok(inOrder(read, del, tomb), 'id 1: snapshot read, delete, tombstone');

    const meta = (description: string): Record<string, unknown> => ({
      description,
      captured_from: 'test/integration/infra-debezium-postgres.test.ts',
      debezium_version: read.env!.payload.source.version,
      table_ddl: 'CREATE TABLE it_infra.items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), qty int)',
      connector_config: { 'topic.prefix': 'it_infra', 'database.dbname': 'source', 'plugin.name': 'pgoutput', 'snapshot.mode': 'initial' },
    });
    writeCapture(captureDir, 'postgres-01-snapshot-read.json', meta('initial snapshot row (op r)'), read.raw);
    writeCapture(captureDir, 'postgres-02-insert.json', meta(`INSERT ... VALUES (2, 'second', 9.99, 3)`), create.raw);
    writeCapture(captureDir, 'postgres-03-update.json', meta(`UPDATE ... SET name='second v2', qty=5 WHERE id=2 (REPLICA IDENTITY DEFAULT)`), update.raw);
    writeCapture(captureDir, 'postgres-04-delete.json', meta('DELETE ... WHERE id=1 (REPLICA IDENTITY DEFAULT)'), del.raw);
    writeCapture(captureDir, 'postgres-05-tombstone.json', meta('tombstone after the delete of id=1'), tomb.raw);
  });
});
