/**
 * tableChanges: one table's reduced changes -> the statements that apply them, in order:
 * DELETE FROM t (truncate), keyed DELETEs, then MERGEs (upsert) or INSERTs (append). Every row
 * statement is `batch: true` for executeMany(), with bind definitions, chunked to rowsPerStatement
 * rows (executeMany has no row limit; the chunk bounds memory per round trip).
 *
 * Rows whose columns hold UNCHANGED (or lack a column) are grouped by the set of columns they
 * carry; each group gets its own statement that leaves the other columns out, so the target keeps
 * their current values.
 *
 * Column names resolve against the target description: the name folded by identifierCase first,
 * then the name exactly as given; the statement quotes the name as the catalog stores it. A column
 * the target lacks is a fatal schema error (add it, or drop / rename it with a transform).
 *
 * Oracle stores '' as NULL: an empty string from the source arrives as NULL (and fails on a NOT
 * NULL or key column with ORA-01400, a data error).
 */
import type { TableChanges } from '../contract.ts';
import type { ColumnType } from '../core/column-type.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';
import { UNCHANGED, type Row, type Value } from '../core/value.ts';
import { bindingFor, type Binding } from './binding.ts';
import { foldIdentifier, qualifiedName, tableText, type IdentifierCase } from './identifiers.ts';
import type { OracleBindDef, OracleBindType, OracleBindValue, OracleSql } from './sql.ts';
import { deleteText, insertText, mergeText, truncateText, type StatementColumn } from './statements.ts';

export interface ChangesContext {
  readonly defaultSchema: string | null;
  readonly identifierCase: IdentifierCase;
  readonly rowsPerStatement: number;
  readonly maxBindParameters: number;
}

interface BoundColumn extends StatementColumn, Binding {
  /** The row's key for this column (the source name). */
  readonly name: string;
}

function schemaError(table: string, message: string): TargetError {
  return new TargetError(ErrorCodes.TARGET_SCHEMA, `writing to ${table}: ${message}`, { kind: 'fatal', table });
}

export function tableChangesSql(changes: TableChanges, ctx: ChangesContext): OracleSql[] {
  const rule = ctx.identifierCase;
  const table = qualifiedName(changes.table, ctx.defaultSchema, rule);
  const text = tableText(changes.table, ctx.defaultSchema, rule);
  const targetTypes = new Map<string, string>();
  for (const c of changes.description.columns) targetTypes.set(c.name, c.dataType);
  const sourceTypes = new Map<string, ColumnType>();
  for (const c of changes.columns) sourceTypes.set(c.name, c.type);

  const bind = (name: string): BoundColumn => {
    const folded = foldIdentifier(name, rule);
    const stored = targetTypes.has(folded) ? folded : targetTypes.has(name) ? name : undefined;
    if (stored === undefined) {
      throw schemaError(text, `column "${folded}" is not in the target table (add it, or drop or rename it with a transform)`);
    }
    if (stored.includes('"') || stored.includes('\u0000')) {
      throw schemaError(text, `column ${JSON.stringify(stored)} cannot be quoted in Oracle`);
    }
    const binding = bindingFor(sourceTypes.get(name), targetTypes.get(stored) ?? '');
    return { name, quoted: `"${stored}"`, ...binding };
  };

  const resolved = { ...changes, keyColumns: resolveKeyColumns(changes.keyColumns, changes.columns, rule) };
  const out: OracleSql[] = [];
  if (changes.truncate) out.push({ text: truncateText(table), values: [] });
  if (changes.deletes.length > 0) out.push(...deletes(resolved, ctx, table, text, bind));
  if (changes.upserts.length > 0) out.push(...upserts(resolved, ctx, table, text, bind));
  return out;
}

/**
 * Key column names as the rows name them. Keys may come from the target's primary key as the
 * catalog stores it ("ID") while rows carry the source's name ("id"): under identifierCase
 * 'upper' a key matches the column whose folded name is the same.
 */
export function resolveKeyColumns(
  keyColumns: readonly string[],
  columns: readonly { readonly name: string }[],
  rule: IdentifierCase,
): string[] {
  return keyColumns.map((k) => {
    if (columns.some((c) => c.name === k)) return k;
    const folded = foldIdentifier(k, rule);
    return columns.find((c) => foldIdentifier(c.name, rule) === folded)?.name ?? k;
  });
}

function deletes(
  changes: TableChanges,
  ctx: ChangesContext,
  table: string,
  text: string,
  bind: (name: string) => BoundColumn,
): OracleSql[] {
  if (changes.keyColumns.length === 0) {
    throw schemaError(text, `cannot delete ${changes.deletes.length} rows: the table has no key columns to match rows on`);
  }
  const columns = changes.keyColumns.map(bind);
  for (const row of changes.deletes) requireKey(row, changes.keyColumns, text, 'deleting from');
  return chunked(changes.deletes, columns, deleteText(table, columns), ctx, text);
}

