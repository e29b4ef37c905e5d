/**
 * Avro `long` as bigint. avsc's own long type refuses values beyond 2^53 ("potential precision
 * loss"), and Debezium sends such values (BIGINT columns, ts_ns, NanoTimestamp). This type reads
 * the zig-zag varint itself (Avro spec, "Binary encoding": long is written as a variable-length
 * zig-zag coded number), so nothing passes through a double.
 */
import avsc from 'avsc';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** A 64-bit value takes at most 10 varint bytes (7 bits each). */
const MAX_VARINT_BYTES = 10;

/** Decodes the varint bytes of one Avro long (as avsc hands them over with noUnpack). */
export function readVarLong(bytes: Buffer): bigint {
  // Empty or unfinished (the last byte still has its continuation bit): the read ran past the end
  // of the datum, which avsc reports itself ("truncated buffer") once this returns.
  if (bytes.length > MAX_VARINT_BYTES) throw new Error(`a long of more than ${MAX_VARINT_BYTES} varint bytes`);
  let zigzag = 0n;
  for (let i = 0; i < bytes.length; i++) zigzag |= BigInt((bytes[i] as number) & 0x7f) << BigInt(7 * i);
  if (zigzag >= 2n ** 64n) throw new Error('a long beyond 64 bits');
  return (zigzag & 1n) === 0n ? zigzag >> 1n : -(zigzag >> 1n) - 1n;
}

/** Encodes a long as zig-zag varint bytes (used by tests to build messages). */
export function writeVarLong(value: bigint): Buffer {
  let zigzag = value >= 0n ? value << 1n : (-value << 1n) - 1n;
  const out: number[] = [];
  do {
    let b = Number(zigzag & 0x7fn);
    zigzag >>= 7n;
    if (zigzag !== 0n) b |= 0x80;
    out.push(b);
  } while (zigzag !== 0n);
  return Buffer.from(out);
}

function isLong(v: unknown): v is bigint {
  return typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX;
}

/** The avsc type every Avro `long` of a registry schema is read with (see typeHook in avro-registry.ts). */
export const BIGINT_LONG: avsc.types.LongType = avsc.types.LongType.__with(
  {
    fromBuffer: readVarLong,
    toBuffer: (v: bigint) => writeVarLong(v),
    // field defaults in a schema are JSON numbers (or, beyond 2^53, whatever the writer put there)
    fromJSON: (v: unknown) => BigInt(v as number | string),
    toJSON: (v: bigint) => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()),
    isValid: isLong,
    compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
  },
  true,
);
