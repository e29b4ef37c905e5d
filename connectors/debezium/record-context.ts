/** Per-record state shared by the envelope, unwrapped and tombstone decoders. */
import type { ChangeEvent, ChangeOp, SourceInfo, TableId } from '../core/change-event.ts';
import type { ColumnSchema, TableSchema } from '../core/column-type.ts';
import type { Row } from '../core/value.ts';
import type { CompiledKey, TableSchemaMemo } from './compiled.ts';
import type { ToastForms } from './toast.ts';
import type { KafkaRecord } from './types.ts';

/** The decoded message key. */
export interface KeyInfo {
  readonly row: Row;
  /** Key column names in key order. */
  readonly names: readonly string[];
  readonly columns: readonly ColumnSchema[];
  /** Compiled key schema (null without schemas). */
  readonly compiled: CompiledKey | null;
  /** Record name of the key schema ("srv.public.t.Key"), if any. */
  readonly recordName: string | null;
}

export interface RecordContext {
  readonly record: KafkaRecord;
  readonly toast: ToastForms;
  readonly unwrapPrefix: string;
  /** The message key, decoded on first use; null when the record has no key. */
  key(): KeyInfo | null;
}

export type SourceFields = Pick<SourceInfo, 'sourceTimestampMs' | 'sourceOp' | 'snapshot' | 'position' | 'connector'>;

export function sourceInfo(record: KafkaRecord, fields: SourceFields): SourceInfo {
  const ts = Number(record.timestamp);
  return Object.freeze({
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    kafkaTimestampMs: Number.isFinite(ts) ? ts : 0,
    sourceTimestampMs: fields.sourceTimestampMs,
    sourceOp: fields.sourceOp,
    snapshot: fields.snapshot,
    position: fields.position,
    connector: fields.connector,
  });
}

export function changeEvent(
  op: ChangeOp,
  table: TableId,
  key: Row | null,
  row: Row | null,
  before: Row | null,
  schema: TableSchema,
  source: SourceInfo,
): ChangeEvent {
  return Object.freeze({ op, table, key, row, before, schema, source });
}

/** TableSchema without schemas: the inferred columns and the key names. */
export function inferredSchema(columns: readonly ColumnSchema[], key: KeyInfo | null): TableSchema {
  return Object.freeze({ columns: Object.freeze([...columns]), key: key === null ? Object.freeze([]) : key.names });
}

/** TableSchema of a compiled value schema and the record's key (memoised when both have schemas). */
export function compiledSchema(
  memo: TableSchemaMemo,
  columns: readonly ColumnSchema[],
  key: KeyInfo | null,
): TableSchema {
  if (key === null || key.compiled !== null) return memo.get(key?.compiled ?? null);
  return Object.freeze({ columns, key: key.names });
}
