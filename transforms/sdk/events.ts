/**
 * Immutable ChangeEvent builders. Each returns a new event and keeps row, key, before and schema
 * consistent with each other (a renamed key column is renamed in the key row and schema.key too).
 */
import type { ChangeEvent, TableId } from '../../connectors/core/change-event.ts';
import type { ColumnSchema, TableSchema } from '../../connectors/core/column-type.ts';
import type { Row } from '../../connectors/core/value.ts';
import { hasCell, omitFromRow, pickRow, renameInRow, rowOf, setCells, toNameMap } from './rows.ts';
import type { Cell } from './rows.ts';
import { dropSchemaColumns, putSchemaColumn, renameSchemaColumns } from './schema.ts';
import type { PutColumnOptions } from './schema.ts';

/** Which image of an event a row function is looking at. */
export type RowPart = 'row' | 'before' | 'key';

/** A copy routed to another table; fields left out of `table` keep their value. */
export function withTable(event: ChangeEvent, table: { readonly namespace?: string | null; readonly name?: string }): ChangeEvent {
  const next: TableId = {
    namespace: table.namespace === undefined ? event.table.namespace : table.namespace,
    name: table.name ?? event.table.name,
  };
  return { ...event, table: next };
}

export function withSchema(event: ChangeEvent, schema: TableSchema): ChangeEvent {
  return { ...event, schema };
}

/**
 * A copy with a new after image. The key follows the row: when the row holds every key column,
 * the key row is rebuilt from it.
 */
export function withRow(event: ChangeEvent, row: Readonly<Record<string, Cell>>): ChangeEvent {
  const next = rowOf(row);
  const keyNames = event.schema.key;
  const complete = keyNames.length > 0 && keyNames.every((k) => hasCell(next, k));
  return { ...event, row: next, key: complete ? pickRow(next, keyNames) : event.key };
}

/**
 * A copy with fn applied to each image present (row, before, key). fn must return a new row (or
 * the same one, unchanged); the schema is left alone (see withSchema).
 */
export function mapRow(event: ChangeEvent, fn: (image: Row, part: RowPart) => Row): ChangeEvent {
  return {
    ...event,
    row: event.row === null ? null : fn(event.row, 'row'),
    before: event.before === null ? null : fn(event.before, 'before'),
    key: event.key === null ? null : fn(event.key, 'key'),
  };
}

/** Renames columns (old -> new) in the schema, the key and every image. Unknown names are ignored. */
export function renameColumns(
  event: ChangeEvent,
  renames: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): ChangeEvent {
  const map = toNameMap(renames);
  const schema = renameSchemaColumns(event.schema, map);
  return { ...mapRow(event, (image) => renameInRow(image, map)), schema };
}

export function renameColumn(event: ChangeEvent, from: string, to: string): ChangeEvent {
  return renameColumns(event, new Map([[from, to]]));
}

/** Removes columns from the schema and every image. Dropping a key column is an error. */
export function dropColumns(event: ChangeEvent, names: Iterable<string>): ChangeEvent {
  const set = new Set(names);
  const schema = dropSchemaColumns(event.schema, set);
  return { ...mapRow(event, (image) => omitFromRow(image, set)), schema };
}

/**
 * Adds (or replaces) a column: in the schema, and in each image with the value `value` gives
 * (a constant, or a function of the image; returning undefined leaves the image without the
 * column, e.g. for a partial before image). The key image gets it only when the column is a key
 * column (options.key, or already in schema.key).
 */
export function setColumn(
  event: ChangeEvent,
  column: ColumnSchema,
  value: Cell | ((image: Row, part: RowPart) => Cell | undefined),
  options: PutColumnOptions = {},
): ChangeEvent {
  const schema = putSchemaColumn(event.schema, column, options);
  const inKey = schema.key.includes(column.name);
  const compute = typeof value === 'function' ? value : () => value;
  return {
    ...mapRow(event, (image, part) => {
      if (part === 'key' && !inKey) return image;
      const v = compute(image, part);
      return v === undefined ? image : setCells(image, { [column.name]: v });
    }),
    schema,
  };
}
