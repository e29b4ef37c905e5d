/**
 * Cross-engine fidelity: the same Debezium events (PostgreSQL-shaped and MySQL-shaped) go through
 * the real broker into two sinks at once, one writing to PostgreSQL and one to MariaDB (two
 * in-process apps, two consumer groups). Both targets are read back row by row as normalized text
 * (the contract suite's readers: values converted to text in SQL) and must equal each other and
 * the state the events describe: decimal text, timestamps with 6 fraction digits, JSON compared
 * structurally, uuid lower-case, bytes hex, enum and set text, int64 text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createConnection } from 'mysql2/promise';
import type { App } from '../../services/sink/app.ts';
import { buildApp } from '../../services/sink/app.ts';
import { parseConfig } from '../../services/sink/config/load.ts';
import { MysqlReader } from '../contract/readers/mysql.ts';
import { PostgresReader } from '../contract/readers/postgres.ts';
import { canonicalDecimal, canonicalJson, readColumns, type Cell, type ReadAs, type TargetReader } from '../contract/readers/reader.ts';
import { DebeziumTable, jsonText, type ChangeRecord } from '../support/debezium-events.ts';
import { KAFKA_BROKERS, createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { PG_URL, dropSchema, waitFor } from '../support/postgres.ts';
import { LogCapture, REPO_ROOT, sinkConfigDoc } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('xeng');
const pgSchema = `it_xeng_pg_${id.split('_').slice(1).join('')}`;
const myDatabase = `it_xeng_my_${id.split('_').slice(1).join('')}`;
const MYSQL_BASE = (process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');

type Raw = Record<string, unknown>;

// ---- the PostgreSQL-shaped source table (test/support DebeziumTable) -------------------------
const pgTable = new DebeziumTable({
  prefix: id,
  schema: 'public',
  table: 'xe_accounts',
  key: ['id'],
  fields: [
    { name: 'id', type: 'int64', optional: false },
    { name: 'name', type: 'string' },
    { name: 'amount', type: { decimal: { precision: 38, scale: 18 } } },
    { name: 'created_at', type: 'micro-timestamp' },
    { name: 'updated_at', type: 'zoned-timestamp' },
    { name: 'birth', type: 'date' },
    { name: 'attrs', type: 'json' },
    { name: 'ext', type: 'uuid' },
    { name: 'photo', type: 'bytes' },
    { name: 'active', type: 'boolean' },
    { name: 'score', type: 'double' },
    { name: 'big', type: 'int64' },
  ],
});


// ---- MySQL-shaped envelopes (local: test/support builds PostgreSQL-shaped ones only) -----------
interface MyField {
  readonly name: string;
  readonly kind:
    | 'int8' | 'int64' | 'string' | 'decimal' | 'enum' | 'set' | 'micro-timestamp' | 'zoned-timestamp'
    | 'micro-time' | 'year' | 'json' | 'bytes' | 'float' | 'bits';
  readonly optional?: boolean;
  readonly precision?: number;
  readonly scale?: number;
  readonly allowed?: readonly string[];
  /** bits: the bit length. */
  readonly length?: number;
}

function decimalBase64(text: string, scale: number): string {
  const [i = '0', frac = ''] = text.replace('-', '').split('.');
  let n = BigInt(i + frac.padEnd(scale, '0').slice(0, scale));
  if (text.startsWith('-')) n = -n;
  const bytes: number[] = [];
  let v = n;
  for (;;) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
    const top = (bytes[0] ?? 0) & 0x80;
    if ((v === 0n && top === 0) || (v === -1n && top !== 0)) break;
  }
  return Buffer.from(bytes).toString('base64');
}

