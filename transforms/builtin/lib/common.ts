/** Option pieces and checks shared by the built-ins. */
import { z } from 'zod';
import type { TableSchema } from '../../../connectors/core/column-type.ts';

export const columnName = z.string().min(1);

export const ifMissingSchema = z
  .enum(['error', 'ignore'])
  .default('error')
  .describe('a configured column missing from the table schema: error (catches typos) or ignore (for schema versions without it)');

export type IfMissing = z.infer<typeof ifMissingSchema>;

/**
 * The configured columns present in the schema. A missing one is an error unless ifMissing is
 * 'ignore' (then it is left out of the result).
 */
export function presentColumns(schema: TableSchema, names: Iterable<string>, ifMissing: IfMissing): string[] {
  const have = new Set(schema.columns.map((c) => c.name));
  const out: string[] = [];
  for (const name of names) {
    if (have.has(name)) out.push(name);
    else if (ifMissing === 'error') throw new Error(missingText(schema, name));
  }
  return out;
}

export function missingText(schema: TableSchema, name: string): string {
  const list = schema.columns.map((c) => c.name).join(', ');
  return `column "${name}" is not in the table (columns: ${list}); set ifMissing: ignore to allow schema versions without it`;
}

/** A value for messages: strings quoted, at most 40 characters. */
export function valueText(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (Buffer.isBuffer(value)) text = `<${value.length} bytes>`;
  else if (typeof value === 'symbol') text = 'UNCHANGED';
  else text = String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function regexSchema(what: string) {
  return z.string().refine(
    (s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    },
    { message: `${what} is not a valid regular expression` },
  );
}
