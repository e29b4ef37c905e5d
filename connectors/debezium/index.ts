/** Debezium decoder: Kafka records (JsonConverter, or Avro with a schema registry) -> ChangeEvents. */
export { DEFAULT_DECODER_OPTIONS, createDecoder, locationOf, printableKey } from './decoder.ts';
export type { Decoded, Decoder, DecoderFormat, DecoderOptions, DecoderStats, KafkaRecord, SchemaRegistryOptions, SkipReason } from './types.ts';
export type { BinaryHandlingMode } from './codec.ts';
export type { MessageRole, SchemaCompiler, ValueFormat, WireMessage } from './value-format.ts';
export { DEFAULT_PLACEHOLDER } from './toast.ts';
