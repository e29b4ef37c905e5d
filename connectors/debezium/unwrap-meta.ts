/**
 * ExtractNewRecordState metadata fields (FORMAT.md §12): `__deleted` plus the add.fields, named
 * `<prefix><field>` (`__op`, `__table`, `__lsn`, `__source_ts_ms`, `__transaction_id` ...).
 * They are removed from the row and read as op / source information. Aliased fields
 * (`add.fields=op:kind`) cannot be recognised and stay columns.
 */
import { readString } from './json-text.ts';

/** Bare add.fields names that resolve to the top level of the envelope. */
const TOP_LEVEL = new Set(['deleted', 'op', 'ts_ms', 'ts_us', 'ts_ns']);
/** Bare names that resolve to the transaction block. */
const TRANSACTION = new Set(['id', 'total_order', 'data_collection_order']);
/** Bare names that resolve to `source` fields (all connectors we know of). */
const SOURCE = new Set([
  'version', 'connector', 'name', 'snapshot', 'db', 'sequence', 'schema', 'table', 'txId', 'lsn',
  'xmin', 'origin', 'origin_lsn', 'server_id', 'gtid', 'file', 'pos', 'row', 'thread', 'query',
  'scn', 'commit_scn', 'change_lsn', 'commit_lsn', 'event_serial_no', 'collection', 'ord',
]);

export function isUnwrapMetaField(field: string, prefix: string): boolean {
  if (!field.startsWith(prefix)) return false;
  const rest = field.slice(prefix.length);
  return (
    TOP_LEVEL.has(rest) ||
    TRANSACTION.has(rest) ||
    SOURCE.has(rest) ||
    rest.startsWith('source_') ||
    rest.startsWith('transaction_')
  );
}

export interface UnwrapMeta {
  /** `__deleted` is "true" (a string; a boolean true is accepted too). */
  readonly deleted: boolean;
  /** `__op`, when added. */
  readonly op: string | undefined;
  /** The source fields that were added (`__table`, `__source_ts_ms` -> table, ts_ms ...). */
  readonly source: Readonly<Record<string, unknown>>;
}

/** Reads the metadata fields `fields` (all satisfying isUnwrapMetaField) of a flat row. */
export function readUnwrapMeta(
  payload: Readonly<Record<string, unknown>>,
  fields: readonly string[],
  prefix: string,
): UnwrapMeta {
  let deleted = false;
  let op: string | undefined;
  const source: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const field of fields) {
    const rest = field.slice(prefix.length);
    const v = payload[field];
    if (rest === 'deleted') deleted = v === true || readString(v) === 'true';
    else if (rest === 'op') op = readString(v);
    else if (rest.startsWith('source_')) source[rest.slice(7)] = v;
    else if (SOURCE.has(rest)) source[rest] = v;
  }
  return { deleted, op, source };
}
