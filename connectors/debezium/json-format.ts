/**
 * Kafka Connect JsonConverter format with a schema cache, so that the embedded schema (~83% of an
 * envelope's bytes) is neither decoded from UTF-8 nor parsed for every message:
 *
 * - per topic, a few cache entries hold the exact bytes of `{"schema":<S>,"payload":` and the
 *   schema compiled from S. A message that starts with those bytes (one memcmp) only has its
 *   payload decoded and parsed.
 * - on a miss, a string-aware scan finds the schema/payload split of the compact layout; the
 *   schema is compiled (or found by its text) and remembered. Any other layout (whitespace, key
 *   order, extra keys) falls back to a full parse.
 * - a payload read through the prefix cache is parsed with plain numbers (json-text.ts) while its
 *   schema has not needed exact ones; once a message of the schema did (read again with `exact`),
 *   that schema's payloads are parsed with markers from then on.
 */
import { ErrorCodes } from '../core/errors.ts';
import { DecodeFailure } from './failure.ts';
import { isObject, isSpace, parseLossless, plainParseable, splitSchemaPayload } from './json-text.ts';
import type { FormatStats, MessageRole, SchemaCompiler, ValueFormat, WireMessage } from './value-format.ts';

interface PrefixEntry<S> {
  readonly prefix: Buffer;
  readonly schema: S | null;
  /** Payloads of this schema are parsed with markers (one needed exact numbers). */
  exact: boolean;
}

/** Schemas remembered per topic by exact prefix (several versions may interleave during a change). */
const PREFIXES_PER_TOPIC = 4;
/** Compiled schemas kept per topic by schema text. */
const SCHEMAS_PER_TOPIC = 8;

const FAILED = Symbol('failed');

function tryParse(text: string, plain = false): unknown {
  try {
    return plain ? (JSON.parse(text) as unknown) : parseLossless(text);
  } catch {
    return FAILED;
  }
}

/** Index of the final '}' of a buffer (ignoring trailing whitespace), or -1. */
function closingBrace(bytes: Buffer): number {
  let i = bytes.length - 1;
  while (i >= 0 && isSpace(bytes[i] as number)) i--;
  return i >= 0 && bytes[i] === 0x7d ? i : -1;
}

function isWrapper(doc: Record<string, unknown>): boolean {
  if (!('schema' in doc) || !('payload' in doc)) return false;
  const schema = doc.schema;
  return schema === null || (isObject(schema) && typeof schema.type === 'string');
}

export class JsonFormat<S> implements ValueFormat<S> {
  readonly name = 'json';
  private readonly prefixes = new Map<string, PrefixEntry<S>[]>();
  private readonly schemas = new Map<string, Map<string, S>>();
  /** The message last read through the prefix cache, and its prefix (cachedPrefix right after read). */
  private lastBytes: Buffer | null = null;
  private lastPrefix: Buffer | null = null;

  constructor(
    private readonly compile: SchemaCompiler<S>,
    private readonly stats: FormatStats,
  ) {}

  read(bytes: Buffer, topic: string, role: MessageRole, exact = false): WireMessage<S> {
    if (bytes[0] === 0) {
      throw new DecodeFailure(
        ErrorCodes.DECODE_UNSUPPORTED_FORMAT,
        `${role} starts with byte 0x00 (Schema Registry framing: Avro, Protobuf or JSON Schema) but decoder.format is json; for Avro set decoder.format: avro and decoder.schemaRegistry.url`,
      );
    }
    const entries = this.prefixes.get(topic);
    if (entries !== undefined) {
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i] as PrefixEntry<S>;
        const len = e.prefix.length;
        if (bytes.length <= len || bytes.compare(e.prefix, 0, len, 0, len) !== 0) continue;
        const end = closingBrace(bytes);
        if (end <= len) break; // let the slow path find the layout or report the error
        if (exact && !e.exact) {
          e.exact = true;
          this.stats.exactSchemas++;
        }
        const text = bytes.toString('utf8', len, end);
        const plain = e.schema !== null && !e.exact && plainParseable(text);
        const payload = tryParse(text, plain);
        if (payload === FAILED) break;
        this.stats.schemaCacheHits++;
        this.lastBytes = bytes;
        this.lastPrefix = e.prefix;
        if (i > 0) {
          entries.splice(i, 1);
          entries.unshift(e);
        }
        return { schema: e.schema, payload, plain };
      }
    }
    return this.slowRead(bytes, topic, role);
  }

  cachedPrefix(bytes: Buffer, topic: string): Buffer | null {
    if (bytes === this.lastBytes) return this.lastPrefix;
    for (const e of this.prefixes.get(topic) ?? []) {
      const len = e.prefix.length;
      if (bytes.length > len && bytes.compare(e.prefix, 0, len, 0, len) === 0) return e.prefix;
    }
    return null;
  }

  private slowRead(bytes: Buffer, topic: string, role: MessageRole): WireMessage<S> {
    const text = bytes.toString('utf8');
    const split = splitSchemaPayload(text);
    if (split !== null) {
      const payload = tryParse(split.payloadText);
      const schemaJson = payload === FAILED ? FAILED : tryParse(split.schemaText);
      if (payload !== FAILED && schemaJson !== FAILED) {
        this.stats.schemaCacheMisses++;
        const schema = schemaJson === null ? null : this.compiled(topic, split.schemaText, schemaJson);
        this.remember(topic, Buffer.from(text.slice(0, split.prefixLength), 'utf8'), schema);
        return { schema, payload };
      }
    }
    let doc: unknown;
    try {
      doc = parseLossless(text);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new DecodeFailure(ErrorCodes.DECODE_MALFORMED_JSON, `${role} is not valid JSON: ${reason}`, err);
    }
    if (isObject(doc) && isWrapper(doc)) {
      this.stats.schemaCacheMisses++;
      const schema = doc.schema === null ? null : this.compiled(topic, JSON.stringify(doc.schema), doc.schema);
      return { schema, payload: doc.payload ?? null };
    }
    return { schema: null, payload: doc };
  }

  private compiled(topic: string, schemaText: string, schemaJson: unknown): S {
    let byText = this.schemas.get(topic);
    const known = byText?.get(schemaText);
    if (known !== undefined) return known;
    const schema = this.compile(schemaJson);
    this.stats.schemaCompilations++;
    if (byText === undefined) {
      byText = new Map();
      this.schemas.set(topic, byText);
    }
    if (byText.size >= SCHEMAS_PER_TOPIC) byText.delete(byText.keys().next().value as string);
    byText.set(schemaText, schema);
    return schema;
  }

  private remember(topic: string, prefix: Buffer, schema: S | null): void {
    let entries = this.prefixes.get(topic);
    if (entries === undefined) {
      entries = [];
      this.prefixes.set(topic, entries);
    }
    entries.unshift({ prefix, schema, exact: false });
    if (entries.length > PREFIXES_PER_TOPIC) entries.length = PREFIXES_PER_TOPIC;
  }
}
