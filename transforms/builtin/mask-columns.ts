/**
 * mask-columns: hide personal data before it reaches the target.
 *   - use: mask-columns
 *     options:
 *       columns:
 *         email: { method: hash, salt: '${MASK_SALT}' }      # sha256 hex of salt + value (64 chars)
 *         ssn: { method: keep-last, count: 4 }               # "*****6789"
 *         notes: { method: redact }                          # null (or value: "[redacted]")
 * Masks row, before and key images alike. hash is deterministic, so it may mask a key column (the
 * key stays unique); redact and keep-last may not. Hashed and keep-last columns become text (hash:
 * of length 64); a value is hashed as its text (bytes as they are). null and UNCHANGED are kept.
 * Truncates pass through.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Cell, ColumnSchema, Row, TableSchema } from '../sdk/index.ts';
import { defineTransform, findColumn, isUnchanged, mapValues, memoizeSchema, putSchemaColumn } from '../sdk/index.ts';
import { toText } from './lib/cast.ts';
import { columnName, ifMissingSchema, presentColumns } from './lib/common.ts';

const mask = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('hash'),
      salt: z.string().min(8, 'use a salt of at least 8 characters').describe('secret prefix; keep it out of the config file'),
    })
    .strict(),
  z.object({ method: z.literal('redact'), value: z.string().nullable().default(null) }).strict(),
  z
    .object({
      method: z.literal('keep-last'),
      count: z.number().int().min(0),
      char: z.string().length(1).default('*'),
    })
    .strict(),
]);
type Mask = z.infer<typeof mask>;

const options = z
  .object({
    columns: z
      .record(columnName, mask)
      .refine((m) => Object.keys(m).length > 0, { message: 'give at least one column to mask' })
      .describe('column -> { method: hash | redact | keep-last, ... }'),
    ifMissing: ifMissingSchema,
  })
  .strict();

export default defineTransform({
  meta: { name: 'mask-columns', version: '1.0.0', apiVersion: 1, description: 'Hash, redact or partially hide columns' },
  options,
  create(opts) {
    const masks = new Map<string, Mask>(Object.entries(opts.columns));
    const mapSchema = memoizeSchema((schema: TableSchema) => {
      let out = schema;
      for (const name of presentColumns(schema, masks.keys(), opts.ifMissing)) {
        out = putSchemaColumn(out, maskedColumn(schema, findColumn(schema, name) as ColumnSchema, masks.get(name) as Mask));
      }
      return out;
    });
    const maskRow = (row: Row): Row =>
      mapValues(row, (value: Cell, column: string) => {
        const m = masks.get(column);
        return m ? maskValue(value, m, column) : value;
      });
    return {
      mapSchema: ({ table, schema }) => ({ table, schema: mapSchema(schema) }),
      apply(event) {
        if (event.op === 'truncate') return event;
        const schema = mapSchema(event.schema);
        if (schema === event.schema) return event;
        return {
          ...event,
          schema,
          row: event.row && maskRow(event.row),
          before: event.before && maskRow(event.before),
          key: event.key && maskRow(event.key),
        };
      },
    };
  },
});

function maskedColumn(schema: TableSchema, column: ColumnSchema, m: Mask): ColumnSchema {
  if (m.method !== 'hash' && schema.key.includes(column.name)) {
    throw new Error(`key column "${column.name}" can only be masked with method hash (${m.method} would make keys collide)`);
  }
  switch (m.method) {
    case 'hash':
      return { name: column.name, type: { kind: 'string', maxLength: 64 }, optional: column.optional };
    case 'keep-last':
      return { name: column.name, type: { kind: 'string' }, optional: column.optional };
    case 'redact':
      if (m.value === null) return { ...column, optional: true };
      return { name: column.name, type: { kind: 'string' }, optional: column.optional };
  }
}

function maskValue(value: Cell, m: Mask, column: string): Cell {
  if (value === null || isUnchanged(value)) return value;
  switch (m.method) {
    case 'redact':
      return m.value;
    case 'hash': {
      const h = createHash('sha256').update(m.salt, 'utf8');
      h.update(Buffer.isBuffer(value) ? value : Buffer.from(textFor(value, column), 'utf8'));
      return h.digest('hex');
    }
    case 'keep-last': {
      const chars = [...textFor(value, column)];
      const keep = Math.min(m.count, chars.length);
      return m.char.repeat(chars.length - keep) + chars.slice(chars.length - keep).join('');
    }
  }
}

function textFor(value: Cell, column: string): string {
  try {
    return toText(value);
  } catch (err) {
    throw new Error(`cannot mask column "${column}"`, { cause: err });
  }
}
