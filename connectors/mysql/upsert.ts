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
 * Rows whose value of a column is UNCHANGED (or absent) are grouped by the set of columns they
 * do provide; each group's statement leaves the other columns out of both the insert list (a new
 * row gets the column default) and the update list (an existing row keeps its value).
 */
import { isUnchanged, type Row, type Value } from '../core/value.ts';
import { quoteIdentifier } from './identifiers.ts';
import { chunkRows, valuesList, type MysqlSql } from './statement.ts';
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
  for (const row of rows) Object.keys(row).forEach(add);
  return out;
}

function provided(v: Value | symbol | undefined): boolean {
  return v !== undefined && !isUnchanged(v);
}

/** Rows grouped by the columns they provide, in first-seen order; each group keeps row order. */
export function groupByProvidedColumns(columns: readonly string[], rows: readonly Row[]): { columns: string[]; rows: Row[] }[] {
  const groups = new Map<string, { columns: string[]; rows: Row[] }>();
  for (const row of rows) {
    const present = columns.map((c) => provided(row[c]));
    const signature = present.map((p) => (p ? '1' : '0')).join('');
    let g = groups.get(signature);
    if (g === undefined) {
      g = { columns: columns.filter((_c, i) => present[i]), rows: [] };
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

export function upsertSql(ctx: WriteContext, input: UpsertInput): MysqlSql[] {
  const out: MysqlSql[] = [];
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
    const head = `INSERT INTO ${ctx.sqlName} (${group.columns.map(quoteIdentifier).join(', ')}) VALUES `;
    const tail = input.mode === 'upsert' ? onDuplicate(ctx, group.columns, input.keyColumns) : '';
    const kind = input.mode === 'upsert' ? ('upsert' as const) : ('insert' as const);
    for (const chunk of chunkRows(encoded, group.columns.length, ctx.options)) {
      out.push({ text: head + valuesList(chunk.length, group.columns.length) + tail, values: chunk.flat(), kind, rows: chunk.length });
    }
  }
  return out;
}
