/**
 * Connector-only write benchmark for MySQL / MariaDB: no Kafka, no decoding. Builds TableChanges in
 * memory for a 10-column and a 50-column table and writes them through the connector from the
 * registry (createConnector('mysql', ...)), in batches like the pipeline's: `--batch` changes per
 * batch spread over both tables, reduced to the last change per key (about 10% deletes), so the
 * row count of each table's statements varies from batch to batch, as it does in a real drain.
 * `--concurrency` workers write at once (like partitions), each moving its own partition offset.
 *
 *   npx tsx bench/mysql-write.ts [--rows 200000] [--batch 5000] [--concurrency 4] [--path connector|old|ceiling|none]
 *
 * --path connector (default): connector.write(), whatever the connector does now.
 * --path old: the write path before client-side formatting, copied here for comparison:
 *   dialect.tableChanges() (placeholders) sent with conn.execute() (server-side prepared
 *   statements) on a pool caching 256 statements per connection.
 * --path ceiling: the same transactions with the values handed straight to mysql2's `VALUES ?`
 *   formatting (as bench/ceiling.ts), 1000 rows a statement: the text protocol's reference.
 * --path none: builds the batches and writes nothing (the script's own time and memory).
 *
 * Prints changes/s, the process's peak RSS (process.resourceUsage().maxRSS) and the server's
 * prepared statements. MYSQL_BENCH_URL: server (default mysql://root@127.0.0.1:3306); the
 * database bench_mysql_write is dropped and created.
 */
