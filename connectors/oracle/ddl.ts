/**
 * CREATE TABLE / ALTER TABLE ADD for tables cdc-sink creates or extends.
 *
 * Oracle before 23ai has no CREATE TABLE IF NOT EXISTS (nor ADD COLUMN IF NOT EXISTS). Each DDL
 * statement is therefore wrapped in a PL/SQL block that runs it with EXECUTE IMMEDIATE and ignores
 * exactly "already exists" (ORA-00955 name already used, ORA-01430 column already exists): running
 * it twice, or racing another cdc-sink instance, is harmless, and every other error is raised.
 * DDL commits implicitly in Oracle, so it never runs inside a write transaction (executeDdl).
 *
 * Only key columns are NOT NULL (the primary key). Debezium's `optional` describes the source
 * column, which transforms can change, and Oracle turns '' into NULL: a NOT NULL on a string column
 * would reject rows the source accepted.
 */
import type { Sql } from '../contract.ts';
import type { ColumnSchema } from '../core/column-type.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';
import { quoteIdentifier, type IdentifierCase } from './identifiers.ts';
import { columnDefinitionSql, type TypeOptions } from './types.ts';

export const ORA_NAME_ALREADY_USED = 955;
export const ORA_COLUMN_EXISTS = 1430;

/** A PL/SQL block running `ddl` and ignoring the given ORA- error numbers. */
export function ignoringErrors(ddl: string, oraCodes: readonly number[]): string {
  const condition = oraCodes.map((c) => `SQLCODE != -${c}`).join(' AND ');
  return (
    `BEGIN EXECUTE IMMEDIATE '${ddl.replaceAll("'", "''")}'; ` +
    `EXCEPTION WHEN OTHERS THEN IF ${condition} THEN RAISE; END IF; END;`
  );
}

export interface DdlOptions extends TypeOptions {
  readonly identifierCase: IdentifierCase;
}

/** CREATE TABLE with a primary key on `key` (none when empty), as a block ignoring ORA-00955. */
export function createTableSql(
  qualified: string,
  columns: readonly ColumnSchema[],
  key: readonly string[],
  options: DdlOptions,
): Sql {
  const rule = options.identifierCase;
  const names = new Set(columns.map((c) => c.name));
  const missing = key.filter((k) => !names.has(k));
  if (missing.length > 0) {
    throw new TargetError(
      ErrorCodes.TARGET_SCHEMA,
      `creating ${qualified}: key column(s) ${missing.join(', ')} are not among the columns`,
      { kind: 'fatal', table: qualified },
    );
  }
  const keys = new Set(key);
  const defs = columns.map((c) => columnDefinitionSql(quoteIdentifier(c.name, rule), c, options, keys.has(c.name)));
  if (key.length > 0) defs.push(`PRIMARY KEY (${key.map((k) => quoteIdentifier(k, rule)).join(', ')})`);
  return { text: ignoringErrors(`CREATE TABLE ${qualified} (${defs.join(', ')})`, [ORA_NAME_ALREADY_USED]), values: [] };
}

/** One ALTER TABLE ... ADD per column (nullable), each ignoring ORA-01430 (column already exists). */
export function addColumnsSql(qualified: string, columns: readonly ColumnSchema[], options: DdlOptions): Sql[] {
  return columns.map((c) => ({
    text: ignoringErrors(
      `ALTER TABLE ${qualified} ADD (${columnDefinitionSql(quoteIdentifier(c.name, options.identifierCase), c, options, false)})`,
      [ORA_COLUMN_EXISTS],
    ),
    values: [],
  }));
}
