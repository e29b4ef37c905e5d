/**
 * What a Kafka value is: a change envelope, a flat (unwrapped) row, or a record that is no row
 * change (heartbeat, transaction boundary, schema change, PG logical message). Decided from the
 * value schema name and shape, or, without schemas, from the payload's shape (and, for
 * heartbeats, also the topic prefix).
 */
import type { ConnectSchema } from './connect-schema.ts';
import { fieldOf } from './connect-schema.ts';
import { readString } from './json-text.ts';
import type { SkipReason } from './types.ts';

export type ValueKind = { readonly kind: 'envelope' } | { readonly kind: 'row' } | { readonly kind: 'skip'; readonly reason: SkipReason };

const ENVELOPE: ValueKind = { kind: 'envelope' };
const ROW: ValueKind = { kind: 'row' };
const skip = (reason: SkipReason): ValueKind => ({ kind: 'skip', reason });

const CONNECTOR_RECORD = /^io\.debezium\.connector\.[\w.]*?\.?(Heartbeat|TransactionMetadataValue|SchemaChangeValue|MessageValue)$/;
const REASON_BY_RECORD: Record<string, SkipReason> = {
  Heartbeat: 'heartbeat',
  TransactionMetadataValue: 'transaction',
  SchemaChangeValue: 'schema-change',
  MessageValue: 'message',
};

const HEARTBEAT_TOPIC_PREFIX = '__debezium-heartbeat';

function has(schema: ConnectSchema, ...names: string[]): boolean {
  return names.every((n) => fieldOf(schema, n) !== undefined);
}

/** Kind of a value from its Connect schema. */
export function classifySchema(schema: ConnectSchema): ValueKind {
  const name = schema.name;
  const m = name === undefined ? null : CONNECTOR_RECORD.exec(name);
  if (m) return skip(REASON_BY_RECORD[m[1] as string] as SkipReason);
  if (schema.type !== 'struct') return ROW; // compileRow reports the non-struct schema
  if (has(schema, 'op', 'source')) return ENVELOPE;
  // shapes of Debezium's own records under names we do not know; a table's row (named
  // "<prefix>.<ns>.<table>.Value") is never taken for one of them
  if (name === undefined || name.startsWith('io.debezium.')) {
    if (has(schema, 'ddl', 'tableChanges')) return skip('schema-change');
    if (has(schema, 'status', 'id', 'event_count')) return skip('transaction');
    if (schema.fields?.length === 1 && has(schema, 'ts_ms')) return skip('heartbeat');
    if (has(schema, 'op', 'message')) return skip('message');
  }
  return ROW;
}

/**
 * Kind of a schemaless value object. `keyFields` gives the field names of the message key (for
 * telling a heartbeat `{ts_ms}` with key `{serverName}` from a one-column table).
 */
export function classifyPayload(
  obj: Readonly<Record<string, unknown>>,
  topic: string,
  keyFields: () => readonly string[] | null,
): ValueKind {
  if ('source' in obj && ('op' in obj || 'before' in obj || 'after' in obj || 'message' in obj)) return ENVELOPE;
  // op + before/after without source: an envelope, reported as lacking "source"
  if ('op' in obj && ('before' in obj || 'after' in obj)) return ENVELOPE;
  if ('ddl' in obj && ('tableChanges' in obj || 'databaseName' in obj)) return skip('schema-change');
  const status = readString(obj.status);
  if ((status === 'BEGIN' || status === 'END') && 'id' in obj && ('event_count' in obj || 'data_collections' in obj)) {
    return skip('transaction');
  }
  if (topic.startsWith(HEARTBEAT_TOPIC_PREFIX)) return skip('heartbeat');
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === 'ts_ms') {
    const key = keyFields();
    if (key !== null && key.length === 1 && key[0] === 'serverName') return skip('heartbeat');
  }
  return ROW;
}

/** Skip reason implied by a key record name (for tombstones on non-data topics), if any. */
export function skipReasonOfKeyName(name: string | null, topic: string): SkipReason | null {
  if (topic.startsWith(HEARTBEAT_TOPIC_PREFIX)) return 'heartbeat';
  if (name === null) return null;
  if (/^io\.debezium\.connector\.[\w.]*ServerNameKey$/.test(name)) return 'heartbeat';
  if (/^io\.debezium\.connector\.[\w.]*TransactionMetadataKey$/.test(name)) return 'transaction';
  if (/^io\.debezium\.connector\.[\w.]*SchemaChangeKey$/.test(name)) return 'schema-change';
  if (/^io\.debezium\.connector\.[\w.]*MessageKey$/.test(name)) return 'message';
  return null;
}
