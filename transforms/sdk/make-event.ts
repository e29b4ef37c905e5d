/**
 * makeEvent: a ChangeEvent from a compact description, for tests and examples. Whatever is left
 * out is filled in deterministically (same spec -> deeply equal event).
 */
import type { ChangeEvent, ChangeOp, SourceInfo, TableId } from '../../connectors/core/change-event.ts';
import type { ColumnSchema, ColumnType, TableSchema } from '../../connectors/core/column-type.ts';
import { isUnchanged } from '../../connectors/core/value.ts';
import type { Row } from '../../connectors/core/value.ts';
import { pickRow, rowOf } from './rows.ts';
import type { Cell } from './rows.ts';

export const DEFAULT_TABLE: TableId = Object.freeze({ namespace: 'public', name: 'example' });

export interface EventSpec {
  /** TableId or "namespace.name" text (default public.example). */
  readonly table?: TableId | string;
  /** Default: upsert when there is a row, delete otherwise. */
  readonly op?: ChangeOp;
  readonly row?: Readonly<Record<string, Cell>> | null;
  /** Key values, or the names of the key columns to take from row (or before). */
  readonly key?: Readonly<Record<string, Cell>> | readonly string[] | null;
  readonly before?: Readonly<Record<string, Cell>> | null;
  /** The full schema. Default: inferred from the values (see inferType), key from `key` or an "id" column. */
  readonly schema?: TableSchema;
  /** Column types overriding the inferred ones (when `schema` is not given). */
  readonly types?: Readonly<Record<string, ColumnType>>;
  readonly source?: Partial<SourceInfo>;
}

export function parseTableText(text: string): TableId {
  const dot = text.lastIndexOf('.');
  return dot < 0 ? { namespace: null, name: text } : { namespace: text.slice(0, dot), name: text.slice(dot + 1) };
}

/** The ColumnType makeEvent infers for a value (null and UNCHANGED: string). */
export function inferType(value: Cell | undefined): ColumnType {
  if (value === null || value === undefined || isUnchanged(value)) return { kind: 'string' };
  switch (typeof value) {
    case 'boolean':
      return { kind: 'boolean' };
    case 'bigint':
      return { kind: 'int', bits: 64 };
    case 'number':
      return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? { kind: 'int', bits: 32 } : { kind: 'float', bits: 64 };
    case 'string':
      return { kind: 'string' };
    default:
      break;
  }
  if (Buffer.isBuffer(value)) return { kind: 'bytes' };
  if (Array.isArray(value)) return { kind: 'array', items: inferType((value as readonly Cell[])[0]) };
  return { kind: 'geometry', shape: 'geometry' };
}

export function makeEvent(spec: EventSpec = {}): ChangeEvent {
  const table = typeof spec.table === 'string' ? parseTableText(spec.table) : (spec.table ?? DEFAULT_TABLE);
  const row = spec.row == null ? null : rowOf(spec.row);
  const before = spec.before == null ? null : rowOf(spec.before);
  const op: ChangeOp = spec.op ?? (row ? 'upsert' : 'delete');
  const schema = spec.schema ?? inferSchema(spec, row, before);
  const key = makeKey(spec, op, row, before, schema);
  const sourceOp: SourceInfo['sourceOp'] = op === 'truncate' ? 't' : op === 'delete' ? 'd' : before ? 'u' : 'c';
  const source: SourceInfo = {
    topic: `test.${table.namespace ?? 'default'}.${table.name}`,
    partition: 0,
    offset: '0',
    kafkaTimestampMs: 1_700_000_000_000,
    sourceTimestampMs: 1_700_000_000_000,
    sourceOp,
    snapshot: false,
    position: null,
    connector: null,
    ...spec.source,
  };
  return { op, table, key, row: op === 'upsert' ? row : null, before, schema, source };
}

function makeKey(spec: EventSpec, op: ChangeOp, row: Row | null, before: Row | null, schema: TableSchema): Row | null {
  if (op === 'truncate') return null;
  if (spec.key === null) return null;
  if (spec.key !== undefined && !Array.isArray(spec.key)) return rowOf(spec.key as Readonly<Record<string, Cell>>);
  if (schema.key.length === 0) return null;
  const image = row ?? before;
  return image ? pickRow(image, schema.key) : null;
}

function inferSchema(spec: EventSpec, row: Row | null, before: Row | null): TableSchema {
  let key: readonly string[];
  if (Array.isArray(spec.key)) key = spec.key as readonly string[];
  else if (spec.key) key = Object.keys(spec.key);
  else key = [row, before].some((r) => r && Object.prototype.hasOwnProperty.call(r, 'id')) ? ['id'] : [];
  const keyValues = spec.key && !Array.isArray(spec.key) ? (spec.key as Readonly<Record<string, Cell>>) : null;
  const values = new Map<string, Cell>();
  for (const image of [keyValues, row, before]) {
    if (!image) continue;
    for (const name of Object.keys(image)) {
      const v = image[name] as Cell;
      const known = values.get(name);
      if (known === undefined || known === null || isUnchanged(known)) values.set(name, v);
    }
  }
  for (const name of Object.keys(spec.types ?? {})) if (!values.has(name)) values.set(name, null);
  const columns: ColumnSchema[] = [...values].map(([name, v]) => ({
    name,
    type: spec.types && Object.hasOwn(spec.types, name) ? (spec.types[name] as ColumnType) : inferType(v),
    optional: !key.includes(name),
  }));
  return { columns, key };
}
