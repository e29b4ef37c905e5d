/**
 * describeTable's queries on information_schema, and their rows -> TableDescription.
 *
 * information_schema compares names case-insensitively on MariaDB (and on MySQL for some
 * columns), while table names are case-sensitive on Linux (lower_case_table_names = 0): the
 * queries then also compare the bytes, so that `Orders` and `orders` stay two tables.
 */
import type { Sql, TableDescription, TargetColumn, TargetTableRef } from '../contract.ts';

export interface DescribeOptions {
  /** The database of the table (its own, or the connector's default). */
  readonly database: string;
  /** @@lower_case_table_names: 0 = names are case-sensitive. */
  readonly lowerCaseTableNames: number;
}

function nameMatch(o: DescribeOptions, table: TargetTableRef): { where: string; values: string[] } {
  const where = 'TABLE_SCHEMA = ? AND TABLE_NAME = ?';
  if (o.lowerCaseTableNames !== 0) {
    return { where, values: [o.database.toLowerCase(), table.name.toLowerCase()] };
  }
  return {
    where: `${where} AND CAST(TABLE_SCHEMA AS BINARY) = CAST(? AS BINARY) AND CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)`,
    values: [o.database, table.name, o.database, table.name],
  };
}

export function describeColumnsSql(o: DescribeOptions, table: TargetTableRef): Sql {
  const m = nameMatch(o, table);
  return {
    text:
      'SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable ' +
      `FROM information_schema.COLUMNS WHERE ${m.where} ORDER BY ORDINAL_POSITION`,
    values: m.values,
  };
}

export function describePrimaryKeySql(o: DescribeOptions, table: TargetTableRef): Sql {
  const m = nameMatch(o, table);
  return {
    text:
      'SELECT COLUMN_NAME AS column_name FROM information_schema.KEY_COLUMN_USAGE ' +
      `WHERE ${m.where} AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    values: m.values,
  };
}

function text(v: unknown): string {
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

/** Rows of the two queries -> the description, or null when the table has no columns (does not exist). */
export function tableDescription(
  table: TargetTableRef,
  columnRows: readonly Record<string, unknown>[],
  keyRows: readonly Record<string, unknown>[],
): TableDescription | null {
  if (columnRows.length === 0) return null;
  const columns: TargetColumn[] = columnRows.map((r) => ({
    name: text(r.column_name),
    dataType: text(r.column_type),
    nullable: text(r.is_nullable) === 'YES',
  }));
  return { table, columns, primaryKey: keyRows.map((r) => text(r.column_name)) };
}
