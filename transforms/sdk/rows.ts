/**
 * Row helpers. Rows are null-prototype records (any column name, even "constructor" or "__proto__",
 * is safe); every helper returns a new row and never touches its input.
 */
import { newRow } from '../../connectors/core/value.ts';
import type { Row, Unchanged, Value } from '../../connectors/core/value.ts';

export type Cell = Value | Unchanged;
export type MutableRow = Record<string, Cell>;

/** A null-prototype copy of a plain object or row. */
export function rowOf(values: Readonly<Record<string, Cell>>): Row {
  const out = newRow();
  for (const name of Object.keys(values)) out[name] = values[name] as Cell;
  return out;
}

/** True when `name` is an own column of the row (safe for null-prototype and plain objects). */
export function hasCell(row: Row, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(row, name);
}

/** The columns `names` of a row that it has, in the order of `names`. */
export function pickRow(row: Row, names: readonly string[]): Row {
  const out = newRow();
  for (const name of names) if (hasCell(row, name)) out[name] = row[name] as Cell;
  return out;
}

/** A copy without the columns in `names`. */
export function omitFromRow(row: Row, names: ReadonlySet<string>): Row {
  const out = newRow();
  for (const name of Object.keys(row)) if (!names.has(name)) out[name] = row[name] as Cell;
  return out;
}

/** A copy with columns renamed (old -> new), keeping column order; swaps are fine. */
export function renameInRow(row: Row, renames: ReadonlyMap<string, string>): Row {
  const out = newRow();
  for (const name of Object.keys(row)) out[renames.get(name) ?? name] = row[name] as Cell;
  return out;
}

/** A copy with each value replaced by fn(value, column); return the value itself to keep it. */
export function mapValues(row: Row, fn: (value: Cell, column: string) => Cell): Row {
  const out = newRow();
  for (const name of Object.keys(row)) out[name] = fn(row[name] as Cell, name);
  return out;
}

/** A copy with `values` set (added at the end when new, replaced in place when present). */
export function setCells(row: Row, values: Readonly<Record<string, Cell>>): Row {
  const out = newRow();
  for (const name of Object.keys(row)) out[name] = row[name] as Cell;
  for (const name of Object.keys(values)) out[name] = values[name] as Cell;
  return out;
}

/** Accepts a Map or a plain record of string -> string, returning a Map (safe for any key). */
export function toNameMap(names: ReadonlyMap<string, string> | Readonly<Record<string, string>>): ReadonlyMap<string, string> {
  if (names instanceof Map) return names;
  const out = new Map<string, string>();
  const record = names as Readonly<Record<string, string>>;
  for (const key of Object.keys(record)) out.set(key, record[key] as string);
  return out;
}
