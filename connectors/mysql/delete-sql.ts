/**
 * Truncate and delete statements.
 *
 * Truncate is `DELETE FROM t`, not TRUNCATE TABLE: TRUNCATE is DDL in MySQL and MariaDB and
 * commits the open transaction implicitly, so the rows and offsets written before it would be
 * committed on their own and a failure after it could not be rolled back. DELETE stays inside the
 * transaction; the trade-off is speed (row by row, undo log for every row) and that
 * AUTO_INCREMENT counters are not reset.
 *
 * Deletes match the key: `k IN (?, ?)` for one key column, `(k1, k2) IN ((?, ?), (?, ?))` for a
 * composite key (both servers use the primary key's range access for row constructors).
 */
import type { Row } from '../core/value.ts';
import { isUnchanged } from '../core/value.ts';
import { quoteIdentifier } from './identifiers.ts';
import type { MysqlSql, RowsStatement } from './statement.ts';
import type { Bind } from './values.ts';
import { dataError, type WriteContext } from './write-context.ts';

export function truncateSql(ctx: WriteContext): MysqlSql {
  return { text: `DELETE FROM ${ctx.sqlName}`, values: [], kind: 'truncate', rows: 0 };
}

/** The delete statement of the key rows, before chunking; null when there are none. */
export function deleteStatement(ctx: WriteContext, keyColumns: readonly string[], rows: readonly Row[]): RowsStatement | null {
  if (rows.length === 0) return null;
  if (keyColumns.length === 0) throw dataError(ctx, 'deletes need key columns, and the table has none configured');
  for (const k of keyColumns) ctx.target(k);
  const encoders = keyColumns.map((k) => ctx.encoder(k));
  const encoded = rows.map((row) => {
    const binds: Bind[] = [];
    keyColumns.forEach((k, i) => {
      const v = row[k];
      if (v === undefined || v === null || isUnchanged(v)) throw dataError(ctx, `a delete has no value for key column ${k}`);
      binds.push((encoders[i] as (typeof encoders)[number])(v));
    });
    return binds;
  });
  const single = keyColumns.length === 1;
  const target = single ? quoteIdentifier(keyColumns[0] ?? '') : `(${keyColumns.map(quoteIdentifier).join(', ')})`;
  return {
    kind: 'delete',
    head: `DELETE FROM ${ctx.sqlName} WHERE ${target} IN (`,
    tail: ')',
    width: keyColumns.length,
    tuples: !single,
    rows: encoded,
  };
}
