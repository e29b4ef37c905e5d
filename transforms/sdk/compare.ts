/**
 * Deep clone / freeze / normalize helpers for the tester: they understand null-prototype rows,
 * Buffers, bigints and the UNCHANGED symbol (structuredClone does not).
 */
import type { ChangeEvent } from '../../connectors/core/change-event.ts';
import type { ColumnSchema, TableSchema } from '../../connectors/core/column-type.ts';

export function deepClone<T>(value: T): T {
  return cloneAny(value) as T;
}

function cloneAny(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(cloneAny);
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = cloneAny((value as Record<string, unknown>)[key]);
  return out;
}

/** Freezes objects and arrays recursively (Buffers cannot be frozen: compare them afterwards). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

/** A row as a null-prototype object (so rows built either way compare equal). */
export function normalizeRow(row: unknown): unknown {
  if (typeof row !== 'object' || row === null) return row;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(row)) out[key] = (row as Record<string, unknown>)[key];
  return out;
}

export function normalizeSchema(schema: TableSchema): unknown {
  return {
    columns: schema.columns.map((c: ColumnSchema) => {
      const out: Record<string, unknown> = { name: c.name, type: c.type, optional: c.optional };
      if (c.sourceType !== undefined) out.sourceType = c.sourceType;
      return out;
    }),
    key: [...schema.key],
  };
}

/** The comparable form of an event (field order, prototypes and undefined properties do not matter). */
export function normalizeEvent(event: ChangeEvent): unknown {
  return {
    op: event.op,
    table: { namespace: event.table.namespace, name: event.table.name },
    key: normalizeRow(event.key),
    row: normalizeRow(event.row),
    before: normalizeRow(event.before),
    schema: normalizeSchema(event.schema),
    source: { ...event.source },
  };
}
