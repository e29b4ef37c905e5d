/**
 * TableSchema helpers: pure functions returning new schemas, so mapSchema and apply can share them.
 * They throw a plain Error on contradictions (a rename onto an existing column, dropping a key column);
 * the runtime wraps it with the transform, the table and the record location.
 */
import type { ColumnSchema, ColumnType, TableSchema } from '../../connectors/core/column-type.ts';

export function findColumn(schema: TableSchema, name: string): ColumnSchema | undefined {
  return schema.columns.find((c) => c.name === name);
}

export function hasColumn(schema: TableSchema, name: string): boolean {
  return schema.columns.some((c) => c.name === name);
}

export function isKeyColumn(schema: TableSchema, name: string): boolean {
  return schema.key.includes(name);
}

/** Renames columns (old -> new) in columns and key; names not in the schema are ignored. */
export function renameSchemaColumns(schema: TableSchema, renames: ReadonlyMap<string, string>): TableSchema {
  const renamed = new Set<string>();
  for (const c of schema.columns) if (renames.has(c.name)) renamed.add(c.name);
  if (renamed.size === 0) return schema;
  const finalNames = new Map<string, string>();
  for (const c of schema.columns) {
    const next = renames.get(c.name) ?? c.name;
    const other = finalNames.get(next);
    if (other !== undefined) {
      const [from] = renamed.has(c.name) ? [c.name] : [other];
      throw new Error(`cannot rename column "${from}" to "${next}": the table already has a column "${next}"`);
    }
    finalNames.set(next, c.name);
  }
  return {
    columns: schema.columns.map((c) => (renamed.has(c.name) ? { ...c, name: renames.get(c.name) as string } : c)),
    key: schema.key.map((k) => renames.get(k) ?? k),
  };
}

/** Removes columns; names not in the schema are ignored. Dropping a key column is an error. */
export function dropSchemaColumns(schema: TableSchema, names: ReadonlySet<string>): TableSchema {
  for (const k of schema.key) {
    if (names.has(k)) throw new Error(`cannot drop key column "${k}": key columns identify the row in the target`);
  }
  const columns = schema.columns.filter((c) => !names.has(c.name));
  return columns.length === schema.columns.length ? schema : { columns, key: schema.key };
}

export interface PutColumnOptions {
  /** Insert a new column before / after this one (default: at the end). Ignored when it exists. */
  readonly before?: string;
  readonly after?: string;
  /** Also make it a key column (appended to the key). */
  readonly key?: boolean;
}

/** Adds a column, or replaces the column of the same name in place. */
export function putSchemaColumn(schema: TableSchema, column: ColumnSchema, options: PutColumnOptions = {}): TableSchema {
  const at = schema.columns.findIndex((c) => c.name === column.name);
  let columns: ColumnSchema[];
  if (at >= 0) {
    columns = schema.columns.slice();
    columns[at] = column;
  } else {
    const anchor = options.before ?? options.after;
    let index = anchor === undefined ? -1 : schema.columns.findIndex((c) => c.name === anchor);
    if (index >= 0 && options.before === undefined) index += 1;
    columns = schema.columns.slice();
    columns.splice(index >= 0 ? index : columns.length, 0, column);
  }
  const key = options.key && !schema.key.includes(column.name) ? [...schema.key, column.name] : schema.key;
  return { columns, key };
}

/** Changes a column's type (and optionally its optionality); sourceType is dropped as it no longer applies. */
export function withColumnType(schema: TableSchema, name: string, type: ColumnType, optional?: boolean): TableSchema {
  const column = findColumn(schema, name);
  if (!column) throw new Error(`column "${name}" is not in the table`);
  return putSchemaColumn(schema, { name, type, optional: optional ?? column.optional });
}

/**
 * Caches a schema mapping per input schema object (events of one table share their schema object),
 * so apply maps each distinct schema once and downstream sees a stable schema identity.
 */
export function memoizeSchema(fn: (schema: TableSchema) => TableSchema): (schema: TableSchema) => TableSchema {
  const cache = new WeakMap<TableSchema, TableSchema>();
  return (schema) => {
    let out = cache.get(schema);
    if (out === undefined) {
      out = fn(schema);
      cache.set(schema, out);
    }
    return out;
  };
}
