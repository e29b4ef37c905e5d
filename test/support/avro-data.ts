/**
 * Builds Avro messages the way Debezium's io.confluent.connect.avro.AvroConverter writes them, from
 * the equivalent JsonConverter message, for tests (no schema registry and no AvroConverter can run
 * on this machine: test/infra/apicurio/README.md).
 *
 * The converter turns a Connect schema into Avro with Confluent's AvroData.fromConnectSchema and the
 * Connect value into an Avro datum; the bytes are the Confluent wire format: 0x00, the schema's
 * registry id as 4 bytes big-endian, the Avro binary encoding. This file mirrors AvroData's rules
 * (connectMetaData on, enhanced.avro.schema.support off, the defaults Debezium runs with):
 *
 * - int8/int16 -> "int" with connect.type; int32 -> int; int64 -> long; float -> float;
 *   double -> double; boolean; string; bytes -> bytes;
 * - every schema gets connect.doc, connect.version, connect.parameters, connect.default and
 *   connect.name when the Connect schema has them; Decimal also gets logicalType decimal with
 *   precision (connect.decimal.precision, default 64) and scale; Connect Date/Time/Timestamp get
 *   date/time-millis/timestamp-millis;
 * - optional -> ["null", T], or [T, "null"] when the schema has a default; a record field gets the
 *   Connect default as its Avro default (null for optional fields without one);
 * - struct -> record named by the Connect name (namespace = everything before the last dot), else
 *   io.confluent.connect.avro.ConnectDefault (ConnectDefault2, ...); a record already written in
 *   the same schema is referenced by name, as Avro's schema JSON does (short name when the
 *   namespace is the enclosing one);
 * - array -> array; map with non-optional string keys -> map; other maps -> array of
 *   io.confluent.connect.avro.MapEntry {key, value}.
 *
 * Values are encoded with avsc and a BigInt long type of its own (avsc's documented 8-byte
 * little-endian packing), not with the decoder's avro-long.ts.
 */
import avsc from 'avsc';
import { isMarker, parseLossless, readString } from '../../connectors/debezium/json-text.ts';
import type { TestSchemaRegistry } from './schema-registry.ts';

type Json = Record<string, unknown>;

const NAMESPACE = 'io.confluent.connect.avro';
const DEFAULT_NAME = 'ConnectDefault';
const DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const CONNECT_LOGICAL: Record<string, string> = {
  'org.apache.kafka.connect.data.Date': 'date',
  'org.apache.kafka.connect.data.Time': 'time-millis',
  'org.apache.kafka.connect.data.Timestamp': 'timestamp-millis',
};
const AVRO_PRIMITIVE: Record<string, string> = {
  int8: 'int',
  int16: 'int',
  int32: 'int',
  int64: 'long',
  float: 'float',
  double: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
};

function splitName(full: string): [string, string] {
  const dot = full.lastIndexOf('.');
  return dot === -1 ? ['', full] : [full.slice(0, dot), full.slice(dot + 1)];
}

function bigintOf(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (isMarker(v)) return BigInt(v.slice(1));
  throw new Error(`not an integer: ${String(v)}`);
}

function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (isMarker(v)) return Number(v.slice(1));
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new Error(`not a number: ${String(v)}`);
}

/** A Connect default (JsonConverter form) as the Avro JSON default AvroData writes. */
function avroDefault(schema: Json, value: unknown): unknown {
  switch (schema.type) {
    case 'int64':
      return Number(bigintOf(value));
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float':
    case 'double':
      return numberOf(value);
    case 'boolean':
      return value;
    case 'string':
      return readString(value);
    case 'bytes':
      return Buffer.from(String(value), 'base64').toString('latin1');
    default:
      throw new Error(`test helper: no Avro default for Connect ${String(schema.type)}`);
  }
}

/** Connect schema JSON (as JsonConverter writes it) -> Avro schema JSON (as AvroData writes it). */
export class AvroSchemaWriter {
  private readonly written = new Set<string>();
  private defaultIndex = 0;

  schema(s: Json, enclosing: string): unknown {
    const name = typeof s.name === 'string' ? s.name : undefined;
    let base: unknown;
    switch (s.type) {
      case 'struct': {
        const full = name ?? `${NAMESPACE}.${DEFAULT_NAME}${this.defaultIndex++ === 0 ? '' : this.defaultIndex}`;
        const [ns, short] = splitName(full);
        if (this.written.has(full)) {
          base = ns === enclosing ? short : full;
          break;
        }
        this.written.add(full);
        const named: Json = { type: 'record', name: short };
        if (ns !== enclosing) named.namespace = ns;
        named.fields = (s.fields as Json[]).map((f) => this.field(f.field as string, f, ns));
        base = named;
        break;
      }
      case 'array':
        base = { type: 'array', items: this.schema(s.items as Json, enclosing) };
        break;
      case 'map': {
        const keys = s.keys as Json;
        if (keys.type === 'string' && keys.optional !== true) {
          base = { type: 'map', values: this.schema(s.values as Json, enclosing) };
        } else {
          const full = `${NAMESPACE}.MapEntry`;
          if (this.written.has(full)) {
            base = { type: 'array', items: enclosing === NAMESPACE ? 'MapEntry' : full };
            break;
          }
          const entry: Json = { type: 'record', name: 'MapEntry' };
          if (enclosing !== NAMESPACE) entry.namespace = NAMESPACE;
          this.written.add(full);
          entry.fields = [this.field('key', keys, NAMESPACE), this.field('value', s.values as Json, NAMESPACE)];
          base = { type: 'array', items: entry };
        }
        break;
      }
      default: {
        const avroType = AVRO_PRIMITIVE[s.type as string];
        if (avroType === undefined) throw new Error(`test helper: Connect type ${String(s.type)}`);
        base = avroType;
      }
    }
    // Metadata goes on the base type (a reference by name carries none: it is the same schema).
    if (typeof base !== 'string' || base in { int: 1, long: 1, float: 1, double: 1, boolean: 1, string: 1, bytes: 1 }) {
      const attrs = this.metadata(s, name);
      if (Object.keys(attrs).length > 0) base = typeof base === 'string' ? { type: base, ...attrs } : { ...(base as Json), ...attrs };
    }
    if (s.optional !== true) return base;
    return s.default !== undefined && s.default !== null ? [base, 'null'] : ['null', base];
  }

