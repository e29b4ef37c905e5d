/**
 * Kafka Connect schemas as JsonConverter writes them (FORMAT.md §1.1), validated once when a
 * schema is compiled (never per message).
 */
import { ErrorCodes } from '../core/errors.ts';
import { DecodeFailure } from './failure.ts';
import { isObject } from './json-text.ts';

export const CONNECT_TYPES = [
  'boolean',
  'int8',
  'int16',
  'int32',
  'int64',
  'float',
  'double',
  'bytes',
  'string',
  'array',
  'map',
  'struct',
] as const;

export type ConnectType = (typeof CONNECT_TYPES)[number];

export interface ConnectSchema {
  readonly type: ConnectType;
  readonly optional: boolean;
  readonly name?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** struct: ordered fields, each with its name in `field`. */
  readonly fields?: readonly ConnectSchema[];
  readonly field?: string;
  readonly items?: ConnectSchema;
  readonly keys?: ConnectSchema;
  readonly values?: ConnectSchema;
}

function bad(path: string, detail: string): never {
  throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, `schema ${path || '(root)'}: ${detail}`);
}

/** Validates a parsed JsonConverter schema (recursively) and returns it typed. */
export function toConnectSchema(json: unknown, path = ''): ConnectSchema {
  if (!isObject(json)) bad(path, 'expected a schema object');
  const type = json.type;
  if (typeof type !== 'string') bad(path, 'has no "type"');
  if (!(CONNECT_TYPES as readonly string[]).includes(type)) {
    throw new DecodeFailure(
      ErrorCodes.DECODE_UNKNOWN_TYPE,
      `schema ${path || '(root)'}: unknown Connect type '${type}'`,
    );
  }
  const out: {
    type: ConnectType;
    optional: boolean;
    name?: string;
    parameters?: Record<string, string>;
    fields?: ConnectSchema[];
    field?: string;
    items?: ConnectSchema;
    keys?: ConnectSchema;
    values?: ConnectSchema;
  } = { type: type as ConnectType, optional: json.optional === true };
  if (typeof json.name === 'string') out.name = json.name;
  if (typeof json.field === 'string') out.field = json.field;
  if (isObject(json.parameters)) {
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(json.parameters)) params[k] = String(v);
    out.parameters = params;
  }
  if (type === 'struct') {
    if (!Array.isArray(json.fields)) bad(path, 'struct without "fields"');
    out.fields = json.fields.map((f: unknown, i: number) => {
      const name = isObject(f) && typeof f.field === 'string' ? f.field : bad(path, `field #${i} has no name`);
      return toConnectSchema(f, path ? `${path}.${name}` : name);
    });
  } else if (type === 'array') {
    if (json.items === undefined) bad(path, 'array without "items"');
    out.items = toConnectSchema(json.items, `${path}[]`);
  } else if (type === 'map') {
    if (json.keys === undefined || json.values === undefined) bad(path, 'map without "keys"/"values"');
    out.keys = toConnectSchema(json.keys, `${path}{key}`);
    out.values = toConnectSchema(json.values, `${path}{value}`);
  }
  return out;
}

/** The named field of a struct schema, if any. */
export function fieldOf(schema: ConnectSchema, name: string): ConnectSchema | undefined {
  return schema.fields?.find((f) => f.field === name);
}

/** A parameter of a schema (e.g. "scale"), if set. */
export function param(schema: ConnectSchema, name: string): string | undefined {
  return schema.parameters?.[name];
}
