/**
 * drop-columns: remove columns from the schema and every image. Key columns cannot be dropped.
 *   - use: drop-columns
 *     options: { columns: [legacy_flags, internal_notes] }
 */
import { z } from 'zod';
import { defineTransform, dropSchemaColumns, memoizeSchema, omitFromRow } from '../sdk/index.ts';
import { columnName, ifMissingSchema, presentColumns } from './lib/common.ts';

const options = z
  .object({
    columns: z.array(columnName).min(1).describe('columns to remove'),
    ifMissing: ifMissingSchema,
  })
  .strict();

export default defineTransform({
  meta: { name: 'drop-columns', version: '1.0.0', apiVersion: 1, description: 'Remove columns' },
  options,
  create(opts) {
    const names = new Set(opts.columns);
    const mapSchema = memoizeSchema((schema) => {
      presentColumns(schema, names, opts.ifMissing);
      return dropSchemaColumns(schema, names);
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
          row: event.row && omitFromRow(event.row, names),
          before: event.before && omitFromRow(event.before, names),
        };
      },
    };
  },
});
