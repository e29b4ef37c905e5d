// End to end check of the local CDC source stack: source MariaDB (test/infra/source-mariadb) ->
// Debezium MariaDB connector in Kafka Connect (test/infra/connect) -> Kafka (test/infra/kafka).
// Registers a connector on source.it_infra_items, waits for the snapshot, then makes an insert, an
// update and a delete, and checks the change events on the topic. Runs only with CDC_E2E set; then
// a missing component is a failure, not a skip. CDC_CAPTURE_DIR=<dir> also saves each kind of record.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import mysql from 'mysql2/promise';
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
  : 'CDC_E2E is not set: run test/infra/{kafka,connect,source-mariadb}/start.sh and set CDC_E2E=1 to run this test';
const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const connectUrl = env.CONNECT_URL ?? `http://127.0.0.1:${env.CONNECT_PORT ?? '8083'}`;
const myHost = env.SOURCE_MARIADB_HOST ?? '127.0.0.1';
const myPort = env.SOURCE_MARIADB_PORT ?? '3307';
const myPassword = env.SOURCE_MARIADB_PASSWORD ?? 'debezium';
const captureDir = env.CDC_CAPTURE_DIR;

const run = randomBytes(4).toString('hex');
const connector = `it-infra-mariadb-${run}`;
const prefix = 'it_infra';
const topic = `${prefix}.source.it_infra_items`;
const historyTopic = `it_infra_schema_history_${run}`;
const DDL = 'CREATE TABLE it_infra_items (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, price DECIMAL(10,2), qty INT)';

