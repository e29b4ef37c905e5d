/**
 * tableChanges: one table's reduced changes -> the statements that apply them, in order:
 * TRUNCATE, DELETEs, then INSERTs (upsert or append), each chunked to rowsPerStatement rows.
 *
 * Rows whose columns hold UNCHANGED (or lack a column of the change) are grouped by the set of
 * columns they actually carry; each group gets its own statement that leaves the other columns out
 * of both the insert list and the SET list, so the target keeps their current values.
 */
import type { Sql, TableChanges } from '../contract.ts';
import type { ColumnType } from '../core/column-type.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';
import { UNCHANGED, type Row, type Value } from '../core/value.ts';
import { quoteArrayElement } from './array-literal.ts';
import { qualifiedName, tableText } from './identifiers.ts';
import { deleteText, insertText, truncateText, type CastColumn, type StatementCache } from './sql-text.ts';
import { castType } from './types.ts';
import { encoderFor, type ValueEncoder } from './values.ts';

export interface ChangesContext {
  readonly defaultSchema: string;
  readonly rowsPerStatement: number;
  readonly maxBindParameters: number;
  readonly cache: StatementCache;
}

interface BoundColumn extends CastColumn {
  readonly encode: ValueEncoder;
}

/** Rows per statement: the configured bound, and never more binds than the server takes. */
export function rowsPerStatement(ctx: ChangesContext, columnCount: number, table: string): number {
  // unnest binds one parameter per column, whatever the row count; this can only fail for a
  // table with more columns than bind parameters, which PostgreSQL (1,600 columns) cannot have.
  if (columnCount < 1 || columnCount > ctx.maxBindParameters) {
    throw new TargetError(
      ErrorCodes.INTERNAL,
      `writing to ${table}: a statement of ${columnCount} columns cannot be bound (limit ${ctx.maxBindParameters})`,
      { kind: 'fatal', table },
    );
  }
  return Math.max(1, Math.min(ctx.rowsPerStatement, Math.floor(ctx.maxBindParameters / columnCount)));
}

export function tableChangesSql(changes: TableChanges, ctx: ChangesContext): Sql[] {
  const table = qualifiedName(changes.table, ctx.defaultSchema);
  const text = tableText(changes.table, ctx.defaultSchema);
  const targetTypes = new Map<string, string>();
  for (const c of changes.description.columns) targetTypes.set(c.name, c.dataType);
  const sourceTypes = new Map<string, ColumnType>();
  for (const c of changes.columns) sourceTypes.set(c.name, c.type);

  const bind = (name: string): BoundColumn => {
    const dataType = targetTypes.get(name);
    if (dataType === undefined) {
      throw new TargetError(
        ErrorCodes.TARGET_SCHEMA,
        `writing to ${text}: column "${name}" is not in the target table (add it, or drop or rename it with a transform)`,
        { kind: 'fatal', table: text },
      );
    }
    const cast = castType(dataType);
    return { name, cast, encode: encoderFor(sourceTypes.get(name), cast) };
  };

  const out: Sql[] = [];
  if (changes.truncate) out.push({ text: truncateText(table), values: [] });
  if (changes.deletes.length > 0) out.push(...deletes(changes, ctx, table, text, bind));
  if (changes.upserts.length > 0) out.push(...upserts(changes, ctx, table, text, bind));
  return out;
}

function deletes(
  changes: TableChanges,
  ctx: ChangesContext,
  table: string,
  text: string,
  bind: (name: string) => BoundColumn,
): Sql[] {
  if (changes.keyColumns.length === 0) {
    throw new TargetError(
      ErrorCodes.TARGET_SCHEMA,
      `deleting ${changes.deletes.length} rows from ${text}: the table has no key columns to match rows on`,
      { kind: 'fatal', table: text },
    );
  }
  const columns = changes.keyColumns.map(bind);
  for (const row of changes.deletes) requireKey(row, changes.keyColumns, text, 'deleting from');
  const sqlText = ctx.cache.get(cacheKey('D', table, columns, []), () => deleteText(table, columns));
  return chunked(changes.deletes, columns, sqlText, rowsPerStatement(ctx, columns.length, text));
}

