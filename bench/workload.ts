/**
 * The benchmark workload: several tables (narrow 10-column and wide 50-column rows), a deterministic
 * stream of changes over them (inserts, updates, 5-10% deletes followed by tombstones, hot keys),
 * and the final state the target must hold afterwards. Envelopes come from envelopes.ts, which
 * renders DebeziumTable's (test/support/debezium-events.ts) format and checks itself against it:
 * this file only decides which rows change and how.
 */
import { DebeziumTable } from '../test/support/debezium-events.ts';
import { EnvelopeWriter, selfCheck } from './envelopes.ts';
import { PARTITIONS, benchTables, tableSpec } from './tables.ts';
import type { BenchColumn, BenchRow, BenchTable, BenchValue } from './tables.ts';

/** Changes that pick a hot key; the hot keys are the first 1% of the key space. */
const HOT_SHARE = 0.2;
const HOT_FRACTION = 0.01;
/** Chance that a change on a live key is a delete (tuned so deletes are ~7% of all changes). */
const DELETE_CHANCE = 0.11;
/** Micro-timestamps start here (2024-01-01T00:00:00Z). */
const EPOCH_US = 1_704_067_200_000_000;

/** Mulberry32: a small deterministic PRNG, so a run's final state can be recomputed from the seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa'];
const STATUSES = ['new', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'];

function words(rng: Rng, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[rng.int(WORDS.length)] ?? 'x');
  return out.join(' ');
}

function value(rng: Rng, col: BenchColumn, tsUs: number): BenchValue {
  if (col.nullable && rng.next() < 0.05) return null;
  switch (col.kind) {
    case 'int64':
      return rng.int(1_000_000_000) * 1000 + rng.int(1000);
    case 'int32':
      return rng.int(2_000_000) - 1_000_000;
    case 'text':
      return col.name === 'status' ? (STATUSES[rng.int(STATUSES.length)] ?? 'new') : words(rng, 1 + rng.int(6));
    case 'decimal': {
      const cents = rng.int(2_000_000_000) - 1_000_000_000;
      const sign = cents < 0 ? '-' : '';
      const abs = Math.abs(cents);
      return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
    }
    case 'double':
      return rng.int(4_000_000) / 4;
    case 'boolean':
      return rng.next() < 0.5;
    case 'timestamp':
      return tsUs - rng.int(86_400_000_000);
  }
}

export function partitionOf(id: number): number {
  return id % PARTITIONS;
}

/** One Kafka record of the stream: null value = tombstone. */
export interface BenchRecord {
  readonly table: number;
  readonly partition: number;
  readonly key: string | null;
  readonly value: string | null;
  /** A change (not a tombstone). */
  readonly change: boolean;
  /** Source time of the change (ms); the lag runs send it as the Kafka record timestamp. */
  readonly tsMs: number;
  /** The row's key, and its new image (null for deletes and tombstones). */
  readonly id: number;
  readonly row: BenchRow | null;
}

export interface WorkloadStats {
  changes: number;
  inserts: number;
  updates: number;
  deletes: number;
  tombstones: number;
  records: number;
}

/**
 * The change stream of one run. `records()` yields chunks of records in stream order and keeps the
 * final state up to date; after it is exhausted, `finalState` holds every live row per table.
 * Each topic-partition ends with a sentinel update (updated_at = SENTINEL_US) so a sink that stores
 * no offsets can be seen to have finished.
 */
export class Workload {
  readonly tables: readonly BenchTable[];
  readonly finalState: Map<number, BenchRow>[];
  readonly stats: WorkloadStats = { changes: 0, inserts: 0, updates: 0, deletes: 0, tombstones: 0, records: 0 };
  readonly debezium: readonly DebeziumTable[];
  private readonly writers: readonly EnvelopeWriter[];
  private rng: Rng;
  private readonly cumulative: number[];

  static readonly SENTINEL_US = 4_102_444_800_000_000; // 2100-01-01

  constructor(
    readonly prefix: string,
    readonly changes: number,
    private readonly seed: number,
    /** Micro-seconds of change i (its updated_at); the default is a fixed, reproducible clock. */
    private readonly clockUs: (i: number) => number = (i) => EPOCH_US + i * 10,
    /** Sizes the key spaces (the lag runs use the backlog's, however long they run). */
    keySpaceChanges = changes,
    /** The connector's processing time written into envelopes (payload ts_ms). */
    private readonly nowMs: () => number = Date.now,
  ) {
    this.tables = benchTables(keySpaceChanges);
    this.debezium = this.tables.map((t) => new DebeziumTable(tableSpec(prefix, t)));
    this.writers = this.debezium.map((d) => new EnvelopeWriter(d, prefix));
    this.rng = new Rng(seed);
    this.tables.forEach((t, i) => selfCheck(this.writers[i] as EnvelopeWriter, this.newRow(t, 1, EPOCH_US), deleteBefore(t, 1)));
    this.finalState = this.tables.map(() => new Map<number, BenchRow>());
    this.rng = new Rng(seed);
    let acc = 0;
    this.cumulative = this.tables.map((t) => (acc += t.weight));
  }

