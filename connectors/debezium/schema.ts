/**
 * Compiles a Connect struct schema into per-column codecs (once per distinct schema text), and
 * decodes row payloads with them.
 */
import type { ColumnSchema, ColumnType } from '../core/column-type.ts';
import { ErrorCodes } from '../core/errors.ts';
import type { Row, RowShape, Value } from '../core/value.ts';
import { UNCHANGED, rowOf, rowShape } from '../core/value.ts';
import { bytesFromBase64, bytesFromText, isBinarySourceType } from './binary.ts';
import type { ColumnCodec, CompileContext, DecodeFn } from './codec.ts';
import { T, readBoolean, readFloat, readInt, readInt64, readText } from './codec.ts';
import type { ConnectSchema } from './connect-schema.ts';
import { param } from './connect-schema.ts';
import { decimalFromText } from './decimal.ts';
import { DecodeFailure, badValue, show, withPath } from './failure.ts';
import { isObject, readString, toJsonText } from './json-text.ts';
import { LITERAL_ALIASES, LOGICAL_TYPES, isLogicalNamespace } from './logical-types.ts';
import { NO_TOAST, isToastArray, isToastMap, isToastString, isToastText } from './toast.ts';

export const SOURCE_TYPE_PARAM = '__debezium.source.column.type';
const SOURCE_LENGTH_PARAM = '__debezium.source.column.length';
const SOURCE_SCALE_PARAM = '__debezium.source.column.scale';

/** Compiles the codec of one column (or array element), by logical name, else by literal type. */
export function compileColumn(schema: ConnectSchema, ctx: CompileContext): ColumnCodec {
  const name = schema.name;
  if (name !== undefined && !LITERAL_ALIASES.has(name)) {
    const logical = LOGICAL_TYPES.get(name);
    if (logical !== undefined) {
      if (!logical.on.includes(schema.type)) {
        throw new DecodeFailure(
          ErrorCodes.DECODE_UNKNOWN_TYPE,
          `logical type '${name}' on literal type ${schema.type} is not supported`,
        );
      }
      return logical.compile(schema, ctx);
    }
    if (isLogicalNamespace(name)) {
      throw new DecodeFailure(
        ErrorCodes.DECODE_UNKNOWN_TYPE,
        `unknown logical type '${name}' (literal type ${schema.type})`,
      );
    }
  }
  return compileLiteral(schema, ctx);
}

