/**
 * Every statement of one table's changes, in the order the contract sets: truncate, deletes,
 * upserts. All of them run inside the connector's one transaction. Two renderings of the same
 * statements (statement.ts): bound (placeholders + binds) and inline (literal values, what the
 * connector sends).
 */
import type { TableChanges } from '../contract.ts';
import { deleteStatement, truncateSql } from './delete-sql.ts';
import { boundStatements, inlineStatements, type MysqlSql, type RowsStatement } from './statement.ts';
import { statementColumns, upsertStatements } from './upsert.ts';
import { writeContext, type WriteSqlOptions } from './write-context.ts';

function tableStatements(changes: TableChanges, options: WriteSqlOptions, render: (s: RowsStatement) => MysqlSql[]): MysqlSql[] {
  const ctx = writeContext(changes, options);
  const out: MysqlSql[] = [];
  if (changes.truncate) out.push(truncateSql(ctx));
  const deletes = deleteStatement(ctx, changes.keyColumns, changes.deletes);
  if (deletes !== null) out.push(...render(deletes));
  if (changes.upserts.length > 0) {
    const columns = statementColumns(
      changes.columns.map((c) => c.name),
      changes.keyColumns,
      changes.upserts,
    );
    for (const s of upsertStatements(ctx, { columns, keyColumns: changes.keyColumns, mode: changes.mode, rows: changes.upserts })) {
      out.push(...render(s));
    }
  }
  return out;
}

/** With placeholders and binds, for server-side prepared statements. */
export function tableChangesSql(changes: TableChanges, options: WriteSqlOptions): MysqlSql[] {
  return tableStatements(changes, options, (s) => boundStatements(s, options));
}

/** With the values inlined as literals (values empty), for the text protocol. */
export function tableChangesInlineSql(changes: TableChanges, options: WriteSqlOptions): MysqlSql[] {
  return tableStatements(changes, options, (s) => inlineStatements(s, options));
}
