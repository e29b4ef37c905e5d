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
import { rowKey } from './row-key.ts';

interface Entry {
  op: 'upsert' | 'delete';
  row: Row;
}

export class TableBatch {
  truncate = false;
  private readonly entries = new Map<string, Entry>();
  private readonly appended: Row[] = [];
  /** Union of the columns of the upserted rows, in first-seen order. */
  readonly columns = new Map<string, ColumnSchema>();
  maxSourceTimestampMs: number | null = null;

  constructor(
    readonly keyColumns: readonly string[],
    readonly mode: 'upsert' | 'append',
  ) {}

  get size(): number {
    return this.entries.size + this.appended.length;
  }

  noteSourceTimestamp(ts: number | null): void {
    if (ts !== null && (this.maxSourceTimestampMs === null || ts > this.maxSourceTimestampMs)) {
      this.maxSourceTimestampMs = ts;
    }
  }

  addColumns(columns: readonly ColumnSchema[]): void {
    for (const c of columns) if (!this.columns.has(c.name)) this.columns.set(c.name, c);
  }

  addTruncate(): void {
    this.truncate = true;
    this.entries.clear();
    this.appended.length = 0;
  }

  addUpsert(row: Row): void {
    if (this.mode === 'append') {
      this.appended.push(row);
      return;
    }
    const k = rowKey(row, this.keyColumns);
    const prev = this.entries.get(k);
    this.entries.set(k, { op: 'upsert', row: prev?.op === 'upsert' ? fillUnchanged(row, prev.row) : row });
  }

  /** keyRow must hold every key column. */
  addDelete(keyRow: Row): void {
    if (this.mode === 'append') return;
    this.entries.set(rowKey(keyRow, this.keyColumns), { op: 'delete', row: keyRow });
  }

  deletes(): Row[] {
    const out: Row[] = [];
    for (const e of this.entries.values()) if (e.op === 'delete') out.push(e.row);
    return out;
  }

  upserts(): Row[] {
    if (this.mode === 'append') return this.appended.slice();
    const out: Row[] = [];
    for (const e of this.entries.values()) if (e.op === 'upsert') out.push(e.row);
    return out;
  }
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
