/**
 * TLS to the target databases with CA verification, through the real connectors (built by the
 * registry from parsed options, as the service builds them), against servers that refuse plain
 * connections: test/infra/tls-db/start.sh (PostgreSQL on 127.0.0.1:5434 with `hostnossl ... reject`,
 * MariaDB on 127.0.0.1:3308 with require_secure_transport=ON, both with a certificate signed by a
 * test CA for IP:127.0.0.1 / DNS:localhost). before() runs the start script (idempotent), after()
 * its stop script.
 *
 * For each database:
 * - ssl.mode verify-full with the right CA, given as a file and as inline PEM: the connector
 *   connects, writes a batch (rows and an offset) and reads the offset back; a direct client
 *   reads the rows; the server says the connector's own sessions are encrypted (PostgreSQL:
 *   pg_stat_ssl of the connector's sessions, and a column default evaluated in the writing
 *   session; MariaDB: a trigger that records Ssl_cipher of the writing session), and so is the
 *   direct client's (pg_stat_ssl / SHOW SESSION STATUS LIKE 'Ssl_cipher');
 * - an unrelated CA: connect() fails with a fatal TargetError that names the certificate;
 * - no ssl: the server refuses the connection (so the servers really require TLS).
 * Oracle: no server here (its TLS is node-oracledb's tcps:// connect string with a wallet).
 *
 * Environment: TLS_PG_PORT (5434), TLS_MARIADB_PORT (3308), CDC_SINK_HOME (<repo>/.cache).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import pg from 'pg';
import type { ColumnSchema } from '../../connectors/core/column-type.ts';
import { CdcSinkError, TargetError, errorText } from '../../connectors/core/errors.ts';
import { newRow, type Row } from '../../connectors/core/value.ts';
import type { Connector, TableChanges, TargetTableRef } from '../../connectors/contract.ts';
import { connectorDefinition, createConnector, type ConnectorType } from '../../connectors/registry.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const INFRA = join(REPO_ROOT, 'test', 'infra', 'tls-db');
const TLS_DIR = join(process.env.CDC_SINK_HOME ?? join(REPO_ROOT, '.cache'), 'tls-db', 'tls');
const CA_FILE = join(TLS_DIR, 'ca.crt');
const OTHER_CA_FILE = join(TLS_DIR, 'other-ca.crt');
const PG_PORT = Number(process.env.TLS_PG_PORT ?? 5434);
const MY_PORT = Number(process.env.TLS_MARIADB_PORT ?? 3308);
const PG_URL = `postgres://postgres@127.0.0.1:${PG_PORT}/test`;
const MY_URL = `mysql://root@127.0.0.1:${MY_PORT}/test`;
const PG_SCHEMA = 'it_tls';
const GROUP = 'it-tls';

/** Runs a script of test/infra/tls-db; its output is shown only when it fails. */
function script(name: string): void {
  try {
    execFileSync('bash', [join(INFRA, name)], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`bash test/infra/tls-db/${name} failed:\n${String(e.stdout ?? '')}${String(e.stderr ?? '')}`, { cause: err });
  }
}

const open = new Set<Connector>();

/** A connector built as the service builds it: options parsed by the connector's own schema. */
function connector(type: ConnectorType, options: Record<string, unknown>): Connector {
  const parsed = connectorDefinition(type).optionsSchema.parse(options) as Record<string, unknown>;
  const c = createConnector(type, parsed, {});
  open.add(c);
  return c;
}

async function closeConnector(c: Connector): Promise<void> {
  open.delete(c);
  await c.close();
}

/** connect() must fail; returns the TargetError. */
async function connectFails(c: Connector): Promise<TargetError> {
  try {
    await c.connect();
  } catch (err) {
    assert.ok(err instanceof TargetError, `expected a TargetError, got ${errorText(err)}`);
    return err;
  }
  assert.fail('connect() succeeded against a server it should not have trusted');
}

/** A certificate failure: fatal (retrying cannot fix a CA that does not sign the server), named as such. */
function assertCertificateFailure(c: Connector, err: TargetError): void {
  assert.match(err.message, /certificate|TLS|SSL/i, err.message);
  assert.equal(err.kind, 'fatal', `${err.code}: ${err.message}`);
  assert.ok(err.cause !== undefined, 'the driver error is kept as the cause');
  assert.equal(c.dialect.classifyError(err.cause), 'fatal', `the dialect's classification of: ${errorText(err.cause)}`);
  assert.ok(!(err.cause instanceof CdcSinkError), 'the cause is the driver error');
}

const COLUMNS: readonly ColumnSchema[] = [
  { name: 'id', type: { kind: 'int', bits: 64 }, optional: false },
  { name: 'name', type: { kind: 'string' }, optional: true },
];

