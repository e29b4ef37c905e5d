/**
 * Micro-benchmark (not a test, no database): the text[] parameters of the PostgreSQL data
 * statements, built the old way and the new way, for 5,000 rows x 10 and x 50 columns of
 * realistic values (ids, numbers, decimals, names, e-mails, timestamps, booleans, JSON documents
 * with quotes, uuids; about 10% NULL in nullable columns).
 *
 * - old: what changes.ts did before: encode each column into a (string | null)[], which
 *   node-postgres then turns into the array literal (prepareValue -> arrayString).
 * - new: what changes.ts does now: the literal text built directly (quoteArrayElement, join).
 *
 * Measures, each followed by writing every parameter as UTF-8 into a buffer, as node-postgres's
 * serializer does (which also flattens a string built with +=):
 * - "conversion": only the array -> literal step, on values already encoded (prepareValue on a
 *   string[] vs textArrayLiteral), the cost the profile showed in node-postgres;
 * - "chunked": rows -> every statement's parameters, encoding included: the old chunked() loop
 *   (copied here) then prepareValue, vs the new loop (copied here too, and checked to give
 *   exactly what dialect.tableChanges gives);
 * - "tableChanges": the real dialect.tableChanges (new), which adds the presence grouping and key
 *   checks that both old and new do, for reference.
 *
 * Reports ns per value (median of ROUNDS) and the GC time observed per round of each variant.
 * All statements of a table are built before any is written, as PostgresConnector.write does.
 *
 *   node --import tsx bench/pg-array-micro.ts [rounds]
 */
import { createRequire } from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';
import type { TableChanges } from '../connectors/contract.ts';
import type { ColumnSchema, ColumnType } from '../connectors/core/column-type.ts';
import { newRow, UNCHANGED, type Row, type Value } from '../connectors/core/value.ts';
import { quoteArrayElement, textArrayLiteral } from '../connectors/postgres/array-literal.ts';
import { createPostgresDialect, PG_MAX_BIND_PARAMETERS } from '../connectors/postgres/dialect.ts';
import { castType } from '../connectors/postgres/types.ts';
import { encoderFor, type ValueEncoder } from '../connectors/postgres/values.ts';

// pg ships no types for its lib/ files; prepareValue is the conversion it applies to every parameter.
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };

const ROWS = 5000;
const ROUNDS = Number(process.argv[2] ?? 15);
/** The sink's default rows per statement; the bind limit lowers it for wide tables. */
const ROWS_PER_STATEMENT = 2000;

/** A column kind of the realistic mix: its source type, target type and value maker. */
interface Kind {
  readonly type: ColumnType;
  readonly dataType: string;
  readonly nullable: boolean;
  readonly value: (r: number, c: number) => Value;
}

const KINDS: readonly Kind[] = [
  { type: { kind: 'int', bits: 32 }, dataType: 'integer', nullable: false, value: (r, c) => (r * 31 + c) % 100000 },
  { type: { kind: 'string' }, dataType: 'text', nullable: true, value: (r) => `Customer ${r} Müller-Lüdenscheidt` },
  { type: { kind: 'decimal', precision: 18, scale: 4 }, dataType: 'numeric(18,4)', nullable: true, value: (r) => `${r * 17}.${String(r % 10000).padStart(4, '0')}` },
  { type: { kind: 'timestamptz', precision: 6 }, dataType: 'timestamp with time zone', nullable: true, value: (r) => `2024-05-${String((r % 28) + 1).padStart(2, '0')}T12:34:56.${String(r % 1000000).padStart(6, '0')}Z` },
  { type: { kind: 'boolean' }, dataType: 'boolean', nullable: true, value: (r) => r % 2 === 0 },
  { type: { kind: 'string', maxLength: 200 }, dataType: 'character varying(200)', nullable: true, value: (r) => `user.${r}@example.com` },
  { type: { kind: 'json' }, dataType: 'jsonb', nullable: true, value: (r) => `{"id":${r},"tags":["a","b"],"note":"say \\"hi\\""}` },
  { type: { kind: 'float', bits: 64 }, dataType: 'double precision', nullable: true, value: (r) => r / 7 },
  { type: { kind: 'uuid' }, dataType: 'uuid', nullable: false, value: (r) => `123e4567-e89b-12d3-a456-${String(r).padStart(12, '0')}` },
  { type: { kind: 'int', bits: 64 }, dataType: 'bigint', nullable: true, value: (r) => BigInt(r) * 1000003n },
];

