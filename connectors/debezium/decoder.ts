/**
 * createDecoder(): one Kafka record (Debezium, JsonConverter or Avro with a schema registry) -> a
 * ChangeEvent or a skip. See FORMAT.md for the wire format and connectors/core/value.ts for the
 * value representation; the formats are behind value-format.ts.
 */
import { CdcSinkError, DecodeError, ErrorCodes } from '../core/errors.ts';
import type { RecordLocation } from '../core/errors.ts';
import { AvroFormat, schemaIdsOf } from './avro-format.ts';
import { AvroSchemaStore } from './avro-registry.ts';
import type { CompileContext } from './codec.ts';
import type { CompiledKey, CompiledValue } from './compiled.ts';
import { compileKeySchema, compileValueSchema } from './compiled.ts';
import { decodeEnvelope } from './envelope.ts';
import { DecodeFailure, inContext, show } from './failure.ts';
import { JsonFormat } from './json-format.ts';
import { InexactNumber, decodingNumbers, isObject, splitSchemaPayload } from './json-text.ts';
import type { KeyInfo, RecordContext } from './record-context.ts';
import { ByteArena, retainRecord } from './retained-record.ts';
import { decodeRow } from './schema.ts';
import { inferRow } from './schemaless.ts';
import { decodeTombstone } from './tombstone.ts';
import { DEFAULT_PLACEHOLDER, NO_TOAST, toastForms } from './toast.ts';
import type { Decoded, Decoder, DecoderOptions, DecoderStats, KafkaRecord } from './types.ts';
import { decodeUnwrapped } from './unwrapped.ts';
import { classifyPayload } from './value-kind.ts';
import type { FormatStats, MessageRole, ValueFormat, WireMessage } from './value-format.ts';

const BINARY_MODES = new Set(['bytes', 'base64', 'base64-url-safe', 'hex']);
const FORMATS = new Set(['json', 'avro']);
const KEY_PREVIEW_CHARS = 200;

export const DEFAULT_DECODER_OPTIONS: DecoderOptions = Object.freeze({
  format: 'json',
  binaryHandlingMode: 'bytes',
  unavailableValuePlaceholder: DEFAULT_PLACEHOLDER,
  unwrapFieldPrefix: '__',
});

function resolveOptions(options: Partial<DecoderOptions> | undefined): DecoderOptions {
  const o = { ...DEFAULT_DECODER_OPTIONS, ...options };
  if (!FORMATS.has(o.format)) {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, `decoder option format '${String(o.format)}' is not one of ${[...FORMATS].join(', ')}`, { kind: 'fatal' });
  }
  if (o.format === 'avro' && (typeof o.schemaRegistry?.url !== 'string' || o.schemaRegistry.url === '')) {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, 'decoder option format avro needs schemaRegistry.url', { kind: 'fatal' });
  }
  if (!BINARY_MODES.has(o.binaryHandlingMode)) {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, `decoder option binaryHandlingMode '${String(o.binaryHandlingMode)}' is not one of ${[...BINARY_MODES].join(', ')}`, { kind: 'fatal' });
  }
  if (typeof o.unavailableValuePlaceholder !== 'string' || o.unavailableValuePlaceholder === '') {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, 'decoder option unavailableValuePlaceholder must be a non-empty string', { kind: 'fatal' });
  }
  if (typeof o.unwrapFieldPrefix !== 'string' || o.unwrapFieldPrefix === '') {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, 'decoder option unwrapFieldPrefix must be a non-empty string', { kind: 'fatal' });
  }
  return Object.freeze(o);
}

function preview(text: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > KEY_PREVIEW_CHARS ? `${printable.slice(0, KEY_PREVIEW_CHARS)}…` : printable;
}

/** Printable key for error locations: the payload part of a JsonConverter key, truncated. */
export function printableKey(key: Buffer | null): string | undefined {
  if (key === null || key.length === 0) return undefined;
  let text = key.toString('utf8', 0, Math.min(key.length, 64 * 1024));
  const split = splitSchemaPayload(text);
  if (split !== null) text = split.payloadText;
  return preview(text);
}

/** Location of a record; `keyText` renders the key (default: printableKey, for JSON keys). */
export function locationOf(record: KafkaRecord, keyText: (key: Buffer) => string | undefined = printableKey): RecordLocation {
  const key = record.key === null || record.key.length === 0 ? undefined : keyText(record.key);
  const loc = { topic: record.topic, partition: record.partition, offset: record.offset };
  return key === undefined ? loc : { ...loc, key: preview(key) };
}

/**
 * Reads a key or value and decodes it. A message parsed with plain numbers whose decoding needs a
 * number's exact text (InexactNumber) is read again with markers and decoded again.
 */
function readMessage<S, R>(format: ValueFormat<S>, bytes: Buffer, topic: string, role: MessageRole, decode: (msg: WireMessage<S>) => R): R {
  const msg = format.read(bytes, topic, role);
  try {
    return decodingNumbers(msg.plain === true, () => decode(msg));
  } catch (err) {
    if (!(err instanceof InexactNumber)) throw err;
    return decodingNumbers(false, () => decode(format.read(bytes, topic, role, true)));
  }
}

class DebeziumDecoder implements Decoder {
  private readonly counters: FormatStats = { schemaCompilations: 0, schemaCacheHits: 0, schemaCacheMisses: 0, exactSchemas: 0 };
  private readonly values: ValueFormat<CompiledValue>;
  private readonly keys: ValueFormat<CompiledKey>;
  private readonly ctx: CompileContext;
  private readonly arena = new ByteArena();
  readonly prepare: ((records: readonly KafkaRecord[]) => Promise<void>) | undefined;

