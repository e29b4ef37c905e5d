/**
 * Secrets and hostile names.
 * - `cdc-sink run` (a child process, log level debug) with a target URL holding the password of a
 *   dedicated PostgreSQL role and a SASL password for the TLS+SASL broker
 *   (test/infra/kafka-secure/start.sh): neither secret may appear in its stdout/stderr, nor in the
 *   /metrics, /readyz and /healthz bodies, while it works and while it fails (wrong SASL password,
 *   unreachable target). `check-config --print` masks them too, whether the password sits in the
 *   URL's user info or in its query string (?password=, which libpq and node-postgres accept).
 *   The machine's PostgreSQL trusts 127.0.0.1, so the role's password is not checked; it is still a
 *   secret.
 * - A source table named `x"; DROP TABLE y; --` (and columns with quotes) becomes a target table of
 *   exactly that name; table y and its row are untouched, and nothing else appears.
 * - With tables.unmapped: skip, only mapped tables are written (the skipped ones still advance).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { stringify } from 'yaml';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { PG_URL, dropSchema, query, waitFor, withPg } from '../support/postgres.ts';
import { REPO_ROOT, sinkConfigDoc, spawnSink, startSink } from '../support/sink.ts';

const run = promisify(execFile);
const SECURE_BROKER = `127.0.0.1:${process.env.KAFKA_SECURE_PORT ?? '19094'}`;
const CA_FILE = join(process.env.CDC_SINK_HOME ?? join(REPO_ROOT, '.cache'), 'kafka-secure', 'tls', 'ca.crt');
const SASL_USER = 'alice';
const SASL_PASSWORD = 'alice-secret'; // test user of test/infra/kafka-secure/start.sh
const WRONG_SASL_PASSWORD = `wrong-${randomBytes(6).toString('hex')}`;

const id = uniqueName('sec');
const role = `it_secrole_${id.slice(4).replace(/[^a-z0-9]/g, '')}`;
/** The role's password: URL-special characters, so the URL holds it percent-encoded. */
const PG_PASSWORD = `Pg:S3cr@t/${randomBytes(6).toString('hex')}`;
const PG_PASSWORD_IN_URL = encodeURIComponent(PG_PASSWORD);

function roleUrl(password: 'userinfo' | 'query', port = new URL(PG_URL).port || '5432'): string {
  const base = new URL(PG_URL);
  return password === 'userinfo'
    ? `postgres://${role}:${PG_PASSWORD_IN_URL}@${base.hostname}:${port}${base.pathname}`
    : `postgres://${role}@${base.hostname}:${port}${base.pathname}?password=${PG_PASSWORD_IN_URL}`;
}

/** The target section (sinkConfigDoc replaces the target whole). */
function pgTarget(url: string): Record<string, unknown> {
  return { type: 'postgres', url, schema: `it_${id}` };
}

/** Every form in which a secret could leak. */
const SECRET_FORMS = [PG_PASSWORD, PG_PASSWORD_IN_URL, SASL_PASSWORD, WRONG_SASL_PASSWORD];
function leaks(text: string): string[] {
  return SECRET_FORMS.filter((s) => text.includes(s));
}

function secureAdmin(): Kafka {
  return new Kafka({
    clientId: 'cdc-sink-tests',
    brokers: [SECURE_BROKER],
    ssl: { ca: readFileSync(CA_FILE, 'utf8') }, // exists once start.sh ran (before())
    sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' },
    logLevel: logLevel.NOTHING,
  });
}

async function body(url: string): Promise<string> {
  const res = await fetch(url).catch((err: Error) => ({ text: () => Promise.resolve(`fetch failed: ${err.message}`) }));
  return res.text();
}

/** Fetches the three endpoints; returns their bodies joined. */
async function endpoints(base: string): Promise<string> {
  return (await Promise.all(['/healthz', '/readyz', '/metrics'].map((p) => body(`${base}${p}`)))).join('\n');
}

