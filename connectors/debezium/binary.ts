/**
 * Binary values: Connect `bytes` (always standard base64 in JSON), binary columns sent as strings
 * under binary.handling.mode=base64 / base64-url-safe / hex, and io.debezium.data.Bits.
 */
import type { BinaryHandlingMode } from './codec.ts';
import { isBase64 } from './decimal.ts';
import { badValue } from './failure.ts';

const BASE64_URL = /^[A-Za-z0-9_-]*={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Connect bytes: standard base64 with padding. */
export function bytesFromBase64(text: string): Buffer {
  if (!isBase64(text)) badValue(`bytes value '${preview(text)}' is not base64`);
  return Buffer.from(text, 'base64');
}

/** A binary column sent as a string in the given binary.handling.mode. */
export function bytesFromText(text: string, mode: BinaryHandlingMode): Buffer {
  switch (mode) {
    case 'hex':
      if (!HEX.test(text)) badValue(`binary value '${preview(text)}' is not hex`);
      return Buffer.from(text, 'hex');
    case 'base64-url-safe':
      if (!BASE64_URL.test(text)) badValue(`binary value '${preview(text)}' is not url-safe base64`);
      return Buffer.from(text, 'base64url');
    default:
      return bytesFromBase64(text);
  }
}

/**
 * Source column types (parameter __debezium.source.column.type) that hold bytes. With
 * binary.handling.mode base64/base64-url-safe/hex only these string columns are decoded to bytes.
 */
const BINARY_SOURCE_TYPES = new Set([
  'BYTEA',
  'BLOB',
  'TINYBLOB',
  'MEDIUMBLOB',
  'LONGBLOB',
  'BINARY',
  'VARBINARY',
  'RAW',
  'LONG RAW',
  'IMAGE',
  'BINARY VARYING',
  'BYTES',
]);

/** True for binary source types ("BYTEA", "VARBINARY(16)", ...). */
export function isBinarySourceType(sourceType: string | undefined): boolean {
  if (sourceType === undefined) return false;
  const t = sourceType.toUpperCase().replace(/\(.*$/, '').trim();
  return BINARY_SOURCE_TYPES.has(t);
}

/**
 * io.debezium.data.Bits: the bits form an unsigned number stored little-endian; `length` bits,
 * returned as '0'/'1' text with the most significant bit first. PG trims trailing zero bytes, so
 * missing bytes count as zero. Bytes beyond the length must be zero.
 */
export function bitsText(bytes: Buffer, length: number): string {
  for (let i = Math.ceil(length / 8); i < bytes.length; i++) {
    if (bytes[i] !== 0) badValue(`Bits value has ${bytes.length} bytes, more than its length ${length} allows`);
  }
  let out = '';
  for (let bit = length - 1; bit >= 0; bit--) {
    const byte = bytes[bit >> 3] ?? 0;
    out += (byte >> (bit & 7)) & 1 ? '1' : '0';
  }
  if (length % 8 !== 0) {
    const top = bytes[length >> 3] ?? 0;
    if (top >> (length & 7) !== 0) badValue(`Bits value has bits set beyond its length ${length}`);
  }
  return out;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
