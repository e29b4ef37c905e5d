/**
 * Deletes by key without a row (FORMAT.md §5.5, §12): a null/empty value, the JSON text `null`,
 * `{"schema":null,"payload":null}`, and ExtractNewRecordState's `{"schema":<Value>,"payload":null}`.
 */
import { tableIdText } from '../core/change-event.ts';
import type { TableSchema } from '../core/column-type.ts';
import { ErrorCodes } from '../core/errors.ts';
import type { CompiledValue } from './compiled.ts';
import { DecodeFailure } from './failure.ts';
import type { RecordContext } from './record-context.ts';
import { changeEvent, compiledSchema, inferredSchema, sourceInfo } from './record-context.ts';
import { tableFromRecordName, tableFromTopic } from './table-identity.ts';
import type { Decoded } from './types.ts';
import { skipReasonOfKeyName } from './value-kind.ts';

/** `valueSchema` is the compiled schema that came with the null payload, if any. */
export function decodeTombstone(ctx: RecordContext, valueSchema: CompiledValue | null): Decoded {
  if (valueSchema?.kind === 'skip') return { kind: 'skip', reason: valueSchema.reason };
  const topic = ctx.record.topic;
  const key = ctx.key();
  const reason = skipReasonOfKeyName(key?.recordName ?? null, topic);
  if (reason !== null) return { kind: 'skip', reason };
  const rowName = valueSchema?.row.recordName ?? null;
  const table = tableFromRecordName(rowName) ?? tableFromRecordName(key?.recordName ?? null) ?? tableFromTopic(topic);
  if (key === null) {
    throw new DecodeFailure(
      ErrorCodes.DECODE_NO_KEY,
      `tombstone (delete without a row) for ${tableIdText(table)} has no key: cannot tell which row to delete`,
    );
  }
  const schema: TableSchema =
    valueSchema !== null
      ? compiledSchema(valueSchema.schemas, valueSchema.row.columns, key)
      : key.compiled !== null
        ? key.compiled.tombstoneSchema
        : inferredSchema(key.columns, key);
  return {
    kind: 'change',
    event: changeEvent('delete', table, key.row, null, null, schema, sourceInfo(ctx.record, {
      sourceTimestampMs: null,
      sourceOp: 'tombstone',
      snapshot: false,
      position: null,
      connector: null,
    })),
  };
}
