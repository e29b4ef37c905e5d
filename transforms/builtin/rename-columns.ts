/**
 * rename-columns: old name -> new name, in the schema, the key and every image (row, before, key).
 *   - use: rename-columns
 *     options: { columns: { customer_phone: phone_number } }
 * Renaming onto a column that still exists is an error (see examples/customer-phone for coalescing
 * an old and a new column during an expand-contract window). Truncates pass through.
 */
import { z } from 'zod';
import { defineTransform, memoizeSchema, renameInRow, renameSchemaColumns, toNameMap } from '../sdk/index.ts';
import { columnName, ifMissingSchema, presentColumns } from './lib/common.ts';

const options = z
  .object({
    columns: z
      .record(columnName, columnName)
      .refine((m) => Object.keys(m).length > 0, { message: 'give at least one column to rename' })
      .refine((m) => new Set(Object.values(m)).size === Object.values(m).length, { message: 'two columns are renamed to the same name' })
      .describe('old name -> new name'),
    ifMissing: ifMissingSchema,
  })
  .strict();

export default defineTransform({
  meta: { name: 'rename-columns', version: '1.0.0', apiVersion: 1, description: 'Rename columns (key included)' },
  options,
  create(opts) {
    const renames = toNameMap(opts.columns);
    const mapSchema = memoizeSchema((schema) => {
      presentColumns(schema, renames.keys(), opts.ifMissing);
      return renameSchemaColumns(schema, renames);
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
          row: event.row && renameInRow(event.row, renames),
          before: event.before && renameInRow(event.before, renames),
          key: event.key && renameInRow(event.key, renames),
        };
      },
    };
  },
});