/** The Kafka Connect schema of a field, as Debezium's MySQL connector writes it. */
function myFieldSchema(f: MyField): Record<string, unknown> {
  const optional = f.optional ?? true;
  const logical = (type: string, name: string, parameters?: Record<string, string>) => ({
    type, optional, name, version: 1, ...(parameters ? { parameters } : {}), field: f.name,
  });
  switch (f.kind) {
    case 'decimal':
      return logical('bytes', 'org.apache.kafka.connect.data.Decimal', { scale: String(f.scale), 'connect.decimal.precision': String(f.precision) });
    case 'enum':
      return logical('string', 'io.debezium.data.Enum', { allowed: (f.allowed ?? []).join(',') });
    case 'set':
      return logical('string', 'io.debezium.data.EnumSet', { allowed: (f.allowed ?? []).join(',') });
    case 'micro-timestamp':
      return logical('int64', 'io.debezium.time.MicroTimestamp');
    case 'zoned-timestamp':
      return logical('string', 'io.debezium.time.ZonedTimestamp');
    case 'micro-time':
      return logical('int64', 'io.debezium.time.MicroTime');
    case 'year':
      return logical('int32', 'io.debezium.time.Year');
    case 'json':
      return logical('string', 'io.debezium.data.Json');
    case 'bits':
      return logical('bytes', 'io.debezium.data.Bits', { length: String(f.length) });
    default:
      return { type: f.kind, optional, field: f.name };
  }
}

function myWire(f: MyField, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (f.kind === 'decimal') return decimalBase64(v as string, f.scale ?? 0);
  if (f.kind === 'bytes') return (v as Buffer).toString('base64');
  if (f.kind === 'bits') {
    // The bits as an unsigned number, little-endian, padded to ceil(n/8) bytes (as MySQL's BIT(n)).
    const bytes = Buffer.alloc(Math.ceil((f.length ?? 1) / 8));
    let n = Number(v);
    for (let i = 0; i < bytes.length; i++, n = Math.floor(n / 256)) bytes[i] = n & 0xff;
    return bytes.toString('base64');
  }
  return v;
}

