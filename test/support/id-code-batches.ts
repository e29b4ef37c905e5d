/**
 * WriteBatch builders for connector tests of the batch transaction: tables of (id int key, code
 * text), upserted rows, and offsets of topic 't' for consumer group GROUP.
 */
import type { TableChanges, TableDescription, WriteBatch } from '../../connectors/contract.ts';
import type { ColumnSchema } from '../../connectors/core/column-type.ts';
import { newRow, type Row } from '../../connectors/core/value.ts';

export const GROUP = 'g';

const columns: ColumnSchema[] = [
  { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
  { name: 'code', type: { kind: 'string' }, optional: true },
];

/** `count` rows with ids from `from`, each with `code`. */
export function rows(from: number, count: number, code = 'ok'): Row[] {
  return Array.from({ length: count }, (_v, i) => Object.assign(newRow(), { id: from + i, code }));
}

/** Upserts of `upserts` into the described table. */
export function changes(d: TableDescription, upserts: Row[]): TableChanges {
  return { table: d.table, description: d, columns, keyColumns: ['id'], mode: 'upsert', truncate: false, deletes: [], upserts };
}

/** A batch of the tables' changes and the offsets [partition, next offset, expected (null: none stored)]. */
export function batch(tables: TableChanges[], offsets: [partition: number, next: string, expected: string | null][]): WriteBatch {
  return {
    groupId: GROUP,
    tables,
    offsets: offsets.map(([partition, nextOffset, expected]) => ({ topic: 't', partition, nextOffset, expected })),
  };
}
