/**
 * One codec per Debezium / Kafka Connect logical type (schema `name`, FORMAT.md §10.2).
 * Temporal and decimal arithmetic lives in temporal.ts and decimal.ts.
 */
import type { ColumnType } from '../core/column-type.ts';
import type { GeometryValue } from '../core/value.ts';
import { UNCHANGED } from '../core/value.ts';
import { bitsText, bytesFromBase64 } from './binary.ts';
import type { ColumnCodec, CompileContext } from './codec.ts';
import { T, readInt, readInt64Amount, readStruct, readText } from './codec.ts';
import type { ConnectSchema, ConnectType } from './connect-schema.ts';
import { param } from './connect-schema.ts';
import { decimalFromBase64, decimalFromText, decimalString, plainDecimal, unscaledFromBytes, withScale } from './decimal.ts';
import { badValue, show } from './failure.ts';
import { isMarker, numberText, readString, requireExact } from './json-text.ts';
import type { TimeUnit } from './temporal.ts';
import {
  formatDate,
  formatDuration,
  formatTime,
  formatTimestamp,
  normalizeIsoDate,
  normalizeIsoTime,
  normalizeIsoTimestamp,
  normalizeZonedTime,
  normalizeZonedTimestamp,
} from './temporal.ts';
import { isToastText } from './toast.ts';

interface LogicalType {
  /** Literal types the logical type may sit on. */
  readonly on: readonly ConnectType[];
  readonly compile: (schema: ConnectSchema, ctx: CompileContext) => ColumnCodec;
}

const timestampTypes: Record<TimeUnit, ColumnType> = {
  ms: Object.freeze({ kind: 'timestamp', precision: 3 }),
  us: Object.freeze({ kind: 'timestamp', precision: 6 }),
  ns: Object.freeze({ kind: 'timestamp', precision: 9 }),
};
const timeTypes: Record<TimeUnit, ColumnType> = {
  ms: Object.freeze({ kind: 'time', precision: 3 }),
  us: Object.freeze({ kind: 'time', precision: 6 }),
  ns: Object.freeze({ kind: 'time', precision: 9 }),
};

const date: LogicalType = {
  on: ['int32'],
  compile: () => ({ type: T.date, decode: (raw) => formatDate(readInt(raw, 32)) }),
};

function timeOfDay(unit: TimeUnit, literal: 'int32' | 'int64'): LogicalType {
  const read = literal === 'int32' ? (raw: unknown) => readInt(raw, 32) : readInt64Amount;
  return { on: [literal], compile: () => ({ type: timeTypes[unit], decode: (raw) => formatTime(read(raw), unit) }) };
}

function timestamp(unit: TimeUnit): LogicalType {
  return {
    on: ['int64'],
    compile: () => ({ type: timestampTypes[unit], decode: (raw) => formatTimestamp(readInt64Amount(raw), unit) }),
  };
}

function duration(unit: TimeUnit): LogicalType {
  return {
    on: ['int64'],
    compile: () => ({ type: T.interval, decode: (raw) => formatDuration(readInt64Amount(raw), unit) }),
  };
}

/** A string logical type whose text is validated / normalised by `normalize`. */
function text(type: ColumnType, what: string, normalize: (s: string) => string | undefined): LogicalType {
  return {
    on: ['string'],
    compile: () => ({
      type,
      decode: (raw) => {
        const s = readText(raw);
        return normalize(s) ?? badValue(`${what} value '${s}' is malformed`);
      },
    }),
  };
}

/** A string logical type that PostgreSQL may TOAST (json, xml, ltree ...): placeholder -> UNCHANGED. */
function toastableText(type: ColumnType): LogicalType {
  return {
    on: ['string'],
    compile: (_s, ctx) => ({
      type,
      decode: (raw) => {
        const s = readText(raw);
        return isToastText(s, ctx.toast) ? UNCHANGED : s;
      },
    }),
  };
}