function upserts(
  changes: TableChanges,
  ctx: ChangesContext,
  table: string,
  text: string,
  bind: (name: string) => BoundColumn,
): Sql[] {
  const { mode, keyColumns } = changes;
  if (mode === 'upsert' && keyColumns.length === 0) {
    throw new TargetError(
      ErrorCodes.TARGET_SCHEMA,
      `upserting into ${text}: the table has no key columns (use mode 'append' for tables without a key)`,
      { kind: 'fatal', table: text },
    );
  }
  const names = changes.columns.map((c) => c.name);
  const out: Sql[] = [];
  for (const [mask, rows] of groupByPresence(changes.upserts, names)) {
    const present = mask === '' ? names : names.filter((_n, i) => mask[i] === '1');
    if (mode === 'upsert') {
      for (const row of rows) requireKey(row, keyColumns, text, 'upserting into');
    } else if (present.length === 0) {
      throw new TargetError(ErrorCodes.TARGET_DATA, `appending to ${text}: a row has no column to write`, {
        kind: 'data',
        table: text,
      });
    }
    const columns = present.map(bind);
    const sqlText = ctx.cache.get(cacheKey(mode, table, columns, keyColumns), () =>
      insertText(table, columns, mode, keyColumns),
    );
    out.push(...chunked(rows, columns, sqlText, rowsPerStatement(ctx, columns.length, text)));
  }
  return out;
}

function cacheKey(kind: string, table: string, columns: readonly CastColumn[], key: readonly string[]): string {
  const parts = [kind, table, key.join('\u0000')];
  for (const c of columns) parts.push(c.name, c.cast);
  return parts.join('\u0001');
}

function isAbsent(v: Value | typeof UNCHANGED | undefined): boolean {
  return v === undefined || v === UNCHANGED;
}

/**
 * Groups rows by which columns they carry, in first-seen order. The key '' means every column is
 * present (the common case, found without building a mask); otherwise a '1'/'0' string per column.
 */
export function groupByPresence(rows: readonly Row[], names: readonly string[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    let mask = '';
    for (let i = 0; i < names.length; i++) {
      if (isAbsent(row[names[i] ?? ''])) {
        mask = presenceMask(row, names);
        break;
      }
    }
    let group = groups.get(mask);
    if (group === undefined) {
      group = [];
      groups.set(mask, group);
    }
    group.push(row);
  }
  return groups;
}

function presenceMask(row: Row, names: readonly string[]): string {
  let mask = '';
  for (const name of names) mask += isAbsent(row[name]) ? '0' : '1';
  return mask;
}

function requireKey(row: Row, keyColumns: readonly string[], table: string, what: string): void {
  for (const k of keyColumns) {
    if (isAbsent(row[k])) {
      throw new TargetError(
        ErrorCodes.TARGET_DATA,
        `${what} ${table}: a row has no value for key column "${k}" (absent or unchanged)`,
        { kind: 'data', table },
      );
    }
  }
}

/**
 * One statement per chunk of rows. Each column's text[] parameter is bound as its array literal
 * text, '{"1","2",NULL}' (see array-literal.ts), built here straight from the rows: node-postgres
 * sends a string parameter as it is, so there is no (string | null)[] of values per column and
 * no second pass over them in the driver. The text is what node-postgres made of that array.
 */
function chunked(rows: readonly Row[], columns: readonly BoundColumn[], text: string, size: number): Sql[] {
  const out: Sql[] = [];
  // The elements of one column, joined into its literal (one flat string; see textArrayLiteral for
  // why not +=). Reused for every column and chunk.
  const parts = new Array<string | null>(Math.min(size, rows.length));
  for (let start = 0; start < rows.length; start += size) {
    const end = Math.min(rows.length, start + size);
    parts.length = end - start; // shorter for the last chunk
    const values: string[] = [];
    for (const column of columns) {
      const { name, encode } = column;
      // Plain: no NULL and nothing to escape, so the quotes go in the separator and no element is
      // copied into a quoted string of its own (one string per value, the write path's largest
      // allocation). Otherwise each element is quoted as before.
      let plain = true;
      for (let r = start; r < end; r++) {
        const v = (rows[r] as Row)[name];
        // Absent / UNCHANGED columns are not in the statement (see groupByPresence) and keys are
        // checked, so this is only a guard: NULL, as before, rather than the text of a symbol.
        const element = v === undefined || v === UNCHANGED ? null : encode(v);
        parts[r - start] = element;
        if (plain && (element === null || element.indexOf('"') >= 0 || element.indexOf('\\') >= 0)) plain = false;
      }
      if (plain) {
        values.push(`{"${parts.join('","')}"}`);
        continue;
      }
      for (let i = 0; i < parts.length; i++) {
        const element = parts[i] as string | null;
        parts[i] = element === null ? 'NULL' : quoteArrayElement(element);
      }
      values.push(`{${parts.join(',')}}`);
    }
    out.push({ text, values });
  }
  return out;
}
