/** Debezium change envelopes (FORMAT.md §4, §5): before/after/source/op -> ChangeEvent. */
import type { ChangeOp, TableId } from '../core/change-event.ts';
import { tableIdText } from '../core/change-event.ts';
import type { ColumnSchema, TableSchema } from '../core/column-type.ts';
import { ErrorCodes } from '../core/errors.ts';
import type { Row } from '../core/value.ts';
import type { CompiledValue } from './compiled.ts';
import { DecodeFailure, inContext, show, withContext } from './failure.ts';
import { isObject, readString } from './json-text.ts';
import type { RecordContext } from './record-context.ts';
import { changeEvent, compiledSchema, inferredSchema, sourceInfo } from './record-context.ts';
import type { CompiledRow } from './schema.ts';
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

function compiledImage(compiled: CompiledRow, raw: unknown, what: 'after' | 'before', table: TableId): Row | null {
  if (raw === null || raw === undefined) return null;
  try {
    return decodeRow(compiled, raw, what);
  } catch (err) {
    return withContext(err, () => `decoding the ${what} image of ${tableIdText(table)}`);
  }
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
  const key = rowOp === 't' ? null : ctx.key();
  const upsert = OP_MAP[rowOp] === 'upsert';
  if (upsert && !isObject(payload.after)) badEnvelope(`op '${op}' without an "after" image`);
  let row: Row | null;
  let before: Row | null;
  let schema: TableSchema;
  if (compiled !== null) {
    // Per record, without closures or message text: those are made when an image fails to decode.
    row = upsert ? compiledImage(compiled.row, payload.after, 'after', table) : null;
    before = rowOp === 't' ? null : compiledImage(compiled.row, payload.before, 'before', table);
    schema = compiledSchema(compiled.schemas, compiled.row.columns, key);
  } else {
    let inferredColumns: readonly ColumnSchema[] | null = null;
    const image = (raw: unknown, what: 'after' | 'before'): Row | null => {
      if (raw === null || raw === undefined) return null;
      return inContext(`decoding the ${what} image of ${tableIdText(table)}`, () => {
        if (!isObject(raw)) return badEnvelope(`"${what}" is ${show(raw)}, expected an object`);
        const inferred = inferRow(raw, ctx.toast);
        inferredColumns ??= inferred.columns;
        return inferred.row;
      });
    };
    row = upsert ? image(payload.after, 'after') : null;
    before = rowOp === 't' ? null : image(payload.before, 'before');
    schema = inferredSchema(inferredColumns ?? key?.columns ?? [], key);
  }

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
