/**
 * Target types as written in options: "integer", "bigint", "decimal(10,2)", "timestamptz(3)", ... or
 * { to: decimal, precision: 10, scale: 2 }. Shared by cast-columns and add-column.
 */
import { z } from 'zod';
import type { ColumnType } from '../../sdk/index.ts';

const ALIASES: Record<string, (a?: number, b?: number) => ColumnType> = {
  smallint: () => ({ kind: 'int', bits: 16 }),
  int16: () => ({ kind: 'int', bits: 16 }),
  integer: () => ({ kind: 'int', bits: 32 }),
  int: () => ({ kind: 'int', bits: 32 }),
  int32: () => ({ kind: 'int', bits: 32 }),
  bigint: () => ({ kind: 'int', bits: 64 }),
  int64: () => ({ kind: 'int', bits: 64 }),
  real: () => ({ kind: 'float', bits: 32 }),
  float32: () => ({ kind: 'float', bits: 32 }),
  float: () => ({ kind: 'float', bits: 64 }),
  double: () => ({ kind: 'float', bits: 64 }),
  float64: () => ({ kind: 'float', bits: 64 }),
  decimal: (p, s) => decimalType(p, s),
  numeric: (p, s) => decimalType(p, s),
  boolean: () => ({ kind: 'boolean' }),
  bool: () => ({ kind: 'boolean' }),
  text: (n) => (n === undefined ? { kind: 'string' } : { kind: 'string', maxLength: n }),
  string: (n) => (n === undefined ? { kind: 'string' } : { kind: 'string', maxLength: n }),
  varchar: (n) => (n === undefined ? { kind: 'string' } : { kind: 'string', maxLength: n }),
  timestamp: (p) => ({ kind: 'timestamp', precision: p ?? 6 }),
  timestamptz: (p) => ({ kind: 'timestamptz', precision: p ?? 6 }),
  date: () => ({ kind: 'date' }),
  uuid: () => ({ kind: 'uuid' }),
  json: () => ({ kind: 'json' }),
};

export const TYPE_NAMES = Object.keys(ALIASES);

function decimalType(precision?: number, scale?: number): ColumnType {
  if (precision === undefined) return { kind: 'decimal' };
  return { kind: 'decimal', precision, scale: scale ?? 0 };
}

const TEXT_RE = /^\s*([a-z0-9]+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i;

/** "decimal(10,2)" -> ColumnType, or null when unknown. */
export function parseTypeText(text: string): ColumnType | null {
  const m = TEXT_RE.exec(text);
  const name = m ? (m[1] as string).toLowerCase() : '';
  const make = m && Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
  if (!m || !make) return null;
  return make(m[2] === undefined ? undefined : Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
}

export const typeText = z
  .string()
  .refine((s) => parseTypeText(s) !== null, { message: `unknown type; use one of ${TYPE_NAMES.join(', ')} (with (n) or (p,s) where it applies)` });

/** A type name (with parameters) or { type, precision?, scale?, maxLength? }. Parses to a ColumnType. */
export const typeSpecSchema = z.union([
  typeText.transform((s) => parseTypeText(s) as ColumnType),
  z
    .object({
      type: typeText,
      precision: z.number().int().min(0).max(1000).optional(),
      scale: z.number().int().min(0).max(1000).optional(),
      maxLength: z.number().int().positive().optional(),
    })
    .strict()
    .transform((o) => applyParams(parseTypeText(o.type) as ColumnType, o)),
]);

export function applyParams(type: ColumnType, o: { precision?: number; scale?: number; maxLength?: number }): ColumnType {
  switch (type.kind) {
    case 'decimal':
      return o.precision === undefined ? type : { kind: 'decimal', precision: o.precision, scale: o.scale ?? 0 };
    case 'timestamp':
      return { kind: 'timestamp', precision: o.precision ?? type.precision };
    case 'timestamptz':
      return { kind: 'timestamptz', precision: o.precision ?? type.precision };
    case 'string':
      return o.maxLength === undefined ? type : { kind: 'string', maxLength: o.maxLength };
    default:
      return type;
  }
}
