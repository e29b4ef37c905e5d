/**
 * An Avro writer schema (as a schema registry serves it) -> the Kafka Connect schema JSON that
 * JsonConverter would have written for the same data, so that the existing SchemaCompiler decodes
 * Avro and JSON topics alike. This is the reading half of Confluent's AvroData, which Debezium's
 * AvroConverter uses to write:
 *
 * - Connect metadata rides on the Avro types as attributes: `connect.name` (logical types such as
 *   io.debezium.time.MicroTimestamp, and record names), `connect.version`, `connect.parameters`
 *   (Decimal scale, Enum `allowed`, __debezium.source.column.*), `connect.type` (int8 / int16 on an
 *   Avro int). `connect.default` and `connect.doc` are not needed by the decoder and are left out.
 * - A Connect optional schema is the union ["null", T] (or [T, "null"] when it has a default).
 * - struct = record (named by `connect.name`, else its full Avro name), array = array, map with
 *   string keys = map, map with other keys = array of io.confluent.connect.avro.MapEntry records.
 * - Avro logical types without `connect.name` (schemas written by other producers): decimal,
 *   date, time-millis and timestamp-millis become the Connect Decimal, Date, Time and Timestamp.
 *
 * Alongside each Connect schema node it builds the mapper that turns the decoded datum into the
 * JsonConverter wire form (avro-datum.ts).
 */
import { ErrorCodes } from '../core/errors.ts';
import type { DatumMapper, FieldMapper } from './avro-datum.ts';
import { arrayDatum, asIs, bytesDatum, longDatum, mapDatum, mapEntriesDatum, optionalDatum, recordDatum, stringDatum } from './avro-datum.ts';
import { DecodeFailure } from './failure.ts';
import { isObject } from './json-text.ts';

/** A converted schema: the Connect schema JSON and the datum mapper of the same node. */
export interface ConvertedSchema {
  readonly connect: Readonly<Record<string, unknown>>;
  readonly map: DatumMapper;
  /** Records: the mapper of each field. */
  readonly fields?: readonly FieldMapper[];
  /** A record that is Confluent's encoding of one entry of a map with non-string keys. */
  readonly mapEntry?: boolean;
}

const DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const DECIMAL_PRECISION = 'connect.decimal.precision';
/** AvroData's precision for a Connect Decimal without connect.decimal.precision. */
const DEFAULT_DECIMAL_PRECISION = 64;
const CONNECT_DEFAULT_RECORD = 'io.confluent.connect.avro.ConnectDefault';
const MAP_ENTRY = 'io.confluent.connect.avro.MapEntry';
/** AvroData names the entry record of a named map after the map, and marks it with this attribute. */
const INTERNAL_TYPE = 'connect.internal.type';
const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const LITERAL_LOGICAL: Readonly<Record<string, readonly [string, string]>> = {
  date: ['int', 'org.apache.kafka.connect.data.Date'],
  'time-millis': ['int', 'org.apache.kafka.connect.data.Time'],
  'timestamp-millis': ['long', 'org.apache.kafka.connect.data.Timestamp'],
};

function unsupported(path: string, detail: string): never {
  throw new DecodeFailure(ErrorCodes.DECODE_UNKNOWN_TYPE, `Avro schema ${path || '(root)'}: ${detail}`);
}

function malformed(path: string, detail: string): never {
  throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, `Avro schema ${path || '(root)'}: ${detail}`);
}

function qualify(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}

function namespaceOf(fullName: string): string {
  const dot = fullName.lastIndexOf('.');
  return dot === -1 ? '' : fullName.slice(0, dot);
}

interface Named {
  /** null while a record's own fields are being converted. */
  node: ConvertedSchema | null;
  readonly avroType: string;
}

class AvroToConnect {
  private readonly named = new Map<string, Named>();