import { createConnection, createPool, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import type { ColumnSchema, ColumnType } from '../connectors/core/column-type.ts';
import { newRow, type Row, type Value } from '../connectors/core/value.ts';
import type { PartitionOffset, TableChanges, TableDescription, WriteBatch } from '../connectors/contract.ts';
import type { MysqlDialect } from '../connectors/mysql/index.ts';
import { mysqlOptionsSchema } from '../connectors/mysql/options.ts';
import { SESSION_SETUP_SQL, parseMysqlUrl, poolOptions } from '../connectors/mysql/pool-config.ts';
import { createConnector } from '../connectors/registry.ts';

const DB = 'bench_mysql_write';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const TOTAL = Number(arg('rows', '200000'));
const BATCH = Number(arg('batch', '5000'));
const CONCURRENCY = Number(arg('concurrency', '4'));
const PATH = arg('path', 'connector');
const BASE = (process.env.MYSQL_BENCH_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
if (!['connector', 'old', 'ceiling', 'none'].includes(PATH)) throw new Error('--path connector|old|ceiling|none');

/** mulberry32: a small seeded PRNG, so every run writes the same changes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CYCLE: readonly ColumnType[] = [
  { kind: 'int', bits: 64 },
  { kind: 'string', maxLength: 64 },
  { kind: 'decimal', precision: 38, scale: 18 },
  { kind: 'int', bits: 32 },
  { kind: 'float', bits: 64 },
  { kind: 'boolean' },
  { kind: 'timestamp', precision: 6 },
  { kind: 'string' },
  { kind: 'json' },
];

function columnsOf(width: number): ColumnSchema[] {
  const out: ColumnSchema[] = [{ name: 'id', type: { kind: 'int', bits: 64 }, optional: false }];
  for (let i = 1; i < width; i++) out.push({ name: `c${String(i).padStart(2, '0')}`, type: CYCLE[(i - 1) % CYCLE.length] as ColumnType, optional: true });
  return out;
}

function value(type: ColumnType, r: () => number): Value {
  const n = Math.floor(r() * 1e9);
  switch (type.kind) {
    case 'int':
      return type.bits === 64 ? BigInt(n) * 1000003n : n % 2000000;
    case 'string':
      return type.maxLength === undefined ? `note ${n} it's "quoted" \\ é ${'x'.repeat(n % 80)}` : `s-${n.toString(36)}`;
    case 'decimal':
      return `${n}.${String(n).padStart(18, '0')}`;
    case 'float':
      return n / 7;
    case 'boolean':
      return n % 2 === 0;
    case 'timestamp':
      return `2024-02-${String(1 + (n % 28)).padStart(2, '0')}T12:${String(n % 60).padStart(2, '0')}:00.${String(n % 1000000).padStart(6, '0')}`;
    case 'json':
      return `{"k":${n % 1000},"t":"v${n % 97}"}`;
    default:
      return null;
  }
}

interface BenchTable {
  readonly name: string;
  readonly columns: ColumnSchema[];
  readonly keys: number;
  description: TableDescription | null;
}

const tables: BenchTable[] = [
  { name: 't10', columns: columnsOf(10), keys: Math.max(1000, Math.round(TOTAL * 0.6)), description: null },
  { name: 't50', columns: columnsOf(50), keys: Math.max(1000, Math.round(TOTAL * 0.4)), description: null },
];

/**
 * Batch `index` of partition `partition`: BATCH changes, ~60% to t10, ~40% to t50, ~10% deletes,
 * reduced to the last change per key. Each partition owns a range of keys, so concurrent batches
 * never touch the same rows (nor, mostly, the same gaps: interleaved keys deadlock on InnoDB's
 * next-key locks far more often).
 */
function batchChanges(index: number, partition: number): TableChanges[] {
  const r = prng(index + 1);
  const last = tables.map(() => new Map<bigint, Row | null>());
  for (let i = 0; i < BATCH; i++) {
    const t = r() < 0.6 ? 0 : 1;
    const table = tables[t] as BenchTable;
    const range = Math.ceil(table.keys / CONCURRENCY);
    const id = BigInt(partition * range + Math.floor(r() * range));
    if (r() < 0.1) {
      (last[t] as Map<bigint, Row | null>).set(id, null);
      continue;
    }
    const row = newRow();
    row.id = id;
    for (const c of table.columns) if (c.name !== 'id') row[c.name] = r() < 0.05 ? null : value(c.type, r);
    (last[t] as Map<bigint, Row | null>).set(id, row);
  }
  return tables.map((table, t) => {
    const deletes: Row[] = [];
    const upserts: Row[] = [];
    for (const [id, row] of last[t] as Map<bigint, Row | null>) {
      if (row === null) deletes.push(Object.assign(newRow(), { id }));
      else upserts.push(row);
    }
    const ref = { schema: null, name: table.name };
    return { table: ref, description: table.description as TableDescription, columns: table.columns, keyColumns: ['id'], mode: 'upsert', truncate: false, deletes, upserts };
  });
}

/** The old write path (before client-side formatting): placeholders + conn.execute, as write-batch.ts did. */
class OldWritePath {
  private readonly pool: Pool;
  private readonly ready = new WeakSet<object>();

  constructor(private readonly dialect: MysqlDialect) {
    const options = mysqlOptionsSchema.parse({ url: `${BASE}/${DB}` });
    this.pool = createPool({ ...poolOptions(options, parseMysqlUrl(options.url)), maxPreparedStatements: 256 });
  }

  async write(batch: WriteBatch): Promise<void> {
    const conn: PoolConnection = await this.pool.getConnection();
    try {
      if (!this.ready.has(conn.connection)) {
        await conn.query(SESSION_SETUP_SQL);
        this.ready.add(conn.connection);
      }
      await conn.query('START TRANSACTION');
      for (const o of batch.offsets) {
        const sql = o.expected === null ? this.dialect.insertOffset(batch.groupId, o) : this.dialect.updateOffset(batch.groupId, o);
        await conn.execute(sql.text, sql.values as never[]);
      }
      for (const t of batch.tables) {
        for (const sql of this.dialect.tableChanges(t)) await conn.execute(sql.text, sql.values as never[]);
      }
      await conn.query('COMMIT');
    } catch (err) {
      await conn.query('ROLLBACK');
      throw err;
    } finally {
      conn.release();
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

/** Plain JS value -> what mysql2's own escaping should get, with no validation (the ceiling's minimum of client work). */
function plain(type: ColumnType, v: Value | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (type.kind === 'timestamp' && typeof v === 'string') return v.replace('T', ' ');
  return v;
}

/**
 * A reference for the text protocol: the same batches and transactions (deletes, upserts, the
 * offset compare-and-set), with the values handed to mysql2's `VALUES ?` formatting, as
 * bench/ceiling.ts does: no grouping, no per-type encoding or validation, no byte accounting.
 */
class CeilingWritePath {
  private readonly pool: Pool;
  private readonly ready = new WeakSet<object>();

  constructor(private readonly dialect: MysqlDialect) {
    const options = mysqlOptionsSchema.parse({ url: `${BASE}/${DB}` });
    this.pool = createPool({ ...poolOptions(options, parseMysqlUrl(options.url)), queryFormat: undefined });
  }

  async write(batch: WriteBatch): Promise<void> {
    const conn: PoolConnection = await this.pool.getConnection();
    try {
      if (!this.ready.has(conn.connection)) {
        await conn.query(SESSION_SETUP_SQL);
        this.ready.add(conn.connection);
      }
      await conn.query('START TRANSACTION');
      for (const o of batch.offsets) {
        const sql = o.expected === null ? this.dialect.insertOffset(batch.groupId, o) : this.dialect.updateOffset(batch.groupId, o);
        await conn.execute(sql.text, sql.values as never[]);
      }
      for (const t of batch.tables) {
        const name = `\`${DB}\`.\`${t.table.name}\``;
        if (t.deletes.length > 0) await conn.query(`DELETE FROM ${name} WHERE id IN (?)`, [t.deletes.map((r) => (r.id as bigint).toString())]);
        const cols = t.columns.map((c) => `\`${c.name}\``);
        const sets = cols.filter((c) => c !== '`id`').map((c) => `${c} = VALUES(${c})`).join(', ');
        for (let i = 0; i < t.upserts.length; i += 1000) {
          const rows = t.upserts.slice(i, i + 1000).map((r) => t.columns.map((c) => plain(c.type, r[c.name] as Value | undefined)));
          await conn.query(`INSERT INTO ${name} (${cols.join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${sets}`, [rows]);
        }
      }
      await conn.query('COMMIT');
    } catch (err) {
      await conn.query('ROLLBACK');
      throw err;
    } finally {
      conn.release();
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

async function status(admin: Awaited<ReturnType<typeof createConnection>>, name: string): Promise<number> {
  const [rows] = await admin.query<RowDataPacket[]>('SHOW GLOBAL STATUS LIKE ?', [name]);
  return Number(rows[0]?.Value ?? NaN);
}

async function main(): Promise<void> {
  const u = new URL(BASE);
  const admin = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);

  const connector = createConnector('mysql', { url: `${BASE}/${DB}`, poolSize: CONCURRENCY }, {});
  await connector.connect();
  const dialect = connector.dialect as MysqlDialect;
  for (const t of tables) {
    const ref = { schema: null, name: t.name };
    await connector.executeDdl([dialect.createTable(ref, t.columns, ['id'])]);
    t.description = await connector.describeTable(ref);
  }
  const other = PATH === 'old' ? new OldWritePath(dialect) : PATH === 'ceiling' ? new CeilingWritePath(dialect) : null;
  const write = (b: WriteBatch): Promise<void> =>
    PATH === 'none' ? Promise.resolve() : other === null ? connector.write(b) : other.write(b);

  const batches = Math.ceil(TOTAL / BATCH);
  // Every partition's first offset row, one at a time (concurrent first inserts may deadlock).
  for (let p = 0; p < CONCURRENCY; p++) {
    await connector.write({ groupId: `bench-${PATH}`, tables: [], offsets: [{ topic: 'bench', partition: p, nextOffset: '0', expected: null }] });
  }
  const prepare0 = await status(admin, 'Com_stmt_prepare');
  let rowsWritten = 0;
  let retries = 0;
  let generateMs = 0;
  let maxOpen = 0;
  const started = performance.now();
  const worker = async (partition: number): Promise<void> => {
    let expected = '0';
    for (let index = partition; index < batches; index += CONCURRENCY) {
      const g = performance.now();
      const changes = batchChanges(index, partition);
      generateMs += performance.now() - g;
      rowsWritten += changes.reduce((n, c) => n + c.deletes.length + c.upserts.length, 0);
      const offset: PartitionOffset = { topic: 'bench', partition, nextOffset: String((index + 1) * BATCH), expected };
      // Retriable errors (a deadlock between partitions' gap locks) are retried, as the pipeline does.
      for (let attempt = 1; ; attempt++) {
        try {
          await write({ groupId: `bench-${PATH}`, tables: changes, offsets: [offset] });
          break;
        } catch (err) {
          // The connector classifies (kind); the old path's raw mysql2 errors carry the errno (deadlock, lock wait).
          const e = err as { kind?: unknown; errno?: unknown };
          if (attempt >= 10 || (e.kind !== 'retriable' && e.errno !== 1213 && e.errno !== 1205)) throw err;
          retries++;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
        }
      }
      expected = offset.nextOffset;
      if (index % 10 === 0) maxOpen = Math.max(maxOpen, await status(admin, 'Prepared_stmt_count'));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, p) => worker(p)));
  const seconds = (performance.now() - started) / 1000;
  const openAtEnd = await status(admin, 'Prepared_stmt_count');
  const prepared = (await status(admin, 'Com_stmt_prepare')) - prepare0;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;

  const [counts] = await admin.query<RowDataPacket[]>(`SELECT (SELECT COUNT(*) FROM ${DB}.t10) AS t10, (SELECT COUNT(*) FROM ${DB}.t50) AS t50`);
  await other?.end();
  await connector.close();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.end();

  const changesTotal = batches * BATCH;
  console.log(
    JSON.stringify({
      path: PATH,
      date: new Date().toISOString(),
      changes: changesTotal,
      batchChanges: BATCH,
      concurrency: CONCURRENCY,
      rowsWrittenAfterReduction: rowsWritten,
      finalRows: { t10: Number(counts[0]?.t10), t50: Number(counts[0]?.t50) },
      seconds: Number(seconds.toFixed(2)),
      retries,
      generateSeconds: Number((generateMs / 1000).toFixed(2)),
      changesPerSecond: Math.round(changesTotal / seconds),
      peakRssMb: Math.round(maxRssMb),
      serverStatementsPrepared: prepared,
      serverStatementsOpenMax: maxOpen,
      serverStatementsOpenAtEnd: openAtEnd,
    }),
  );
}

await main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
