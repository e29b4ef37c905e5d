/**
 * The lag runs' records, rendered once before the clock starts and replayed in a loop, each send
 * stamped with the time it is sent.
 *
 * Rendering the benchmark's envelopes live cost ~25-30 us of CPU per change (plus the garbage of the
 * generator's row objects): at half of a 22,800 changes/s maximum the generator took 0.6 of the 2
 * cores, more than cdc-sink itself, and its bursts showed up as lag (2026-12-06). Replaying
 * pre-rendered bytes costs a copy and a few digits per record.
 *
 * The pool is rendered with a marker time (16 eights in micro-seconds, 13 in milli-seconds); every
 * occurrence in a value (the row's updated_at, the source's and the envelope's ts_ms/ts_us/ts_ns) is
 * overwritten with the send time, digit for digit, so the records carry real times. Timestamp
 * columns other than updated_at keep values derived from the marker (dates in the 23rd century).
 *
 * Replaying a change again is what a source does too: an insert of a key that exists is an upsert
 * for the sink, a delete of a missing key deletes nothing. The final state follows the replay (the
 * last row image sent per key, with the updated_at it was sent with), so the checksum gate holds.
 *
 * The pool keeps bytes and numbers only, no row objects, so that the benchmark's heap stays small
 * (every full garbage collection marks all of it, on the cores the sink runs on): the row images of
 * the final state are rendered again at the end, from the same seeded stream.
 */
import type { TableChecksum } from './checksum.ts';
import { expectedChecksum } from './checksum.ts';
import type { Frame } from './lag-producer.ts';
import type { BenchRow, BenchTable } from './tables.ts';
import type { BenchRecord, Workload } from './workload.ts';

export const MARKER_US = 8_888_888_888_888_888;
export const MARKER_MS = Math.floor(MARKER_US / 1000);
const MS_TEXT = String(MARKER_MS);
const US_TAIL = String(MARKER_US).slice(MS_TEXT.length);

interface PooledRecord {
  readonly table: number;
  readonly partition: number;
  readonly id: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly change: boolean;
  /** A change with a row image; false for a delete (and a tombstone). */
  readonly upsert: boolean;
  /** Where the marker time is in `value`: >= 0 milli-seconds at that byte, < 0 micro-seconds at -(at + 1). */
  readonly stamps: Int32Array;
}

function stampsOf(value: Buffer): Int32Array {
  const out: number[] = [];
  for (let at = value.indexOf(MS_TEXT); at !== -1; ) {
    const micro = value.toString('latin1', at + MS_TEXT.length, at + MS_TEXT.length + US_TAIL.length) === US_TAIL;
    out.push(micro ? -(at + 1) : at);
    at = value.indexOf(MS_TEXT, at + MS_TEXT.length + (micro ? US_TAIL.length : 0));
  }
  return Int32Array.from(out);
}

export class ReplayPool {
  readonly tables: readonly BenchTable[];
  private readonly records: PooledRecord[] = [];
  private next = 0;
  /**
   * Per table: the pool index of the last upsert sent per live key; that record's last send time is
   * the key's updated_at (were the record sent again later, it would be the key's last write again).
   * Numbers only: no object per change for the benchmark's garbage collector to promote and mark.
   */
  private readonly live: Map<number, number>[];
  private readonly sentUs: Float64Array;
  changesSent = 0;

  /**
   * Renders the first `changes` changes of a workload built with the marker clocks. `workload` makes
   * a new one each call, the same stream every time (a seed); it is called again by expectedChecksums().
   */
  constructor(
    private readonly workload: () => Workload,
    private readonly changes: number,
  ) {
    const stream = workload();
    this.tables = stream.tables;
    for (const r of ReplayPool.stream(stream, changes)) {
      const value = r.value === null ? null : Buffer.from(r.value, 'utf8');
      this.records.push({
        table: r.table,
        partition: r.partition,
        id: r.id,
        key: r.key === null ? null : Buffer.from(r.key, 'utf8'),
        value,
        change: r.change,
        upsert: r.row !== null,
        stamps: value === null ? new Int32Array(0) : stampsOf(value),
      });
    }
    this.live = this.tables.map(() => new Map<number, number>());
    this.sentUs = new Float64Array(this.records.length);
  }

  /** The records of the pool, in order: the stream up to its `changes`-th change. */
  private static *stream(workload: Workload, changes: number): Generator<BenchRecord> {
    let taken = 0;
    for (const chunk of workload.records(5000)) {
      for (const r of chunk) {
        if (r.change && taken === changes) return;
        yield r;
        if (r.change) taken++;
      }
    }
  }

  get size(): number {
    return this.records.length;
  }

  /** The next `count` records of the loop, stamped with `nowUs()` as each is taken (bytes valid until the pool comes round again). */
  take(count: number, nowUs: () => number): Frame[] {
    const out: Frame[] = [];
    for (let n = 0; n < count; n++) {
      const index = this.next;
      const r = this.records[index] as PooledRecord;
      this.next = (index + 1) % this.records.length;
      const us = nowUs();
      const ms = Math.floor(us / 1000);
      if (r.value !== null) {
        const msText = String(ms);
        const usText = String(us);
        for (const at of r.stamps) {
          if (at >= 0) r.value.write(msText, at, 'latin1');
          else r.value.write(usText, -at - 1, 'latin1');
        }
      }
      if (r.change) {
        this.changesSent++;
        const live = this.live[r.table] as Map<number, number>;
        if (!r.upsert) {
          live.delete(r.id);
        } else {
          live.set(r.id, index);
          this.sentUs[index] = us;
        }
      }
      out.push({ table: r.table, partition: r.partition, tsMs: ms, key: r.key, value: r.value });
    }
    return out;
  }

  /**
   * `count` records of the pool from `start` (in a loop) as they are, for topics nothing reads:
   * not stamped, not counted, with `tableOffset` added to their table (their topic's index).
   */
  unstamped(start: number, count: number, tsMs: number, tableOffset: number): Frame[] {
    const out: Frame[] = [];
    for (let n = 0; n < count; n++) {
      const r = this.records[(start + n) % this.records.length] as PooledRecord;
      out.push({ table: r.table + tableOffset, partition: r.partition, tsMs, key: r.key, value: r.value });
    }
    return out;
  }

  /** The checksums the target must show after everything sent so far was applied (renders the stream again). */
  expectedChecksums(): TableChecksum[] {
    const rows: BenchRow[][] = this.tables.map(() => []);
    let index = 0;
    for (const r of ReplayPool.stream(this.workload(), this.changes)) {
      if (r.row !== null && this.live[r.table]?.get(r.id) === index) rows[r.table]?.push({ ...r.row, updated_at: this.sentUs[index] ?? 0 });
      index++;
    }
    return this.tables.map((table, t) => expectedChecksum(table, rows[t] ?? []));
  }
}