function lengthOf(schema: ConnectSchema): number | undefined {
  const n = Number(param(schema, SOURCE_LENGTH_PARAM));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function compileString(schema: ConnectSchema, ctx: CompileContext): ColumnCodec {
  const sourceType = param(schema, SOURCE_TYPE_PARAM);
  const toast = ctx.toast;
  if (ctx.binaryMode !== 'bytes' && isBinarySourceType(sourceType)) {
    const mode = ctx.binaryMode;
    return {
      type: T.bytes,
      decode: (raw) => {
        const s = readText(raw);
        return isToastString(s, toast) ? UNCHANGED : bytesFromText(s, mode);
      },
    };
  }
  if (sourceType !== undefined && /^(NUMERIC|DECIMAL)\b/i.test(sourceType)) {
    // decimal.handling.mode=string with column.propagate.source.type: an exact decimal string
    const precision = lengthOf(schema);
    const scale = Number(param(schema, SOURCE_SCALE_PARAM));
    const type: ColumnType =
      precision !== undefined && precision <= 1000 && Number.isInteger(scale)
        ? Object.freeze({ kind: 'decimal', precision, scale })
        : T.decimal;
    return {
      type,
      decode: (raw) => {
        const s = readText(raw);
        return decimalFromText(s) ?? badValue(`decimal value '${s}' is not a decimal number`);
      },
    };
  }
  const maxLength = sourceType !== undefined && /CHAR/i.test(sourceType) ? lengthOf(schema) : undefined;
  return {
    type: maxLength === undefined ? T.string : Object.freeze({ kind: 'string', maxLength }),
    decode: (raw) => {
      const s = readText(raw);
      return isToastText(s, toast) ? UNCHANGED : s;
    },
  };
}

function compileArray(schema: ConnectSchema, ctx: CompileContext): ColumnCodec {
  const itemsSchema = schema.items as ConnectSchema;
  const sourceType = param(schema, SOURCE_TYPE_PARAM);
  // PG arrays propagate "_BYTEA": elements are binary when the array's element type is
  const itemsBinary = sourceType?.startsWith('_') === true && isBinarySourceType(sourceType.slice(1));
  const elementSchema: ConnectSchema =
    itemsBinary && itemsSchema.type === 'string'
      ? { ...itemsSchema, parameters: { ...itemsSchema.parameters, [SOURCE_TYPE_PARAM]: sourceType.slice(1) } }
      : itemsSchema;
  let items: ColumnCodec;
  try {
    items = compileColumn(elementSchema, { ...ctx, toast: NO_TOAST });
  } catch (err) {
    withPath(err, '[]');
  }
  const decodeItem = items.decode;
  const toast = ctx.toast;
  return {
    type: Object.freeze({ kind: 'array', items: items.type }),
    decode: (raw) => {
      if (!Array.isArray(raw)) return badValue(`expected an array, got ${show(raw)}`);
      if (isToastArray(raw, toast)) return UNCHANGED;
      const out: Value[] = new Array<Value>(raw.length);
      let i = 0;
      try {
        for (; i < raw.length; i++) {
          const el: unknown = raw[i];
          out[i] = el === null || el === undefined ? null : (decodeItem(el) as Value);
        }
      } catch (err) {
        withPath(err, `[${i}]`);
      }
      return out;
    },
  };
}

function compileMap(ctx: CompileContext): ColumnCodec {
  const toast = ctx.toast;
  return {
    type: T.json,
    decode: (raw) => {
      if (Array.isArray(raw)) {
        // non-string keys: JsonConverter writes [[key, value], ...]
        const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        for (const pair of raw) {
          if (!Array.isArray(pair) || pair.length !== 2) return badValue('map entry is not a [key, value] pair');
          const key: unknown = pair[0];
          obj[readString(key) ?? toJsonText(key)] = pair[1];
        }
        return toJsonText(obj);
      }
      if (!isObject(raw)) return badValue(`expected a map, got ${show(raw)}`);
      return isToastMap(raw, toast) ? UNCHANGED : toJsonText(raw);
    },
  };
}

function compileLiteral(schema: ConnectSchema, ctx: CompileContext): ColumnCodec {
  switch (schema.type) {
    case 'boolean':
      return { type: T.boolean, decode: readBoolean };
    case 'int8':
      return { type: T.int8, decode: (raw) => readInt(raw, 8) };
    case 'int16':
      return { type: T.int16, decode: (raw) => readInt(raw, 16) };
    case 'int32':
      return { type: T.int32, decode: (raw) => readInt(raw, 32) };
    case 'int64':
      return { type: T.int64, decode: readInt64 };
    case 'float':
      return { type: T.float32, decode: (raw) => readFloat(raw, 32) };
    case 'double':
      return { type: T.float64, decode: (raw) => readFloat(raw, 64) };
    case 'string':
      return compileString(schema, ctx);
    case 'bytes': {
      const toast = ctx.toast;
      const max = lengthOf(schema);
      return {
        type: max !== undefined && /BINARY/i.test(param(schema, SOURCE_TYPE_PARAM) ?? '')
          ? Object.freeze({ kind: 'bytes', maxLength: max })
          : T.bytes,
        decode: (raw) => {
          const s = readText(raw, 'base64 bytes');
          return toast.enabled && s === toast.base64 ? UNCHANGED : bytesFromBase64(s);
        },
      };
    }
    case 'array':
      return compileArray(schema, ctx);
    case 'map':
      return compileMap(ctx);
    case 'struct':
      // a struct that is no logical type (custom converters, nested records): kept as JSON text
      return {
        type: T.json,
        decode: (raw) => (isObject(raw) ? toJsonText(raw) : badValue(`expected a struct, got ${show(raw)}`)),
      };
  }
}

export interface CompiledField {
  readonly name: string;
  readonly decode: DecodeFn;
}

/** A struct schema compiled into codecs, with the ColumnSchemas it describes. */
export interface CompiledRow {
  readonly fields: readonly CompiledField[];
  readonly columns: readonly ColumnSchema[];
  /** The struct's record name ("srv.public.customers.Value"), if any. */
  readonly recordName: string | null;
  /** The rows' template: every decoded row shares its layout. */
  readonly shape: RowShape;
}

/** Compiles a struct schema; fields for which `skip` is true are left out (unwrap metadata). */
export function compileRow(struct: ConnectSchema, ctx: CompileContext, skip?: (field: string) => boolean): CompiledRow {
  if (struct.type !== 'struct' || struct.fields === undefined) {
    throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, `expected a struct schema, got ${struct.type}`);
  }
  const fields: CompiledField[] = [];
  const columns: ColumnSchema[] = [];
  for (const f of struct.fields) {
    const name = f.field as string;
    if (skip?.(name)) continue;
    let codec: ColumnCodec;
    try {
      codec = compileColumn(f, ctx);
    } catch (err) {
      withPath(err, name);
    }
    fields.push({ name, decode: codec.decode });
    columns.push(Object.freeze({ name, type: codec.type, optional: f.optional, sourceType: f.name ?? f.type }));
  }
  return Object.freeze({
    fields: Object.freeze(fields),
    columns: Object.freeze(columns),
    recordName: struct.name ?? null,
    shape: rowShape(fields.map((f) => f.name)),
  });
}

/** Decodes a struct payload with compiled codecs. A missing field reads as null. */
export function decodeRow(compiled: CompiledRow, raw: unknown, what: string): Row {
  if (!isObject(raw)) return badValue(`${what} is ${show(raw)}, expected a struct`);
  const out = rowOf(compiled.shape);
  const fields = compiled.fields;
  let i = 0;
  try {
    for (; i < fields.length; i++) {
      const f = fields[i] as CompiledField;
      const v = Object.hasOwn(raw, f.name) ? raw[f.name] : undefined;
      out[f.name] = v === null || v === undefined ? null : f.decode(v);
    }
  } catch (err) {
    withPath(err, (fields[i] as CompiledField).name);
  }
  return out;
}
