/**
 * The seam between Kafka bytes and the schema-driven decoder. Two implementations:
 * - `json` (json-format.ts): Kafka Connect JsonConverter, the schema embedded in each message;
 * - `avro` (avro-format.ts): the Confluent framing (magic byte 0 + schema id) with an Avro datum;
 *   the writer schema is fetched from the schema registry, converted to the Connect schema JSON (as
 *   Confluent's AvroData does) and handed to the same SchemaCompiler, and the datum is mapped to
 *   the JsonConverter wire conventions the codecs read (bytes as base64 text, int64 beyond 2^53 as
 *   number markers).
 */

/** One key or value as read from Kafka. */
export interface WireMessage<S> {
  /** Compiled schema (cached), or null when the message carries none (schemas.enable=false). */
  readonly schema: S | null;
  /** The payload, parsed: large numbers as markers (json-text.ts). null for a JSON null payload. */
  readonly payload: unknown;
  /**
   * Parsed with plain numbers, no markers (json-text.ts): decode it under decodingNumbers(true), and
   * on InexactNumber read the message again with `exact`.
   */
  readonly plain?: boolean;
}

/** Compiles a schema (parsed JSON) once; the format caches the result. Throws DecodeFailure. */
export type SchemaCompiler<S> = (schemaJson: unknown) => S;

export type MessageRole = 'key' | 'value';

export interface ValueFormat<S> {
  readonly name: string;
  /**
   * Reads one non-empty Kafka key or value. Throws DecodeFailure. `exact`: the last read of these
   * bytes was plain and a number needed its exact text; parse with markers (from now on, for its schema).
   */
  read(bytes: Buffer, topic: string, role: MessageRole, exact?: boolean): WireMessage<S>;
  /** Printable text of a key for error messages; without it the key bytes are shown as UTF-8 text. */
  printable?(bytes: Buffer): string;
  /**
   * A cached buffer equal to the first bytes of `bytes` (the embedded schema the format recognised),
   * or null. Lets a record kept for later share those bytes instead of copying them.
   */
  cachedPrefix?(bytes: Buffer, topic: string): Buffer | null;
}

/** Counters of a decoder's schema cache (shared by its key and value formats). */
export interface FormatStats {
  /** Schemas compiled (a miss in both the prefix cache and the per-topic schema-text cache). */
  schemaCompilations: number;
  /** Messages whose schema was recognised by the byte-prefix cache (payload parsed alone). */
  schemaCacheHits: number;
  /** Messages with a schema that needed a scan or a full parse to find it. */
  schemaCacheMisses: number;
  /** Cached schemas whose payloads are parsed with markers because one needed exact numbers. */
  exactSchemas: number;
}
