/**
 * The target loses its connections while events flow. With the sink running in-process against
 * PostgreSQL (then MariaDB), the test repeatedly kills the sink's database sessions
 * (pg_terminate_backend / KILL), then makes the target refuse the sink's new connections for a
 * while, then lets it in again. The sink must retry with backoff and recover by itself (same
 * app, no restart), /readyz must say "not ready" with the target's reason while it cannot write
 * and "ready" afterwards, and the target must end exactly at the state the events describe: an
 * upsert table and an append-only journal (a change applied twice would be an extra journal row).
 *
 * How the sink's sessions are found and refused, without pg_hba or server restarts:
 * - PostgreSQL: the sink connects as a dedicated role it_connloss_sink to a dedicated database
 *   it_connloss; its sessions carry application_name 'cdc-sink' (the connector's default,
 *   options.applicationName). Refusal: ALTER ROLE ... CONNECTION LIMIT 0 ("too many connections
 *   for role", SQLSTATE 53300, retriable), then back to -1.
 * - MariaDB: the sink connects as user it_connloss_sink (mysql2 sets no program name the
 *   processlist shows, so the user identifies its sessions). Refusal: MAX_USER_CONNECTIONS 1 with
 *   the one slot held by the test (ER_USER_LIMIT_REACHED 1226, retriable), then back to 0.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import pg from 'pg';
import { errorText } from '../../connectors/core/errors.ts';
import type { App } from '../../services/sink/app.ts';
import { buildApp } from '../../services/sink/app.ts';
import { parseConfig } from '../../services/sink/config/load.ts';
import { MysqlReader } from '../contract/readers/mysql.ts';
import { PostgresReader } from '../contract/readers/postgres.ts';
import type { TargetReader } from '../contract/readers/reader.ts';
import { DebeziumTable, type ChangeRecord } from '../support/debezium-events.ts';
import { KAFKA_BROKERS, createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { PG_URL, waitFor } from '../support/postgres.ts';
import { LogCapture, REPO_ROOT } from '../support/sink.ts';

const kafka = testKafka();
const SINK_USER = 'it_connloss_sink';
const MYSQL_BASE = (process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What the test needs from a target database. */
interface LossTarget {
  readonly name: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** The `target` config section: connects as the dedicated user. */
  targetConfig(): Record<string, unknown>;
  readonly defaultSchema: string | null;
  /** Kills every session of the sink; returns how many there were. */
  killSinkSessions(): Promise<number>;
  /** From now on the sink's new connections fail (retriably); its current ones are killed. */
  refuse(): Promise<void>;
  allow(): Promise<void>;
  openReader(): Promise<TargetReader>;
}

function pgUrl(user: string, database: string): string {
  const u = new URL(PG_URL);
  u.username = user;
  u.password = '';
  u.pathname = `/${database}`;
  return u.toString();
}

async function pgAdmin(sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await c.query(sql, values);
  } finally {
    await c.end();
  }
}

const PG_DB = 'it_connloss';

