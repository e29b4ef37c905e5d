/** What one partition has consumed but not yet applied: per target table, reduced by key. */
import type { Route } from './router.ts';
import { TableBatch } from './table-batch.ts';

export interface BufferedTable {
  readonly route: Route;
  readonly batch: TableBatch;
}

/** Same mode and key columns (the router hands out one Route object per table, so usually the same object). */
function sameReduction(a: Route, b: Route): boolean {
  if (a === b) return true;
  return a.mode === b.mode && a.keyColumns.length === b.keyColumns.length && a.keyColumns.every((c, i) => c === b.keyColumns[i]);
}

export class PartitionBuffer {
  readonly tables = new Map<string, BufferedTable>();
  /** Change events added (before reduction). */
  events = 0;
  /** Records consumed since the last flush, including skipped ones. */
  records = 0;
  /** When the first record of this buffer was consumed (ms), or null when empty. */
  firstAtMs: number | null = null;
  /** Offset after the last record consumed; null when nothing was consumed. */
  nextOffset: string | null = null;
  /** Bytes of the records consumed into this buffer (keys and values), the bound of batch.maxBytes. */
  bytes = 0;
  /** Offset of the first record consumed into this buffer. */
  firstOffset: string | null = null;

  table(route: Route): TableBatch {
    let t = this.tables.get(route.targetText);
    if (!t || !sameReduction(t.route, route)) {
      // A key or mode change mid-buffer (schema change) cannot share a reduction: callers flush first.
      t = { route, batch: new TableBatch(route.keyColumns, route.mode) };
      this.tables.set(route.targetText, t);
    }
    return t.batch;
  }

  /** True when adding rows for this route would need a different reduction than what is buffered. */
  conflicts(route: Route): boolean {
    const t = this.tables.get(route.targetText);
    return t !== undefined && !sameReduction(t.route, route);
  }

  noteRecord(offset: string, nowMs: number, bytes: number): void {
    this.records++;
    this.bytes += bytes;
    this.firstAtMs ??= nowMs;
    this.firstOffset ??= offset;
    this.nextOffset = (BigInt(offset) + 1n).toString();
  }

  ageMs(nowMs: number): number {
    return this.firstAtMs === null ? 0 : nowMs - this.firstAtMs;
  }
}