  constructor(private readonly options: DecoderOptions) {
    this.ctx = Object.freeze({
      binaryMode: options.binaryHandlingMode,
      toast: toastForms(options.unavailableValuePlaceholder),
    });
    const prefix = options.unwrapFieldPrefix;
    const compileValue = (json: unknown) => inContext('compiling the value schema', () => compileValueSchema(json, this.ctx, prefix));
    const compileKey = (json: unknown) => inContext('compiling the key schema', () => compileKeySchema(json, this.ctx));
    if (options.format === 'avro') {
      const store = new AvroSchemaStore(options.schemaRegistry!);
      this.values = new AvroFormat(store, compileValue, this.counters);
      this.keys = new AvroFormat(store, compileKey, this.counters);
      this.prepare = (records) => store.prepare(schemaIdsOf(records));
    } else {
      this.values = new JsonFormat(compileValue, this.counters);
      this.keys = new JsonFormat(compileKey, this.counters);
      this.prepare = undefined;
    }
  }

  private location(record: KafkaRecord): RecordLocation {
    const keys = this.keys;
    return keys.printable === undefined ? locationOf(record) : locationOf(record, (k) => keys.printable!(k));
  }

  get stats(): DecoderStats {
    return { ...this.counters };
  }

  retain(record: KafkaRecord): KafkaRecord {
    const prefix = (format: ValueFormat<unknown>, bytes: Buffer | null) =>
      bytes === null || format.cachedPrefix === undefined ? null : format.cachedPrefix(bytes, record.topic);
    return retainRecord(record, prefix(this.keys, record.key), prefix(this.values, record.value), this.arena);
  }

  decode(record: KafkaRecord): Decoded {
    try {
      return this.decodeRecord(record);
    } catch (err) {
      if (err instanceof DecodeFailure) throw new DecodeError(err.code, err.describe(), this.location(record), err.cause);
      if (err instanceof CdcSinkError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof RangeError) {
        // Nesting deeper than the stack, or a value too large to build: bad input, not a bug of ours.
        throw new DecodeError(ErrorCodes.DECODE_BAD_VALUE, `the record is too deeply nested or a value is too large to decode (${reason})`, this.location(record), err);
      }
      throw new DecodeError(ErrorCodes.INTERNAL, `unexpected failure decoding a record: ${reason}`, this.location(record), err);
    }
  }

  private decodeRecord(record: KafkaRecord): Decoded {
    const ctx = this.recordContext(record);
    const value = record.value;
    if (value === null || value.length === 0) return decodeTombstone(ctx, null);
    return readMessage(this.values, value, record.topic, 'value', (msg) => this.decodeValue(ctx, msg));
  }

  private decodeValue(ctx: RecordContext, msg: WireMessage<CompiledValue>): Decoded {
    const record = ctx.record;
    const payload = msg.payload;
    if (payload === null) return decodeTombstone(ctx, msg.schema);
    const schema = msg.schema;
    if (schema !== null) {
      if (schema.kind === 'skip') return { kind: 'skip', reason: schema.reason };
      if (!isObject(payload)) {
        throw new DecodeFailure(ErrorCodes.DECODE_BAD_VALUE, `value payload is ${show(payload)}, but its schema is a struct`);
      }
      return schema.kind === 'envelope' ? decodeEnvelope(ctx, payload, schema) : decodeUnwrapped(ctx, payload, schema);
    }
    if (!isObject(payload)) {
      throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, `value is ${show(payload)}, expected a JSON object`);
    }
    const kind = classifyPayload(payload, record.topic, () => ctx.key()?.names ?? null);
    if (kind.kind === 'skip') return { kind: 'skip', reason: kind.reason };
    return kind.kind === 'envelope' ? decodeEnvelope(ctx, payload, null) : decodeUnwrapped(ctx, payload, null);
  }

  private recordContext(record: KafkaRecord): RecordContext {
    let key: KeyInfo | null | undefined;
    return {
      record,
      toast: this.ctx.toast,
      unwrapPrefix: this.options.unwrapFieldPrefix,
      key: () => {
        if (key === undefined) key = this.readKey(record);
        return key;
      },
    };
  }

  private readKey(record: KafkaRecord): KeyInfo | null {
    const bytes = record.key;
    if (bytes === null || bytes.length === 0) return null;
    return readMessage(this.keys, bytes, record.topic, 'key', (msg) => this.decodeKey(msg));
  }

  private decodeKey(msg: WireMessage<CompiledKey>): KeyInfo | null {
    const payload = msg.payload;
    if (payload === null) return null;
    const compiled = msg.schema;
    if (compiled !== null) {
      const row = decodeRow(compiled.row, payload, 'message key');
      return { row, names: compiled.names, columns: compiled.row.columns, compiled, recordName: compiled.row.recordName };
    }
    if (!isObject(payload)) {
      throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, `message key is ${show(payload)}, expected a JSON object`);
    }
    const inferred = inferRow(payload, NO_TOAST);
    const names = Object.freeze(inferred.columns.map((c) => c.name));
    return { row: inferred.row, names, columns: inferred.columns, compiled: null, recordName: null };
  }
}

/**
 * Creates a decoder with its own schema cache. Options default to Debezium's defaults (and the
 * JsonConverter). With format avro, call `prepare(records)` before decoding them.
 */
export function createDecoder(options?: Partial<DecoderOptions>): Decoder {
  return new DebeziumDecoder(resolveOptions(options));
}