const postgresLoss: LossTarget = {
  name: 'PostgreSQL',
  defaultSchema: 'sink',
  async setup() {
    await this.teardown();
    await pgAdmin(`CREATE ROLE ${SINK_USER} LOGIN`);
    await pgAdmin(`CREATE DATABASE ${PG_DB} OWNER ${SINK_USER}`);
  },
  async teardown() {
    await pgAdmin(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
    await pgAdmin(`DROP ROLE IF EXISTS ${SINK_USER}`);
  },
  targetConfig: () => ({ type: 'postgres', url: pgUrl(SINK_USER, PG_DB), schema: 'sink', poolSize: 3, connectTimeoutMs: 2000 }),
  async killSinkSessions() {
    const res = await pgAdmin(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND datname = $2 AND application_name = $3',
      [SINK_USER, PG_DB, 'cdc-sink'],
    );
    return res.rowCount ?? 0;
  },
  async refuse() {
    await pgAdmin(`ALTER ROLE ${SINK_USER} CONNECTION LIMIT 0`);
    await this.killSinkSessions();
  },
  async allow() {
    await pgAdmin(`ALTER ROLE ${SINK_USER} CONNECTION LIMIT -1`);
  },
  openReader: () => PostgresReader.open(pgUrl('postgres', PG_DB), 'sink'),
};

async function mysqlConnect(user: string, database?: string): Promise<Connection> {
  const u = new URL(MYSQL_BASE);
  return createConnection({ host: u.hostname, port: Number(u.port || 3306), user, password: user === SINK_USER ? '' : decodeURIComponent(u.password), ...(database ? { database } : {}) });
}

async function mysqlAdmin(sql: string): Promise<RowDataPacket[]> {
  const c = await mysqlConnect(decodeURIComponent(new URL(MYSQL_BASE).username));
  try {
    return (await c.query<RowDataPacket[]>(sql))[0];
  } finally {
    await c.end();
  }
}

const MY_DB = 'it_connloss_my';
let blocker: Connection | null = null;

const mysqlLoss: LossTarget = {
  name: 'MariaDB',
  defaultSchema: null,
  async setup() {
    await this.teardown();
    await mysqlAdmin(`CREATE DATABASE ${MY_DB}`);
    await mysqlAdmin(`CREATE USER '${SINK_USER}'@'%'`);
    await mysqlAdmin(`GRANT ALL ON ${MY_DB}.* TO '${SINK_USER}'@'%'`);
  },
  async teardown() {
    await blocker?.end().catch(() => undefined);
    blocker = null;
    await mysqlAdmin(`DROP USER IF EXISTS '${SINK_USER}'@'%'`);
    await mysqlAdmin(`DROP DATABASE IF EXISTS ${MY_DB}`);
  },
  targetConfig: () => ({ type: 'mysql', url: `${MYSQL_BASE.replace(/\/\/[^@]*@/, `//${SINK_USER}@`)}/${MY_DB}`, poolSize: 3, connectTimeoutMs: 2000 }),
  async killSinkSessions() {
    const rows = await mysqlAdmin(`SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = '${SINK_USER}'`);
    let killed = 0;
    for (const r of rows) {
      if (blocker !== null && Number(r.id) === blocker.threadId) continue;
      // The session may end by itself in between: "Unknown thread id" is fine.
      killed += await mysqlAdmin(`KILL CONNECTION ${Number(r.id)}`).then(() => 1, () => 0);
    }
    return killed;
  },
  async refuse() {
    await mysqlAdmin(`ALTER USER '${SINK_USER}'@'%' WITH MAX_USER_CONNECTIONS 1`);
    // The limit applies once the user's sessions are gone; the test then holds the one slot.
    // The sink may slip in between: kill and try again.
    await waitFor('the test holds the only connection slot of the sink user', async () => {
      await this.killSinkSessions();
      try {
        blocker = await mysqlConnect(SINK_USER, MY_DB);
        return true;
      } catch (err) {
        return String(err);
      }
    }, 30_000, 50);
    await this.killSinkSessions();
  },
  async allow() {
    await mysqlAdmin(`ALTER USER '${SINK_USER}'@'%' WITH MAX_USER_CONNECTIONS 0`);
    await blocker?.end();
    blocker = null;
  },
  openReader: () => MysqlReader.open(`${MYSQL_BASE}/${MY_DB}`),
};

// ---- the workload: an upsert table and an append-only journal, produced in rounds ------------
interface Workload {
  readonly rounds: { accounts: ChangeRecord[]; journal: ChangeRecord[] }[];
  readonly expected: Map<string, string>;
  readonly journalRows: number;
}

function workload(accounts: DebeziumTable, journal: DebeziumTable, rounds: number, perRound: number): Workload {
  let seed = 1234;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const state = new Map<number, { balance: string; version: number }>();
  let seq = 0;
  const out: Workload['rounds'] = [];
  for (let r = 0; r < rounds; r++) {
    const acc: ChangeRecord[] = [];
    for (let i = 0; i < perRound; i++) {
      const k = Math.floor(rand() * 300);
      const cur = state.get(k);
      if (cur && rand() < 0.1) {
        state.delete(k);
        acc.push(accounts.delete({ id: BigInt(k) }), accounts.tombstone({ id: BigInt(k) }));
        continue;
      }
      const next = { balance: `${r * 100000 + i}.${String(k % 100).padStart(2, '0')}`, version: (cur?.version ?? 0) + 1 };
      state.set(k, next);
      const row = { id: BigInt(k), balance: next.balance, version: next.version };
      acc.push(cur ? accounts.update(row) : accounts.insert(row));
    }
    const jr = Array.from({ length: perRound }, () => {
      const s = seq++;
      return journal.insert({ seq: BigInt(s), account: BigInt(s % 300), amount: `${s}.01` });
    });
    out.push({ accounts: acc, journal: jr });
  }
  const expected = new Map([...state].map(([k, v]) => [String(k), `${v.balance}|${v.version}`]));
  return { rounds: out, expected, journalRows: seq };
}

async function readyz(app: App): Promise<{ status: number; reasons: string[] }> {
  const res = await fetch(`${app.httpAddress()}/readyz`);
  const body = (await res.json()) as { reasons?: string[] };
  return { status: res.status, reasons: body.reasons ?? [] };
}

async function metricValue(app: App, name: string): Promise<number> {
  const text = await (await fetch(`${app.httpAddress()}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0);
}

/** One scenario: its own topics, consumer group and in-process sink against the target. */
class Scenario {
  readonly id = uniqueName('connloss');
  readonly accounts = new DebeziumTable({
    prefix: this.id, schema: 'public', table: 'accounts', key: ['id'],
    fields: [
      { name: 'id', type: 'int64', optional: false },
      { name: 'balance', type: { decimal: { precision: 18, scale: 2 } } },
      { name: 'version', type: 'int32' },
    ],
  });
  readonly journal = new DebeziumTable({
    prefix: this.id, schema: 'public', table: 'journal', key: [],
    fields: [
      { name: 'seq', type: 'int64', optional: false },
      { name: 'account', type: 'int64' },
      { name: 'amount', type: { decimal: { precision: 18, scale: 2 } } },
    ],
  });
  readonly topics = [this.accounts.topic, this.journal.topic];
  readonly group = `${this.id}-g`;
  readonly logs = new LogCapture('warn');
  private sink: App | null = null;
  private stopped: { by: Error | null } | null = null;

  constructor(private readonly target: LossTarget) {}

  get app(): App {
    assert.ok(this.sink, 'the sink is not started');
    return this.sink;
  }

  async start(): Promise<void> {
    await createTopics(kafka, this.topics, 3);
    const doc = {
      kafka: { brokers: KAFKA_BROKERS, groupId: this.group, topics: this.topics, maxWaitTimeMs: 50 },
      target: this.target.targetConfig(),
      batch: { maxRows: 40, maxAgeMs: 20 },
      tables: { defaultSchema: this.target.defaultSchema, map: [{ source: 'public.journal', mode: 'append' }] },
      errors: { retry: { initialDelayMs: 50, maxDelayMs: 500 } },
      http: { port: 0, host: '127.0.0.1' },
      log: { level: 'warn' },
    };
    this.sink = buildApp(parseConfig(doc, { env: {}, baseDir: REPO_ROOT }), { logger: this.logs.logger });
    void this.sink.finished.then((e) => (this.stopped = { by: e }));
    await this.sink.start();
  }

  /** Fails the test at once, with the reason and the last warnings, when the sink stopped by itself. */
  running(): void {
    if (this.stopped === null) return;
    const lines = this.logs.lines.filter((l) => /"level":(40|50|60)/.test(l)).slice(-6).join('\n');
    assert.fail(`the sink stopped by itself: ${this.stopped.by ? errorText(this.stopped.by) : 'no error'}\n${lines}`);
  }

  async produce(round: Workload['rounds'][number]): Promise<void> {
    await produce(kafka, this.accounts.topic, round.accounts);
    await produce(kafka, this.journal.topic, round.journal);
  }

  /** Waits until /readyz says 503 with a reason of one of the components; returns that reason. */
  async notReady(components: readonly string[]): Promise<string> {
    let reason = '';
    await waitFor(`/readyz reports ${components.join(' or ')} not ready`, async () => {
      this.running();
      const r = await readyz(this.app);
      reason = r.reasons.find((x) => components.some((c) => x.startsWith(`${c}:`))) ?? '';
      return (r.status === 503 && reason !== '') || JSON.stringify(r);
    }, 60_000, 100);
    return reason;
  }

  async ready(): Promise<void> {
    await waitFor('/readyz reports ready', async () => {
      this.running();
      const r = await readyz(this.app);
      return r.status === 200 || JSON.stringify(r);
    }, 120_000, 100);
  }

  async applied(): Promise<void> {
    let want = 0n;
    for (const t of this.topics) for (const high of (await topicEndOffsets(kafka, t)).values()) want += BigInt(high);
    await waitFor('every record applied', async () => {
      this.running();
      const stored = await this.app.connector.readOffsets(this.group).catch(() => []);
      const got = stored.filter((o) => this.topics.includes(o.topic)).reduce((s, o) => s + BigInt(o.nextOffset), 0n);
      return got === want || `stored ${got} of ${want}`;
    }, 120_000, 200);
  }

  /** The target holds exactly the expected state: nothing lost, nothing applied twice. */
  async verify(work: Workload): Promise<void> {
    const reader = await this.target.openReader();
    try {
      const rows = await reader.rows('accounts', [{ name: 'id', as: 'int' }, { name: 'balance', as: 'text' }, { name: 'version', as: 'int' }], ['id']);
      const got = new Map(rows.map(([k, b, v]) => [String(k), `${b}|${v}`]));
      assert.equal(got.size, work.expected.size);
      assert.deepEqual(got, work.expected);
      const seqs = (await reader.rows('journal', [{ name: 'seq', as: 'int' }], ['seq'])).map(([s]) => s);
      assert.equal(seqs.length, work.journalRows, 'journal rows (an extra one is a change applied twice)');
      assert.deepEqual(seqs, Array.from({ length: work.journalRows }, (_, i) => String(i)));
      await reader.dropTable('accounts');
      await reader.dropTable('journal');
    } finally {
      await reader.close();
    }
  }

  async close(): Promise<void> {
    await this.sink?.stop();
    await deleteTopics(kafka, this.topics);
  }
}

for (const target of [postgresLoss, mysqlLoss]) {
  describe(`target connection loss: ${target.name}`, () => {
    before(() => target.setup());
    after(async () => {
      await target.allow().catch(() => undefined);
      await target.teardown();
    });

    test('sessions killed mid-stream and a refusal window: the sink recovers by itself, exactly once', { timeout: 300_000 }, async (t) => {
      const s = new Scenario(target);
      t.after(() => s.close());
      const work = workload(s.accounts, s.journal, 10, 250);
      await s.start();

      // Phase 1: kill the sink's sessions again and again while rounds of events arrive.
      let seed = 99;
      const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      let killed = 0;
      for (const round of work.rounds.slice(0, 8)) {
        await s.produce(round);
        for (let k = 0; k < 3; k++) {
          await sleep(20 + rand() * 200);
          killed += await target.killSinkSessions();
          s.running();
        }
      }
      assert.ok(killed > 0, 'the test killed sessions of the sink');

      // Phase 2: the target refuses the sink while more events arrive; /readyz must say why.
      await target.refuse();
      for (const round of work.rounds.slice(8)) await s.produce(round);
      const reason = await s.notReady(['target']);
      s.running();

      // Phase 3: let it in again: ready, and every record applied exactly once.
      await target.allow();
      await s.ready();
      await s.applied();
      s.running();
      assert.ok((await metricValue(s.app, 'cdc_sink_retries_total')) > 0, 'writes failed and were retried');
      assert.ok(s.logs.find(/retrying/) !== undefined, 'retries were logged');
      await s.verify(work);
      t.diagnostic(`${target.name}: killed ${killed} sessions; not-ready reason: ${reason.slice(0, 300)}`);
    });

    // A rebalance makes the sink read its stored offsets from the target (Pipeline.assign): when
    // the target refuses connections at that moment, the sink must wait and retry like a write does.
    test('the target refuses the sink during a consumer-group rebalance: it waits, then resumes exactly once', { timeout: 300_000 }, async (t) => {
      const s = new Scenario(target);
      t.after(() => s.close());
      const work = workload(s.accounts, s.journal, 3, 200);
      await s.start();
      await s.produce(work.rounds[0]!);
      await s.applied();

      await target.refuse();
      // A second member joins the group: the broker rebalances and the sink is assigned again.
      const member = kafka.consumer({ groupId: s.group, sessionTimeout: 10_000, heartbeatInterval: 500 });
      t.after(() => member.disconnect());
      await member.connect();
      await member.subscribe({ topics: s.topics, fromBeginning: false });
      const joined = new Promise<void>((resolve) => member.on(member.events.GROUP_JOIN, () => resolve()));
      // It never processes (nor commits) anything: it only takes part in the rebalance.
      await member.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => { await sleep(200); } });
      await joined; // the rebalance is done: the sink has been assigned again while the target refuses it
      await s.produce(work.rounds[1]!);
      const reason = await s.notReady(['assignment', 'target']);
      await sleep(2000); // while refused, keep going (a stop shows in running())
      s.running();

      // The target takes connections again; then the member leaves and the sink gets every partition back.
      await target.allow();
      await s.ready();
      await member.disconnect();
      await s.produce(work.rounds[2]!);
      await s.applied();
      s.running();
      await s.verify(work);
      t.diagnostic(`${target.name}: not-ready reason during the rebalance: ${reason.slice(0, 300)}`);
    });
  });
}
