/**
 * Builds JsonConverter records for tests: compact JSON text like Kafka Connect writes it, with
 * raw number text where a test needs integers beyond 2^53.
 */
import assert from 'node:assert/strict';
import type { ChangeEvent } from '../../../connectors/core/change-event.ts';
import type { ColumnType } from '../../../connectors/core/column-type.ts';
import type { Value } from '../../../connectors/core/value.ts';
import type { Decoded, DecoderOptions, KafkaRecord } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import { record } from './sample-loader.ts';

/** A value written verbatim into the JSON text (e.g. a 19-digit integer). */
export class Raw {
  constructor(readonly text: string) {}
}
export const raw = (text: string): Raw => new Raw(text);

/** JSON.stringify that writes Raw and bigint values as their exact text. */
export function json(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(json).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${JSON.stringify(k)}:${json(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export interface FieldSchema {
  readonly type: string;
  readonly optional?: boolean;
  readonly name?: string;
  readonly version?: number;
  readonly parameters?: Record<string, string>;
  readonly fields?: readonly FieldSchema[];
  readonly items?: FieldSchema;
  readonly keys?: FieldSchema;
  readonly values?: FieldSchema;
  readonly field?: string;
}

/** Field schema in JsonConverter key order (type, fields/items/keys/values, optional, name, version, parameters, field). */
export function schemaJson(s: FieldSchema): Record<string, unknown> {
  return {
    type: s.type,
    fields: s.fields?.map(schemaJson),
    items: s.items === undefined ? undefined : schemaJson(s.items),
    keys: s.keys === undefined ? undefined : schemaJson(s.keys),
    values: s.values === undefined ? undefined : schemaJson(s.values),
    optional: s.optional ?? true,
    name: s.name,
    version: s.version,
    parameters: s.parameters,
    field: s.field,
  };
}

export const PG_SOURCE_SCHEMA: FieldSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.postgresql.Source',
  field: 'source',
  fields: [
    { type: 'string', optional: false, field: 'version' },
    { type: 'string', optional: false, field: 'connector' },
    { type: 'string', optional: false, field: 'name' },
    { type: 'int64', optional: false, field: 'ts_ms' },
    { type: 'string', optional: true, name: 'io.debezium.data.Enum', parameters: { allowed: 'true,first,last,false' }, field: 'snapshot' },
    { type: 'string', optional: false, field: 'db' },
    { type: 'int64', optional: true, field: 'ts_ns' },
    { type: 'string', optional: false, field: 'schema' },
    { type: 'string', optional: false, field: 'table' },
    { type: 'int64', optional: true, field: 'lsn' },
  ],
};

export function pgSource(table = 'items', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '3.2.4.Final',
    connector: 'postgresql',
    name: 'srv',
    ts_ms: 1710490831500,
    snapshot: 'false',
    db: 'shop',
    ts_ns: raw('1710490831500123000'),
    schema: 'public',
    table,
    lsn: 24023128,
    ...extra,
  };
}

export interface EnvelopeSpec {
  readonly table?: string;
  readonly columns: readonly FieldSchema[];
  readonly op: string;
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
  readonly source?: Record<string, unknown>;
  readonly keyColumns?: readonly string[];
}

export function valueSchemaJson(spec: EnvelopeSpec): Record<string, unknown> {
  const table = spec.table ?? 'items';
  const row = (field: string): FieldSchema => ({
    type: 'struct',
    optional: true,
    name: `srv.public.${table}.Value`,
    field,
    fields: spec.columns,
  });
  return schemaJson({
    type: 'struct',
    optional: false,
    name: `srv.public.${table}.Envelope`,
    version: 2,
    fields: [
      row('before'),
      row('after'),
      PG_SOURCE_SCHEMA,
      { type: 'string', optional: false, field: 'op' },
      { type: 'int64', optional: true, field: 'ts_ms' },
    ],
  });
}

export function envelopePayload(spec: EnvelopeSpec): Record<string, unknown> {
  return {
    before: spec.before ?? null,
    after: spec.after ?? null,
    source: spec.source ?? pgSource(spec.table ?? 'items'),
    op: spec.op,
    ts_ms: 1710490831612,
  };
}

/** `{"schema":...,"payload":...}` text of an envelope (or the bare payload with schemas=false). */
export function envelopeText(spec: EnvelopeSpec, schemas = true): string {
  const payload = envelopePayload(spec);
  return schemas ? json({ schema: valueSchemaJson(spec), payload }) : json(payload);
}

export function keyText(spec: EnvelopeSpec, values: Record<string, unknown>, schemas = true): string {
  const names = spec.keyColumns ?? ['id'];
  const fields = names.map((n) => {
    const f = spec.columns.find((c) => c.field === n);
    if (f === undefined) throw new Error(`no key column ${n}`);
    return { ...f, optional: false };
  });
  const schema = schemaJson({ type: 'struct', optional: false, name: `srv.public.${spec.table ?? 'items'}.Key`, fields });
  return schemas ? json({ schema, payload: values }) : json(values);
}

/** A full record for an envelope spec; the key payload is taken from after/before. */
export function envelopeRecord(spec: EnvelopeSpec, schemas = true, extra: Partial<KafkaRecord> = {}): KafkaRecord {
  const image = spec.after ?? spec.before ?? {};
  const keyValues: Record<string, unknown> = {};
  for (const k of spec.keyColumns ?? ['id']) keyValues[k] = image[k];
  const topic = `srv.public.${spec.table ?? 'items'}`;
  return record(topic, keyText(spec, keyValues, schemas), envelopeText(spec, schemas), extra);
}

export const ID: FieldSchema = { type: 'int32', optional: false, field: 'id' };

/** The change event of a decoded record; a skip fails the test. */
export function eventOf(d: Decoded): ChangeEvent {
  if (d.kind !== 'change') assert.fail(`skipped: ${d.reason}`);
  return d.event;
}

/**
 * Decodes one column `c` of an insert and returns its value and ColumnType. The record is decoded
 * twice by one decoder: first with its schema unknown (parsed with number markers), then through
 * the schema cache (parsed with plain numbers, read again with markers when a codec needs them);
 * both must give the same value.
 */
export function decodeColumn(
  schema: Omit<FieldSchema, 'field'>,
  wire: unknown,
  options?: Partial<DecoderOptions>,
): { value: unknown; type: ColumnType } {
  const decoder = createDecoder(options);
  const input = envelopeRecord({ columns: [ID, { ...schema, field: 'c' }], op: 'c', after: { id: 1, c: wire } });
  const column = (d: Decoded) => {
    const e = eventOf(d);
    const col = e.schema.columns[1];
    assert.equal(col?.name, 'c');
    return { value: (e.row as Record<string, Value>).c, type: col.type };
  };
  const first = column(decoder.decode(input));
  const cached = column(decoder.decode(input));
  assert.deepEqual(cached, first, 'decoded through the schema cache');
  return cached;
}

/** Minimal big-endian two's complement (Java BigInteger.toByteArray), base64. Independent of the decoder. */
export function decimalBase64(unscaled: bigint): string {
  let len = 1;
  while (unscaled < -(1n << BigInt(8 * len - 1)) || unscaled >= 1n << BigInt(8 * len - 1)) len++;
  const v = unscaled < 0n ? unscaled + (1n << BigInt(8 * len)) : unscaled;
  return Buffer.from(v.toString(16).padStart(2 * len, '0'), 'hex').toString('base64');
}

