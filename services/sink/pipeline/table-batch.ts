/**
 * The buffered changes of one target table within one partition's batch, reduced to the last change
 * per key while keeping the order that matters:
 * - a truncate discards what was buffered before it and is applied first;
 * - per key only the final operation survives (delete, or upsert of the latest row image);
 * - an upsert whose column is UNCHANGED (TOAST) takes that column from an earlier buffered upsert of
 *   the same key when there is one, else leaves it unchanged in the target.
 * Keys never repeat within one statement, so multi-row upserts never hit a key twice.
 */
import type { ColumnSchema } from '../../../connectors/core/column-type.ts';
import type { Row, Value } from '../../../connectors/core/value.ts';
import { isUnchanged, newRow } from '../../../connectors/core/value.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { rowKey } from './row-key.ts';

/** One reduced change, with the Kafka record whose image it holds (for dead-lettering). */
export interface BatchEntry {
  readonly op: 'upsert' | 'delete';
  readonly row: Row;
  readonly ref: KafkaRecord;
}

export class TableBatch {
  truncate = false;
  private readonly keyed = new Map<string, BatchEntry>();
  private readonly appended: BatchEntry[] = [];
  /** Union of the columns of the upserted rows, in first-seen order. */
  readonly columns = new Map<string, ColumnSchema>();
  maxSourceTimestampMs: number | null = null;
  private lastColumns: readonly ColumnSchema[] | null = null;

  constructor(
    readonly keyColumns: readonly string[],
    readonly mode: 'upsert' | 'append',
  ) {}

  get size(): number {
    return this.keyed.size + this.appended.length;
  }

  noteSourceTimestamp(ts: number | null): void {
    if (ts !== null && (this.maxSourceTimestampMs === null || ts > this.maxSourceTimestampMs)) {
      this.maxSourceTimestampMs = ts;
    }
  }

  addColumns(columns: readonly ColumnSchema[]): void {
    // Events of one schema share their columns array: most calls add nothing new.
    if (columns === this.lastColumns) return;
    this.lastColumns = columns;
    for (const c of columns) if (!this.columns.has(c.name)) this.columns.set(c.name, c);
  }

  addTruncate(): void {
    this.truncate = true;
    this.keyed.clear();
    this.appended.length = 0;
  }

  addUpsert(row: Row, ref: KafkaRecord): void {
    if (this.mode === 'append') {
      this.appended.push({ op: 'upsert', row, ref });
      return;
    }
    const k = rowKey(row, this.keyColumns);
    const prev = this.keyed.get(k);
    this.keyed.set(k, { op: 'upsert', row: prev?.op === 'upsert' ? fillUnchanged(row, prev.row) : row, ref });
  }

  /** keyRow must hold every key column. */
  addDelete(keyRow: Row, ref: KafkaRecord): void {
    if (this.mode === 'append') return;
    this.keyed.set(rowKey(keyRow, this.keyColumns), { op: 'delete', row: keyRow, ref });
  }

  entries(): BatchEntry[] {
    return this.mode === 'append' ? this.appended.slice() : [...this.keyed.values()];
  }

  /** Takes entries out (rows a database rejected and that went to the dead-letter topic). */
  remove(gone: ReadonlySet<BatchEntry>): void {
    for (const [k, e] of this.keyed) if (gone.has(e)) this.keyed.delete(k);
    const kept = this.appended.filter((e) => !gone.has(e));
    this.appended.length = 0;
    this.appended.push(...kept);
  }

  deletes(): Row[] {
    return rowsOf(this.entries(), 'delete');
  }

  upserts(): Row[] {
    return rowsOf(this.entries(), 'upsert');
  }
}

export function rowsOf(entries: readonly BatchEntry[], op: 'upsert' | 'delete'): Row[] {
  const out: Row[] = [];
  for (const e of entries) if (e.op === op) out.push(e.row);
  return out;
}

function fillUnchanged(row: Row, earlier: Row): Row {
  let out: Record<string, Value | symbol> | null = null;
  for (const c in row) {
    if (isUnchanged(row[c]) && c in earlier && !isUnchanged(earlier[c])) {
      out ??= Object.assign(newRow(), row);
      out[c] = earlier[c] as Value;
    }
  }
  return (out as Row | null) ?? row;
}
