/** Public types of the Debezium decoder. */
import type { ChangeEvent } from '../core/change-event.ts';
import type { BinaryHandlingMode } from './codec.ts';

/** One Kafka record, in kafkajs shapes. */
export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  /** Offset as kafkajs gives it (decimal string). */
  readonly offset: string;
  /** Record timestamp, ms since epoch, as a decimal string (kafkajs). */
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

/** Where the Avro format fetches writer schemas: a Confluent Schema Registry compatible REST API. */
export interface SchemaRegistryOptions {
  /** Base URL, e.g. http://registry:8081 (Apicurio: http://host:8080/apis/ccompat/v7). */
  readonly url: string;
  /** Basic auth (both or neither). Credentials in the URL (http://user:pw@host) work too. */
  readonly username?: string;
  readonly password?: string;
  /** PEM CA certificate(s) for an https registry; default: Node's bundled CAs. */
  readonly ca?: string;
  /** Verify the registry's certificate (https); default true. */
  readonly rejectUnauthorized?: boolean;
  /** Per-request timeout; default 10000. A timeout is retried like an unreachable registry. */
  readonly timeoutMs?: number;
}

export type DecoderFormat = 'json' | 'avro';

export interface DecoderOptions {
  /**
   * json: Kafka Connect JsonConverter. avro: Confluent wire format (magic byte 0, 4-byte schema id,
   * Avro binary) as written by io.confluent.connect.avro.AvroConverter (or Apicurio's converter
   * with as-confluent), schemas from `schemaRegistry`.
   */
  readonly format: DecoderFormat;
  /** Required with format avro. */
  readonly schemaRegistry?: SchemaRegistryOptions | null;
  /**
   * Debezium binary.handling.mode. With base64/base64-url-safe/hex, a string-typed column is
   * decoded to bytes only when its schema says it is binary (parameter
   * __debezium.source.column.type in BYTEA, BLOB, BINARY, VARBINARY, TINYBLOB, MEDIUMBLOB,
   * LONGBLOB, RAW ...: needs column.propagate.source.type), else kept as text.
   */
  readonly binaryHandlingMode: BinaryHandlingMode;
  /** unavailable.value.placeholder; default '__debezium_unavailable_value' (a 'hex:' prefix gives bytes). */
  readonly unavailableValuePlaceholder: string;
  /** Prefix of ExtractNewRecordState add.fields (add.fields.prefix), default '__'. */
  readonly unwrapFieldPrefix: string;
}

export type SkipReason = 'heartbeat' | 'transaction' | 'schema-change' | 'message' | 'unwrap-dropped';

export type Decoded =
  | { readonly kind: 'change'; readonly event: ChangeEvent }
  | { readonly kind: 'skip'; readonly reason: SkipReason };

export interface DecoderStats {
  /** Key and value schemas compiled so far (each distinct schema once per topic). */
  readonly schemaCompilations: number;
  /** Messages whose schema was recognised by its exact bytes (only the payload was parsed). */
  readonly schemaCacheHits: number;
  /** Messages with a schema that needed a scan or full parse to find it (schemaless ones do not count). */
  readonly schemaCacheMisses: number;
  /**
   * Cached schemas whose payloads are parsed with exact numbers (markers), because a message needed
   * them (an int64 beyond 2^53, a Decimal as a JSON number): the others are parsed by JSON.parse alone.
   */
  readonly exactSchemas: number;
}

export interface Decoder {
  /**
   * Set by formats whose schemas live elsewhere (avro): fetches what decode() will need for these
   * records (each unknown schema id once), so that decode() stays synchronous. Call it before
   * decoding a batch. Rejects with a CdcSinkError: kind 'retriable' when the registry cannot be
   * reached (retry the call), 'fatal' when it refuses our credentials. A schema the registry does
   * not have is no rejection: decode() of the records that use it throws a DecodeError naming the id.
   */
  readonly prepare?: (records: readonly KafkaRecord[]) => Promise<void>;
  /** Decodes one record. Throws DecodeError (connectors/core/errors.ts) with the record location. */
  decode(record: KafkaRecord): Decoded;
  /**
   * The record with bytes of its own, to keep after its batch (retained-record.ts): the same bytes,
   * sharing the schema prefixes this decoder cached instead of the Kafka client's fetch buffer.
   */
  retain(record: KafkaRecord): KafkaRecord;
  readonly stats: DecoderStats;
}
