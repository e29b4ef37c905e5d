/**
 * The targets the contract suite runs against: one entry per database, each giving the connector
 * options, a reader of its own (readers/), and the few places where the database truly differs.
 *
 * - PostgreSQL: PG_URL (default postgres://postgres@127.0.0.1:5432/test), schema it_contract_pg.
 * - MariaDB / MySQL: MYSQL_TEST_URL (default mysql://root@127.0.0.1:3306), database it_contract_my
 *   (dropped and created here).
 * - Oracle: only when ORACLE_URL (oracle://user:password@host:1521/SERVICE) is set; tables go to the
 *   user's own schema and are dropped before each test creates them. Otherwise the suite is
 *   skipped, saying so.
 */
import pg from 'pg';
import { createConnection } from 'mysql2/promise';
import type { ConnectorType } from '../../connectors/registry.ts';
import { PG_URL } from '../support/postgres.ts';
import { MysqlReader } from './readers/mysql.ts';
import { OracleReader } from './readers/oracle.ts';
import { PostgresReader } from './readers/postgres.ts';
import type { TargetReader } from './readers/reader.ts';

/** Where a database stores a value differently; every flag says what and why. */
export interface TargetQuirks {
  /** Oracle stores '' as NULL (VARCHAR2 and CLOB alike); it cannot be configured. */
  readonly emptyStringIsNull: boolean;
}

export interface ContractTarget {
  readonly name: string;
  readonly type: ConnectorType;
  /** Set when the target cannot run here: its suite is skipped with this message. */
  readonly skip: string | null;
  readonly quirks: TargetQuirks;
  /** Makes the schema / database empty (or at least usable) before the suite. */
  prepare(): Promise<void>;
  /** Connector options (input form; parsed by the connector's schema). */
  options(): Record<string, unknown>;
  /** The same target at a port where nothing listens. */
  refusedOptions(port: number): Record<string, unknown>;
  openReader(): Promise<TargetReader>;
  /** Drops what prepare() made. */
  cleanup(): Promise<void>;
}

const NO_QUIRKS: TargetQuirks = { emptyStringIsNull: false };

function withPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

async function pgExec(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const PG_SCHEMA = 'it_contract_pg';

export const postgresTarget: ContractTarget = {
  name: 'postgres',
  type: 'postgres',
  skip: null,
  quirks: NO_QUIRKS,
  prepare: () => pgExec(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`),
  options: () => ({ url: PG_URL, schema: PG_SCHEMA, poolSize: 2 }),
  refusedOptions: (port) => ({ url: withPort(PG_URL, port), schema: PG_SCHEMA, connectTimeoutMs: 5000 }),
  openReader: () => PostgresReader.open(PG_URL, PG_SCHEMA),
  cleanup: () => pgExec(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`),
};

const MYSQL_BASE = (process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const MYSQL_DB = 'it_contract_my';
const MYSQL_URL = `${MYSQL_BASE}/${MYSQL_DB}`;

async function mysqlExec(...statements: string[]): Promise<void> {
  const u = new URL(MYSQL_BASE);
  const c = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  });
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

export const mysqlTarget: ContractTarget = {
  name: 'mariadb',
  type: 'mysql',
  skip: null,
  quirks: NO_QUIRKS,
  prepare: () => mysqlExec(`DROP DATABASE IF EXISTS ${MYSQL_DB}`, `CREATE DATABASE ${MYSQL_DB}`),
  options: () => ({ url: MYSQL_URL, poolSize: 2 }),
  refusedOptions: (port) => ({ url: withPort(MYSQL_URL, port), connectTimeoutMs: 5000 }),
  openReader: () => MysqlReader.open(MYSQL_URL),
  cleanup: () => mysqlExec(`DROP DATABASE IF EXISTS ${MYSQL_DB}`),
};

const ORACLE_URL = process.env.ORACLE_URL ?? '';

export const oracleTarget: ContractTarget = {
  name: 'oracle',
  type: 'oracle',
  skip: ORACLE_URL === '' ? 'ORACLE_URL is not set: the Oracle contract suite is skipped (set ORACLE_URL=oracle://user:password@host:1521/SERVICE to run it)' : null,
  quirks: { emptyStringIsNull: true },
  prepare: async () => {},
  // preserve: names are quoted exactly as given, like the other databases, so one suite fits all.
  options: () => ({ url: ORACLE_URL, identifierCase: 'preserve', poolMax: 2, poolMin: 0 }),
  refusedOptions: (port) => ({ url: withPort(ORACLE_URL, port), identifierCase: 'preserve', connectTimeoutSeconds: 5, poolMin: 0 }),
  openReader: () => OracleReader.open(ORACLE_URL),
  cleanup: async () => {},
};

export const CONTRACT_TARGETS: readonly ContractTarget[] = [postgresTarget, mysqlTarget, oracleTarget];
