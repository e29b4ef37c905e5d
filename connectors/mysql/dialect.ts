/**
 * The MySQL / MariaDB Dialect: pure SQL generation for one server flavor and version. The pieces
 * live in identifiers.ts, types.ts, ddl.ts, values.ts, upsert.ts, delete-sql.ts, offsets-sql.ts
 * and errors.ts; this file only binds them to the options.
 */
import type { ColumnSchema, ColumnType } from '../core/column-type.ts';
import type { ErrorKind } from '../core/errors.ts';
import type { Dialect, PartitionOffset, Sql, TableChanges, TargetTableRef } from '../contract.ts';
import { addColumnsSql, createTableSql, type DdlOptions } from './ddl.ts';
import { classifyError } from './errors.ts';
import { MYSQL_MAX_IDENTIFIER_CHARS, qualifiedName, quoteIdentifier, tableText } from './identifiers.ts';
import {
  createOffsetsTableSql,
  insertOffsetSql,
  moveOffsetInline,
  selectOffsetsSql,
  updateOffsetSql,
  type OffsetsSqlOptions,
} from './offsets-sql.ts';
import {
  binaryCollation,
  supportsAddColumnIfNotExists,
  supportsRowAlias,
  type MysqlFlavor,
  type ServerInfo,
  type ServerVersion,
} from './server-version.ts';
import { MYSQL_MAX_BIND_PARAMETERS, type MysqlSql } from './statement.ts';
import { tableChangesInlineSql, tableChangesSql } from './table-changes.ts';
import { columnTypeSql, type UuidStorage } from './types.ts';
import type { WriteSqlOptions } from './write-context.ts';

export const DEFAULT_MAX_STATEMENT_BYTES = 8 * 1024 * 1024;

export interface MysqlDialectOptions {
  readonly flavor: MysqlFlavor;
  readonly serverVersion: ServerVersion;
  /** How uuid columns are created (default char36); existing columns are written as their type says. */
  readonly uuidStorage?: UuidStorage;
  /** Database of tables whose ref has schema null; null/undefined: the session's default database. */
  readonly defaultDatabase?: string | null;
  readonly offsetsTable?: string;
  /** Most rows one statement carries (default 1000); bound statements are also capped by the 65,535 binds limit. */
  readonly rowsPerStatement?: number;
  /**
   * Most bytes one statement carries (default 8 MiB; the connector derives it from max_allowed_packet):
   * of bound data in tableChanges, of statement text in tableChangesInline.
   */
  readonly maxStatementBytes?: number;
}

export interface MysqlDialect extends Dialect {
  readonly flavor: MysqlFlavor;
  readonly serverVersion: ServerVersion;
  /** True when upserts use the MySQL 8.0.20+ row alias instead of VALUES(col). */
  readonly rowAlias: boolean;
  /** The quoted, qualified name of the offsets table. */
  readonly offsetsTableName: string;
  /** Most bytes of one statement's text (the connector's share of max_allowed_packet). */
  readonly maxStatementBytes: number;
  /** db.table (unquoted, default database filled in), for messages. */
  tableText(table: TargetTableRef): string;
  /** The statements with placeholders and binds (the Dialect contract's form; for prepared statements). */
  tableChanges(changes: TableChanges): MysqlSql[];
  /**
   * The same statements with every value inlined as a literal (literal.ts; `values` empty), chunked
   * by rowsPerStatement and maxStatementBytes of text, not by binds. What the connector sends, over
   * the text protocol: no server-side prepared statement per row count (write-batch.ts).
   */
  tableChangesInline(changes: TableChanges): MysqlSql[];
  /**
   * insertOffset (expected null) or updateOffset with the values inline, and a statement that
   * raises unless it moved exactly one row: the offset step of a batch sent as one text.
   */
  moveOffsetInline(groupId: string, offset: PartitionOffset): [move: string, check: string];
}

export function createMysqlDialect(options: MysqlDialectOptions): MysqlDialect {
  const info: ServerInfo = { flavor: options.flavor, version: options.serverVersion };
  const defaultDatabase = options.defaultDatabase ?? null;
  const collation = binaryCollation(info);
  const rowAlias = supportsRowAlias(info);
  const ddl: DdlOptions = {
    uuidStorage: options.uuidStorage ?? 'char36',
    defaultDatabase,
    collation,
    addColumnIfNotExists: supportsAddColumnIfNotExists(info),
  };
  const write: WriteSqlOptions = {
    defaultDatabase,
    rowAlias,
    rowsPerStatement: options.rowsPerStatement ?? 1000,
    maxBindParameters: MYSQL_MAX_BIND_PARAMETERS,
    maxStatementBytes: options.maxStatementBytes ?? DEFAULT_MAX_STATEMENT_BYTES,
  };
  const offsetsTableName = qualifiedName({ schema: null, name: options.offsetsTable ?? 'cdc_sink_offsets' }, defaultDatabase);
  const offsets: OffsetsSqlOptions = { sqlName: offsetsTableName, collation };
  const name = `${options.flavor} ${options.serverVersion.join('.')}`;

  return {
    name,
    flavor: options.flavor,
    serverVersion: options.serverVersion,
    rowAlias,
    offsetsTableName,
    maxStatementBytes: write.maxStatementBytes,
    maxBindParameters: MYSQL_MAX_BIND_PARAMETERS,
    maxIdentifierLength: MYSQL_MAX_IDENTIFIER_CHARS,
    quoteIdentifier,
    qualifiedName: (table: TargetTableRef): string => qualifiedName(table, defaultDatabase),
    tableText: (table: TargetTableRef): string => tableText(table, defaultDatabase),
    columnTypeSql: (type: ColumnType): string => columnTypeSql(type, ddl),
    createTable: (table: TargetTableRef, columns: readonly ColumnSchema[], key: readonly string[]): Sql =>
      createTableSql(table, columns, key, ddl),
    addColumns: (table: TargetTableRef, columns: readonly ColumnSchema[]): Sql[] => addColumnsSql(table, columns, ddl),
    tableChanges: (changes: TableChanges): MysqlSql[] => tableChangesSql(changes, write),
    tableChangesInline: (changes: TableChanges): MysqlSql[] => tableChangesInlineSql(changes, write),
    createOffsetsTable: (): Sql[] => createOffsetsTableSql(offsets),
    selectOffsets: (groupId: string): Sql => selectOffsetsSql(offsets, groupId),
    insertOffset: (groupId: string, offset: PartitionOffset): Sql => insertOffsetSql(offsets, groupId, offset),
    updateOffset: (groupId: string, offset: PartitionOffset): Sql => updateOffsetSql(offsets, groupId, offset),
    moveOffsetInline: (groupId: string, offset: PartitionOffset): [string, string] => moveOffsetInline(offsets, groupId, offset),
    classifyError: (err: unknown): ErrorKind => classifyError(err),
  };
}
