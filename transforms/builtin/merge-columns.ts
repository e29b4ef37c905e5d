/**
 * merge-columns: join several columns into one text column.
 *   - use: merge-columns
 *     options: { from: [first_name, last_name], to: full_name, separator: ' ' }
 * Nulls are skipped (skipNulls: false makes any null give null); all null gives null. If any source
 * is UNCHANGED (TOAST) the merged value is UNCHANGED: the target keeps its current value. The
 * sources are dropped (keepSources: true keeps them); the new column takes the first source's place
 * (or follows the last one when they are kept). Key columns can only be merged with keepSources.
 * Deletes carry only their key: before images are merged when they hold every source.
 */
import { z } from 'zod';
import type { Cell, ColumnSchema, Row, TableSchema } from '../sdk/index.ts';
import { defineTransform, hasCell, isUnchanged, newRow } from '../sdk/index.ts';
import { toText } from './lib/cast.ts';
import { columnName, ifMissingSchema, presentColumns } from './lib/common.ts';

const options = z
  .object({
    from: z.array(columnName).min(2).describe('columns to join, in order'),
    to: columnName.describe('the merged column'),
    separator: z.string().default(' '),
    skipNulls: z.boolean().default(true),
    keepSources: z.boolean().default(false),
    ifMissing: ifMissingSchema,
  })
  .strict()
  .refine((o) => new Set(o.from).size === o.from.length, { message: 'a column appears twice in from' });

interface Plan {
  readonly schema: TableSchema;
  /** Sources present in the schema (empty: nothing to do). */
  readonly sources: readonly string[];
}

export default defineTransform({
  meta: { name: 'merge-columns', version: '1.0.0', apiVersion: 1, description: 'Join columns into one text column' },
  options,
  create(opts) {
    const plans = new WeakMap<TableSchema, Plan>();
    const planFor = (schema: TableSchema): Plan => {
      let plan = plans.get(schema);
      if (!plan) {
        plan = makePlan(schema, opts);
        plans.set(schema, plan);
      }
      return plan;
    };
    const merged = (image: Row, sources: readonly string[]): Cell | undefined => {
      const parts: string[] = [];
      for (const s of sources) {
        if (!hasCell(image, s)) return undefined;
        const v = image[s] as Cell;
        if (isUnchanged(v)) return v;
        if (v === null) {
          if (!opts.skipNulls) return null;
          continue;
        }
        try {
          parts.push(toText(v));
        } catch (err) {
          throw new Error(`cannot merge column "${s}"`, { cause: err });
        }
      }
      return parts.length === 0 ? null : parts.join(opts.separator);
    };
    const rebuild = (image: Row | null, plan: Plan): Row | null => {
      if (image === null) return null;
      const value = merged(image, plan.sources);
      const out = newRow();
      for (const c of plan.schema.columns) {
        if (c.name === opts.to) {
          if (value !== undefined) out[c.name] = value;
        } else if (hasCell(image, c.name)) out[c.name] = image[c.name] as Cell;
      }
      return out;
    };
    return {
      mapSchema: ({ table, schema }) => ({ table, schema: planFor(schema).schema }),
      apply(event) {
        if (event.op === 'truncate') return event;
        const plan = planFor(event.schema);
        if (plan.sources.length === 0) return event;
        return { ...event, schema: plan.schema, row: rebuild(event.row, plan), before: rebuild(event.before, plan) };
      },
    };
  },
});

function makePlan(
  schema: TableSchema,
  opts: { from: string[]; to: string; keepSources: boolean; ifMissing: 'error' | 'ignore' },
): Plan {
  const sources = presentColumns(schema, opts.from, opts.ifMissing);
  if (sources.length === 0) return { schema, sources };
  const dropped = new Set(opts.keepSources ? [] : sources);
  for (const k of schema.key) {
    if (dropped.has(k)) throw new Error(`cannot merge away key column "${k}" (set keepSources: true)`);
  }
  if (schema.columns.some((c) => c.name === opts.to && !dropped.has(c.name))) {
    throw new Error(`column "${opts.to}" already exists`);
  }
  const sourceColumns = schema.columns.filter((c) => sources.includes(c.name));
  const target: ColumnSchema = { name: opts.to, type: { kind: 'string' }, optional: sourceColumns.some((c) => c.optional) };
  const anchor = opts.keepSources ? (sourceColumns[sourceColumns.length - 1] as ColumnSchema).name : sources[0];
  const columns: ColumnSchema[] = [];
  for (const c of schema.columns) {
    if (!opts.keepSources && c.name === anchor) columns.push(target);
    if (!dropped.has(c.name)) columns.push(c);
    if (opts.keepSources && c.name === anchor) columns.push(target);
  }
  return { schema: { columns, key: schema.key }, sources };
}
