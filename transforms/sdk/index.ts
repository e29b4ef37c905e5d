/**
 * The transforms SDK: everything a plugin imports. See transforms/README.md.
 * The table-driven tester lives in ./testing.ts (it imports node:test and node:assert).
 */
export { z } from 'zod';

export { API_VERSION } from './types.ts';
export type {
  ApplyResult,
  SchemaMapping,
  Transform,
  TransformContext,
  TransformDefinition,
  TransformLogger,
  TransformMeta,
} from './types.ts';
export { defineTransform } from './define.ts';
export type { DefineTransformInput } from './define.ts';

export { dropColumns, mapRow, renameColumn, renameColumns, setColumn, withRow, withSchema, withTable } from './events.ts';
export type { RowPart } from './events.ts';
export { hasCell, mapValues, omitFromRow, pickRow, renameInRow, rowOf, setCells, toNameMap } from './rows.ts';
export type { Cell, MutableRow } from './rows.ts';
export {
  dropSchemaColumns,
  findColumn,
  hasColumn,
  isKeyColumn,
  memoizeSchema,
  putSchemaColumn,
  renameSchemaColumns,
  withColumnType,
} from './schema.ts';
export type { PutColumnOptions } from './schema.ts';
export { DEFAULT_TABLE, inferType, makeEvent, parseTableText } from './make-event.ts';
export type { EventSpec } from './make-event.ts';

// The cdc-sink model a plugin works with.
export type { ChangeEvent, ChangeOp, SourceInfo, TableId } from '../../connectors/core/change-event.ts';
export { tableIdText } from '../../connectors/core/change-event.ts';
export type { ColumnKind, ColumnSchema, ColumnType, TableSchema } from '../../connectors/core/column-type.ts';
export { describeType } from '../../connectors/core/column-type.ts';
export type { GeometryValue, Row, Unchanged, Value } from '../../connectors/core/value.ts';
export { UNCHANGED, isUnchanged, newRow } from '../../connectors/core/value.ts';