const MYSQL_SOURCE_SCHEMA = {
  type: 'struct',
  fields: [
    { type: 'string', optional: false, field: 'version' },
    { type: 'string', optional: false, field: 'connector' },
    { type: 'string', optional: false, field: 'name' },
    { type: 'int64', optional: false, field: 'ts_ms' },
    { type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' }, default: 'false', field: 'snapshot' },
    { type: 'string', optional: false, field: 'db' },
    { type: 'string', optional: true, field: 'sequence' },
    { type: 'int64', optional: true, field: 'ts_us' },
    { type: 'int64', optional: true, field: 'ts_ns' },
    { type: 'string', optional: true, field: 'table' },
    { type: 'int64', optional: false, field: 'server_id' },
    { type: 'string', optional: true, field: 'gtid' },
    { type: 'string', optional: false, field: 'file' },
    { type: 'int64', optional: false, field: 'pos' },
    { type: 'int32', optional: false, field: 'row' },
    { type: 'int64', optional: true, field: 'thread' },
    { type: 'string', optional: true, field: 'query' },
  ],
  optional: false,
  name: 'io.debezium.connector.mysql.Source',
  version: 1,
  field: 'source',
};

/** Envelopes like Debezium's MySQL connector: topic prefix.db.table, full `before` on update and delete. */
class MysqlEventTable {
  private readonly valueSchema: Record<string, unknown>;
  private readonly keySchema: Record<string, unknown>;
  private pos = 1000;

  constructor(readonly spec: { prefix: string; database: string; table: string; key: readonly string[]; fields: readonly MyField[] }) {
    const base = `${spec.prefix}.${spec.database}.${spec.table}`;
    this.valueSchema = { type: 'struct', fields: spec.fields.map(myFieldSchema), optional: true, name: `${base}.Value` };
    this.keySchema = {
      type: 'struct',
      fields: spec.key.map((k) => ({ ...myFieldSchema(this.field(k)), optional: false })),
      optional: false,
      name: `${base}.Key`,
    };
  }

  get topic(): string {
    return `${this.spec.prefix}.${this.spec.database}.${this.spec.table}`;
  }

  private field(name: string): MyField {
    const f = this.spec.fields.find((x) => x.name === name);
    if (!f) throw new Error(`no field ${name}`);
    return f;
  }

  private encode(row: Raw): Raw {
    return Object.fromEntries(this.spec.fields.map((f) => [f.name, myWire(f, row[f.name])]));
  }

  private key(row: Raw): string {
    const payload = Object.fromEntries(this.spec.key.map((k) => [k, myWire(this.field(k), row[k])]));
    return jsonText({ schema: this.keySchema, payload });
  }

  private envelope(op: string, before: Raw | null, after: Raw | null): string {
    this.pos += 250;
    const ts = 1710490831000;
    const source = {
      version: '3.2.4.Final', connector: 'mysql', name: this.spec.prefix, ts_ms: ts, snapshot: 'false',
      db: this.spec.database, sequence: null, ts_us: ts * 1000, ts_ns: BigInt(ts) * 1_000_000n,
      table: this.spec.table, server_id: 223344, gtid: null, file: 'mysql-bin.000003', pos: this.pos, row: 0, thread: 7, query: null,
    };
    const schema = {
      type: 'struct',
      fields: [
        { ...this.valueSchema, field: 'before' },
        { ...this.valueSchema, field: 'after' },
        MYSQL_SOURCE_SCHEMA,
        { type: 'string', optional: false, field: 'op' },
        { type: 'int64', optional: true, field: 'ts_ms' },
      ],
      optional: false,
      name: `${this.spec.prefix}.${this.spec.database}.${this.spec.table}.Envelope`,
      version: 2,
    };
    const payload = { before: before && this.encode(before), after: after && this.encode(after), source, op, ts_ms: Date.now() };
    return jsonText({ schema, payload });
  }

  insert(row: Raw): ChangeRecord {
    return { key: this.key(row), value: this.envelope('c', null, row) };
  }

  update(row: Raw, before?: Raw): ChangeRecord {
    return { key: this.key(row), value: this.envelope('u', before ?? null, row) };
  }

  delete(keyRow: Raw, before?: Raw): ChangeRecord {
    return { key: this.key(keyRow), value: this.envelope('d', before ?? keyRow, null) };
  }

  tombstone(keyRow: Raw): ChangeRecord {
    return { key: this.key(keyRow), value: null };
  }
}

// ---- the MySQL-shaped source table (local builder: enum, set, int8, year, micro time) --------
const MY_FIELDS: readonly MyField[] = [
  { name: 'id', kind: 'int64', optional: false },
  { name: 'price', kind: 'decimal', precision: 10, scale: 2 },
  { name: 'neg', kind: 'decimal', precision: 30, scale: 8 },
  { name: 'status', kind: 'enum', allowed: ['pending', 'paid', 'shipped'] },
  { name: 'features', kind: 'set', allowed: ['wifi', 'parking', 'pool'] },
  { name: 'tiny', kind: 'int8' },
  { name: 'created_us', kind: 'micro-timestamp' },
  { name: 'changed', kind: 'zoned-timestamp' },
  { name: 'opens_at', kind: 'micro-time' },
  { name: 'yr', kind: 'year' },
  { name: 'attrs', kind: 'json' },
  { name: 'blob', kind: 'bytes' },
  { name: 'note', kind: 'string' },
  { name: 'big', kind: 'int64' },
  { name: 'ratio', kind: 'float' },
  { name: 'flags', kind: 'bits', length: 10 },
];
const myTable = new MysqlEventTable({ prefix: id, database: 'inventory', table: 'xe_orders', key: ['id'], fields: MY_FIELDS });


/** How each column reads back and what text the event value must become. */
interface Column {
  readonly as: ReadAs;
  expected(v: unknown): string;
}

const pad = (n: number | bigint, w: number) => String(n).padStart(w, '0');

function microsText(us: bigint): string {
  const day = 86_400_000_000n;
  const days = us >= 0n ? us / day : -((-us + day - 1n) / day);
  const rest = us - days * day;
  const d = new Date(Number(days) * 86_400_000);
  const secs = rest / 1_000_000n;
  return `${d.toISOString().slice(0, 10)} ${pad(secs / 3600n, 2)}:${pad((secs / 60n) % 60n, 2)}:${pad(secs % 60n, 2)}.${pad(rest % 1_000_000n, 6)}`;
}

const col = {
  int: { as: 'int', expected: (v) => String(v) },
  text: { as: 'text', expected: (v) => String(v) },
  decimal: { as: 'decimal', expected: (v) => canonicalDecimal(String(v)) },
  float: { as: 'float', expected: (v) => canonicalDecimal(String(v)) },
  bool: { as: 'bool', expected: (v) => String(v) },
  micros: { as: 'timestamp', expected: (v) => microsText(BigInt(v as bigint)) },
  zoned: {
    as: 'timestamptz',
    expected: (v) => {
      const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(String(v));
      assert.ok(m, `zoned timestamp ${String(v)}`);
      return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(6, '0')}`;
    },
  },
  date: { as: 'date', expected: (v) => new Date(Number(v) * 86_400_000).toISOString().slice(0, 10) },
  time: { as: 'time', expected: (v) => microsText(BigInt(v as bigint)).slice(11) },
  json: { as: 'json', expected: (v) => canonicalJson(String(v)) },
  uuid: { as: 'uuid', expected: (v) => String(v).toLowerCase() },
  bytes: { as: 'bytes', expected: (v) => (v as Buffer).toString('hex') },
} satisfies Record<string, Column>;

function bits(length: number): Column & { bits: number } {
  return { as: 'bits', bits: length, expected: (v) => Number(v).toString(2).padStart(length, '0') };
}

const PG_COLUMNS: Record<string, Column> = {
  id: col.int, name: col.text, amount: col.decimal, created_at: col.micros, updated_at: col.zoned, birth: col.date,
  attrs: col.json, ext: col.uuid, photo: col.bytes, active: col.bool, score: col.float, big: col.int,
};
const MY_COLUMNS: Record<string, Column> = {
  id: col.int, price: col.decimal, neg: col.decimal, status: col.text, features: col.text, tiny: col.int,
  created_us: col.micros, changed: col.zoned, opens_at: col.time, yr: col.int, attrs: col.json, blob: col.bytes,
  note: col.text, big: col.int, ratio: col.float, flags: bits(10),
};

// ---- workloads: inserts, updates, deletes (+ tombstones), re-inserts; the final state -------
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function pgRow(k: bigint, v: number, rand: () => number): Raw {
  const neg = rand() < 0.5 ? '-' : '';
  const us = BigInt(Math.floor((rand() - 0.3) * 4e15)); // 1843 .. 2096, also before 1970
  return {
    id: k,
    name: [`n${v}`, 'ünïcødé ✓', '中文', '', "quote ' and \\ back"][v % 5],
    amount: [`${neg}12345678901234567890.123456789012345678`, '0.000000000000000001', `${neg}${v}.5`, '0'][v % 4],
    created_at: us,
    updated_at: [`2024-03-15T08:20:30.${pad(v % 1_000_000, 6)}Z`, '1969-12-31T23:59:59.999999Z', '2038-01-19T03:14:08.000000Z'][v % 3],
    birth: Math.floor((rand() - 0.4) * 60_000),
    attrs: JSON.stringify({ v, nested: { list: [1, 2.5, 'x', null, true] }, text: 'é"\\' }),
    ext: `a0eebc99-9c0b-4ef8-bb6d-${pad(v, 12)}`,
    photo: Buffer.from([0, v & 0xff, 255, 0, (v >> 8) & 0xff]),
    active: v % 2 === 0,
    score: v + 0.25,
    big: v % 2 === 0 ? INT64_MAX - BigInt(v) : INT64_MIN + BigInt(v),
  };
}

function myRow(k: bigint, v: number, rand: () => number): Raw {
  return {
    id: k,
    price: `${v % 100000000}.${pad(v % 100, 2)}`,
    neg: `-${Math.floor(rand() * 1e9)}.${pad(v % 100000000, 8)}`,
    status: ['pending', 'paid', 'shipped'][v % 3],
    features: ['', 'wifi', 'wifi,pool', 'wifi,parking,pool'][v % 4],
    tiny: (v % 256) - 128,
    created_us: BigInt(Math.floor(rand() * 2e15)),
    changed: [`2024-03-15T08:20:${pad(v % 60, 2)}Z`, `2001-09-09T01:46:40.123Z`][v % 2],
    opens_at: BigInt(Math.floor(rand() * 86_400_000_000)),
    yr: 1901 + (v % 254),
    attrs: JSON.stringify({ color: ['red', 'grün'][v % 2], sizes: [v, v + 1] }),
    blob: Buffer.from(Array.from({ length: 1 + (v % 7) }, (_, i) => (v * 31 + i) & 0xff)),
    note: v % 3 === 0 ? null : `emoji 🚀 ${v}`,
    big: INT64_MAX - BigInt(v % 5),
    ratio: (v % 1000) + 0.5,
    flags: (v * 37) % 1024,
  };
}

interface EventSource {
  insert(r: Raw): ChangeRecord;
  update(r: Raw, before: Raw): ChangeRecord;
  delete(k: Raw, before: Raw): ChangeRecord;
  tombstone(k: Raw): ChangeRecord;
}

/** The PostgreSQL-shaped table: Debezium's PG connector sends no `before` by default (REPLICA IDENTITY DEFAULT). */
const pgSource: EventSource = {
  insert: (r) => pgTable.insert(r),
  update: (r) => pgTable.update(r),
  delete: (k) => pgTable.delete(k),
  tombstone: (k) => pgTable.tombstone(k),
};

interface Workload {
  readonly records: ChangeRecord[];
  readonly state: Map<string, Raw>;
}

function workload(
  table: EventSource,
  makeRow: (k: bigint, v: number, rand: () => number) => Raw,
  keyOf: (i: number) => bigint,
  seed: number,
): Workload {
  const rand = lcg(seed);
  const state = new Map<string, Raw>();
  const records: ChangeRecord[] = [];
  for (let i = 0; i < 700; i++) {
    const k = keyOf(Math.floor(rand() * 120));
    const cur = state.get(String(k));
    if (cur && rand() < 0.15) {
      state.delete(String(k));
      records.push(table.delete({ id: k }, cur), table.tombstone({ id: k }));
      continue;
    }
    const next = makeRow(k, i, rand);
    state.set(String(k), next);
    records.push(cur ? table.update(next, cur) : table.insert(next));
  }
  return { records, state };
}

function expectedRows(state: Map<string, Raw>, columns: Record<string, Column>): Cell[][] {
  return [...state.values()]
    .sort((a, b) => (BigInt(a.id as bigint) < BigInt(b.id as bigint) ? -1 : 1))
    .map((r) => Object.entries(columns).map(([name, c]) => (r[name] === null ? null : c.expected(r[name]))));
}

// ---- the two sinks -------------------------------------------------------------------------
async function startApp(doc: Record<string, unknown>): Promise<App> {
  const app = buildApp(parseConfig(doc, { env: {}, baseDir: REPO_ROOT }), { logger: new LogCapture('warn').logger });
  await app.start();
  return app;
}

function mysqlSinkDoc(topics: string[], groupId: string): Record<string, unknown> {
  return {
    kafka: { brokers: KAFKA_BROKERS, groupId, topics, maxWaitTimeMs: 100 },
    target: { type: 'mysql', url: `${MYSQL_BASE}/${myDatabase}`, poolSize: 2 },
    batch: { maxRows: 200, maxAgeMs: 100 },
    tables: { defaultSchema: null },
    http: { port: 0, host: '127.0.0.1' },
    log: { level: 'warn' },
  };
}

async function mysqlAdmin(sql: string): Promise<void> {
  const u = new URL(MYSQL_BASE);
  const c = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function waitApplied(app: App, group: string, topics: readonly string[]): Promise<void> {
  let want = 0n;
  for (const t of topics) for (const high of (await topicEndOffsets(kafka, t)).values()) want += BigInt(high);
  await waitFor(`${group} applied every record`, async () => {
    const got = (await app.connector.readOffsets(group)).filter((o) => topics.includes(o.topic)).reduce((s, o) => s + BigInt(o.nextOffset), 0n);
    return got === want || `stored ${got} of ${want}`;
  }, 180_000, 300);
}

function spec(columns: Record<string, Column & { bits?: number }>): Record<string, ReadAs | { as: ReadAs; bits: number }> {
  return Object.fromEntries(Object.entries(columns).map(([n, c]) => [n, c.bits === undefined ? c.as : { as: c.as, bits: c.bits }]));
}

function assertRows(what: string, got: Cell[][], want: Cell[][], names: string[]): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} rows, expected ${want.length}`);
  want.forEach((w, i) => {
    const g = got[i];
    assert.deepEqual(
      Object.fromEntries(names.map((n, j) => [n, g?.[j]])),
      Object.fromEntries(names.map((n, j) => [n, w[j]])),
      `${what}: row ${i} (id ${String(w[0])})`,
    );
  });
}

describe('the same events into PostgreSQL and MariaDB at once', () => {
  const topics = [pgTable.topic, myTable.topic];
  const apps: App[] = [];
  const readers: TargetReader[] = [];

  before(async () => {
    await dropSchema(pgSchema);
    await mysqlAdmin(`DROP DATABASE IF EXISTS \`${myDatabase}\``);
    await mysqlAdmin(`CREATE DATABASE \`${myDatabase}\``);
    await createTopics(kafka, topics, 3);
  });

  after(async () => {
    for (const a of apps) await a.stop();
    for (const r of readers) await r.close();
    await deleteTopics(kafka, topics);
    await dropSchema(pgSchema);
    await mysqlAdmin(`DROP DATABASE IF EXISTS \`${myDatabase}\``);
  });

  test('both targets hold the same values, equal to the events, row by row', { timeout: 300_000 }, async () => {
    const pgWork = workload(pgSource, pgRow, (i) => BigInt(i), 11);
    const myWork = workload(myTable, myRow, (i) => INT64_MAX - BigInt(i) * 1_000_003n, 23);
    await produce(kafka, pgTable.topic, pgWork.records);
    await produce(kafka, myTable.topic, myWork.records);

    const pgGroup = `${id}-pg`;
    const myGroup = `${id}-my`;
    const pgApp = await startApp(sinkConfigDoc({ topics, groupId: pgGroup, schema: pgSchema, extra: { batch: { maxRows: 200, maxAgeMs: 100 } } }));
    apps.push(pgApp);
    const myApp = await startApp(mysqlSinkDoc(topics, myGroup));
    apps.push(myApp);
    await waitApplied(pgApp, pgGroup, topics);
    await waitApplied(myApp, myGroup, topics);

    const pgReader = await PostgresReader.open(PG_URL, pgSchema);
    readers.push(pgReader);
    const myReader = await MysqlReader.open(`${MYSQL_BASE}/${myDatabase}`);
    readers.push(myReader);

    for (const [table, columns, work] of [
      ['xe_accounts', PG_COLUMNS, pgWork],
      ['xe_orders', MY_COLUMNS, myWork],
    ] as const) {
      const read = readColumns(spec(columns));
      const fromPg = await pgReader.rows(table, read, ['id']);
      const fromMy = await myReader.rows(table, read, ['id']);
      const names = Object.keys(columns);
      const want = expectedRows(work.state, columns);
      assert.ok(want.length > 50, `${table}: ${want.length} rows expected`);
      assertRows(`${table} PostgreSQL vs MariaDB`, fromMy, fromPg, names);
      assertRows(`${table} PostgreSQL vs the events`, fromPg, want, names);
      assertRows(`${table} MariaDB vs the events`, fromMy, want, names);
    }
  });
});
