/** Shared builders for the Oracle unit tests (not a test file itself). */
import type { TableChanges, TargetColumn } from '../../../connectors/contract.ts';
import type { ColumnSchema, ColumnType } from '../../../connectors/core/column-type.ts';
import { newRow, type Row, type Unchanged, type Value } from '../../../connectors/core/value.ts';
import { createOracleDialect, type OracleDialectOptions } from '../../../connectors/oracle/dialect.ts';

export function row(values: Record<string, Value | Unchanged>): Row {
  return Object.assign(newRow(), values);
}

export function col(name: string, type: ColumnType, optional = true): ColumnSchema {
  return { name, type, optional };
}

export function target(name: string, dataType: string, nullable = true): TargetColumn {
  return { name, dataType, nullable };
}

export function dialect(overrides: Partial<OracleDialectOptions> = {}) {
  return createOracleDialect({
    schema: null,
    offsetsTable: 'CDC_SINK_OFFSETS',
    identifierCase: 'upper',
    jsonColumnType: 'clob',
    rowsPerStatement: 1000,
    ...overrides,
  });
}

/** TableChanges with defaults: no truncate, no deletes, no upserts, upsert mode. */
export function changes(
  partial: Partial<TableChanges> & Pick<TableChanges, 'columns' | 'keyColumns'> & { targetColumns: TargetColumn[] },
): TableChanges {
  const table = partial.table ?? { schema: null, name: 'orders' };
  const { targetColumns, ...rest } = partial;
  return {
    table,
    description: { table, columns: targetColumns, primaryKey: [] },
    mode: 'upsert',
    truncate: false,
    deletes: [],
    upserts: [],
    ...rest,
  };
}