  convert(schema: unknown, namespace: string, path: string): ConvertedSchema {
    if (typeof schema === 'string') return PRIMITIVES.has(schema) ? this.primitive(schema, {}, path) : this.reference(schema, namespace, path);
    if (Array.isArray(schema)) return this.union(schema, namespace, path);
    if (!isObject(schema)) return malformed(path, 'expected a schema (a name, an object or a union)');
    const type = schema.type;
    if (typeof type !== 'string') return unsupported(path, `"type" is ${JSON.stringify(type) ?? 'missing'}, expected a type name`);
    switch (type) {
      case 'record':
      case 'error':
        return this.record(schema, namespace, path);
      case 'enum':
      case 'fixed': {
        const { entry } = this.define(schema, namespace, path, type);
        entry.node = this.primitive(type, schema, path);
        return entry.node;
      }
      case 'array':
        return this.array(schema, namespace, path);
      case 'map': {
        const values = this.convert(schema.values, namespace, `${path}{value}`);
        return this.node({ type: 'map', keys: { type: 'string', optional: false }, values: values.connect }, schema, mapDatum(values.map));
      }
      default:
        // {"type": "long", ...} carries attributes; {"type": "some.Record"} is a reference by name
        return PRIMITIVES.has(type) ? this.primitive(type, schema, path) : this.reference(type, namespace, path);
    }
  }

  /** A Connect node with the metadata attributes of the Avro type it came from. */
  private node(base: Record<string, unknown>, attrs: Readonly<Record<string, unknown>>, map: DatumMapper, defaultName?: string): ConvertedSchema {
    const out: Record<string, unknown> = { ...base, optional: false };
    const name = typeof attrs['connect.name'] === 'string' ? attrs['connect.name'] : defaultName;
    if (name !== undefined) out.name = name;
    if (typeof attrs['connect.version'] === 'number') out.version = attrs['connect.version'];
    const params = attrs['connect.parameters'];
    if (isObject(params)) out.parameters = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
    return { connect: out, map };
  }

  private primitive(type: string, attrs: Readonly<Record<string, unknown>>, path: string): ConvertedSchema {
    const logical = typeof attrs.logicalType === 'string' ? attrs.logicalType : undefined;
    switch (type) {
      case 'null':
        return unsupported(path, 'a "null" type outside a ["null", T] union has no Connect equivalent');
      case 'boolean':
      case 'float':
      case 'double':
        return this.node({ type }, attrs, asIs);
      case 'int': {
        const connectType = attrs['connect.type'];
        const t = connectType === 'int8' || connectType === 'int16' ? connectType : 'int32';
        return this.withLiteralLogical(this.node({ type: t }, attrs, asIs), logical, type);
      }
      case 'long':
        return this.withLiteralLogical(this.node({ type: 'int64' }, attrs, longDatum), logical, type);
      case 'string':
      case 'enum':
        return this.node({ type: 'string' }, attrs, stringDatum);
      case 'bytes':
      case 'fixed': {
        const node = this.node({ type: 'bytes' }, attrs, bytesDatum);
        return logical === 'decimal' ? this.decimal(node, attrs, path) : node;
      }
      default:
        return unsupported(path, `unknown Avro type '${type}'`);
    }
  }

  /** date / time-millis / timestamp-millis without connect.name: the Connect logical type AvroData reads them as. */
  private withLiteralLogical(node: ConvertedSchema, logical: string | undefined, type: string): ConvertedSchema {
    const mapped = logical === undefined ? undefined : LITERAL_LOGICAL[logical];
    if (mapped === undefined || mapped[0] !== type || node.connect.name !== undefined) return node;
    return { connect: { ...node.connect, name: mapped[1] }, map: node.map };
  }

  /** Avro decimal (bytes + logicalType decimal, scale, precision) -> Connect Decimal with its parameters. */
  private decimal(node: ConvertedSchema, attrs: Readonly<Record<string, unknown>>, path: string): ConvertedSchema {
    const name = node.connect.name ?? DECIMAL;
    if (name !== DECIMAL) return node;
    const params: Record<string, string> = { ...(node.connect.parameters as Record<string, string> | undefined) };
    if (params.scale === undefined) {
      const scale = attrs.scale ?? 0;
      if (typeof scale !== 'number' || !Number.isInteger(scale)) return malformed(path, `decimal scale ${JSON.stringify(scale)} is not an integer`);
      params.scale = String(scale);
    }
    const precision = attrs.precision;
    if (params[DECIMAL_PRECISION] === undefined && typeof precision === 'number' && precision !== DEFAULT_DECIMAL_PRECISION) {
      params[DECIMAL_PRECISION] = String(precision);
    }
    return { connect: { ...node.connect, name, parameters: params }, map: node.map };
  }

