/**
 * cast-columns: convert column values to another type, and the column's schema type with them.
 *   - use: cast-columns
 *     options:
 *       columns:
 *         age: integer                       # text/decimal/float -> int32 (a fraction is an error)
 *         price: decimal(10,2)               # rounds half away from zero to the scale
 *         created: { to: timestamptz, from: epoch-millis }
 *         active: boolean                    # true/false, t/f, yes/no, y/n, on/off, 1/0
 *         zip: text
 * Numbers become timestamps only with `from: epoch-seconds | epoch-millis | epoch-micros |
 * epoch-nanos | epoch-days`; text timestamps without a zone are read as UTC. null and UNCHANGED
 * stay as they are. Key columns are cast in the key too. Truncates pass through.
 */
import { z } from 'zod';
import type { Cell, ColumnType, Row, TableSchema } from '../sdk/index.ts';
import { defineTransform, describeType, mapValues, memoizeSchema, withColumnType } from '../sdk/index.ts';
import { castValue } from './lib/cast.ts';
import { columnName, ifMissingSchema, presentColumns, valueText } from './lib/common.ts';
import { applyParams, parseTypeText, typeText } from './lib/type-spec.ts';
import type { EpochUnit } from './lib/time.ts';

const EPOCHS = ['epoch-seconds', 'epoch-millis', 'epoch-micros', 'epoch-nanos', 'epoch-days'] as const;

interface CastTarget {
  readonly type: ColumnType;
  readonly epoch?: EpochUnit;
}

const targetSchema = z.union([
  typeText.transform((s): CastTarget => ({ type: parseTypeText(s) as ColumnType })),
  z
    .object({
      to: typeText,
      from: z.enum(['auto', ...EPOCHS]).default('auto').describe('how to read the source value; epoch-* for numbers'),
      precision: z.number().int().min(0).max(1000).optional(),
      scale: z.number().int().min(0).max(1000).optional(),
      maxLength: z.number().int().positive().optional(),
    })
    .strict()
    .transform(
      (o): CastTarget => ({
        type: applyParams(parseTypeText(o.to) as ColumnType, o),
        epoch: o.from === 'auto' ? undefined : (o.from.slice('epoch-'.length) as EpochUnit),
      }),
    ),
]);

const options = z
  .object({
    columns: z
      .record(columnName, targetSchema)
      .refine((m) => Object.keys(m).length > 0, { message: 'give at least one column to cast' })
      .describe('column -> target type'),
    ifMissing: ifMissingSchema,
  })
  .strict();

export default defineTransform({
  meta: { name: 'cast-columns', version: '1.0.0', apiVersion: 1, description: 'Convert column values and types' },
  options,
  create(opts) {
    const targets = new Map<string, CastTarget>(Object.entries(opts.columns));
    const mapSchema = memoizeSchema((schema: TableSchema) => {
      let out = schema;
      for (const name of presentColumns(schema, targets.keys(), opts.ifMissing)) {
        out = withColumnType(out, name, (targets.get(name) as CastTarget).type);
      }
      return out;
    });
    const castRow = (row: Row): Row =>
      mapValues(row, (value: Cell, column: string) => {
        const target = targets.get(column);
        if (!target) return value;
        try {
          return castValue(value, target.type, { epoch: target.epoch });
        } catch (err) {
          throw new Error(`cannot cast column "${column}" value ${valueText(value)} to ${describeType(target.type)}`, { cause: err });
        }
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
          row: event.row && castRow(event.row),
          before: event.before && castRow(event.before),
          key: event.key && castRow(event.key),
        };
      },
    };
  },
});