  topic(table: number): string {
    return this.debezium[table]?.topic ?? '';
  }

  get topics(): string[] {
    return this.debezium.map((d) => d.topic);
  }

  private pickTable(): number {
    const x = this.rng.next() * (this.cumulative[this.cumulative.length - 1] ?? 1);
    const i = this.cumulative.findIndex((c) => x < c);
    return i < 0 ? this.tables.length - 1 : i;
  }

  private pickKey(table: BenchTable): number {
    const hot = Math.max(1, Math.floor(table.keys * HOT_FRACTION));
    return this.rng.next() < HOT_SHARE ? 1 + this.rng.int(hot) : 1 + this.rng.int(table.keys);
  }

  newRow(table: BenchTable, id: number, tsUs: number): BenchRow {
    const row: BenchRow = {};
    for (const c of table.columns) row[c.name] = value(this.rng, c, tsUs);
    row.id = id;
    row.updated_at = tsUs;
    return row;
  }

  /**
   * Yields the stream in chunks of about `chunk` records; the last chunk holds the sentinels. Every
   * call starts the stream (and the final state and stats) over from the seed.
   */
  *records(chunk = 5000): Generator<BenchRecord[]> {
    let out: BenchRecord[] = [];
    this.rng = new Rng(this.seed);
    for (const m of this.finalState) m.clear();
    const stats = this.stats;
    Object.assign(stats, { changes: 0, inserts: 0, updates: 0, deletes: 0, tombstones: 0, records: 0 });
    for (let i = 0; i < this.changes; i++) {
      const t = this.pickTable();
      const table = this.tables[t] as BenchTable;
      const w = this.writers[t] as EnvelopeWriter;
      const state = this.finalState[t] as Map<number, BenchRow>;
      const id = this.pickKey(table);
      const partition = partitionOf(id);
      const tsUs = this.clockUs(i);
      const tsMs = Math.floor(tsUs / 1000);
      const key = w.key(id);
      if (state.has(id) && this.rng.next() < DELETE_CHANCE) {
        state.delete(id);
        out.push({ table: t, partition, key, value: w.envelope('d', deleteBefore(table, id), null, tsMs, this.nowMs()), change: true, tsMs, id, row: null });
        out.push({ table: t, partition, key, value: null, change: false, tsMs, id, row: null });
        stats.deletes++;
        stats.tombstones++;
      } else {
        const row = this.newRow(table, id, tsUs);
        const op = state.has(id) ? 'u' : 'c';
        if (op === 'u') stats.updates++;
        else stats.inserts++;
        state.set(id, row);
        out.push({ table: t, partition, key, value: w.envelope(op, null, row, tsMs, this.nowMs()), change: true, tsMs, id, row });
      }
      stats.changes++;
      if (out.length >= chunk) {
        stats.records += out.length;
        yield out;
        out = [];
      }
    }
    out.push(...this.sentinels());
    stats.records += out.length;
    yield out;
  }

  /** The last record of every topic-partition: an update of the partition's lowest id. */
  private sentinels(): BenchRecord[] {
    const out: BenchRecord[] = [];
    const tsMs = Date.now();
    this.tables.forEach((table, t) => {
      const w = this.writers[t] as EnvelopeWriter;
      const state = this.finalState[t] as Map<number, BenchRow>;
      for (let p = 0; p < PARTITIONS; p++) {
        const id = sentinelId(p);
        const row = this.newRow(table, id, Workload.SENTINEL_US);
        const op = state.has(id) ? 'u' : 'c';
        if (op === 'u') this.stats.updates++;
        else this.stats.inserts++;
        this.stats.changes++;
        state.set(id, row);
        out.push({ table: t, partition: p, key: w.key(id), value: w.envelope(op, null, row, tsMs), change: true, tsMs, id, row });
      }
    });
    return out;
  }
}

/**
 * The before image of a delete as the PostgreSQL connector sends it under REPLICA IDENTITY DEFAULT:
 * the key, the zero value of every other NOT NULL column ("" / 0), null elsewhere (captured in
 * test/infra/connect/captured/postgres-04-delete.json). The JsonConverter rejects a null in a
 * required field, so the zeros matter to the Debezium JDBC sink.
 */
export function deleteBefore(table: BenchTable, id: number): BenchRow {
  const row: BenchRow = {};
  for (const c of table.columns) {
    if (c.nullable) continue;
    row[c.name] = c.kind === 'text' ? '' : c.kind === 'boolean' ? false : 0;
  }
  row.id = id;
  return row;
}

/** The id whose sentinel update closes partition p (ids 3, 1, 2 land on partitions 0, 1, 2). */
export function sentinelId(partition: number): number {
  return partition === 0 ? PARTITIONS : partition;
}
