/**
 * add-column: add a column with a constant, a copy of another column, or a fact about the record.
 *   - use: add-column
 *     options: { name: tenant, value: acme, key: true }            # constant (here: part of the key)
 *   - use: add-column
 *     options: { name: changed_at, source: source-timestamp }      # timestamptz(3)
 *   - use: add-column
 *     options: { name: phone_copy, copyOf: phone }
 * source: op (upsert|delete|truncate), source-op (c|u|d|r|t|tombstone), source-timestamp and
 * kafka-timestamp (timestamptz(3), from ms), topic, partition (int32), offset (int64), position,
 * connector (text), snapshot (boolean). `type` converts the value (as cast-columns does). The column
 * is optional unless it is a key column. Deletes get the column only when it is a key column
 * (their row is null); before images get it too. Truncates pass through.
 */
import { z } from 'zod';
import type { Cell, ChangeEvent, ColumnSchema, ColumnType, Row, TableSchema, Value } from '../sdk/index.ts';
import { defineTransform, describeType, findColumn, hasCell, isUnchanged, memoizeSchema, putSchemaColumn, setCells } from '../sdk/index.ts';
import { castValue } from './lib/cast.ts';
import { columnName, valueText } from './lib/common.ts';
import { typeSpecSchema } from './lib/type-spec.ts';

const SOURCES = ['op', 'source-op', 'source-timestamp', 'kafka-timestamp', 'topic', 'partition', 'offset', 'position', 'connector', 'snapshot'] as const;
type SourceField = (typeof SOURCES)[number];

const SOURCE_TYPES: Record<SourceField, ColumnType> = {
  op: { kind: 'string' },
  'source-op': { kind: 'string' },
  'source-timestamp': { kind: 'timestamptz', precision: 3 },
  'kafka-timestamp': { kind: 'timestamptz', precision: 3 },
  topic: { kind: 'string' },
  partition: { kind: 'int', bits: 32 },
  offset: { kind: 'int', bits: 64 },
  position: { kind: 'string' },
  connector: { kind: 'string' },
  snapshot: { kind: 'boolean' },
};

const options = z
  .object({
    name: columnName.describe('the new column'),
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional().describe('a constant'),
    copyOf: columnName.optional().describe('copy this column'),
    source: z.enum(SOURCES).optional().describe('a fact about the record'),
    type: typeSpecSchema.optional().describe('the column type (default: from the value, the copied column or the source field)'),
    key: z.boolean().default(false).describe('make it part of the key (e.g. a tenant column when merging tables)'),
    after: columnName.optional().describe('place it after this column (default: last)'),
    ifExists: z.enum(['error', 'overwrite']).default('error'),
  })
  .strict()
  .refine((o) => [o.value !== undefined, o.copyOf !== undefined, o.source !== undefined].filter(Boolean).length === 1, {
    message: 'give exactly one of value, copyOf, source',
  });

export default defineTransform({
  meta: { name: 'add-column', version: '1.0.0', apiVersion: 1, description: 'Add a constant, copied or derived column' },
  options,
  create(opts) {
    const constantType = opts.value === undefined ? undefined : (opts.type ?? inferConstantType(opts.value));
    const constant = constantType === undefined ? null : castOrThrow(opts.value as Value, constantType, 'the value');
    const columnFor = memoizeSchema((schema: TableSchema) => {
      if (findColumn(schema, opts.name) && opts.ifExists === 'error') {
        throw new Error(`column "${opts.name}" already exists (set ifExists: overwrite to replace it)`);
      }
      let type: ColumnType;
      let optional = !opts.key;
      if (opts.copyOf !== undefined) {
        const from = findColumn(schema, opts.copyOf);
        if (!from) throw new Error(`column "${opts.copyOf}" to copy is not in the table`);
        type = opts.type ?? from.type;
        optional = !opts.key && from.optional;
      } else {
        type = constantType ?? opts.type ?? SOURCE_TYPES[opts.source as SourceField];
      }
      const column: ColumnSchema = { name: opts.name, type, optional };
      return putSchemaColumn(schema, column, { after: opts.after, key: opts.key });
    });
    const columnType = (schema: TableSchema): ColumnType => (findColumn(schema, opts.name) as ColumnSchema).type;

    const compute = (event: ChangeEvent, image: Row, type: ColumnType): Cell | undefined => {
      if (opts.value !== undefined) return constant;
      if (opts.copyOf !== undefined) {
        if (!hasCell(image, opts.copyOf)) return undefined;
        const v = image[opts.copyOf] as Cell;
        return opts.type === undefined || isUnchanged(v) ? v : castOrThrow(v, type, `column "${opts.copyOf}"`);
      }
      return castOrThrow(sourceValue(event, opts.source as SourceField), type, `source field ${opts.source}`);
    };

    return {
      mapSchema: ({ table, schema }) => ({ table, schema: columnFor(schema) }),
      apply(event) {
        if (event.op === 'truncate') return event;
        const schema = columnFor(event.schema);
        const type = columnType(schema);
        const put = (image: Row | null): Row | null => {
          if (image === null) return null;
          const v = compute(event, image, type);
          return v === undefined ? image : setCells(image, { [opts.name]: v });
        };
        let key = event.key;
        if (opts.key) {
          if (event.key === null) throw new Error(`cannot add key column "${opts.name}": the ${event.op} has no key`);
          const v = compute(event, setCells(setCells(event.before ?? event.key, event.row ?? {}), event.key), type);
          if (v === undefined || isUnchanged(v)) {
            throw new Error(`cannot compute key column "${opts.name}" for a ${event.op}: column "${opts.copyOf ?? ''}" has no value`);
          }
          key = setCells(event.key, { [opts.name]: v });
        }
        return { ...event, schema, row: put(event.row), before: put(event.before), key };
      },
    };
  },
});

function inferConstantType(value: string | number | boolean | null): ColumnType {
  if (value === null) throw new Error('a null value needs a type');
  if (typeof value === 'string') return { kind: 'string' };
  if (typeof value === 'boolean') return { kind: 'boolean' };
  if (!Number.isInteger(value)) return { kind: 'float', bits: 64 };
  return Math.abs(value) <= 0x7fffffff ? { kind: 'int', bits: 32 } : { kind: 'int', bits: 64 };
}

function castOrThrow(value: Cell, type: ColumnType, what: string): Cell {
  try {
    return castValue(value, type, { epoch: 'millis' });
  } catch (err) {
    throw new Error(`${what} ${valueText(value)} cannot become ${describeType(type)}`, { cause: err });
  }
}

function sourceValue(event: ChangeEvent, field: SourceField): Value {
  const s = event.source;
  switch (field) {
    case 'op':
      return event.op;
    case 'source-op':
      return s.sourceOp;
    case 'source-timestamp':
      return s.sourceTimestampMs;
    case 'kafka-timestamp':
      return s.kafkaTimestampMs;
    case 'topic':
      return s.topic;
    case 'partition':
      return s.partition;
    case 'offset':
      return s.offset;
    case 'position':
      return s.position;
    case 'connector':
      return s.connector;
    case 'snapshot':
      return s.snapshot;
  }
}
