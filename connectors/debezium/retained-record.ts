/**
 * A Kafka record kept past its batch (buffered until its flush, for the dead-letter topic) without
 * keeping the fetch response it came in. kafkajs hands out keys and values as slices of one fetch
 * response (up to kafka.maxBytes), so a single buffered record pins the whole response, and a
 * partition buffering a few thousand records pins the responses of all of them. The retained
 * record owns copies instead, and where the format recognised a cached schema prefix
 * (JsonConverter: `{"schema":...,"payload":`, ~80% of a Debezium message) it shares that prefix
 * and copies only the rest. Its bytes are the original bytes: `key` and `value` put them together
 * again when read (rarely: dead letters).
 *
 * One object per record, no Buffer objects of its own: the copies live in shared slabs (ByteArena),
 * referenced by offset. Thousands of these live in every partition buffer, and each extra object
 * was garbage-collector work.
 */
import type { KafkaRecord } from './types.ts';

type Headers = NonNullable<KafkaRecord['headers']>;

/**
 * Copies bytes into shared slabs: one allocation per slab instead of one per record. A slab is
 * freed once no retained record uses it.
 */
export class ByteArena {
  private slab = Buffer.alloc(0);
  private used = 0;

  constructor(private readonly slabBytes = 256 * 1024) {}

  /** The buffer the last copy went to. */
  placed: Buffer = this.slab;

  /** Copies bytes[start..] into a slab (then `placed`) and returns the copy's offset in it. */
  copy(bytes: Buffer, start: number): number {
    const n = bytes.length - start;
    if (n > this.slabBytes / 4) {
      this.placed = Buffer.from(bytes.subarray(start));
      return 0;
    }
    if (this.used + n > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(this.slabBytes);
      this.used = 0;
    }
    this.slab.set(start === 0 ? bytes : bytes.subarray(start), this.used);
    this.placed = this.slab;
    const at = this.used;
    this.used += n;
    return at;
  }
}

const NO_HEADERS: Headers = Object.freeze({});

function copyHeaders(headers: Headers | undefined): Headers | undefined {
  if (headers === undefined) return undefined;
  const keys = Object.keys(headers);
  if (keys.length === 0) return NO_HEADERS;
  const copy = (v: Buffer | string) => (typeof v === 'string' ? v : Buffer.from(v));
  const out: Record<string, Buffer | string | (Buffer | string)[] | undefined> = {};
  for (const k of keys) {
    const v = headers[k];
    out[k] = v === undefined ? undefined : Array.isArray(v) ? v.map(copy) : copy(v);
  }
  return out;
}

class RetainedRecord implements KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly headers: Headers | undefined;
  private readonly keySlab: Buffer | null = null;
  private readonly keyAt: number = 0;
  private readonly keyEnd: number = 0;
  private readonly valueSlab: Buffer | null = null;
  private readonly valueAt: number = 0;
  private readonly valueEnd: number = 0;

  constructor(
    record: KafkaRecord,
    private readonly keyPrefix: Buffer | null,
    private readonly valuePrefix: Buffer | null,
    arena: ByteArena,
  ) {
    this.topic = record.topic;
    this.partition = record.partition;
    this.offset = record.offset;
    this.timestamp = record.timestamp;
    this.headers = copyHeaders(record.headers);
    const { key, value } = record;
    if (key !== null) {
      const skip = keyPrefix?.length ?? 0;
      this.keyAt = arena.copy(key, skip);
      this.keySlab = arena.placed;
      this.keyEnd = this.keyAt + key.length - skip;
    }
    if (value !== null) {
      const skip = valuePrefix?.length ?? 0;
      this.valueAt = arena.copy(value, skip);
      this.valueSlab = arena.placed;
      this.valueEnd = this.valueAt + value.length - skip;
    }
  }

  get key(): Buffer | null {
    return joined(this.keyPrefix, this.keySlab, this.keyAt, this.keyEnd);
  }

  get value(): Buffer | null {
    return joined(this.valuePrefix, this.valueSlab, this.valueAt, this.valueEnd);
  }
}

function joined(prefix: Buffer | null, slab: Buffer | null, at: number, end: number): Buffer | null {
  if (slab === null) return null;
  const rest = slab.subarray(at, end);
  return prefix === null ? Buffer.from(rest) : Buffer.concat([prefix, rest]);
}

/**
 * A copy of `record` that references none of its buffers. `keyPrefix` / `valuePrefix` must equal
 * the first bytes of the key / value (a cached schema prefix), or be null; the rest is copied into
 * `arena`.
 */
export function retainRecord(record: KafkaRecord, keyPrefix: Buffer | null, valuePrefix: Buffer | null, arena: ByteArena): KafkaRecord {
  const usable = (prefix: Buffer | null, bytes: Buffer | null) => (prefix !== null && bytes !== null && prefix.length <= bytes.length ? prefix : null);
  return new RetainedRecord(record, usable(keyPrefix, record.key), usable(valuePrefix, record.value), arena);
}