describe('secrets never leak; hostile names are quoted; unmapped tables are skipped', { timeout: 600_000 }, () => {
  const schema = `it_${id}`;
  const kafka = testKafka();
  const topics: string[] = [];
  let admin: Kafka;

  before(async () => {
    await run('bash', [join(REPO_ROOT, 'test/infra/kafka-secure/start.sh')], { timeout: 300_000 });
    admin = secureAdmin();
    await dropSchema(schema);
    await withPg(async (c) => {
      await c.query(`DROP ROLE IF EXISTS ${role}`);
      await c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PG_PASSWORD.replace(/'/g, "''")}'`);
      await c.query(`CREATE SCHEMA "${schema}" AUTHORIZATION ${role}`);
    });
  });

  after(async () => {
    await deleteTopics(admin, topics.filter((t) => t.startsWith(`${id}.sasl`)));
    await deleteTopics(kafka, topics.filter((t) => !t.startsWith(`${id}.sasl`)));
    await dropSchema(schema);
    await withPg((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });

  const secureKafkaSection = (password: string) => ({
    brokers: [SECURE_BROKER],
    tls: { ca: `\${file:${CA_FILE}}` },
    sasl: { mechanism: 'plain', username: SASL_USER, password },
    connectionTimeoutMs: 3000,
  });

  test('a working sink at log level debug prints no secret, nor do its endpoints', async () => {
    const t = new DebeziumTable({ prefix: `${id}.sasl`, schema: 'public', table: 'accounts', key: ['id'], fields: [{ name: 'id', type: 'int64', optional: false }, { name: 'owner', type: 'string' }] });
    topics.push(t.topic);
    await createTopics(admin, [t.topic], 2);
    await produce(admin, t.topic, Array.from({ length: 50 }, (_, i) => t.insert({ id: BigInt(i), owner: `o${i}` })));
    const sink = spawnSink({
      topics: [t.topic],
      groupId: `${id}-ok`,
      schema,
      extra: { kafka: secureKafkaSection(SASL_PASSWORD), target: pgTarget(roleUrl('userinfo')), log: { level: 'debug' } },
    });
    let served: string;
    try {
      await waitFor('50 rows written by the role', async () => {
        if (sink.child.exitCode !== null) return `sink exited: ${sink.output().slice(-2000)}`;
        const rows = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".accounts`).catch(() => [{ n: '0' }]);
        return rows[0]?.n === '50' || `rows ${rows[0]?.n}`;
      }, 120_000);
      served = await endpoints(sink.url);
    } finally {
      sink.child.kill('SIGTERM');
      await sink.exited;
    }
    const owner = await query<{ o: string }>(`SELECT tableowner AS o FROM pg_tables WHERE schemaname = $1 AND tablename = 'accounts'`, [schema]);
    assert.equal(owner[0]?.o, role, 'the sink did not connect as the dedicated role');
    assert.match(served, /"status":"ok"/);
    assert.match(served, /# TYPE/);
    const output = sink.output();
    assert.match(output, /"level":"debug"|"level":20/, 'no debug line was logged: the test would prove little');
    assert.deepEqual(leaks(output), [], `secrets in the sink's output:\n${output.slice(0, 3000)}`);
    assert.deepEqual(leaks(served), [], `secrets in the endpoints:\n${served.slice(0, 3000)}`);
  });

  test('a failing sink (wrong SASL password, then an unreachable target) prints no secret', async () => {
    const t = new DebeziumTable({ prefix: `${id}.sasl`, schema: 'public', table: 'denied', key: ['id'], fields: [{ name: 'id', type: 'int64', optional: false }] });
    topics.push(t.topic);
    await createTopics(admin, [t.topic], 1);
    await produce(admin, t.topic, [t.insert({ id: 1n })]);
    const outputs: string[] = [];
    for (const variant of [
      { kafka: secureKafkaSection(WRONG_SASL_PASSWORD), target: pgTarget(roleUrl('userinfo')) },
      { kafka: secureKafkaSection(SASL_PASSWORD), target: { ...pgTarget(roleUrl('query', '1')), connectTimeoutMs: 500 } },
    ]) {
      const sink = spawnSink({ topics: [t.topic], groupId: `${id}-fail`, schema, extra: { ...variant, log: { level: 'debug' }, errors: { retry: { initialDelayMs: 50, maxDelayMs: 200 } } } });
      let served = '';
      try {
        // wait until it has said why it cannot work: an error line, or it stopped
        await waitFor('the sink reports the failure', async () => {
          if (sink.child.exitCode !== null) return true;
          served = await endpoints(sink.url);
          return /"level":"(error|fatal|warn)"|"level":(40|50|60)/.test(sink.output()) && /not ready/.test(served);
        }, 180_000, 250);
      } finally {
        sink.child.kill('SIGTERM');
        await sink.exited;
      }
      outputs.push(sink.output() + served);
    }
    assert.match(outputs[0] ?? '', /authentication/i, 'the wrong SASL password was not reported as an authentication failure');
    assert.match(outputs[1] ?? '', /ECONNREFUSED|connect/i, 'the unreachable target was not reported');
    for (const out of outputs) assert.deepEqual(leaks(out), [], `secrets in a failing sink's output:\n${out.slice(0, 3000)}`);
  });

  test('check-config --print masks the passwords (URL user info and ?password=)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdc-sink-sec-'));
    for (const form of ['userinfo', 'query'] as const) {
      const file = join(dir, `${form}.yaml`);
      const doc = sinkConfigDoc({ topics: ['t'], groupId: 'g', schema, extra: { kafka: secureKafkaSection(SASL_PASSWORD), target: pgTarget(roleUrl(form)) } });
      writeFileSync(file, stringify(doc));
      const res = await run(process.execPath, [join(REPO_ROOT, 'bin', 'cdc-sink.mjs'), 'check-config', '--config', file, '--print'], { cwd: REPO_ROOT });
      const out = res.stdout + res.stderr;
      assert.match(out, /config ok/);
      assert.match(out, /\*\*\*/, 'nothing was masked');
      assert.match(out, new RegExp(role), 'the printed config lost the user name');
      assert.deepEqual(leaks(out), [], `check-config --print with the password in the ${form} shows a secret:\n${out}`);
    }
  });

  test('a hostile source table name becomes exactly that table; nothing else happens', async () => {
    const evil = 'x"; DROP TABLE y; --';
    const evilColumn = '"); DROP TABLE y; --';
    const t = new DebeziumTable({
      prefix: id,
      schema: 'public',
      table: evil,
      key: ['id'],
      fields: [
        { name: 'id', type: 'int64', optional: false },
        { name: evilColumn, type: 'string' },
        { name: 'a"b', type: 'string' },
      ],
    });
    const topic = `${id}.public.evil`;
    topics.push(topic);
    await withPg(async (c) => {
      await c.query(`CREATE TABLE "${schema}".y (id int PRIMARY KEY)`);
      await c.query(`INSERT INTO "${schema}".y VALUES (42)`);
    });
    await createTopics(kafka, [topic], 1);
    await produce(kafka, topic, [
      t.insert({ id: 1n, [evilColumn]: "'; DROP TABLE y; --", 'a"b': 'q"uote' }),
      t.insert({ id: 2n, [evilColumn]: 'two', 'a"b': null }),
      t.update({ id: 2n, [evilColumn]: 'two!', 'a"b': 'b' }),
      t.delete({ id: 1n }),
      t.insert({ id: 3n, [evilColumn]: 'three', 'a"b': 'c' }),
    ]);
    const before = await query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    const group = `${id}-evil`;
    const { app } = await startSink({ topics: [topic], groupId: group, schema, extra: {} });
    try {
      await waitFor('the evil topic applied', async () => {
        const rows = await query<{ s: string | null }>(`SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets WHERE consumer_group = $1`, [group]).catch(() => [{ s: null }]);
        return rows[0]?.s === '5' || `stored ${rows[0]?.s}`;
      });
    } finally {
      await app.stop();
    }
    const tables = await query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    const added = tables.map((r) => r.t).filter((x) => !before.some((b) => b.t === x));
    assert.deepEqual(added.sort(), ['cdc_sink_offsets', evil].filter((x) => !before.some((b) => b.t === x)).sort());
    assert.deepEqual(await query(`SELECT id FROM "${schema}".y`), [{ id: 42 }]);
    const cols = await query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, [schema, evil]);
    assert.deepEqual(cols.map((c) => c.c), ['id', evilColumn, 'a"b']);
    const rows = await query(`SELECT id::text AS id, "${evilColumn.replace(/"/g, '""')}" AS e, "a""b" AS q FROM "${schema}"."${evil.replace(/"/g, '""')}" ORDER BY 1`);
    assert.deepEqual(rows, [{ id: '2', e: 'two!', q: 'b' }, { id: '3', e: 'three', q: 'c' }]);
  });

  test('tables.unmapped: skip writes only the mapped tables', async () => {
    const fields = [{ name: 'id', type: 'int64' as const, optional: false }, { name: 'v', type: 'string' as const }];
    const mapped = new DebeziumTable({ prefix: id, schema: 'public', table: 'mapped', key: ['id'], fields });
    const other = new DebeziumTable({ prefix: id, schema: 'public', table: 'other', key: ['id'], fields });
    const otherSchema = new DebeziumTable({ prefix: id, schema: 'sales', table: 'mapped_too', key: ['id'], fields });
    for (const x of [mapped, other, otherSchema]) topics.push(x.topic);
    await createTopics(kafka, [mapped.topic, other.topic, otherSchema.topic], 2);
    for (const x of [mapped, other, otherSchema]) {
      await produce(kafka, x.topic, Array.from({ length: 20 }, (_, i) => x.insert({ id: BigInt(i), v: `${x.spec.table}-${i}` })));
    }
    const group = `${id}-unmapped`;
    const all = [mapped.topic, other.topic, otherSchema.topic];
    const { app } = await startSink({
      topics: all,
      groupId: group,
      schema,
      extra: { tables: { unmapped: 'skip', map: [{ source: 'public.mapped' }] } },
    });
    try {
      let want = 0n;
      for (const topic of all) for (const h of (await topicEndOffsets(kafka, topic)).values()) want += BigInt(h);
      await waitFor('every topic consumed (skipped ones too)', async () => {
        const rows = await query<{ s: string | null }>(`SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets WHERE consumer_group = $1`, [group]).catch(() => [{ s: null }]);
        return rows[0]?.s === String(want) || `stored ${rows[0]?.s} of ${want}`;
      });
    } finally {
      await app.stop();
    }
    const written = await query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_name IN ('mapped', 'other', 'mapped_too')`, [schema]);
    assert.deepEqual(written.map((r) => r.t), ['mapped']);
    const n = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".mapped`);
    assert.equal(n[0]?.n, '20');
  });
});
