/** Builders shared by the MySQL dialect unit tests. */
import type { ColumnSchema, ColumnType } from '../../../connectors/core/column-type.ts';
import { newRow, type Row, type Unchanged, type Value } from '../../../connectors/core/value.ts';
import type { TableChanges, TargetColumn, TargetTableRef } from '../../../connectors/contract.ts';
import { createMysqlDialect, type MysqlDialect, type MysqlDialectOptions } from '../../../connectors/mysql/dialect.ts';

export const mysql8020 = (o: Partial<MysqlDialectOptions> = {}): MysqlDialect =>
  createMysqlDialect({ flavor: 'mysql', serverVersion: [8, 0, 20], defaultDatabase: 'app', ...o });
export const mysql8019 = (o: Partial<MysqlDialectOptions> = {}): MysqlDialect =>
  createMysqlDialect({ flavor: 'mysql', serverVersion: [8, 0, 19], defaultDatabase: 'app', ...o });
export const mariadb = (o: Partial<MysqlDialectOptions> = {}): MysqlDialect =>
  createMysqlDialect({ flavor: 'mariadb', serverVersion: [10, 11, 6], defaultDatabase: 'app', ...o });

export function col(name: string, type: ColumnType, optional = true): ColumnSchema {
  return { name, type, optional };
}

export function row(values: Record<string, Value | Unchanged>): Row {
  return Object.assign(newRow(), values);
}

/** A target column for every source column (types do not matter to most statement tests). */
export function targetColumns(columns: readonly ColumnSchema[], types: Record<string, string> = {}): TargetColumn[] {
  return columns.map((c) => ({ name: c.name, dataType: types[c.name] ?? 'longtext', nullable: c.optional }));
}

export function changes(
  table: TargetTableRef,
  columns: readonly ColumnSchema[],
  keyColumns: readonly string[],
  parts: Partial<Pick<TableChanges, 'truncate' | 'deletes' | 'upserts' | 'mode'>> & { targetTypes?: Record<string, string> },
): TableChanges {
  return {
    table,
    description: { table, columns: targetColumns(columns, parts.targetTypes), primaryKey: keyColumns },
    columns,
    keyColumns,
    mode: parts.mode ?? 'upsert',
    truncate: parts.truncate ?? false,
    deletes: parts.deletes ?? [],
    upserts: parts.upserts ?? [],
  };
}
