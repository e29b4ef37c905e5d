/**
 * Upserts and appends as multi-row INSERTs.
 *
 * - upsert, MySQL 8.0.20+: `INSERT INTO t (k, a) VALUES (?, ?), (?, ?) AS `new`
 *   ON DUPLICATE KEY UPDATE a = `new`.a` (VALUES(col) is deprecated there).
 * - upsert, MariaDB and MySQL before 8.0.20: `... ON DUPLICATE KEY UPDATE a = VALUES(a)`.
 * - upsert of key-only rows: `... ON DUPLICATE KEY UPDATE k = k` (a no-op update). Not INSERT
 *   IGNORE: IGNORE also turns data errors (too long, out of range) into warnings and stores
 *   truncated values.
 * - append: a plain multi-row INSERT.
 *
 * ON DUPLICATE KEY UPDATE fires on ANY unique key of the target: a target with unique keys beyond
 * the primary key may update a different row than the source key names.
 *
 * The statements are built once (RowsStatement) and rendered with placeholders (tableChanges) or
 * with the values as literals (tableChangesInline, what the connector sends): statement.ts.
 *
 * Rows whose value of a column is UNCHANGED (or absent) are grouped by the set of columns they
 * do provide; each group's statement leaves the other columns out of both the insert list (a new
 * row gets the column default) and the update list (an existing row keeps its value).
 */
import { isUnchanged, type Row, type Value } from '../core/value.ts';
import { quoteIdentifier } from './identifiers.ts';
import type { RowsStatement } from './statement.ts';
import type { Bind } from './values.ts';
import { dataError, type WriteContext } from './write-context.ts';

/** The row alias of MySQL 8.0.20+ upserts. */
export const ROW_ALIAS = '`new`';

export interface UpsertInput {
  /** Column names in statement order (source order, then any others rows carry). */
  readonly columns: readonly string[];
  readonly keyColumns: readonly string[];
  readonly mode: 'upsert' | 'append';
  readonly rows: readonly Row[];
}

/** The columns of the statements: the schema's, then key columns and row columns it does not list. */
export function statementColumns(schemaColumns: readonly string[], keyColumns: readonly string[], rows: readonly Row[]): string[] {
  const out = [...schemaColumns];
  const seen = new Set(out);
  const add = (name: string): void => {
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  };
  keyColumns.forEach(add);
  for (const row of rows) {
    for (const name in row) if (!seen.has(name)) add(name);
  }
  return out;
}

function provided(v: Value | symbol | undefined): boolean {
  return v !== undefined && !isUnchanged(v);
}

/** Rows grouped by the columns they provide, in first-seen order; each group keeps row order. */
export function groupByProvidedColumns(columns: readonly string[], rows: readonly Row[]): { columns: string[]; rows: Row[] }[] {
  const groups = new Map<string, { columns: string[]; rows: Row[] }>();
  // Most rows provide every column: their signature is found without building one.
  const all = '1'.repeat(columns.length);
  for (const row of rows) {
    let signature = all;
    for (let i = 0; i < columns.length; i++) {
      if (!provided(row[columns[i] as string])) {
        signature = columns.map((c) => (provided(row[c]) ? '1' : '0')).join('');
        break;
      }
    }
    let g = groups.get(signature);
    if (g === undefined) {
      const present = signature;
      g = { columns: columns.filter((_c, i) => present.charCodeAt(i) === 49), rows: [] };
      groups.set(signature, g);
    }
    g.rows.push(row);
  }
  return [...groups.values()];
}

function onDuplicate(ctx: WriteContext, columns: readonly string[], keyColumns: readonly string[]): string {
  const keys = new Set(keyColumns);
  const updates = columns.filter((c) => !keys.has(c));
  if (updates.length === 0) {
    const k = quoteIdentifier(columns[0] ?? '');
    return ` ON DUPLICATE KEY UPDATE ${k} = ${k}`;
  }
  const set = updates.map((c) => {
    const q = quoteIdentifier(c);
    return ctx.options.rowAlias ? `${q} = ${ROW_ALIAS}.${q}` : `${q} = VALUES(${q})`;
  });
  return `${ctx.options.rowAlias ? ` AS ${ROW_ALIAS}` : ''} ON DUPLICATE KEY UPDATE ${set.join(', ')}`;
}

/** The upsert / append statements of the rows, one per group of provided columns, before chunking. */
export function upsertStatements(ctx: WriteContext, input: UpsertInput): RowsStatement[] {
  const out: RowsStatement[] = [];
  if (input.rows.length === 0) return out;
  for (const group of groupByProvidedColumns(input.columns, input.rows)) {
    if (group.columns.length === 0) continue;
    if (input.mode === 'upsert') {
      for (const k of input.keyColumns) {
        if (!group.columns.includes(k)) throw dataError(ctx, `an upsert has no value for key column ${k}`);
      }
    }
    group.columns.forEach((c) => ctx.target(c));
    const encoders = group.columns.map((c) => ctx.encoder(c));
    const encoded = group.rows.map((row) =>
      group.columns.map((c, i): Bind => (encoders[i] as (typeof encoders)[number])(row[c] as Value)),
    );
    out.push({
      kind: input.mode === 'upsert' ? 'upsert' : 'insert',
      head: `INSERT INTO ${ctx.sqlName} (${group.columns.map(quoteIdentifier).join(', ')}) VALUES `,
      tail: input.mode === 'upsert' ? onDuplicate(ctx, group.columns, input.keyColumns) : '',
      width: group.columns.length,
      tuples: true,
      rows: encoded,
    });
  }
  return out;
}
