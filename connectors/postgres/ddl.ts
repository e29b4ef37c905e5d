/** CREATE TABLE / ALTER TABLE ADD COLUMN for tables cdc-sink creates or extends. */
import type { Sql } from '../contract.ts';
import type { ColumnSchema } from '../core/column-type.ts';
import { quoteIdentifier } from './identifiers.ts';
import { columnTypeSql } from './types.ts';

/**
 * CREATE TABLE IF NOT EXISTS with the primary key from `key` (none when `key` is empty).
 *
 * Only key columns are NOT NULL. Debezium's `optional` flag describes the source column, and
 * after transforms (renames, casts, computed columns) or a later source ALTER it can be wrong;
 * a NOT NULL violation on the target would stop replication for a constraint the source never
 * enforced, so every other column is nullable.
 */
export function createTableSql(
  qualified: string,
  columns: readonly ColumnSchema[],
  key: readonly string[],
): Sql {
  const keys = new Set(key);
  const defs = columns.map(
    (c) => `${quoteIdentifier(c.name)} ${columnTypeSql(c.type)}${keys.has(c.name) ? ' NOT NULL' : ''}`,
  );
  if (key.length > 0) defs.push(`PRIMARY KEY (${key.map(quoteIdentifier).join(', ')})`);
  return { text: `CREATE TABLE IF NOT EXISTS ${qualified} (${defs.join(', ')})`, values: [] };
}

/** One ALTER TABLE adding every column, always nullable (existing rows have no value for them). */
export function addColumnsSql(qualified: string, columns: readonly ColumnSchema[]): Sql[] {
  if (columns.length === 0) return [];
  const adds = columns.map((c) => `ADD COLUMN IF NOT EXISTS ${quoteIdentifier(c.name)} ${columnTypeSql(c.type)}`);
  return [{ text: `ALTER TABLE ${qualified} ${adds.join(', ')}`, values: [] }];
}