/** A table of `width` columns: a bigint key, then the mix repeated. */
function workload(width: number): TableChanges {
  const kinds = Array.from({ length: width - 1 }, (_v, i) => KINDS[i % KINDS.length] as Kind);
  const columns: ColumnSchema[] = [
    { name: 'id', type: { kind: 'int', bits: 64 }, optional: false },
    ...kinds.map((k, i) => ({ name: `c${i}`, type: k.type, optional: k.nullable })),
  ];
  const upserts: Row[] = [];
  for (let r = 0; r < ROWS; r++) {
    const row = newRow();
    row.id = BigInt(r);
    for (const [i, k] of kinds.entries()) row[`c${i}`] = k.nullable && (r * 7 + i) % 10 === 0 ? null : k.value(r, i);
    upserts.push(row);
  }
  const table = { schema: null, name: `w${width}` };
  const targetColumns = [
    { name: 'id', dataType: 'bigint', nullable: false },
    ...kinds.map((k, i) => ({ name: `c${i}`, dataType: k.dataType, nullable: k.nullable })),
  ];
  return {
    table,
    description: { table, columns: targetColumns, primaryKey: ['id'] },
    columns,
    keyColumns: ['id'],
    mode: 'upsert',
    truncate: false,
    deletes: [],
    upserts,
  };
}

interface Bound {
  readonly name: string;
  readonly encode: ValueEncoder;
}

/** Rows per statement and the columns with their encoders, as changes.ts derives them. */
function bind(changes: TableChanges): { size: number; bound: Bound[] } {
  const size = Math.min(ROWS_PER_STATEMENT, Math.floor(PG_MAX_BIND_PARAMETERS / changes.columns.length));
  const casts = new Map(changes.description.columns.map((c) => [c.name, castType(c.dataType)]));
  const bound = changes.columns.map((c) => ({ name: c.name, encode: encoderFor(c.type, casts.get(c.name) ?? 'text') }));
  return { size, bound };
}

/** The old chunked(): one (string | null)[] per column per statement. */
function oldChunked(changes: TableChanges): (string | null)[][][] {
  const { size, bound } = bind(changes);
  const rows = changes.upserts;
  const out: (string | null)[][][] = [];
  for (let start = 0; start < rows.length; start += size) {
    const end = Math.min(rows.length, start + size);
    const values: (string | null)[][] = [];
    for (const { name, encode } of bound) {
      const arr = new Array<string | null>(end - start);
      for (let r = start; r < end; r++) {
        const v = (rows[r] as Row)[name];
        arr[r - start] = v === undefined || v === UNCHANGED ? null : encode(v);
      }
      values.push(arr);
    }
    out.push(values);
  }
  return out;
}

/** The new chunked() of changes.ts: one literal per column per statement. */
function newChunked(changes: TableChanges): string[][] {
  const { size, bound } = bind(changes);
  const rows = changes.upserts;
  const out: string[][] = [];
  const parts = new Array<string>(Math.min(size, rows.length));
  for (let start = 0; start < rows.length; start += size) {
    const end = Math.min(rows.length, start + size);
    parts.length = end - start;
    const values: string[] = [];
    for (const { name, encode } of bound) {
      for (let r = start; r < end; r++) {
        const v = (rows[r] as Row)[name];
        const element = v === undefined || v === UNCHANGED ? null : encode(v);
        parts[r - start] = element === null ? 'NULL' : quoteArrayElement(element);
      }
      values.push(`{${parts.join(',')}}`);
    }
    out.push(values);
  }
  return out;
}

