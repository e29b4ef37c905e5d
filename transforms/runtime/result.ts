/**
 * Checks what apply returned, so that a plugin bug is reported at the plugin (TRANSFORM_BAD_RESULT,
 * naming it) rather than as a confusing SQL error later. Rows that are not null-prototype are copied
 * into null-prototype rows. An event returned as is (the same object) is trusted.
 */
import type { ChangeEvent } from '../../connectors/core/change-event.ts';
import type { TableSchema } from '../../connectors/core/column-type.ts';
import { UNCHANGED, newRow } from '../../connectors/core/value.ts';
import type { Row, Unchanged, Value } from '../../connectors/core/value.ts';
import { badResultError } from './errors.ts';
import type { StepLabel } from './errors.ts';

const OPS = new Set(['upsert', 'delete', 'truncate']);

interface SchemaInfo {
  readonly problem: string | null;
  readonly columns: ReadonlySet<string>;
  readonly key: ReadonlySet<string>;
}

const schemaInfos = new WeakMap<object, SchemaInfo>();

export function checkResult(result: unknown, step: StepLabel, input: ChangeEvent): ChangeEvent[] {
  if (result === null) return [];
  if (Array.isArray(result)) return result.map((e: unknown, i) => checkEvent(e, step, input, `element [${i}]`));
  return [checkEvent(result, step, input, 'the result')];
}

export function checkEvent(value: unknown, step: StepLabel, input: ChangeEvent, what: string): ChangeEvent {
  if (value === input) return input;
  const fail = (detail: string): never => {
    throw badResultError(step, input, `${what} ${detail}`);
  };
  if (value === undefined) fail('is undefined (return null to drop an event)');
  if (value === null) fail('is null (leave dropped events out of the array)');
  if (typeof value !== 'object') fail(`is a ${typeof value}, expected a ChangeEvent, an array of them or null`);
  const e = value as Partial<Record<keyof ChangeEvent, unknown>>;
  if (typeof e.op !== 'string' || !OPS.has(e.op)) fail(`has op ${JSON.stringify(e.op)}, expected upsert, delete or truncate`);
  const t = e.table as { namespace?: unknown; name?: unknown } | null | undefined;
  if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || t.name === '') fail('has no table (a TableId with a non-empty name)');
  if (t && t.namespace !== null && typeof t.namespace !== 'string') fail('has a table namespace that is neither a string nor null');
  if (typeof e.source !== 'object' || e.source === null) fail('has no source (keep the input event\'s source)');
  const info = schemaInfo(e.schema);
  if (info.problem) fail(`has a bad schema: ${info.problem}`);
  if (e.op === 'upsert' && (typeof e.row !== 'object' || e.row === null)) fail('is an upsert without a row object');
  if (e.op !== 'upsert' && e.row !== null) fail(`is a ${String(e.op)} and must have row null`);
  const row = checkImage(e.row, 'row', info.columns, fail);
  const before = checkImage(e.before, 'before', info.columns, fail);
  const key = checkImage(e.key, 'key', info.key, fail);
  if (e.op === 'upsert' && row) {
    for (const k of info.key) if (!Object.prototype.hasOwnProperty.call(row, k)) fail(`has a row without key column "${k}"`);
  }
  if (row === e.row && before === e.before && key === e.key) return value as ChangeEvent;
  return { ...(value as ChangeEvent), row, before, key };
}

function schemaInfo(schema: unknown): SchemaInfo {
  if (typeof schema !== 'object' || schema === null) return { problem: 'missing', columns: new Set(), key: new Set() };
  let info = schemaInfos.get(schema);
  if (!info) {
    info = buildSchemaInfo(schema as TableSchema);
    schemaInfos.set(schema, info);
  }
  return info;
}

function buildSchemaInfo(schema: TableSchema): SchemaInfo {
  const columns = new Set<string>();
  const key = new Set<string>();
  const info = (problem: string | null): SchemaInfo => ({ problem, columns, key });
  if (!Array.isArray(schema.columns)) return info('columns is not an array');
  if (!Array.isArray(schema.key)) return info('key is not an array');
  for (const c of schema.columns as readonly unknown[]) {
    const col = c as { name?: unknown; type?: { kind?: unknown } } | null;
    if (typeof col?.name !== 'string' || typeof col.type?.kind !== 'string') return info('a column without name or type');
    if (columns.has(col.name)) return info(`column "${col.name}" appears twice`);
    columns.add(col.name);
  }
  for (const k of schema.key as readonly unknown[]) {
    if (typeof k !== 'string' || !columns.has(k)) return info(`key column ${JSON.stringify(k)} is not a column`);
    key.add(k);
  }
  return info(null);
}

function checkImage(image: unknown, part: string, allowed: ReadonlySet<string>, fail: (d: string) => never): Row | null {
  if (image === null) return null;
  if (typeof image !== 'object' || image === undefined || Array.isArray(image)) fail(`has a ${part} that is not an object or null`);
  const rec = image as Record<string, unknown>;
  const names = Object.keys(rec);
  for (const name of names) {
    if (!allowed.has(name)) {
      fail(part === 'key' ? `has key column "${name}" that is not in schema.key` : `has ${part} column "${name}" that is not in the schema`);
    }
    const problem = valueProblem(rec[name]);
    if (problem) fail(`has ${part} column "${name}" holding ${problem}`);
  }
  if (Object.getPrototypeOf(rec) === null) return rec as Row;
  const copy = newRow();
  for (const name of names) copy[name] = rec[name] as Value | Unchanged;
  return copy;
}

function valueProblem(v: unknown): string | null {
  switch (typeof v) {
    case 'undefined':
      return 'undefined (use null)';
    case 'function':
      return 'a function';
    case 'symbol':
      return v === UNCHANGED ? null : 'a symbol other than UNCHANGED';
    case 'object':
      if (v instanceof Date) return 'a Date (timestamps are ISO strings, see value.ts)';
      return null;
    default:
      return null;
  }
}