  private metadata(s: Json, name: string | undefined): Json {
    const attrs: Json = {};
    if (typeof s.doc === 'string') attrs['connect.doc'] = s.doc;
    if (typeof s.version === 'number') attrs['connect.version'] = s.version;
    if (s.parameters !== undefined) attrs['connect.parameters'] = s.parameters;
    if (s.default !== undefined && s.default !== null) attrs['connect.default'] = avroDefault(s, s.default);
    if (name !== undefined) attrs['connect.name'] = name;
    if (s.type === 'int8' || s.type === 'int16') attrs['connect.type'] = s.type;
    if (name === DECIMAL) {
      const params = (s.parameters ?? {}) as Record<string, string>;
      attrs.scale = Number(params.scale ?? 0);
      attrs.precision = Number(params['connect.decimal.precision'] ?? 64);
      attrs.logicalType = 'decimal';
    } else if (name !== undefined && CONNECT_LOGICAL[name] !== undefined) {
      attrs.logicalType = CONNECT_LOGICAL[name];
    }
    return attrs;
  }

  private field(fieldName: string, s: Json, enclosing: string): Json {
    const f: Json = { name: fieldName, type: this.schema(s, enclosing) };
    if (s.default !== undefined && s.default !== null) f.default = avroDefault(s, s.default);
    else if (s.optional === true) f.default = null;
    return f;
  }
}

/** A Connect value (JsonConverter payload, parsed with markers) -> the Avro datum of avroSchemaOf(schema). */
export function avroDatumOf(s: Json, v: unknown): unknown {
  if (v === null || v === undefined) {
    if (s.optional !== true) throw new Error(`null for a required ${String(s.type)}`);
    return null;
  }
  switch (s.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return numberOf(v);
    case 'int64':
      return bigintOf(v);
    case 'float':
    case 'double':
      return numberOf(v);
    case 'boolean':
      return v;
    case 'string':
      return readString(v);
    case 'bytes':
      return Buffer.from(readString(v) ?? '', 'base64');
    case 'array':
      return (v as unknown[]).map((el) => avroDatumOf(s.items as Json, el));
    case 'map': {
      const keys = s.keys as Json;
      const values = s.values as Json;
      if (keys.type === 'string' && keys.optional !== true) {
        return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, avroDatumOf(values, x)]));
      }
      const pairs = Array.isArray(v) ? (v as [unknown, unknown][]) : Object.entries(v as Json);
      return pairs.map(([k, x]) => ({ key: avroDatumOf(keys, k), value: avroDatumOf(values, x) }));
    }
    case 'struct': {
      const out: Json = {};
      for (const f of s.fields as Json[]) out[f.field as string] = avroDatumOf(f, (v as Json)[f.field as string]);
      return out;
    }
    default:
      throw new Error(`test helper: Connect type ${String(s.type)}`);
  }
}

/** Avro `long` as bigint for encoding: avsc's own 8-byte little-endian packing (its documented example). */
const TEST_LONG = avsc.types.LongType.__with({
  fromBuffer: (b: Buffer) => b.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(n);
    return b;
  },
  fromJSON: (v: unknown) => BigInt(v as number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** The avsc type that writes datums of an Avro schema (longs as bigint, ["null", T] unions unwrapped). */
export function avroType(schema: unknown): avsc.Type {
  return avsc.Type.forSchema(schema as avsc.Schema, {
    wrapUnions: 'auto',
    typeHook: (s) => (s === 'long' || (typeof s === 'object' && s !== null && (s as Json).type === 'long') ? TEST_LONG : undefined),
  });
}

/** The Confluent wire format: magic byte 0, schema id (4 bytes, big-endian), the Avro binary datum. */
export function confluentFrame(id: number, datum: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, datum]);
}

export function avroSchemaOf(connect: Json): unknown {
  return new AvroSchemaWriter().schema(connect, '');
}

/** Splits a JsonConverter message text (schemas.enable=true) into schema and payload. */
export function connectMessage(text: string): { schema: Json; payload: unknown } {
  const doc = parseLossless(text) as Json;
  if (doc === null || typeof doc !== 'object' || !('schema' in doc)) throw new Error('not a {schema, payload} message');
  return { schema: doc.schema as Json, payload: doc.payload };
}

/**
 * The Avro twin of one JsonConverter key or value: its schema converted as AvroData does and
 * registered in the registry (the same schema gets the same id), its payload encoded with it.
 * null stays null (a tombstone or a truncate's key).
 */
export function avroTwin(registry: TestSchemaRegistry, jsonText: string | null): Buffer | null {
  if (jsonText === null) return null;
  const { schema, payload } = connectMessage(jsonText);
  const avro = avroSchemaOf(schema);
  const id = registry.register(avro);
  return confluentFrame(id, avroType(avro).toBuffer(avroDatumOf(schema, payload)));
}
