/**
 * Which source table a record belongs to. Envelopes name it in `source` (PG: schema + table;
 * MySQL/MariaDB: db + table). Records without an envelope fall back to the unwrap metadata
 * fields, then to the record name `<prefix>.<ns>.<table>.Value|Key`, then to the topic
 * `<prefix>.<ns>.<table>`. Names from schema names and topics may be sanitised by Debezium
 * (invalid characters become '_'), which is why `source` wins whenever it is there.
 */
import type { TableId } from '../core/change-event.ts';
import { internTableId } from '../core/change-event.ts';
import { readString } from './json-text.ts';

const BY_DB = new Set(['mysql', 'mariadb']);

export function tableId(namespace: string | null, name: string): TableId {
  return internTableId(namespace === '' ? null : namespace, name);
}

/** Table of a `source` block (or of unwrap metadata shaped like one); null without a table name. */
export function tableFromSource(source: Readonly<Record<string, unknown>>): TableId | null {
  const name = readString(source.table);
  if (name === undefined || name === '') return null;
  const connector = readString(source.connector);
  const schema = readString(source.schema);
  const db = readString(source.db);
  if (connector !== undefined && BY_DB.has(connector)) return tableId(db ?? null, name);
  if (schema !== undefined && schema !== '') return tableId(schema, name);
  return tableId(db ?? null, name);
}

function fromDotted(dotted: string): TableId | null {
  const parts = dotted.split('.');
  const name = parts[parts.length - 1];
  if (name === undefined || name === '') return null;
  // <prefix>.<ns>.<table>: the namespace is the second-to-last part when there is a prefix
  return tableId(parts.length >= 3 ? (parts[parts.length - 2] as string) : null, name);
}

/** Table of a record name such as "pgserver1.public.customers.Value" (suffix Value/Key/Envelope). */
export function tableFromRecordName(recordName: string | null): TableId | null {
  if (recordName === null) return null;
  const m = /^(.+)\.(?:Value|Key|Envelope)$/.exec(recordName);
  return m ? fromDotted(m[1] as string) : null;
}

/** Table of a topic named `<prefix>.<ns>.<table>` (or whatever the last two parts are). */
export function tableFromTopic(topic: string): TableId {
  return fromDotted(topic) ?? tableId(null, topic);
}
