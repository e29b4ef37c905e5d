/**
 * Debezium source connectors for the end-to-end tests, configured the way a user would: JSON
 * converter with schemas for key and value, truncates delivered (skipped.operations=none),
 * tombstones on, decimal.handling.mode=precise, pgoutput with a filtered publication, a unique slot,
 * topic prefix and connector name per test. Plus clean-up of everything a connector leaves behind.
 */
import { randomInt } from 'node:crypto';
import pg from 'pg';
import { assertPlugins, deleteConnector, putConnector, waitRunning } from '../connect/support/connect-rest.ts';
import { BROKERS, CONNECT_URL, SOURCE_MARIADB, SOURCE_PG } from './env.ts';

const JSON_CONVERTERS: Record<string, string> = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'true',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'true',
};

const COMMON: Record<string, string> = {
  ...JSON_CONVERTERS,
  'tasks.max': '1',
  'skipped.operations': 'none',
  'tombstones.on.delete': 'true',
  'decimal.handling.mode': 'precise',
  'snapshot.mode': 'initial',
};

export interface PgConnectorInput {
  name: string;
  topicPrefix: string;
  /** Source schema; every table in it is captured. */
  schema: string;
  slot: string;
  publication: string;
  extra?: Record<string, string>;
}

export function pgConnectorConfig(input: PgConnectorInput): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    ...COMMON,
    'database.hostname': SOURCE_PG.host,
    'database.port': String(SOURCE_PG.port),
    'database.user': SOURCE_PG.user,
    'database.password': '',
    'database.dbname': SOURCE_PG.database,
    'topic.prefix': input.topicPrefix,
    'plugin.name': 'pgoutput',
    'slot.name': input.slot,
    'publication.name': input.publication,
    'publication.autocreate.mode': 'filtered',
    'schema.include.list': input.schema,
    // ISO-8601 text keeps months and days apart (numeric mode turns a month into 30.4375 days).
    'interval.handling.mode': 'string',
    ...input.extra,
  };
}

export interface MariadbConnectorInput {
  name: string;
  topicPrefix: string;
  database: string;
  historyTopic: string;
  extra?: Record<string, string>;
}

export function mariadbConnectorConfig(input: MariadbConnectorInput): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    ...COMMON,
    'database.hostname': SOURCE_MARIADB.host,
    'database.port': String(SOURCE_MARIADB.port),
    'database.user': SOURCE_MARIADB.connectorUser,
    'database.password': SOURCE_MARIADB.connectorPassword,
    'database.server.id': String(randomInt(100_000, 999_999)),
    'topic.prefix': input.topicPrefix,
    'database.include.list': input.database,
    'schema.history.internal.kafka.bootstrap.servers': BROKERS.join(','),
    'schema.history.internal.kafka.topic': input.historyTopic,
    'include.schema.changes': 'false',
    ...input.extra,
  };
}

/** Registers a connector and waits until it and its task run (fails with the trace on FAILED). */
export async function startConnector(name: string, config: Record<string, string>): Promise<void> {
  await assertPlugins(CONNECT_URL, [config['connector.class'] as string]);
  await putConnector(CONNECT_URL, name, config);
  await waitRunning(CONNECT_URL, name);
}

export async function stopConnector(name: string): Promise<void> {
  await deleteConnector(CONNECT_URL, name);
}

/** Waits until the replication slot exists: from then on every change is in the stream. */
export async function waitForSlot(db: pg.Client, slot: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rowCount } = await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    if (rowCount) return;
    if (Date.now() > deadline) throw new Error(`replication slot ${slot} was not created within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Drops the slot once the deleted connector's task released it, and the publication. */
export async function dropSlotAndPublication(db: pg.Client, slot: string, publication: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const { rows } = await db.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    if (rows.length === 0) break;
    if (!rows[0]!.active) {
      await db.query('SELECT pg_drop_replication_slot($1)', [slot]);
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await db.query(`DROP PUBLICATION IF EXISTS "${publication}"`);
}

export function sourcePgClient(): pg.Client {
  return new pg.Client({ host: SOURCE_PG.host, port: SOURCE_PG.port, user: SOURCE_PG.user, database: SOURCE_PG.database });
}
