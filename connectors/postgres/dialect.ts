/**
 * The PostgreSQL Dialect: pure SQL generation, no I/O. Pieces live in identifiers.ts, types.ts,
 * values.ts, sql-text.ts, changes.ts, ddl.ts, offsets-sql.ts and errors.ts.
 */
import type { Dialect, PartitionOffset, Sql, TableChanges, TargetTableRef } from '../contract.ts';
import type { ColumnSchema, ColumnType } from '../core/column-type.ts';
import type { ErrorKind } from '../core/errors.ts';
import { tableChangesSql, type ChangesContext } from './changes.ts';
import { addColumnsSql, createTableSql } from './ddl.ts';
import { classifyPostgresError } from './errors.ts';
import { PG_MAX_IDENTIFIER_BYTES, qualifiedName, quoteIdentifier, tableText } from './identifiers.ts';
import {
  createOffsetsTableSql,
  createSchemaSql,
  insertOffsetSql,
  selectOffsetsSql,
  updateOffsetSql,
} from './offsets-sql.ts';
import { StatementCache } from './sql-text.ts';
import { columnTypeSql } from './types.ts';

/** PostgreSQL's wire protocol carries the parameter count in 16 bits. */
export const PG_MAX_BIND_PARAMETERS = 65535;

export interface PostgresDialectOptions {
  /** Schema of tables whose TargetTableRef.schema is null, and of the offsets table. */
  readonly schema: string;
  readonly offsetsTable: string;
  readonly rowsPerStatement: number;
}

export interface PostgresDialect extends Dialect {
  readonly defaultSchema: string;
  /** CREATE SCHEMA IF NOT EXISTS for the default schema (run only when it is missing). */
  createSchema(): Sql;
  /** The offsets table, quoted and qualified. */
  readonly offsetsTableName: string;
  /** "schema.table" for messages. */
  tableText(table: TargetTableRef): string;
}

export function createPostgresDialect(options: PostgresDialectOptions): PostgresDialect {
  const defaultSchema = options.schema;
  const offsetsTable = qualifiedName({ schema: defaultSchema, name: options.offsetsTable }, defaultSchema);
  const ctx: ChangesContext = {
    defaultSchema,
    rowsPerStatement: options.rowsPerStatement,
    maxBindParameters: PG_MAX_BIND_PARAMETERS,
    cache: new StatementCache(),
  };
  const qualify = (table: TargetTableRef): string => qualifiedName(table, defaultSchema);

  return {
    name: 'postgres',
    maxBindParameters: PG_MAX_BIND_PARAMETERS,
    maxIdentifierLength: PG_MAX_IDENTIFIER_BYTES,
    defaultSchema,
    offsetsTableName: offsetsTable,
    quoteIdentifier,
    qualifiedName: qualify,
    tableText: (table: TargetTableRef): string => tableText(table, defaultSchema),
    columnTypeSql: (type: ColumnType): string => columnTypeSql(type),
    createTable: (table: TargetTableRef, columns: readonly ColumnSchema[], key: readonly string[]): Sql =>
      createTableSql(qualify(table), columns, key),
    addColumns: (table: TargetTableRef, columns: readonly ColumnSchema[]): Sql[] =>
      addColumnsSql(qualify(table), columns),
    tableChanges: (changes: TableChanges): Sql[] => tableChangesSql(changes, ctx),
    createSchema: (): Sql => createSchemaSql(defaultSchema),
    createOffsetsTable: (): Sql[] => [createOffsetsTableSql(offsetsTable)],
    selectOffsets: (groupId: string): Sql => selectOffsetsSql(offsetsTable, groupId),
    insertOffset: (groupId: string, offset: PartitionOffset): Sql => insertOffsetSql(offsetsTable, groupId, offset),
    updateOffset: (groupId: string, offset: PartitionOffset): Sql => updateOffsetSql(offsetsTable, groupId, offset),
    classifyError: (err: unknown): ErrorKind => classifyPostgresError(err),
  };
}