type CaForm = 'caFile' | 'ca';
const CA_FORMS: readonly CaForm[] = ['caFile', 'ca'];
const caFormText = (how: CaForm): string => (how === 'caFile' ? 'ssl.caFile' : 'ssl.ca, inline PEM');

/** ssl options of a verifying mode with the CA given as a path (caFile) or as PEM text (ca). */
function ssl(mode: 'verify-full' | 'verify-ca', caPath: string, how: CaForm): Record<string, string> {
  return how === 'caFile' ? { mode, caFile: caPath } : { mode, ca: readFileSync(caPath, 'utf8') };
}

function rows(n: number, tag: string): Row[] {
  return Array.from({ length: n }, (_, i) => Object.assign(newRow(), { id: BigInt(i + 1), name: `${tag}-${i + 1}` }));
}

/** One table's upserts and the offset of partition 0 of `topic`, written in one batch; the offset is read back. */
async function writeBatch(c: Connector, table: TargetTableRef, topic: string, upserts: Row[]): Promise<void> {
  const description = await c.describeTable(table);
  assert.ok(description, `table ${table.name} exists`);
  const changes: TableChanges = {
    table,
    description,
    columns: COLUMNS,
    keyColumns: ['id'],
    mode: 'upsert',
    truncate: false,
    deletes: [],
    upserts,
  };
  const nextOffset = String(upserts.length);
  await c.write({ groupId: GROUP, tables: [changes], offsets: [{ topic, partition: 0, nextOffset, expected: null }] });
  const stored = (await c.readOffsets(GROUP)).filter((o) => o.topic === topic);
  assert.deepEqual(stored, [{ topic, partition: 0, nextOffset }]);
}

after(async () => {
  for (const c of [...open]) await closeConnector(c).catch(() => undefined);
});

before(() => script('start.sh'));
after(() => script('stop.sh'));

describe('PostgreSQL target over TLS (127.0.0.1:' + PG_PORT + ')', { timeout: 120_000 }, () => {
  let admin: pg.Client;

  before(async () => {
    admin = new pg.Client({ connectionString: PG_URL, ssl: { ca: readFileSync(CA_FILE, 'utf8'), rejectUnauthorized: true } });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
    await admin.query(`CREATE SCHEMA ${PG_SCHEMA}`);
    // Evaluated in the session that inserts the row: the connector's own.
    await admin.query(
      `CREATE FUNCTION ${PG_SCHEMA}.session_ssl() RETURNS boolean LANGUAGE sql VOLATILE AS ` +
        `$$ SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid() $$`,
    );
  });

  after(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
    await admin?.end();
  });

  test('the direct client itself is on TLS', async () => {
    const { rows: r } = await admin.query<{ ssl: boolean; version: string }>(
      'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    assert.equal(r[0]?.ssl, true);
    assert.match(r[0]?.version ?? '', /^TLSv1\.[23]$/);
  });

  for (const how of CA_FORMS) {
    test(`verify-full with the right CA (${caFormText(how)}): connects, writes, sessions encrypted`, async () => {
      const table = `t_${how.toLowerCase()}`;
      const applicationName = `cdc-sink-tls-${how.toLowerCase()}`;
      const c = connector('postgres', {
        url: PG_URL,
        schema: PG_SCHEMA,
        poolSize: 2,
        applicationName,
        connectTimeoutMs: 5000,
        ssl: ssl('verify-full', CA_FILE, how),
      });
      await c.connect();
      await c.healthcheck();
      await admin.query(
        `CREATE TABLE ${PG_SCHEMA}.${table} (id bigint PRIMARY KEY, name text, written_over_tls boolean DEFAULT ${PG_SCHEMA}.session_ssl())`,
      );
      await writeBatch(c, { schema: null, name: table }, `tls.${table}`, rows(3, how));

      const read = await admin.query<{ id: string; name: string; written_over_tls: boolean | null }>(
        `SELECT id::text AS id, name, written_over_tls FROM ${PG_SCHEMA}.${table} ORDER BY id`,
      );
      assert.deepEqual(read.rows, [1, 2, 3].map((i) => ({ id: String(i), name: `${how}-${i}`, written_over_tls: true })));

      // Every session the connector holds open (its pool keeps them idle for 30 s) is encrypted.
      const sessions = await admin.query<{ n: number; all_ssl: boolean | null; versions: string[] }>(
        'SELECT count(*)::int AS n, bool_and(s.ssl) AS all_ssl, array_agg(DISTINCT s.version) AS versions ' +
          'FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.application_name = $1',
        [applicationName],
      );
      assert.ok((sessions.rows[0]?.n ?? 0) >= 1, 'the connector has a session open');
      assert.equal(sessions.rows[0]?.all_ssl, true, `sessions: ${JSON.stringify(sessions.rows[0])}`);
      await closeConnector(c);
    });
  }

  for (const [mode, how] of [['verify-full', 'caFile'], ['verify-ca', 'ca']] as const) {
    test(`${mode} with an unrelated CA (${caFormText(how)}): connect fails, fatal, names the certificate`, async () => {
      const c = connector('postgres', { url: PG_URL, schema: PG_SCHEMA, connectTimeoutMs: 5000, ssl: ssl(mode, OTHER_CA_FILE, how) });
      assertCertificateFailure(c, await connectFails(c));
      await closeConnector(c);
    });
  }

  test('without ssl: the server refuses the plain connection', async () => {
    for (const plain of [undefined, { mode: 'disable' }]) {
      const c = connector('postgres', { url: PG_URL, schema: PG_SCHEMA, connectTimeoutMs: 5000, ...(plain ? { ssl: plain } : {}) });
      const err = await connectFails(c);
      assert.match(err.message, /pg_hba\.conf rejects connection .* no encryption/, err.message);
      assert.equal(err.kind, 'fatal', `${err.code}: ${err.message}`);
      await closeConnector(c);
    }
  });
});

