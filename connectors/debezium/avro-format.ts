/**
 * The Confluent Schema Registry wire format with Avro (what io.confluent.connect.avro.AvroConverter
 * writes): byte 0 = magic byte 0x00, bytes 1-4 = the writer schema's registry id (big-endian),
 * then the Avro binary datum. The writer schema comes from the registry (avro-registry.ts, fetched
 * by the decoder's prepare()), is converted to the Connect schema JSON that the JsonConverter
 * format would carry (avro-schema.ts) and compiled by the same SchemaCompiler, once per id; the
 * datum is mapped to the JsonConverter wire conventions (avro-datum.ts), so the codecs, envelope,
 * TOAST and unwrap handling are shared with the JSON format.
 */
import { ErrorCodes } from '../core/errors.ts';
import type { AvroSchemaStore, RegistrySchema } from './avro-registry.ts';
import type { ConvertedSchema } from './avro-schema.ts';
import { DecodeFailure } from './failure.ts';
import { toJsonText } from './json-text.ts';
import type { FormatStats, MessageRole, SchemaCompiler, ValueFormat, WireMessage } from './value-format.ts';

export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

/** The schema id of a Confluent-framed key or value, or null when it has no such header. */
export function schemaIdOf(bytes: Buffer | null): number | null {
  if (bytes === null || bytes.length < HEADER_BYTES || bytes[0] !== MAGIC_BYTE) return null;
  return bytes.readInt32BE(1);
}

/** The schema ids of the keys and values of these records (each once). */
export function schemaIdsOf(records: readonly { readonly key: Buffer | null; readonly value: Buffer | null }[]): Set<number> {
  const ids = new Set<number>();
  for (const r of records) {
    const k = schemaIdOf(r.key);
    if (k !== null) ids.add(k);
    const v = schemaIdOf(r.value);
    if (v !== null) ids.add(v);
  }
  return ids;
}

/** "0x7b '{'" and, for a JSON-looking message, a hint. */
function firstByte(bytes: Buffer): string {
  const b = bytes[0] as number;
  const hex = `0x${b.toString(16).padStart(2, '0')}`;
  if (b === 0x7b) return `${hex} '{' (JSON? decoder.format json reads JsonConverter topics)`;
  return b >= 0x20 && b < 0x7f ? `${hex} '${String.fromCharCode(b)}'` : hex;
}

export class AvroFormat<S> implements ValueFormat<S> {
  readonly name = 'avro';
  private readonly compiled = new Map<number, S>();

  constructor(
    private readonly store: AvroSchemaStore,
    private readonly compile: SchemaCompiler<S>,
    private readonly stats: FormatStats,
  ) {}

  read(bytes: Buffer, _topic: string, role: MessageRole): WireMessage<S> {
    const { schema, converted, payload } = this.datum(bytes, role);
    let compiled = this.compiled.get(schema.id);
    if (compiled === undefined) {
      this.stats.schemaCacheMisses++;
      compiled = this.compile(converted.connect);
      this.stats.schemaCompilations++;
      this.compiled.set(schema.id, compiled);
    } else {
      this.stats.schemaCacheHits++;
    }
    return { schema: compiled, payload };
  }

  /** JSON text of a key for error locations, or a description of it when it does not decode. */
  printable(bytes: Buffer): string {
    try {
      return toJsonText(this.datum(bytes, 'key').payload);
    } catch {
      const id = schemaIdOf(bytes);
      return id === null ? `(${bytes.length} bytes without the Avro header)` : `(Avro, schema id ${id}, ${bytes.length} bytes)`;
    }
  }

  /** Checks the header, finds the writer schema, decodes and maps the datum. Throws DecodeFailure. */
  private datum(bytes: Buffer, role: MessageRole): { schema: RegistrySchema; converted: ConvertedSchema; payload: unknown } {
    if (bytes[0] !== MAGIC_BYTE) {
      throw new DecodeFailure(
        ErrorCodes.DECODE_UNSUPPORTED_FORMAT,
        `${role} starts with ${firstByte(bytes)}, not with the Schema Registry magic byte 0x00: decoder.format avro reads Confluent-framed Avro only`,
      );
    }
    if (bytes.length < HEADER_BYTES) {
      throw new DecodeFailure(ErrorCodes.DECODE_MALFORMED_AVRO, `${role} is ${bytes.length} bytes, shorter than the 5-byte Schema Registry header (magic byte + schema id)`);
    }
    const schema = this.store.schema(bytes.readInt32BE(1));
    const converted = schema.converted;
    if (converted instanceof DecodeFailure) {
      throw new DecodeFailure(converted.code, `${role} schema id ${schema.id} (${schema.name}): ${converted.describe()}`);
    }
    let datum: unknown;
    try {
      datum = schema.type.fromBuffer(bytes.subarray(HEADER_BYTES));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new DecodeFailure(
        ErrorCodes.DECODE_MALFORMED_AVRO,
        `${role} is not a valid Avro datum of schema id ${schema.id} (${schema.name}, ${bytes.length - HEADER_BYTES} bytes after the header): ${reason}`,
        err,
      );
    }
    return { schema, converted, payload: converted.map(datum) };
  }
}
