/**
 * CREATE TABLE and ADD COLUMN for tables cdc-sink creates or extends.
 *
 * - InnoDB (transactions), DEFAULT CHARSET=utf8mb4 (4-byte characters: emoji) with the server's
 *   binary NO PAD collation (see server-version.ts binaryCollation and types.ts).
 * - Key columns are NOT NULL (a primary key requires it), others follow `optional`.
 * - Added columns are always NULL-able: existing rows have no value for them (MySQL would fill a
 *   NOT NULL column with 0 or '' instead, which the source never had).
 * - ADD COLUMN IF NOT EXISTS exists on MariaDB only; on MySQL the caller must add only the
 *   columns describeTable does not list (the pipeline does: it compares the description first).
 *   All columns go in one ALTER TABLE, applied atomically.
 */
import type { ColumnSchema } from '../core/column-type.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';
import type { Sql, TargetTableRef } from '../contract.ts';
import { qualifiedName, quoteIdentifier, tableText } from './identifiers.ts';
import { ADD_COLUMN_MAX_VARCHAR_CHARS, columnTypeSql, createTableColumnTypes, type MysqlTypeOptions } from './types.ts';

export interface DdlOptions extends MysqlTypeOptions {
  readonly defaultDatabase: string | null;
  readonly collation: string;
  readonly addColumnIfNotExists: boolean;
}

function schemaError(table: TargetTableRef, opts: DdlOptions, what: string): TargetError {
  return new TargetError(ErrorCodes.TARGET_SCHEMA, `cannot create table ${tableText(table, opts.defaultDatabase)}: ${what}`, {
    kind: 'fatal',
    table: tableText(table, opts.defaultDatabase),
  });
}

export function createTableSql(
  table: TargetTableRef,
  columns: readonly ColumnSchema[],
  key: readonly string[],
  opts: DdlOptions,
): Sql {
  if (columns.length === 0) throw schemaError(table, opts, 'it has no columns');
  const seen = new Set<string>();
  for (const c of columns) {
    const folded = c.name.toLowerCase();
    if (seen.has(folded)) throw schemaError(table, opts, `column ${c.name} appears twice (MySQL column names ignore case)`);
    seen.add(folded);
  }
  for (const k of key) {
    if (!columns.some((c) => c.name === k)) throw schemaError(table, opts, `key column ${k} is not among its columns`);
  }
  const keys = new Set(key);
  const types = createTableColumnTypes(columns, key, opts);
  const defs = columns.map((c, i) => {
    const nullable = c.optional && !keys.has(c.name);
    return `${quoteIdentifier(c.name)} ${types[i] ?? ''} ${nullable ? 'NULL' : 'NOT NULL'}`;
  });
  if (key.length > 0) defs.push(`PRIMARY KEY (${key.map(quoteIdentifier).join(', ')})`);
  return {
    text:
      `CREATE TABLE IF NOT EXISTS ${qualifiedName(table, opts.defaultDatabase)} (${defs.join(', ')}) ` +
      `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${opts.collation}`,
    values: [],
  };
}

export function addColumnsSql(table: TargetTableRef, columns: readonly ColumnSchema[], opts: DdlOptions): Sql[] {
  if (columns.length === 0) return [];
  const ifNotExists = opts.addColumnIfNotExists ? 'IF NOT EXISTS ' : '';
  const role = { key: false, varcharLimit: ADD_COLUMN_MAX_VARCHAR_CHARS };
  const adds = columns.map(
    (c) => `ADD COLUMN ${ifNotExists}${quoteIdentifier(c.name)} ${columnTypeSql(c.type, opts, role)} NULL`,
  );
  return [{ text: `ALTER TABLE ${qualifiedName(table, opts.defaultDatabase)} ${adds.join(', ')}`, values: [] }];
}
