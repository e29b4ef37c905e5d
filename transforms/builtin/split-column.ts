/**
 * split-column: split one text column into several.
 *   - use: split-column
 *     options: { from: full_name, to: [first_name, last_name], separator: ' ' }
 *   - use: split-column
 *     options: { from: phone, to: [country_code, number], pattern: '^\+(\d+) (.*)$' }
 * With a separator the first parts go to the first columns and the remainder to the last one
 * ("Mary Ann Smith" -> "Mary", "Ann Smith"); fromEnd: true splits from the end instead ("Mary Ann",
 * "Smith"). Missing and empty parts are null. With a pattern, capture groups fill the columns (named
 * groups by column name, else in order); a value that does not match gives nulls (onNoMatch: error
 * rejects the event). null gives nulls, UNCHANGED gives UNCHANGED in every target. The source is
 * dropped unless keepSource; a key column can only be split with keepSource.
 */
import { z } from 'zod';
import type { Cell, ColumnSchema, Row, TableSchema } from '../sdk/index.ts';
import { defineTransform, hasCell, isUnchanged, newRow } from '../sdk/index.ts';
import { toText } from './lib/cast.ts';
import { columnName, ifMissingSchema, presentColumns, regexSchema, valueText } from './lib/common.ts';

const options = z
  .object({
    from: columnName,
    to: z.array(columnName).min(2).describe('target columns, in order'),
    separator: z.string().min(1).optional().describe('default " " when no pattern is given'),
    pattern: regexSchema('pattern').optional(),
    fromEnd: z.boolean().default(false),
    trim: z.boolean().default(true),
    keepSource: z.boolean().default(false),
    onNoMatch: z.enum(['null', 'error']).default('null'),
    ifMissing: ifMissingSchema,
  })
  .strict()
  .refine((o) => !(o.separator !== undefined && o.pattern !== undefined), { message: 'give separator or pattern, not both' })
  .refine((o) => new Set(o.to).size === o.to.length, { message: 'a column appears twice in to' })
  .refine((o) => !(o.keepSource && o.to.includes(o.from)), { message: 'to cannot include from when keepSource is true' });

type Options = z.infer<typeof options>;

export default defineTransform({
  meta: { name: 'split-column', version: '1.0.0', apiVersion: 1, description: 'Split a text column into several' },
  options,
  create(opts) {
    const split = makeSplitter(opts);
    const schemas = new WeakMap<TableSchema, TableSchema>();
    const mapSchema = (schema: TableSchema): TableSchema => {
      let out = schemas.get(schema);
      if (!out) {
        out = planSchema(schema, opts);
        schemas.set(schema, out);
      }
      return out;
    };
    const rebuild = (image: Row | null, schema: TableSchema): Row | null => {
      if (image === null) return null;
      const parts = hasCell(image, opts.from) ? split(image[opts.from] as Cell) : undefined;
      const out = newRow();
      for (const c of schema.columns) {
        const i = opts.to.indexOf(c.name);
        if (i >= 0) {
          if (parts !== undefined) out[c.name] = parts[i] as Cell;
        } else if (hasCell(image, c.name)) out[c.name] = image[c.name] as Cell;
      }
      return out;
    };
    return {
      mapSchema: ({ table, schema }) => ({ table, schema: mapSchema(schema) }),
      apply(event) {
        if (event.op === 'truncate') return event;
        const schema = mapSchema(event.schema);
        if (schema === event.schema) return event;
        return { ...event, schema, row: rebuild(event.row, schema), before: rebuild(event.before, schema) };
      },
    };
  },
});

function makeSplitter(opts: Options): (value: Cell) => Cell[] {
  const n = opts.to.length;
  const tidy = (s: string | undefined): string | null => {
    if (s === undefined) return null;
    const t = opts.trim ? s.trim() : s;
    return t === '' ? null : t;
  };
  const re = opts.pattern === undefined ? null : new RegExp(opts.pattern);
  const separator = opts.separator ?? ' ';
  return (value) => {
    if (value === null || isUnchanged(value)) return opts.to.map(() => value);
    let text: string;
    try {
      text = toText(value);
    } catch (err) {
      throw new Error(`cannot split column "${opts.from}"`, { cause: err });
    }
    if (re) {
      const m = re.exec(text);
      if (!m) {
        if (opts.onNoMatch === 'error') throw new Error(`column "${opts.from}" value ${valueText(text)} does not match /${opts.pattern}/`);
        return opts.to.map(() => null);
      }
      return opts.to.map((name, i) => tidy(m.groups && name in m.groups ? m.groups[name] : m[i + 1]));
    }
    const pieces = text.split(separator);
    if (pieces.length > n) {
      if (opts.fromEnd) pieces.splice(0, pieces.length - n + 1, pieces.slice(0, pieces.length - n + 1).join(separator));
      else pieces.splice(n - 1, pieces.length, pieces.slice(n - 1).join(separator));
    }
    if (opts.fromEnd) while (pieces.length < n) pieces.unshift('');
    return opts.to.map((_, i) => tidy(pieces[i]));
  };
}

function planSchema(schema: TableSchema, opts: Options): TableSchema {
  if (presentColumns(schema, [opts.from], opts.ifMissing).length === 0) return schema;
  if (!opts.keepSource && schema.key.includes(opts.from)) {
    throw new Error(`cannot split away key column "${opts.from}" (set keepSource: true)`);
  }
  for (const name of opts.to) {
    if (name !== opts.from && schema.columns.some((c) => c.name === name)) throw new Error(`column "${name}" already exists`);
  }
  const targets: ColumnSchema[] = opts.to.map((name) => ({ name, type: { kind: 'string' }, optional: true }));
  const columns: ColumnSchema[] = [];
  for (const c of schema.columns) {
    if (c.name !== opts.from) columns.push(c);
    else if (opts.keepSource) columns.push(c, ...targets);
    else columns.push(...targets);
  }
  return { columns, key: schema.key };
}
