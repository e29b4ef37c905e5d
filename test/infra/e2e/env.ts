/**
 * Where the end-to-end tests find the stack (test/infra/*\/start.sh defaults), and the skip rule:
 * the e2e tests run only with CDC_E2E set; then a missing component is a failure, not a skip.
 */
import { randomBytes } from 'node:crypto';

const env = process.env;

export const E2E_SKIP: string | false = env.CDC_E2E
  ? false
  : 'CDC_E2E is not set: start test/infra/{kafka,connect,source-pg,source-mariadb}/start.sh (or run `bash test/run-tests.sh e2e`) and set CDC_E2E=1 to run the end-to-end tests';

export const BROKERS = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const CONNECT_URL = env.CONNECT_URL ?? `http://127.0.0.1:${env.CONNECT_PORT ?? '8083'}`;

/** The Debezium source PostgreSQL (test/infra/source-pg), database `source`. */
export const SOURCE_PG = {
  host: env.SOURCE_PG_HOST ?? '127.0.0.1',
  port: Number(env.SOURCE_PG_PORT ?? '5433'),
  user: 'postgres',
  database: 'source',
} as const;

/** The Debezium source MariaDB (test/infra/source-mariadb): root for DDL, `debezium` for the connector. */
export const SOURCE_MARIADB = {
  host: env.SOURCE_MARIADB_HOST ?? '127.0.0.1',
  port: Number(env.SOURCE_MARIADB_PORT ?? '3307'),
  user: 'root',
  connectorUser: 'debezium',
  connectorPassword: env.SOURCE_MARIADB_PASSWORD ?? 'debezium',
} as const;

/** The machine's PostgreSQL: the sink's target. */
export const TARGET_PG_URL = env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The machine's MariaDB: the sink's target (a database per test is created on it). */
export const TARGET_MYSQL = {
  host: env.MYSQL_HOST ?? '127.0.0.1',
  port: Number(env.MYSQL_PORT ?? '3306'),
  user: env.MYSQL_USER ?? 'root',
} as const;

export function targetMysqlUrl(database: string): string {
  return `mysql://${TARGET_MYSQL.user}@${TARGET_MYSQL.host}:${TARGET_MYSQL.port}/${database}`;
}

/** A short unique id for one test run: names of schemas, slots, topics and connectors derive from it. */
export function runId(): string {
  return `${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`;
}

/** E2E_KEEP=1 leaves the connector, topics and databases of a run in place, to look at them. */
export const KEEP = env.E2E_KEEP === '1';
