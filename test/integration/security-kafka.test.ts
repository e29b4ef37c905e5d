/**
 * cdc-sink against a broker that requires TLS and SASL (test/infra/kafka-secure/start.sh: SASL_SSL on
 * 127.0.0.1:19094, a test CA, users for PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512). The sink runs
 * in-process with kafka.tls.ca given as ${file:...} and kafka.sasl.password as ${env:...}:
 * - each mechanism consumes a topic and the target ends with exactly the produced rows;
 * - a wrong password stops the sink with an error (and a /readyz reason) that names authentication
 *   and never contains the password;
 * - a CA that did not sign the broker fails certificate verification at once, as a fatal
 *   CDC_KAFKA_TLS error naming the broker (nothing is consumed).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { App } from '../../services/sink/app.ts';
import { buildApp } from '../../services/sink/app.ts';
import { parseConfig } from '../../services/sink/config/load.ts';
import { errorText } from '../../connectors/core/errors.ts';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { LogCapture, REPO_ROOT, sinkConfigDoc } from '../support/sink.ts';

const run = promisify(execFile);
const BROKER = `127.0.0.1:${process.env.KAFKA_SECURE_PORT ?? '19094'}`;
const TLS_DIR = join(process.env.CDC_SINK_HOME ?? join(REPO_ROOT, '.cache'), 'kafka-secure', 'tls');
const CA_FILE = join(TLS_DIR, 'ca.crt');
const OTHER_CA_FILE = join(TLS_DIR, 'other-ca.crt');
/** Test-only users created by test/infra/kafka-secure/start.sh. */
const USERS = {
  plain: { username: 'alice', password: 'alice-secret' },
  'scram-sha-256': { username: 'scram256', password: 'scram256-secret' },
  'scram-sha-512': { username: 'scram512', password: 'scram512-secret' },
} as const;
type Mechanism = keyof typeof USERS;
const WRONG_PASSWORD = 'Wr0ng-pa55word-that-must-not-leak';

const id = uniqueName('secure');
const schema = `it_${id}`;

function adminKafka(): Kafka {
  return new Kafka({
    clientId: 'cdc-sink-tests',
    brokers: [BROKER],
    ssl: { ca: readFileSync(CA_FILE, 'utf8') },
    sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' },
    logLevel: logLevel.NOTHING,
  });
}

function table(name: string): DebeziumTable {
  return new DebeziumTable({
    prefix: id,
    schema: 'public',
    table: name,
    key: ['id'],
    fields: [
      { name: 'id', type: 'int64', optional: false },
      { name: 'name', type: 'string' },
    ],
  });
}

/** The sink in-process, secrets given as ${env:} and ${file:} references. */
function buildSink(opts: { topic: string; group: string; mechanism: Mechanism; password: string; caFile: string }, logs: LogCapture): App {
  const doc = sinkConfigDoc({
    topics: [opts.topic],
    groupId: opts.group,
    schema,
    extra: {
      kafka: {
        brokers: [BROKER],
        connectionTimeoutMs: 3000,
        tls: { ca: `\${file:${opts.caFile}}` },
        sasl: { mechanism: opts.mechanism, username: USERS[opts.mechanism].username, password: '${env:CDC_IT_KAFKA_PASSWORD}' },
      },
    },
  });
  const config = parseConfig(doc, { env: { CDC_IT_KAFKA_PASSWORD: opts.password }, baseDir: REPO_ROOT });
  return buildApp(config, { logger: logs.logger });
}

/** Starts the app and waits until it stopped by itself; returns the error, the readiness reasons seen and the logs. */
async function expectStop(app: App, logs: LogCapture): Promise<{ error: Error; reasons: string[]; text: string }> {
  const reasons = new Set<string>();
  const poll = setInterval(() => app.telemetry.readiness.status().reasons.forEach((r) => reasons.add(r)), 20);
  try {
    const started = await app.start().then(() => null, (err: unknown) => err as Error);
    const finished = await app.finished;
    app.telemetry.readiness.status().reasons.forEach((r) => reasons.add(r));
    const error = finished ?? started;
    assert.ok(error, 'the sink neither failed to start nor stopped with an error');
    return { error, reasons: [...reasons], text: logs.lines.join('\n') };
  } finally {
    clearInterval(poll);
    await app.stop();
  }
}

