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

export interface DecoderOptions {
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
}

export interface Decoder {
  /** Decodes one record. Throws DecodeError (connectors/core/errors.ts) with the record location. */
  decode(record: KafkaRecord): Decoded;
  readonly stats: DecoderStats;
}
