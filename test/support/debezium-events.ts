/**
 * Builds Debezium change-event records (Kafka Connect JsonConverter, schemas.enable=true) the way the
 * PostgreSQL connector writes them, for integration tests and benchmarks. bigint values are written as
 * raw JSON integers (beyond 2^53, as Debezium does).
 */
export type FieldType =
  | 'int16'
  | 'int32'
  | 'int64'
  | 'string'
  | 'boolean'
  | 'double'
  | { decimal: { precision: number; scale: number } }
  | 'micro-timestamp'
  | 'zoned-timestamp'
  | 'date'
  | 'json'
  | 'uuid'
  | 'bytes';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly optional?: boolean;
}

export interface TableSpec {
  readonly prefix: string;
  readonly schema: string;
  readonly table: string;
  readonly fields: readonly FieldSpec[];
  readonly key: readonly string[];
}

export const TOAST = Symbol('toast');

/** JSON text with bigint as raw integers. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `\u0000big:${v}` : v)).replace(/"\\u0000big:(-?\d+)"/g, '$1');
}

function fieldSchema(f: FieldSpec): Record<string, unknown> {
  const optional = f.optional ?? true;
  const t = f.type;
  if (typeof t === 'object') {
    return {
      type: 'bytes',
      optional,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: String(t.decimal.scale), 'connect.decimal.precision': String(t.decimal.precision) },
      field: f.name,
    };
  }
  const logical: Record<string, [string, string]> = {
    'micro-timestamp': ['int64', 'io.debezium.time.MicroTimestamp'],
    'zoned-timestamp': ['string', 'io.debezium.time.ZonedTimestamp'],
    date: ['int32', 'io.debezium.time.Date'],
    json: ['string', 'io.debezium.data.Json'],
    uuid: ['string', 'io.debezium.data.Uuid'],
  };
  const l = logical[t];
  if (l) return { type: l[0], optional, name: l[1], version: 1, field: f.name };
  return { type: t === 'double' ? 'double' : t, optional, field: f.name };
}

function decimalBase64(text: string, scale: number): string {
  const [i = '0', frac = ''] = text.replace('-', '').split('.');
  let n = BigInt(i + frac.padEnd(scale, '0').slice(0, scale));
  if (text.startsWith('-')) n = -n;
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (!(v === 0n && (bytes[0]! & 0x80) === 0) && !(v === -1n && (bytes[0]! & 0x80) !== 0));
  return Buffer.from(bytes).toString('base64');
}

/** Encodes one value the way the JsonConverter writes it for the field type. */
function wireValue(f: FieldSpec, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v === TOAST) return '__debezium_unavailable_value';
  const t = f.type;
  if (typeof t === 'object') return decimalBase64(typeof v === 'string' ? v : JSON.stringify(v), t.decimal.scale);
  if (t === 'bytes') return (v as Buffer).toString('base64');
  return v;
}

export interface ChangeRecord {
  readonly key: string | null;
  readonly value: string | null;
}

export class DebeziumTable {
  private readonly valueSchema: Record<string, unknown>;
  private readonly keySchema: Record<string, unknown>;
  private readonly envelopeSchema: Record<string, unknown>;
  private lsn = 23_000_000n;

