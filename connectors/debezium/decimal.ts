/**
 * Exact decimals: Connect Decimal bytes (big-endian two's complement of the unscaled value, Java
 * BigInteger.toByteArray) plus a scale, and number texts (decimal.format=NUMERIC) -> plain
 * decimal strings ("-0.125", "12345678901234567890.1234"). No floating point anywhere.
 */

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, as Jackson writes it; Node's decoder would accept anything. */
export function isBase64(text: string): boolean {
  return STRICT_BASE64.test(text);
}

/** Unscaled value of two's-complement big-endian bytes (number when it fits 48 bits). */
export function unscaledFromBytes(buf: Buffer): number | bigint {
  const len = buf.length;
  if (len === 0) return 0;
  if (len <= 6) return buf.readIntBE(0, len);
  let n = BigInt(`0x${buf.toString('hex')}`);
  if ((buf[0] as number) & 0x80) n -= 1n << BigInt(8 * len);
  return n;
}

/** Plain decimal text of unscaled * 10^-scale (scale may be negative: appends zeros). */
/** Largest scale (either sign) and exponent we expand into plain digits: PostgreSQL numeric's limits. */
export const MAX_DECIMAL_SCALE = 16_383;

export function decimalString(unscaled: number | bigint, scale: number): string {
  if (!Number.isInteger(scale) || Math.abs(scale) > MAX_DECIMAL_SCALE) {
    throw new RangeError(`decimal scale ${scale} is outside -${MAX_DECIMAL_SCALE}..${MAX_DECIMAL_SCALE}`);
  }
  const neg = unscaled < 0;
  let digits = (neg ? -unscaled : unscaled).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  } else if (scale < 0 && digits !== '0') {
    digits += '0'.repeat(-scale);
  }
  return neg ? `-${digits}` : digits;
}

/** Decimal text of base64 bytes and a scale, or undefined when the text is not strict base64. */
export function decimalFromBase64(b64: string, scale: number): string | undefined {
  const small = smallUnscaled(b64);
  if (small !== undefined) return decimalString(small, scale);
  if (!isBase64(b64)) return undefined;
  return decimalString(unscaledFromBytes(Buffer.from(b64, 'base64')), scale);
}

/** Values of the base64 alphabet by character code (-1: not in it). */
const BASE64_DIGITS = (() => {
  const t = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
})();

/**
 * The unscaled value of strict base64 text of 1 to 6 bytes (4 or 8 characters), the size of nearly
 * every Decimal, decoded without a regular expression or a Buffer; undefined for anything else
 * (longer, empty or not strict base64), which takes the general path. Like Node's decoder, the bits
 * past the last whole byte are ignored.
 */
function smallUnscaled(b64: string): number | undefined {
  const n = b64.length;
  if (n !== 4 && n !== 8) return undefined;
  const pad = b64.charCodeAt(n - 1) !== 61 /* = */ ? 0 : b64.charCodeAt(n - 2) === 61 ? 2 : 1;
  let acc = 0;
  for (let i = 0; i < n - pad; i++) {
    const c = b64.charCodeAt(i);
    const d = c < 128 ? (BASE64_DIGITS[c] as number) : -1;
    if (d < 0) return undefined;
    acc = acc * 64 + d; // at most 48 bits: exact in a double
  }
  const bits = (n - pad) * 6;
  const bytes = Math.floor(bits / 8);
  acc = Math.floor(acc / 2 ** (bits - bytes * 8));
  const range = 2 ** (8 * bytes);
  return acc >= range / 2 ? acc - range : acc;
}

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Plain decimal text of a JSON number text ("1.5E+3" -> "1500", "-1e-7" -> "-0.0000001"),
 * keeping every digit that was sent. Undefined when `text` is not a JSON number.
 */
export function plainDecimal(text: string): string | undefined {
  const m = NUMBER_TEXT.exec(text);
  if (!m) return undefined;
  const sign = m[1] as string;
  const intPart = m[2] as string;
  const fracPart = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_DECIMAL_SCALE * 8) return undefined;
  if (exp === 0) return normalizeSign(sign, stripLeadingZeros(intPart), fracPart);
  let digits = intPart + fracPart;
  let point = intPart.length + exp; // position of the decimal point within digits
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits += '0'.repeat(point - digits.length);
  }
  return normalizeSign(sign, stripLeadingZeros(digits.slice(0, point)), digits.slice(point));
}

function stripLeadingZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return s.slice(i);
}

function normalizeSign(sign: string, intPart: string, fracPart: string): string {
  const text = fracPart === '' ? intPart : `${intPart}.${fracPart}`;
  return sign === '-' && /[1-9]/.test(text) ? `-${text}` : text;
}

/**
 * Pads the fraction of a plain decimal with zeros up to `scale` digits ("1.1", 2 -> "1.10").
 * A value with more fraction digits than the scale is returned unchanged (never rounded).
 */
export function withScale(plain: string, scale: number | undefined): string {
  if (scale === undefined || scale <= 0) return plain;
  const dot = plain.indexOf('.');
  const have = dot === -1 ? 0 : plain.length - dot - 1;
  if (have >= scale) return plain;
  return (dot === -1 ? `${plain}.` : plain) + '0'.repeat(scale - have);
}

const SPECIAL_DECIMALS: Readonly<Record<string, string>> = {
  NAN: 'NaN',
  NaN: 'NaN',
  POSITIVE_INFINITY: 'Infinity',
  NEGATIVE_INFINITY: '-Infinity',
  Infinity: 'Infinity',
  '-Infinity': '-Infinity',
};

/**
 * A decimal sent as a string (decimal.handling.mode=string): a plain decimal, or PG's special
 * values NAN / POSITIVE_INFINITY / NEGATIVE_INFINITY as "NaN" / "Infinity" / "-Infinity".
 */
export function decimalFromText(text: string): string | undefined {
  const special = SPECIAL_DECIMALS[text];
  if (special !== undefined) return special;
  return plainDecimal(text.trim());
}