// node-postgres writes each text parameter as UTF-8 into its output buffer; so do we.
const scratch = Buffer.allocUnsafe(64 << 20);
let sink = 0;

function serialize(text: unknown): void {
  if (typeof text !== 'string') throw new Error('expected a string parameter');
  sink += scratch.write(text, 0);
}

/** Total GC pause time (ms) seen by the observer so far. */
let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
observer.observe({ entryTypes: ['gc'] });

async function measure(values: number, run: () => void): Promise<{ ns: number; gc: number }> {
  const times: number[] = [];
  run(); // warm-up
  await new Promise((r) => setImmediate(r));
  const gcBefore = gcMs;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / values);
  }
  await new Promise((r) => setTimeout(r, 20)); // let the GC entries arrive
  times.sort((a, b) => a - b);
  return { ns: times[Math.floor(times.length / 2)] ?? NaN, gc: (gcMs - gcBefore) / ROUNDS };
}

async function main(): Promise<void> {
  const dialect = createPostgresDialect({ schema: 'public', offsetsTable: 'o', rowsPerStatement: ROWS_PER_STATEMENT });
  console.log(`node ${process.version}, ${ROWS} rows, median of ${ROUNDS} rounds; ns per value (GC ms per round)`);
  for (const width of [10, 50]) {
    const changes = workload(width);
    const values = ROWS * width;
    const encoded = oldChunked(changes);

    // The literals must be identical, or the comparison means nothing.
    const real = dialect.tableChanges(changes).flatMap((s) => s.values);
    const oldParams = encoded.flatMap((statement) => statement.map((column) => prepareValue(column)));
    const newParams = newChunked(changes).flat();
    for (const [what, params] of [['old', oldParams], ['the copied new loop', newParams]] as const) {
      if (params.length !== real.length || params.some((p, i) => p !== real[i])) {
        throw new Error(`${what} and dialect.tableChanges give different literals for ${width} columns`);
      }
    }

    const convOld = await measure(values, () => {
      for (const statement of encoded) for (const column of statement) serialize(prepareValue(column));
    });
    const convNew = await measure(values, () => {
      for (const statement of encoded) for (const column of statement) serialize(textArrayLiteral(column));
    });
    const chunkOld = await measure(values, () => {
      for (const statement of oldChunked(changes)) for (const column of statement) serialize(prepareValue(column));
    });
    const chunkNew = await measure(values, () => {
      for (const statement of newChunked(changes)) for (const p of statement) serialize(p);
    });
    const whole = await measure(values, () => {
      for (const statement of dialect.tableChanges(changes)) for (const p of statement.values) serialize(p);
    });
    const line = (what: string, o: { ns: number; gc: number }, n: { ns: number; gc: number }): string =>
      `  ${what.padEnd(12)} old ${o.ns.toFixed(1).padStart(6)} ns (${o.gc.toFixed(1)} ms)   ` +
      `new ${n.ns.toFixed(1).padStart(6)} ns (${n.gc.toFixed(1)} ms)   saved ${(o.ns - n.ns).toFixed(1)} ns/value (${(100 * (1 - n.ns / o.ns)).toFixed(0)}%)`;
    console.log(`${ROWS} rows x ${width} columns (${encoded.length} statements, ${values} values):`);
    console.log(line('conversion', convOld, convNew));
    console.log(line('chunked', chunkOld, chunkNew));
    console.log(`  ${'tableChanges'.padEnd(12)}                           new ${whole.ns.toFixed(1).padStart(6)} ns (${whole.gc.toFixed(1)} ms)`);
  }
  observer.disconnect();
  if (sink < 0) console.log(sink);
}

await main();
