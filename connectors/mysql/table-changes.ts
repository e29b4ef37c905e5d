/**
 * Every statement of one table's changes, in the order the contract sets: truncate, deletes,
 * upserts. All of them run inside the connector's one transaction.
 */
import type { TableChanges } from '../contract.ts';
import { deleteSql, truncateSql } from './delete-sql.ts';
import type { MysqlSql } from './statement.ts';
import { statementColumns, upsertSql } from './upsert.ts';
import { writeContext, type WriteSqlOptions } from './write-context.ts';

export function tableChangesSql(changes: TableChanges, options: WriteSqlOptions): MysqlSql[] {
  const ctx = writeContext(changes, options);
  const out: MysqlSql[] = [];
  if (changes.truncate) out.push(truncateSql(ctx));
  out.push(...deleteSql(ctx, changes.keyColumns, changes.deletes));
  if (changes.upserts.length > 0) {
    const columns = statementColumns(
      changes.columns.map((c) => c.name),
      changes.keyColumns,
      changes.upserts,
    );
    out.push(...upsertSql(ctx, { columns, keyColumns: changes.keyColumns, mode: changes.mode, rows: changes.upserts }));
  }
  return out;
}