  constructor(readonly spec: TableSpec) {
    const base = `${spec.prefix}.${spec.schema}.${spec.table}`;
    this.valueSchema = { type: 'struct', fields: spec.fields.map(fieldSchema), optional: true, name: `${base}.Value` };
    this.keySchema = {
      type: 'struct',
      fields: spec.key.map((k) => ({ ...fieldSchema(spec.fields.find((f) => f.name === k)!), optional: false })),
      optional: false,
      name: `${base}.Key`,
    };
    this.envelopeSchema = {
      type: 'struct',
      fields: [
        { ...this.valueSchema, field: 'before' },
        { ...this.valueSchema, field: 'after' },
        {
          type: 'struct',
          fields: [
            { type: 'string', optional: false, field: 'version' },
            { type: 'string', optional: false, field: 'connector' },
            { type: 'string', optional: false, field: 'name' },
            { type: 'int64', optional: false, field: 'ts_ms' },
            { type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' }, default: 'false', field: 'snapshot' },
            { type: 'string', optional: false, field: 'db' },
            { type: 'string', optional: true, field: 'sequence' },
            { type: 'int64', optional: true, field: 'ts_us' },
            { type: 'int64', optional: true, field: 'ts_ns' },
            { type: 'string', optional: false, field: 'schema' },
            { type: 'string', optional: false, field: 'table' },
            { type: 'int64', optional: true, field: 'txId' },
            { type: 'int64', optional: true, field: 'lsn' },
            { type: 'int64', optional: true, field: 'xmin' },
          ],
          optional: false,
          name: 'io.debezium.connector.postgresql.Source',
          field: 'source',
        },
        {
          type: 'struct',
          fields: [
            { type: 'string', optional: false, field: 'id' },
            { type: 'int64', optional: false, field: 'total_order' },
            { type: 'int64', optional: false, field: 'data_collection_order' },
          ],
          optional: true,
          name: 'event.block',
          version: 1,
          field: 'transaction',
        },
        { type: 'string', optional: false, field: 'op' },
        { type: 'int64', optional: true, field: 'ts_ms' },
        { type: 'int64', optional: true, field: 'ts_us' },
        { type: 'int64', optional: true, field: 'ts_ns' },
      ],
      optional: false,
      name: `${base}.Envelope`,
      version: 2,
    };
  }

  get topic(): string {
    return `${this.spec.prefix}.${this.spec.schema}.${this.spec.table}`;
  }

  private encodeRow(row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.spec.fields) out[f.name] = wireValue(f, row[f.name]);
    return out;
  }

  key(row: Record<string, unknown>): string | null {
    if (this.spec.key.length === 0) return null; // Debezium sends no key for tables without one
    const payload: Record<string, unknown> = {};
    for (const k of this.spec.key) payload[k] = wireValue(this.spec.fields.find((f) => f.name === k)!, row[k]);
    return jsonText({ schema: this.keySchema, payload });
  }

  private envelope(op: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, tsMs: number): string {
    this.lsn += 8n;
    const source = {
      version: '3.3.1.Final',
      connector: 'postgresql',
      name: this.spec.prefix,
      ts_ms: tsMs,
      snapshot: op === 'r' ? 'true' : 'false',
      db: 'source',
      sequence: `[null,"${this.lsn}"]`,
      ts_us: BigInt(tsMs) * 1000n,
      ts_ns: BigInt(tsMs) * 1000000n,
      schema: this.spec.schema,
      table: this.spec.table,
      txId: 1000,
      lsn: this.lsn,
      xmin: null,
    };
    const now = Date.now();
    const payload = {
      before: before && this.encodeRow(before),
      after: after && this.encodeRow(after),
      source,
      transaction: null,
      op,
      ts_ms: now,
      ts_us: BigInt(now) * 1000n,
      ts_ns: BigInt(now) * 1000000n,
    };
    return jsonText({ schema: this.envelopeSchema, payload });
  }

  insert(row: Record<string, unknown>, tsMs = Date.now()): ChangeRecord {
    return { key: this.key(row), value: this.envelope('c', null, row, tsMs) };
  }

  read(row: Record<string, unknown>, tsMs = Date.now()): ChangeRecord {
    return { key: this.key(row), value: this.envelope('r', null, row, tsMs) };
  }

  update(row: Record<string, unknown>, tsMs = Date.now()): ChangeRecord {
    return { key: this.key(row), value: this.envelope('u', null, row, tsMs) };
  }

  delete(keyRow: Record<string, unknown>, tsMs = Date.now()): ChangeRecord {
    return { key: this.key(keyRow), value: this.envelope('d', keyRow, null, tsMs) };
  }

  tombstone(keyRow: Record<string, unknown>): ChangeRecord {
    return { key: this.key(keyRow), value: null };
  }

  truncate(tsMs = Date.now()): ChangeRecord {
    return { key: null, value: this.envelope('t', null, null, tsMs) };
  }
}