  private union(branches: readonly unknown[], namespace: string, path: string): ConvertedSchema {
    const nonNull = branches.filter((b) => b !== 'null' && !(isObject(b) && b.type === 'null'));
    if (branches.length === 2 && nonNull.length === 1) {
      const inner = this.convert(nonNull[0], namespace, path);
      return { connect: { ...inner.connect, optional: true }, map: optionalDatum(inner.map) };
    }
    const shown = branches.map((b) => (typeof b === 'string' ? b : isObject(b) ? String(b.name ?? b.type) : '?')).join(', ');
    // AvroData reads these as a struct io.confluent.connect.avro.Union; Debezium never writes one.
    return unsupported(path, `union [${shown}] is not supported (only ["null", T], Connect's optional schemas)`);
  }

  private define(schema: Readonly<Record<string, unknown>>, namespace: string, path: string, avroType: string): { full: string; entry: Named } {
    const name = schema.name;
    if (typeof name !== 'string' || name === '') return malformed(path, `${avroType} without a name`);
    const ns = typeof schema.namespace === 'string' ? schema.namespace : namespace;
    const full = qualify(name, ns);
    if (this.named.has(full)) return malformed(path, `type '${full}' is defined twice`);
    const entry: Named = { node: null, avroType };
    this.named.set(full, entry);
    return { full, entry };
  }

  private reference(name: string, namespace: string, path: string): ConvertedSchema {
    const entry = this.named.get(qualify(name, namespace)) ?? this.named.get(name);
    if (entry === undefined) return malformed(path, `unknown type name '${name}'`);
    if (entry.node === null) {
      if (entry.avroType === 'record') return unsupported(path, `recursive record '${name}' has no Connect equivalent`);
      return malformed(path, `type '${name}' is used before its definition`);
    }
    return entry.node;
  }

  private record(schema: Readonly<Record<string, unknown>>, namespace: string, path: string): ConvertedSchema {
    const fields = schema.fields;
    if (!Array.isArray(fields)) return malformed(path, 'record without "fields"');
    const names = fields.map((f: unknown, i: number) => (isObject(f) && typeof f.name === 'string' ? f.name : malformed(path, `field #${i} has no name`)));
    const { full, entry } = this.define(schema, namespace, path, 'record');
    const inner = namespaceOf(full);
    const connectFields: Record<string, unknown>[] = [];
    const mappers: FieldMapper[] = [];
    fields.forEach((f: unknown, i: number) => {
      const fieldName = names[i] as string;
      const converted = this.convert((f as Record<string, unknown>).type, inner, path ? `${path}.${fieldName}` : fieldName);
      connectFields.push({ ...converted.connect, field: fieldName });
      mappers.push({ name: fieldName, map: converted.map });
    });
    const defaultName = full === CONNECT_DEFAULT_RECORD || full.startsWith(CONNECT_DEFAULT_RECORD) ? undefined : full;
    const node = this.node({ type: 'struct', fields: connectFields }, schema, recordDatum(mappers), defaultName);
    entry.node = { ...node, fields: mappers, mapEntry: full === MAP_ENTRY || schema[INTERNAL_TYPE] === 'MapEntry' };
    return entry.node;
  }

  private array(schema: Readonly<Record<string, unknown>>, namespace: string, path: string): ConvertedSchema {
    const items = this.convert(schema.items, namespace, `${path}[]`);
    const [key, value] = items.fields ?? [];
    if (items.mapEntry === true && items.fields?.length === 2 && key?.name === 'key' && value?.name === 'value') {
      // Confluent's encoding of a Connect map whose keys are not strings.
      const [keySchema, valueSchema] = (items.connect.fields as Record<string, unknown>[]).map(({ field: _f, ...rest }) => rest);
      return this.node({ type: 'map', keys: keySchema, values: valueSchema }, schema, mapEntriesDatum(key.map, value.map));
    }
    return this.node({ type: 'array', items: items.connect }, schema, arrayDatum(items.map));
  }
}

/** Converts a registry's Avro schema (parsed JSON) into Connect schema JSON plus its datum mapper. Throws DecodeFailure. */
export function convertAvroSchema(schema: unknown): ConvertedSchema {
  return new AvroToConnect().convert(schema, '', '');
}