function intParam(schema: ConnectSchema, name: string): number | undefined {
  const v = param(schema, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : badValue(`schema parameter ${name}='${v}' is not an integer`);
}

const decimal: LogicalType = {
  on: ['bytes', 'string'],
  compile: (schema) => {
    const scale = intParam(schema, 'scale');
    if (scale === undefined) return badValue('Decimal schema has no "scale" parameter');
    const precision = intParam(schema, 'connect.decimal.precision');
    const type: ColumnType = Object.freeze(
      precision === undefined ? { kind: 'decimal', scale } : { kind: 'decimal', precision, scale },
    );
    const fromString = schema.type === 'bytes'
      ? (s: string) => decimalFromBase64(s, scale) ?? badValue(`Decimal value '${s}' is not base64`)
      : (s: string) => decimalFromText(s) ?? badValue(`Decimal value '${s}' is not a decimal number`);
    return {
      type,
      decode: (raw) => {
        if (typeof raw === 'string' && !isMarker(raw)) return fromString(readText(raw));
        // decimal.format=NUMERIC: a JSON number, exact via its text
        if (typeof raw === 'number') requireExact();
        const num = numberText(raw);
        const plain = num === undefined ? undefined : plainDecimal(num);
        return plain === undefined ? badValue(`expected a Decimal, got ${show(raw)}`) : withScale(plain, scale);
      },
    };
  },
};

const variableScaleDecimal: LogicalType = {
  on: ['struct'],
  compile: () => ({
    type: T.decimal,
    decode: (raw) => {
      const v = readStruct(raw, 'a VariableScaleDecimal {scale, value}');
      const scale = readInt(v.scale, 32);
      const b64 = readText(v.value, 'base64 bytes in VariableScaleDecimal.value');
      const bytes = bytesFromBase64(b64);
      return decimalString(unscaledFromBytes(bytes), scale);
    },
  }),
};

/** PG escapes ',' and '\' in enum labels with '\'. */
export function parseAllowed(list: string | undefined): string[] {
  if (list === undefined || list === '') return [];
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as string;
    if (c === '\\' && i + 1 < list.length) cur += list[++i] as string;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function enumLike(kind: 'enum' | 'set'): LogicalType {
  return {
    on: ['string'],
    compile: (schema) => ({
      type: Object.freeze({ kind, allowed: Object.freeze(parseAllowed(param(schema, 'allowed'))) }),
      decode: (raw) => readText(raw),
    }),
  };
}

const MAX_BITS = 83_886_080;

const bits: LogicalType = {
  on: ['bytes'],
  compile: (schema) => {
    const length = intParam(schema, 'length');
    // Debezium always sends the length; PostgreSQL's bit varying holds at most 83,886,080 bits.
    if (length === undefined) return badValue('Bits schema has no length parameter');
    if (length < 1 || length > MAX_BITS) return badValue(`Bits length ${length} is outside 1..${MAX_BITS}`);
    return {
      type: Object.freeze({ kind: 'bits', length }),
      decode: (raw) => bitsText(bytesFromBase64(readText(raw, 'base64 bytes')), length),
    };
  },
};

/** WKB of a 2D point, little-endian: 01 | 01000000 | x | y. */
function pointWkb(x: number, y: number): Buffer {
  const b = Buffer.alloc(21);
  b.writeUInt8(1, 0);
  b.writeUInt32LE(1, 1);
  b.writeDoubleLE(x, 5);
  b.writeDoubleLE(y, 13);
  return b;
}

function readSrid(raw: unknown): number | null {
  return raw === null || raw === undefined ? null : readInt(raw, 32);
}

function readCoordinate(raw: unknown, axis: string): number {
  if (typeof raw === 'number') return raw;
  if (raw === 'NaN') return NaN;
  return badValue(`Point.${axis} is ${show(raw)}, expected a number`);
}

const point: LogicalType = {
  on: ['struct'],
  compile: () => ({
    type: Object.freeze({ kind: 'geometry', shape: 'point' }),
    decode: (raw) => {
      const v = readStruct(raw, 'a Point {x, y, wkb, srid}');
      const x = readCoordinate(v.x, 'x');
      const y = readCoordinate(v.y, 'y');
      const wkbText = readString(v.wkb);
      const wkb = wkbText === undefined ? pointWkb(x, y) : bytesFromBase64(wkbText);
      const g: GeometryValue = { wkb, srid: readSrid(v.srid), x, y };
      return g;
    },
  }),
};

function geometry(shape: 'geometry' | 'geography'): LogicalType {
  return {
    on: ['struct'],
    compile: () => ({
      type: Object.freeze({ kind: 'geometry', shape }),
      decode: (raw) => {
        const v = readStruct(raw, `a ${shape} {wkb, srid}`);
        const g: GeometryValue = { wkb: bytesFromBase64(readText(v.wkb, 'base64 WKB')), srid: readSrid(v.srid) };
        return g;
      },
    }),
  };
}

const year: LogicalType = { on: ['int32'], compile: () => ({ type: T.year, decode: (raw) => readInt(raw, 32) }) };

/** Logical types we decode, by schema name. Anything else in these namespaces is an error. */
export const LOGICAL_TYPES: ReadonlyMap<string, LogicalType> = new Map<string, LogicalType>([
  ['io.debezium.time.Date', date],
  ['io.debezium.time.Time', timeOfDay('ms', 'int32')],
  ['io.debezium.time.MicroTime', timeOfDay('us', 'int64')],
  ['io.debezium.time.NanoTime', timeOfDay('ns', 'int64')],
  ['io.debezium.time.Timestamp', timestamp('ms')],
  ['io.debezium.time.MicroTimestamp', timestamp('us')],
  ['io.debezium.time.NanoTimestamp', timestamp('ns')],
  ['io.debezium.time.ZonedTimestamp', text(T.timestamptz, 'ZonedTimestamp', normalizeZonedTimestamp)],
  ['io.debezium.time.ZonedTime', text(T.timetz, 'ZonedTime', normalizeZonedTime)],
  ['io.debezium.time.Year', year],
  ['io.debezium.time.MicroDuration', duration('us')],
  ['io.debezium.time.NanoDuration', duration('ns')],
  ['io.debezium.time.Interval', text(T.interval, 'Interval', (s) => (/^-?P/.test(s) ? s : undefined))],
  ['io.debezium.time.IsoDate', text(T.date, 'IsoDate', normalizeIsoDate)],
  ['io.debezium.time.IsoTime', text(timeTypes.us, 'IsoTime', (s) => normalizeIsoTime(s, 6))],
  ['io.debezium.time.IsoTimestamp', text(timestampTypes.us, 'IsoTimestamp', (s) => normalizeIsoTimestamp(s, 6))],
  ['org.apache.kafka.connect.data.Date', date],
  ['org.apache.kafka.connect.data.Time', timeOfDay('ms', 'int32')],
  ['org.apache.kafka.connect.data.Timestamp', timestamp('ms')],
  ['org.apache.kafka.connect.data.Decimal', decimal],
  ['io.debezium.data.VariableScaleDecimal', variableScaleDecimal],
  ['io.debezium.data.Json', toastableText(T.json)],
  ['io.debezium.data.Uuid', { on: ['string'], compile: () => ({ type: T.uuid, decode: (raw) => readText(raw) }) }],
  ['io.debezium.data.Xml', toastableText(T.xml)],
  ['io.debezium.data.Ltree', toastableText(T.string)],
  ['io.debezium.data.Tsvector', toastableText(T.string)],
  ['io.debezium.data.Enum', enumLike('enum')],
  ['io.debezium.data.EnumSet', enumLike('set')],
  ['io.debezium.data.Bits', bits],
  ['io.debezium.data.geometry.Point', point],
  ['io.debezium.data.geometry.Geometry', geometry('geometry')],
  ['io.debezium.data.geometry.Geography', geometry('geography')],
]);

/**
 * Names that are only a label on an ordinary literal type (pgvector vectors are plain arrays):
 * decoded by their literal type.
 */
export const LITERAL_ALIASES: ReadonlySet<string> = new Set([
  'io.debezium.data.DoubleVector',
  'io.debezium.data.FloatVector',
]);

const LOGICAL_NAMESPACES = ['io.debezium.time.', 'io.debezium.data.', 'org.apache.kafka.connect.data.'];

/**
 * True when a schema name is in a logical-type namespace. Record names such as
 * "srv.public.t.Value" or "io.debezium.connector.postgresql.Source" are not logical types.
 */
export function isLogicalNamespace(name: string): boolean {
  return LOGICAL_NAMESPACES.some((ns) => name.startsWith(ns));
}