describe('MariaDB target over TLS (127.0.0.1:' + MY_PORT + ')', { timeout: 120_000 }, () => {
  let admin: Connection;

  async function q(sql: string, values: unknown[] = []): Promise<RowDataPacket[]> {
    const [r] = await admin.query<RowDataPacket[]>(sql, values);
    return r;
  }

  before(async () => {
    admin = await createConnection({
      host: '127.0.0.1',
      port: MY_PORT,
      user: 'root',
      database: 'test',
      ssl: { ca: readFileSync(CA_FILE, 'utf8'), rejectUnauthorized: true, verifyIdentity: true },
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    for (const t of ['t_cafile', 't_ca', 'cdc_sink_offsets']) await q(`DROP TABLE IF EXISTS test.${t}`);
  });

  after(async () => {
    if (admin === undefined) return;
    for (const t of ['t_cafile', 't_ca', 'cdc_sink_offsets']) await q(`DROP TABLE IF EXISTS test.${t}`);
    await admin.end();
  });

  test("the direct client itself is on TLS (Ssl_cipher)", async () => {
    const r = await q("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    assert.ok(String(r[0]?.Value ?? '') !== '', `Ssl_cipher: ${JSON.stringify(r)}`);
    assert.equal(String((await q('SELECT @@require_secure_transport AS v'))[0]?.v), '1');
  });

  for (const how of CA_FORMS) {
    test(`verify-full with the right CA (${caFormText(how)}): connects, writes, session encrypted`, async () => {
      const table = `t_${how.toLowerCase()}`;
      const c = connector('mysql', { url: MY_URL, poolSize: 2, connectTimeoutMs: 5000, ssl: ssl('verify-full', CA_FILE, how) });
      await c.connect();
      await c.healthcheck();
      // The trigger runs in the session that inserts: it records that session's cipher.
      await q(`CREATE TABLE test.${table} (id BIGINT PRIMARY KEY, name TEXT, session_cipher VARCHAR(200) NULL)`);
      await q(
        `CREATE TRIGGER test.${table}_cipher BEFORE INSERT ON test.${table} FOR EACH ROW SET NEW.session_cipher = ` +
          "(SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER')",
      );
      await writeBatch(c, { schema: null, name: table }, `tls.${table}`, rows(3, how));

      const read = await q(`SELECT id, name, session_cipher FROM test.${table} ORDER BY id`);
      assert.deepEqual(
        read.map((r) => ({ id: String(r.id), name: r.name as unknown })),
        [1, 2, 3].map((i) => ({ id: String(i), name: `${how}-${i}` })),
      );
      for (const r of read) {
        assert.ok(typeof r.session_cipher === 'string' && r.session_cipher !== '', `cipher of the writing session: ${JSON.stringify(r)}`);
      }
      await closeConnector(c);
    });
  }

  for (const [mode, how] of [['verify-full', 'caFile'], ['verify-ca', 'ca']] as const) {
    test(`${mode} with an unrelated CA (${caFormText(how)}): connect fails, fatal, names the certificate`, async () => {
      const c = connector('mysql', { url: MY_URL, connectTimeoutMs: 5000, ssl: ssl(mode, OTHER_CA_FILE, how) });
      assertCertificateFailure(c, await connectFails(c));
      await closeConnector(c);
    });
  }

  test('without ssl: the server refuses the plain connection', async () => {
    for (const plain of [undefined, { mode: 'disable' }]) {
      const c = connector('mysql', { url: MY_URL, connectTimeoutMs: 5000, ...(plain ? { ssl: plain } : {}) });
      const err = await connectFails(c);
      // MariaDB 10.11 answers a plain login under require_secure_transport with ER_ACCESS_DENIED_ERROR.
      assert.match(err.message, /1045|insecure transport|secure transport/i, err.message);
      assert.equal(err.kind, 'fatal', `${err.code}: ${err.message}`);
      await closeConnector(c);
    }
  });
});