describe('Debezium MariaDB connector on the local stack', { skip }, () => {
  let db: mysql.Connection;
  let admin: Admin;
  const kafka = new Kafka({ clientId: 'it-infra-debezium-mariadb', brokers, logLevel: logLevel.ERROR });

  before(async () => {
    await assertPlugins(connectUrl, ['io.debezium.connector.mariadb.MariaDbConnector']);
    db = await mysql.createConnection({ host: myHost, port: Number(myPort), user: 'debezium', password: myPassword, database: 'source' });
    admin = kafka.admin();
    await admin.connect();
    // `it_infra` is the connector's schema-change topic.
    await deleteTopicsIfExist(admin, [topic, prefix]);
    await db.query('DROP TABLE IF EXISTS it_infra_items');
    await db.query(DDL);
    await db.query(`INSERT INTO it_infra_items VALUES (1, 'first', 1.50, 1)`);
  });

  after(async () => {
    await deleteConnector(connectUrl, connector).catch(() => undefined);
    if (db) {
      await db.query('DROP TABLE IF EXISTS it_infra_items');
      await db.end();
    }
    if (admin) {
      await deleteTopicsIfExist(admin, [topic, prefix, historyTopic]).catch(() => undefined);
      await admin.disconnect();
    }
  });

  test('snapshot, insert, update, delete and tombstone arrive with the expected ops and values', async () => {
    await putConnector(connectUrl, connector, {
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'database.hostname': myHost,
      'database.port': myPort,
      'database.user': 'debezium',
      'database.password': myPassword,
      'database.server.id': String(randomInt(100_000, 999_999)),
      'topic.prefix': prefix,
      'database.include.list': 'source',
      'table.include.list': 'source.it_infra_items',
      'schema.history.internal.kafka.bootstrap.servers': brokers.join(','),
      'schema.history.internal.kafka.topic': historyTopic,
      'include.schema.changes': 'true',
      'snapshot.mode': 'initial',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'true',
    });
    await waitRunning(connectUrl, connector);
    // The snapshot row arrives after the snapshot took its binlog position: later changes are streamed.
    await readUntil(kafka, [topic], (rs) => ofKind(rs.map(parseRecord), 'r').length > 0);

    await db.query(`INSERT INTO it_infra_items VALUES (2, 'second', 9.99, 3)`);
    await db.query(`UPDATE it_infra_items SET name = 'second v2', qty = 5 WHERE id = 2`);
    await db.query('DELETE FROM it_infra_items WHERE id = 1');

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
    assert.equal(schema.name, `${topic}.Envelope`);
    const priceField = afterField(schema, 'price');
    assert.equal(priceField.name, 'org.apache.kafka.connect.data.Decimal');
    const scale = Number(priceField.parameters?.scale);
    assert.equal(scale, 2);
    const row = (r: Record<string, unknown> | null): Record<string, unknown> | null =>
      r === null ? null : { ...r, price: decodeDecimal(r.price as string, scale) };

    assert.deepEqual(read.key, { id: 1 });
    assert.deepEqual(row(read.env!.payload.after), { id: 1, name: 'first', price: '1.50', qty: 1 });
    assert.notEqual(read.env!.payload.source.snapshot, 'false');

    assert.deepEqual(create.key, { id: 2 });
    assert.equal(create.env!.payload.before, null);
    assert.deepEqual(row(create.env!.payload.after), { id: 2, name: 'second', price: '9.99', qty: 3 });

    // binlog_row_image=FULL: updates and deletes carry the whole old row.
    assert.deepEqual(update.key, { id: 2 });
    assert.deepEqual(row(update.env!.payload.before), { id: 2, name: 'second', price: '9.99', qty: 3 });
    assert.deepEqual(row(update.env!.payload.after), { id: 2, name: 'second v2', price: '9.99', qty: 5 });

    assert.deepEqual(del.key, { id: 1 });
    assert.deepEqual(row(del.env!.payload.before), { id: 1, name: 'first', price: '1.50', qty: 1 });
    assert.equal(del.env!.payload.after, null);
    assert.deepEqual(tomb.key, { id: 1 });

    for (const p of [create, update, del]) {
      const src = p.env!.payload.source;
      assert.equal(src.connector, 'mariadb');
      assert.equal(src.db, 'source');
      assert.equal(src.table, 'it_infra_items');
      assert.equal(src.snapshot, 'false');
      assert.equal(src.server_id, 2);
      assert.equal(typeof src.file, 'string');
      assert.equal(typeof src.pos, 'number');
    }
    assert.ok(inOrder(create, update), 'id 2: insert then update');
    assert.ok(inOrder(read, del, tomb), 'id 1: snapshot read, delete, tombstone');

    const meta = (description: string): Record<string, unknown> => ({
      description,
      captured_from: 'test/integration/infra-debezium-mariadb.test.ts',
      debezium_version: read.env!.payload.source.version,
      table_ddl: DDL,
      connector_config: { 'topic.prefix': prefix, 'database.include.list': 'source', 'snapshot.mode': 'initial' },
    });
    writeCapture(captureDir, 'mariadb-01-snapshot-read.json', meta('initial snapshot row (op r)'), read.raw);
    writeCapture(captureDir, 'mariadb-02-insert.json', meta(`INSERT ... VALUES (2, 'second', 9.99, 3)`), create.raw);
    writeCapture(captureDir, 'mariadb-03-update.json', meta(`UPDATE ... SET name='second v2', qty=5 WHERE id=2`), update.raw);
    writeCapture(captureDir, 'mariadb-04-delete.json', meta('DELETE ... WHERE id=1'), del.raw);
    writeCapture(captureDir, 'mariadb-05-tombstone.json', meta('tombstone after the delete of id=1'), tomb.raw);
    if (captureDir) {
      // The snapshot's CREATE TABLE record from the schema-change topic (`it_infra`), for reference.
      const isCreate = (v: string | null): boolean => (v?.includes('CREATE TABLE') ?? false) && (v?.includes('it_infra_items') ?? false);
      const ddl = await readUntil(kafka, [prefix], (rs) => rs.some((r) => isCreate(r.value)));
      const rec = ddl.find((r) => isCreate(r.value));
      if (rec) writeCapture(captureDir, 'mariadb-06-schema-change.json', meta('schema change record (CREATE TABLE) from the snapshot'), rec);
    }
  });
});