describe('Kafka with TLS and SASL', { timeout: 600_000 }, () => {
  let admin: Kafka;
  const topics: string[] = [];

  before(async () => {
    await run('bash', [join(REPO_ROOT, 'test/infra/kafka-secure/start.sh')], { timeout: 300_000 });
    admin = adminKafka();
    await dropSchema(schema);
  });

  after(async () => {
    if (topics.length > 0) await deleteTopics(admin, topics);
    await dropSchema(schema);
  });

  for (const mechanism of Object.keys(USERS) as Mechanism[]) {
    test(`consumes over SASL_SSL with ${mechanism} and writes every row`, async () => {
      const t = table(`users_${mechanism.replace(/-/g, '_')}`);
      topics.push(t.topic);
      await createTopics(admin, [t.topic], 2);
      const n = 300;
      await produce(admin, t.topic, Array.from({ length: n }, (_, i) => t.insert({ id: BigInt(i), name: `${mechanism}-${i}` })));

      const logs = new LogCapture();
      const app = buildSink({ topic: t.topic, group: `${id}-${mechanism}`, mechanism, password: USERS[mechanism].password, caFile: CA_FILE }, logs);
      try {
        await app.start();
        await waitFor(`${n} rows over ${mechanism}`, async () => {
          const rows = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}"."${t.spec.table}"`).catch(() => [{ n: '0' }]);
          return rows[0]?.n === String(n) || `rows: ${rows[0]?.n}`;
        }, 120_000);
        assert.equal(app.telemetry.readiness.ready, true, JSON.stringify(app.telemetry.readiness.status()));
      } finally {
        await app.stop();
      }
      assert.equal(await app.finished, null);
      const rows = await query<{ id: string; name: string }>(`SELECT t.id::text AS id, t.name FROM "${schema}"."${t.spec.table}" t ORDER BY t.id`);
      assert.deepEqual(rows, Array.from({ length: n }, (_, i) => ({ id: String(i), name: `${mechanism}-${i}` })));
      assert.ok(!logs.lines.join('\n').includes(USERS[mechanism].password), 'the SASL password appears in the logs');
    });
  }

  for (const mechanism of ['plain', 'scram-sha-512'] as const) {
    test(`a wrong ${mechanism} password stops the sink with an authentication error that does not contain the password`, async () => {
      const t = table(`denied_${mechanism.replace(/-/g, '_')}`);
      topics.push(t.topic);
      await createTopics(admin, [t.topic], 1);
      await produce(admin, t.topic, [t.insert({ id: 1n, name: 'x' })]);
      const logs = new LogCapture('debug');
      const app = buildSink({ topic: t.topic, group: `${id}-denied-${mechanism}`, mechanism, password: WRONG_PASSWORD, caFile: CA_FILE }, logs);
      const { error, reasons, text } = await expectStop(app, logs);
      const message = errorText(error);
      assert.match(message, /authentication/i, message);
      assert.ok(!message.includes(WRONG_PASSWORD), `the password is in the error: ${message}`);
      assert.ok(reasons.some((r) => /authentication/i.test(r)), `no /readyz reason names authentication: ${JSON.stringify(reasons)}`);
      assert.ok(!reasons.join('\n').includes(WRONG_PASSWORD), 'the password is in a /readyz reason');
      assert.ok(!text.includes(WRONG_PASSWORD), 'the password is in the logs');
      const tables = await query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`, [schema, t.spec.table]);
      assert.equal(tables.length, 0, 'rows were written although authentication failed');
    });
  }

  test('a CA that did not sign the broker fails TLS verification and nothing is consumed', async () => {
    const t = table('wrong_ca');
    topics.push(t.topic);
    await createTopics(admin, [t.topic], 1);
    await produce(admin, t.topic, [t.insert({ id: 1n, name: 'x' })]);
    const logs = new LogCapture('debug');
    const app = buildSink({ topic: t.topic, group: `${id}-wrongca`, mechanism: 'plain', password: USERS.plain.password, caFile: OTHER_CA_FILE }, logs);
    const { error, reasons } = await expectStop(app, logs);
    const message = errorText(error);
    assert.match(message, /certificate/i, message);
    // Fatal at once (the TLS preflight), not after minutes of kafkajs retrying the handshake.
    assert.equal((error as { code?: string }).code, 'CDC_KAFKA_TLS', message);
    assert.match(message, new RegExp(`broker ${BROKER.replace(/\./g, '\\.')}`), message);
    assert.ok(reasons.length > 0 && !app.telemetry.readiness.ready, 'ready although TLS failed');
    const tables = await query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`, [schema, t.spec.table]);
    assert.equal(tables.length, 0);
  });
});
