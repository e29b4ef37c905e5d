/** Debezium change envelopes (FORMAT.md §4, §5): before/after/source/op -> ChangeEvent. */
import type { ChangeOp } from '../core/change-event.ts';
import { tableIdText } from '../core/change-event.ts';
import type { ColumnSchema, TableSchema } from '../core/column-type.ts';
import { ErrorCodes } from '../core/errors.ts';
import type { Row } from '../core/value.ts';
import type { CompiledValue } from './compiled.ts';
import { DecodeFailure, inContext, show } from './failure.ts';
import { isObject, readString } from './json-text.ts';
import type { RecordContext } from './record-context.ts';
import { changeEvent, compiledSchema, inferredSchema, sourceInfo } from './record-context.ts';
import { decodeRow } from './schema.ts';
import { inferRow } from './schemaless.ts';
import { connectorOf, millis, positionOf, snapshotFlag } from './source-info.ts';
import { tableFromRecordName, tableFromSource, tableFromTopic } from './table-identity.ts';
import type { Decoded } from './types.ts';

type RowOp = 'c' | 'u' | 'd' | 'r' | 't';
const OP_MAP: Readonly<Record<RowOp, ChangeOp>> = { c: 'upsert', r: 'upsert', u: 'upsert', d: 'delete', t: 'truncate' };
const SKIP_MESSAGE: Decoded = Object.freeze({ kind: 'skip', reason: 'message' });

function badEnvelope(detail: string): never {
  throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, detail);
}

/** `compiled` is the compiled envelope schema, or null without schemas. */
export function decodeEnvelope(
  ctx: RecordContext,
  payload: Readonly<Record<string, unknown>>,
  compiled: Extract<CompiledValue, { kind: 'envelope' }> | null,
): Decoded {
  const rawOp = payload.op;
  if (rawOp === undefined || rawOp === null) badEnvelope('change envelope has no "op"');
  const op = readString(rawOp);
  if (op === undefined) badEnvelope(`change envelope "op" is ${show(rawOp)}, expected a string`);
  if (op === 'm') return SKIP_MESSAGE;
  if (!Object.hasOwn(OP_MAP, op)) {
    throw new DecodeFailure(ErrorCodes.DECODE_UNKNOWN_OP, `unknown op '${op}' (expected c, u, d, r, t or m)`);
  }
  const rowOp = op as RowOp;
  const source = payload.source;
  if (!isObject(source)) badEnvelope('change envelope has no "source" block');
  const table =
    tableFromSource(source) ?? tableFromRecordName(compiled?.row.recordName ?? null) ?? tableFromTopic(ctx.record.topic);
  const tableText = tableIdText(table);

  const key = rowOp === 't' ? null : ctx.key();
  let inferredColumns: readonly ColumnSchema[] | null = null;
  const image = (raw: unknown, what: 'after' | 'before'): Row | null => {
    if (raw === null || raw === undefined) return null;
    return inContext(`decoding the ${what} image of ${tableText}`, () => {
      if (compiled !== null) return decodeRow(compiled.row, raw, what);
      if (!isObject(raw)) return badEnvelope(`"${what}" is ${show(raw)}, expected an object`);
      const inferred = inferRow(raw, ctx.toast);
      inferredColumns ??= inferred.columns;
      return inferred.row;
    });
  };

  let row: Row | null = null;
  if (OP_MAP[rowOp] === 'upsert') {
    if (!isObject(payload.after)) badEnvelope(`op '${op}' without an "after" image`);
    row = image(payload.after, 'after');
  }
  const before = rowOp === 't' ? null : image(payload.before, 'before');

  let schema: TableSchema;
  if (compiled !== null) schema = compiledSchema(compiled.schemas, compiled.row.columns, key);
  else schema = inferredSchema(inferredColumns ?? key?.columns ?? [], key);

  return {
    kind: 'change',
    event: changeEvent(OP_MAP[rowOp], table, key?.row ?? null, row, before, schema, sourceInfo(ctx.record, {
      sourceTimestampMs: millis(source.ts_ms),
      sourceOp: rowOp,
      snapshot: snapshotFlag(source.snapshot),
      position: positionOf(source),
      connector: connectorOf(source),
    })),
  };
}
