/**
 * The Oracle Dialect: pure SQL generation (no I/O), assembled from the small modules of this
 * folder. Identifiers follow the one identifierCase rule (identifiers.ts); values are always
 * bound, converted in SQL from exact text where needed (binding.ts).
 */
import type { Dialect, PartitionOffset, Sql, TableChanges, TargetTableRef } from '../contract.ts';
import type { ColumnSchema, ColumnType } from '../core/column-type.ts';
import type { ErrorKind } from '../core/errors.ts';
import { tableChangesSql } from './changes.ts';
import { addColumnsSql, createTableSql } from './ddl.ts';
import { classifyOracleError } from './errors.ts';
import {
  foldIdentifier,
  ORACLE_MAX_IDENTIFIER_BYTES,
  qualifiedName,
  quoteIdentifier,
  tableText,
  type IdentifierCase,
} from './identifiers.ts';
import { createOffsetsTableSql, insertOffsetSql, selectOffsetsSql, updateOffsetSql } from './offsets-sql.ts';
import type { OracleSql } from './sql.ts';
import { columnTypeSql, type JsonColumnType } from './types.ts';

/** Oracle's limit of bind variables in one statement. executeMany binds one row's columns at a time. */
export const ORACLE_MAX_BIND_PARAMETERS = 65535;

export interface OracleDialectOptions {
  /** Schema of tables whose ref names none, and of the offsets table; null: the session's schema. */
  readonly schema: string | null;
  readonly offsetsTable: string;
  readonly identifierCase: IdentifierCase;
  readonly jsonColumnType: JsonColumnType;
  readonly rowsPerStatement: number;
}

export interface OracleDialect extends Dialect {
  readonly options: OracleDialectOptions;
  /** The name as Oracle's catalog stores it under identifierCase (to compare with TargetColumn.name). */
  foldIdentifier(name: string): string;
  /** SCHEMA.TABLE as stored, unquoted, for messages. */
  tableText(table: TargetTableRef): string;
  tableChanges(changes: TableChanges): OracleSql[];
}

export function createOracleDialect(options: OracleDialectOptions): OracleDialect {
  const rule = options.identifierCase;
  const typeOptions = { jsonColumnType: options.jsonColumnType, identifierCase: rule };
  const offsetsTable = qualifiedName({ schema: null, name: options.offsetsTable }, options.schema, rule);
  const changesContext = {
    defaultSchema: options.schema,
    identifierCase: rule,
    rowsPerStatement: options.rowsPerStatement,
    maxBindParameters: ORACLE_MAX_BIND_PARAMETERS,
  };
  const qualified = (table: TargetTableRef): string => qualifiedName(table, options.schema, rule);

  return {
    name: 'oracle',
    options,
    maxBindParameters: ORACLE_MAX_BIND_PARAMETERS,
    maxIdentifierLength: ORACLE_MAX_IDENTIFIER_BYTES,
    quoteIdentifier: (name: string): string => quoteIdentifier(name, rule),
    foldIdentifier: (name: string): string => foldIdentifier(name, rule),
    qualifiedName: qualified,
    tableText: (table: TargetTableRef): string => tableText(table, options.schema, rule),
    columnTypeSql: (type: ColumnType): string => columnTypeSql(type, typeOptions),
    createTable: (table: TargetTableRef, columns: readonly ColumnSchema[], key: readonly string[]): Sql =>
      createTableSql(qualified(table), columns, key, typeOptions),
    addColumns: (table: TargetTableRef, columns: readonly ColumnSchema[]): Sql[] =>
      addColumnsSql(qualified(table), columns, typeOptions),
    tableChanges: (changes: TableChanges): OracleSql[] => tableChangesSql(changes, changesContext),
    createOffsetsTable: (): Sql[] => [createOffsetsTableSql(offsetsTable)],
    selectOffsets: (groupId: string): Sql => selectOffsetsSql(offsetsTable, groupId),
    insertOffset: (groupId: string, offset: PartitionOffset): Sql => insertOffsetSql(offsetsTable, groupId, offset),
    updateOffset: (groupId: string, offset: PartitionOffset): Sql => updateOffsetSql(offsetsTable, groupId, offset),
    classifyError: (err: unknown): ErrorKind => classifyOracleError(err),
  };
}
