/**
 * deploy/debezium: the connector configs parse and hold the settings cdc-sink relies on (JSON
 * converter with schemas, truncates not skipped, tombstones, precise decimals, binary handling and
 * TOAST placeholder equal to the sink's decoder defaults); the README explains every key used.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../../services/sink/config/load.ts';
import { asRecord, asString, readJson, readText } from './paths.ts';

const FILES = {
  'postgres-source.json': 'io.debezium.connector.postgresql.PostgresConnector',
  'mariadb-source.json': 'io.debezium.connector.mariadb.MariaDbConnector',
  'mysql-source.json': 'io.debezium.connector.mysql.MySqlConnector',
} as const;

const connectors = Object.entries(FILES).map(([file, cls]) => ({
  file,
  cls,
  config: asRecord(readJson(`deploy/debezium/${file}`), file),
}));
const decoder = parseConfig({ kafka: { topics: ['t'] }, target: { type: 'postgres', url: 'postgres://x@y/z' } }, { env: {} }).decoder;

describe('Debezium connector configs', () => {
  for (const { file, cls, config } of connectors) {
    describe(file, () => {
      test('is a flat config map of strings with a name and the right connector class', () => {
        assert.equal(config['connector.class'], cls);
        assert.match(asString(config.name, 'name'), /^[a-z0-9-]+$/);
        for (const [key, value] of Object.entries(config)) assert.equal(typeof value, 'string', `${key} must be a string`);
      });

      test('writes JSON with schemas, as cdc-sink decodes it', () => {
        for (const side of ['key', 'value']) {
          assert.equal(config[`${side}.converter`], 'org.apache.kafka.connect.json.JsonConverter');
          assert.equal(config[`${side}.converter.schemas.enable`], 'true');
        }
        assert.equal(decoder.format, 'json');
      });

      test('sends truncates, tombstones and exact values', () => {
        assert.equal(config['skipped.operations'], 'none');
        assert.equal(config['tombstones.on.delete'], 'true');
        assert.equal(config['decimal.handling.mode'], 'precise');
        assert.equal(config['binary.handling.mode'], decoder.binaryHandlingMode);
        const placeholder = config['unavailable.value.placeholder'];
        if (placeholder !== undefined) assert.equal(placeholder, decoder.unavailableValuePlaceholder);
        assert.match(asString(config['time.precision.mode'], 'time.precision.mode'), /^adaptive(_time_microseconds)?$/);
        assert.equal(config['provide.transaction.metadata'], 'false');
        assert.ok(Number(config['heartbeat.interval.ms']) > 0);
      });

      test('names its topics and tables', () => {
        assert.match(asString(config['topic.prefix'], 'topic.prefix'), /^[A-Za-z0-9_.-]+$/);
        assert.ok(asString(config['table.include.list'], 'table.include.list').split(',').length >= 1);
        assert.equal(config['snapshot.mode'], 'initial');
      });

      test('topics get one partition, so a TRUNCATE stays in order with the rows before it', () => {
        assert.equal(config['topic.creation.default.partitions'], '1');
      });
    });
  }

  test('PostgreSQL: pgoutput, its own slot, and the publication the init SQL creates', () => {
    const pg = connectors.find((c) => c.file === 'postgres-source.json')?.config ?? {};
    assert.equal(pg['plugin.name'], 'pgoutput');
    assert.equal(pg['slot.drop.on.stop'], 'false');
    assert.equal(pg['publication.autocreate.mode'], 'disabled');
    const sql = readText('deploy/compose/source-init.sql');
    const publication = new RegExp(`CREATE PUBLICATION ${asString(pg['publication.name'], 'publication.name')} FOR TABLE ([^;]+);`).exec(sql);
    assert.ok(publication, 'source-init.sql does not create the publication');
    const published = (publication[1] ?? '').split(',').map((t) => t.trim()).sort();
    assert.deepEqual(published, asString(pg['table.include.list'], 'tables').split(',').sort());
    assert.match(sql, new RegExp(`CREATE ROLE ${asString(pg['database.user'], 'user')} WITH LOGIN REPLICATION`));
  });

  test('MariaDB and MySQL: distinct numeric server ids, schema history topic, unsigned bigints kept exact', () => {
    const binlog = connectors.filter((c) => c.file !== 'postgres-source.json').map((c) => c.config);
    const ids = binlog.map((c) => asString(c['database.server.id'], 'server id'));
    for (const id of ids) assert.match(id, /^\d+$/);
    assert.equal(new Set(ids).size, ids.length);
    for (const c of binlog) {
      assert.ok(asString(c['schema.history.internal.kafka.topic'], 'history topic').length > 0);
      assert.equal(c['bigint.unsigned.handling.mode'], 'precise');
      assert.equal(c['time.precision.mode'], 'adaptive_time_microseconds');
    }
  });

  test('the README explains every setting the files use', () => {
    const readme = readText('deploy/debezium/README.md');
    const keys = new Set(connectors.flatMap((c) => Object.keys(c.config)));
    for (const key of keys) assert.ok(readme.includes(`\`${key}\``), `README.md does not explain ${key}`);
  });
});
