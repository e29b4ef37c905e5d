/** Debezium decoder: Kafka records (JsonConverter) -> ChangeEvents. */
export { DEFAULT_DECODER_OPTIONS, createDecoder, locationOf, printableKey } from './decoder.ts';
export type { Decoded, Decoder, DecoderOptions, DecoderStats, KafkaRecord, SkipReason } from './types.ts';
export type { BinaryHandlingMode } from './codec.ts';
export type { MessageRole, SchemaCompiler, ValueFormat, WireMessage } from './value-format.ts';
export { DEFAULT_PLACEHOLDER } from './toast.ts';
