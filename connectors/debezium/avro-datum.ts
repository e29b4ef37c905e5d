/**
 * Maps a decoded Avro datum (avsc output: records as objects, bytes and fixed as Buffers, longs as
 * bigint through avro-long.ts, ["null", T] unions unwrapped) to the JsonConverter wire conventions
 * the column codecs read (codec.ts, json-text.ts):
 *
 * - bytes / fixed -> standard base64 text (JsonConverter writes Connect bytes so);
 * - long -> a number when it is a safe integer, else the number marker of json-text.ts (U+0000 +
 *   digits), which readInt64 and the temporal codecs read exactly;
 * - string -> itself, with a leading U+0000 doubled (json-text.ts reserves a single one for markers);
 * - records -> objects without a prototype (an Avro field may be called `__proto__`), arrays and
 *   maps element by element, the MapEntry arrays of maps with non-string keys as [[key, value], ...].
 *
 * One mapper is built per schema node when a schema is converted (avro-schema.ts), never per message.
 */

/** Turns one datum of a known schema into its wire form. */
export type DatumMapper = (datum: unknown) => unknown;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** boolean, int, float, double, enum symbols: already what the codecs read. */
export const asIs: DatumMapper = (v) => v;

export const longDatum: DatumMapper = (v) => {
  if (typeof v !== 'bigint') return v;
  return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : `\u0000${v.toString()}`;
};

export const stringDatum: DatumMapper = (v) => (typeof v === 'string' && v.charCodeAt(0) === 0 ? `\u0000${v}` : v);

export const bytesDatum: DatumMapper = (v) => (Buffer.isBuffer(v) ? v.toString('base64') : v);

/** A ["null", T] union: null stays null, anything else is T's datum (avsc does not wrap such unions). */
export function optionalDatum(inner: DatumMapper): DatumMapper {
  return (v) => (v === null || v === undefined ? null : inner(v));
}

export interface FieldMapper {
  readonly name: string;
  readonly map: DatumMapper;
}

export function recordDatum(fields: readonly FieldMapper[]): DatumMapper {
  return (v) => {
    if (typeof v !== 'object' || v === null) return v;
    const src = v as Record<string, unknown>;
    const out = Object.create(null) as Record<string, unknown>;
    for (const f of fields) out[f.name] = f.map(src[f.name]);
    return out;
  };
}

export function arrayDatum(items: DatumMapper): DatumMapper {
  return (v) => (Array.isArray(v) ? v.map((el: unknown) => (el === null ? null : items(el))) : v);
}

export function mapDatum(values: DatumMapper): DatumMapper {
  return (v) => {
    if (typeof v !== 'object' || v === null) return v;
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = x === null ? null : values(x);
    return out;
  };
}

/** Confluent's MapEntry array (a Connect map with non-string keys) -> JsonConverter's [[key, value], ...]. */
export function mapEntriesDatum(key: DatumMapper, value: DatumMapper): DatumMapper {
  return (v) => {
    if (!Array.isArray(v)) return v;
    return v.map((e: unknown) => {
      const entry = (e ?? {}) as Record<string, unknown>;
      return [entry.key === null ? null : key(entry.key), entry.value === null ? null : value(entry.value)];
    });
  };
}