function upserts(
  changes: TableChanges,
  ctx: ChangesContext,
  table: string,
  text: string,
  bind: (name: string) => BoundColumn,
): OracleSql[] {
  const { mode, keyColumns } = changes;
  if (mode === 'upsert' && keyColumns.length === 0) {
    throw schemaError(text, "cannot upsert: the table has no key columns (use mode 'append' for tables without a key)");
  }
  const keys = new Set(keyColumns);
  const names = changes.columns.map((c) => c.name);
  for (const k of keyColumns) if (!names.includes(k)) names.push(k);
  const out: OracleSql[] = [];
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
    const sqlText =
      mode === 'upsert'
        ? mergeText(
            table,
            columns.map((c) => ({ ...c, key: keys.has(c.name) })),
          )
        : insertText(table, columns);
    out.push(...chunked(rows, columns, sqlText, ctx, text));
  }
  return out;
}

function isAbsent(v: Value | typeof UNCHANGED | undefined): boolean {
  return v === undefined || v === UNCHANGED;
}

/**
 * Groups rows by which columns they carry, in first-seen order. The key '' means every column is
 * present (the common case); otherwise a '1'/'0' string per column.
 */
export function groupByPresence(rows: readonly Row[], names: readonly string[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    let mask = '';
    if (names.some((n) => isAbsent(row[n]))) {
      for (const n of names) mask += isAbsent(row[n]) ? '0' : '1';
    }
    const group = groups.get(mask);
    if (group === undefined) groups.set(mask, [row]);
    else group.push(row);
  }
  return groups;
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

function encodeValue(column: BoundColumn, v: Value, table: string): OracleBindValue {
  if (v === null) return null;
  try {
    return column.encode(v);
  } catch (err) {
    throw new TargetError(
      ErrorCodes.TARGET_DATA,
      `writing to ${table}: column "${column.name}": ${(err as Error).message}`,
      { kind: 'data', table, cause: err },
    );
  }
}

function byteLength(v: OracleBindValue): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Buffer.isBuffer(v)) return v.length;
  return 0;
}

/** Inline LOB values up to this many bytes (SQL's VARCHAR2 / RAW limits without MAX_STRING_SIZE=EXTENDED). */
export const INLINE_CLOB_BYTES = 4000;
export const INLINE_BLOB_BYTES = 2000;

/**
 * The bind definition of a column for one chunk; maxSize is the longest value of the chunk.
 * LOB columns whose values of this chunk are all short travel inline as VARCHAR / RAW (Oracle
 * converts them on insert): node-oracledb thin mode makes a temporary LOB for every CLOB / BLOB
 * bind value, two extra round trips per value.
 */
export function bindDef(type: OracleBindType, maxSize: number): OracleBindDef {
  if (type === 'clob' && maxSize <= INLINE_CLOB_BYTES) return { type: 'varchar', maxSize };
  if (type === 'blob' && maxSize <= INLINE_BLOB_BYTES) return { type: 'raw', maxSize };
  return type === 'varchar' || type === 'raw' ? { type, maxSize } : { type };
}

/** One executeMany() statement per chunk of rows, with bind definitions sized to the chunk. */
function chunked(
  rows: readonly Row[],
  columns: readonly BoundColumn[],
  text: string,
  ctx: ChangesContext,
  table: string,
): OracleSql[] {
  if (columns.length > ctx.maxBindParameters) {
    throw schemaError(table, `a statement of ${columns.length} columns exceeds Oracle's ${ctx.maxBindParameters} binds`);
  }
  const out: OracleSql[] = [];
  for (let start = 0; start < rows.length; start += ctx.rowsPerStatement) {
    const end = Math.min(rows.length, start + ctx.rowsPerStatement);
    const sizes = columns.map(() => 1);
    const values: OracleBindValue[][] = [];
    for (let r = start; r < end; r++) {
      const row = rows[r] as Row;
      const bindRow = columns.map((c, i) => {
        const raw = row[c.name];
        const v = raw === undefined || raw === UNCHANGED ? null : encodeValue(c, raw, table);
        sizes[i] = Math.max(sizes[i] ?? 1, byteLength(v));
        return v;
      });
      values.push(bindRow);
    }
    const bindDefs = columns.map((c, i) => bindDef(c.bindType, sizes[i] ?? 1));
    out.push({ text, values, batch: true, bindDefs });
  }
  return out;
}
