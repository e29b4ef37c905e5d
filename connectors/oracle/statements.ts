/**
 * SQL text of the row statements. Placeholders are :1..:n in order of appearance, each used once,
 * every one wrapped in the column's conversion (binding.ts). All are run with executeMany(), one
 * bind row per table row.
 *
 * - upsert: MERGE INTO t USING (SELECT <binds> FROM dual) s ON (keys) WHEN MATCHED THEN UPDATE SET
 *   <non-key columns> WHEN NOT MATCHED THEN INSERT ... Oracle cannot update a column named in ON,
 *   so keys are never in SET; when only key columns are written there is no WHEN MATCHED.
 * - append: INSERT INTO t (cols) VALUES (binds).
 * - delete: DELETE FROM t WHERE k1 = :1 AND k2 = :2.
 * - truncate: DELETE FROM t. TRUNCATE is DDL in Oracle: it commits the open transaction at once
 *   (and cannot be rolled back), which would break "rows and offsets in one transaction".
 */
import { conversionSql, type Conversion } from './binding.ts';

export interface StatementColumn {
  /** The target column's name, quoted. */
  readonly quoted: string;
  readonly conversion: Conversion;
  /** MERGE only: the column is matched on (in ON, never in SET). */
  readonly key?: boolean;
}

function bound(columns: readonly StatementColumn[], first = 1): string[] {
  return columns.map((c, i) => conversionSql(c.conversion, `:${first + i}`));
}

export function truncateText(table: string): string {
  return `DELETE FROM ${table}`;
}

export function deleteText(table: string, keys: readonly StatementColumn[]): string {
  const values = bound(keys);
  const where = keys.map((k, i) => `${k.quoted} = ${values[i]}`).join(' AND ');
  return `DELETE FROM ${table} WHERE ${where}`;
}

export function insertText(table: string, columns: readonly StatementColumn[]): string {
  return `INSERT INTO ${table} (${columns.map((c) => c.quoted).join(', ')}) VALUES (${bound(columns).join(', ')})`;
}

/** columns in bind order; those with `key` are matched on. */
export function mergeText(table: string, columns: readonly StatementColumn[]): string {
  const values = bound(columns);
  const select = columns.map((c, i) => `${values[i]} AS ${c.quoted}`).join(', ');
  const on = columns
    .filter((c) => c.key === true)
    .map((c) => `t.${c.quoted} = s.${c.quoted}`)
    .join(' AND ');
  const updates = columns.filter((c) => c.key !== true).map((c) => `t.${c.quoted} = s.${c.quoted}`);
  const matched = updates.length === 0 ? '' : ` WHEN MATCHED THEN UPDATE SET ${updates.join(', ')}`;
  const names = columns.map((c) => c.quoted).join(', ');
  const inserted = columns.map((c) => `s.${c.quoted}`).join(', ');
  return (
    `MERGE INTO ${table} t USING (SELECT ${select} FROM dual) s ON (${on})${matched} ` +
    `WHEN NOT MATCHED THEN INSERT (${names}) VALUES (${inserted})`
  );
}
