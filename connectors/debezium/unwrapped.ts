/**
 * Flat rows written by ExtractNewRecordState (FORMAT.md §12): the value is the row itself, with
 * optional metadata fields (`__deleted`, `__op`, `__table`, `__lsn`, `__source_ts_ms` ...) that
 * are removed from the row and used for op, table identity and source information.
 */
import type { ChangeOp, SourceInfo, TableId } from '../core/change-event.ts';
import { tableIdText } from '../core/change-event.ts';
import type { ColumnSchema, TableSchema } from '../core/column-type.ts';
import type { Row } from '../core/value.ts';
import type { CompiledValue } from './compiled.ts';
import { inContext } from './failure.ts';
import { readString } from './json-text.ts';
import type { RecordContext } from './record-context.ts';
import { changeEvent, compiledSchema, inferredSchema, sourceInfo } from './record-context.ts';
import { decodeRow } from './schema.ts';
import { inferRow } from './schemaless.ts';
import { connectorOf, millis, positionOf, snapshotFlag } from './source-info.ts';
import { tableFromRecordName, tableFromTopic, tableId } from './table-identity.ts';
import type { Decoded } from './types.ts';
import type { UnwrapMeta } from './unwrap-meta.ts';
import { isUnwrapMetaField, readUnwrapMeta } from './unwrap-meta.ts';

const SOURCE_OPS = new Set(['c', 'u', 'd', 'r', 't']);

/** Table of an unwrapped record: metadata fields, then record names, then the topic. */
function unwrappedTable(meta: UnwrapMeta, recordName: string | null, keyRecordName: string | null, topic: string): TableId {
  const fallback = tableFromRecordName(recordName) ?? tableFromRecordName(keyRecordName) ?? tableFromTopic(topic);
  const table = readString(meta.source.table);
  const ns = readString(meta.source.schema) || readString(meta.source.db);
  if (table === undefined || table === '') {
    return ns === undefined || ns === '' ? fallback : tableId(ns, fallback.name);
  }
  return tableId(ns === undefined || ns === '' ? fallback.namespace : ns, table);
}

/** `compiled` is the compiled flat-row schema, or null without schemas. */
export function decodeUnwrapped(
  ctx: RecordContext,
  payload: Readonly<Record<string, unknown>>,
  compiled: Extract<CompiledValue, { kind: 'row' }> | null,
): Decoded {
  const prefix = ctx.unwrapPrefix;
  const metaFields = compiled?.metaFields ?? Object.keys(payload).filter((f) => isUnwrapMetaField(f, prefix));
  const meta = readUnwrapMeta(payload, metaFields, prefix);
  const key = ctx.key();
  const table = unwrappedTable(meta, compiled?.row.recordName ?? null, key?.recordName ?? null, ctx.record.topic);

  const sourceOp = meta.op !== undefined && SOURCE_OPS.has(meta.op) ? (meta.op as SourceInfo['sourceOp']) : undefined;
  const op: ChangeOp =
    sourceOp === 't' ? 'truncate' : meta.deleted || sourceOp === 'd' ? 'delete' : 'upsert';

  let image: Row | null = null;
  let inferredColumns: readonly ColumnSchema[] = [];
  if (op !== 'truncate') {
    image = inContext(`decoding the row of ${tableIdText(table)}`, () => {
      if (compiled !== null) return decodeRow(compiled.row, payload, 'row');
      const inferred = inferRow(payload, ctx.toast, (f) => isUnwrapMetaField(f, prefix));
      inferredColumns = inferred.columns;
      return inferred.row;
    });
  }
  const schema: TableSchema =
    compiled !== null
      ? compiledSchema(compiled.schemas, compiled.row.columns, key)
      : inferredSchema(inferredColumns, key);

  const source = meta.source;
  const snapshot = 'snapshot' in source ? snapshotFlag(source.snapshot) : sourceOp === 'r';
  return {
    kind: 'change',
    event: changeEvent(
      op,
      table,
      op === 'truncate' ? null : (key?.row ?? null),
      op === 'upsert' ? image : null,
      op === 'delete' ? image : null,
      schema,
      sourceInfo(ctx.record, {
        sourceTimestampMs: millis(source.ts_ms),
        sourceOp: sourceOp ?? (op === 'delete' ? 'd' : op === 'truncate' ? 't' : 'u'),
        snapshot,
        position: positionOf(source),
        connector: connectorOf(source),
      }),
    ),
  };
}
