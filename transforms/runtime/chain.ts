/**
 * TableTransforms: the chain of plugin instances for one source table. apply runs the steps in
 * order (a step's array output is flattened, null drops the event), times each plugin call and
 * reports it to the observer, and wraps failures with the transform, table and record.
 */
import type { ChangeEvent, TableId } from '../../connectors/core/change-event.ts';
import type { TableSchema } from '../../connectors/core/column-type.ts';
import { errorText } from '../../connectors/core/errors.ts';
import type { ApplyResult, SchemaMapping, Transform, TransformLogger } from '../sdk/types.ts';
import type { OnErrorPolicy } from './config.ts';
import { applyError, mapSchemaError } from './errors.ts';
import type { StepLabel } from './errors.ts';
import { checkResult } from './result.ts';

/** Receives per-plugin timings and failures (the service wires it to Prometheus). */
export interface TransformObserver {
  transformApplied(name: string, seconds: number): void;
  transformFailed(name: string, err: unknown): void;
}

export const NOOP_OBSERVER: TransformObserver = { transformApplied: () => {}, transformFailed: () => {} };

export interface TableTransforms {
  /** The source table this chain serves. */
  readonly table: TableId;
  /** True when no transform applies: apply returns [event] and mapSchema is the identity. */
  readonly isIdentity: boolean;
  /** meta.name of each step, in order. */
  readonly names: readonly string[];
  /** The policy for events the chain rejects (the strictest of the matching entries). */
  readonly onError: OnErrorPolicy;
  /** The events to write for `event`: none (dropped), one, or several (a split). */
  apply(event: ChangeEvent): Promise<ChangeEvent[]>;
  /** The primary target table and schema for events of (table, schema). */
  mapSchema(table: TableId, schema: TableSchema): SchemaMapping;
  /** Every target table and schema the chain produces for (table, schema) (several for a split). */
  mapSchemas(table: TableId, schema: TableSchema): SchemaMapping[];
  /** Closes every plugin instance once; never rejects (failures are logged). */
  close(): Promise<void>;
}

export interface ChainStep {
  readonly label: StepLabel;
  readonly transform: Transform;
}

export function identityChain(table: TableId): TableTransforms {
  return {
    table,
    isIdentity: true,
    names: [],
    onError: 'fail',
    apply: (event) => Promise.resolve([event]),
    mapSchema: (t, schema) => ({ table: t, schema }),
    mapSchemas: (t, schema) => [{ table: t, schema }],
    close: () => Promise.resolve(),
  };
}

export function createChain(
  table: TableId,
  steps: readonly ChainStep[],
  onError: OnErrorPolicy,
  observer: TransformObserver,
  logger: TransformLogger,
): TableTransforms {
  if (steps.length === 0) return identityChain(table);
  let closed: Promise<void> | null = null;
  const mapSchemas = (t: TableId, schema: TableSchema): SchemaMapping[] => {
    let current: SchemaMapping[] = [{ table: t, schema }];
    for (const step of steps) current = current.flatMap((m) => mapOne(step, m));
    return current;
  };
  return {
    table,
    isIdentity: false,
    names: steps.map((s) => s.label.name),
    onError,
    apply: (event) => runChain(steps, event, observer),
    mapSchemas,
    mapSchema: (t, schema) => {
      const all = mapSchemas(t, schema);
      return all[0] ?? { table: t, schema };
    },
    close: () => (closed ??= closeAll(steps, logger)),
  };
}

/** Applies one step to one event: timed, observed, checked. */
export async function applyStep(step: ChainStep, event: ChangeEvent, observer: TransformObserver): Promise<ChangeEvent[]> {
  const started = performance.now();
  let result: ApplyResult;
  try {
    const out = step.transform.apply(event);
    result = isThenable(out) ? await out : out;
  } catch (err) {
    const wrapped = applyError(step.label, event, err);
    observer.transformFailed(step.label.name, wrapped);
    throw wrapped;
  }
  observer.transformApplied(step.label.name, (performance.now() - started) / 1000);
  try {
    return checkResult(result, step.label, event);
  } catch (err) {
    observer.transformFailed(step.label.name, err);
    throw err;
  }
}

async function runChain(steps: readonly ChainStep[], event: ChangeEvent, observer: TransformObserver): Promise<ChangeEvent[]> {
  let events: ChangeEvent[] = [event];
  for (const step of steps) {
    if (events.length === 1) {
      events = await applyStep(step, events[0] as ChangeEvent, observer);
    } else {
      const next: ChangeEvent[] = [];
      for (const e of events) next.push(...(await applyStep(step, e, observer)));
      events = next;
    }
    if (events.length === 0) break;
  }
  return events;
}

function mapOne(step: ChainStep, input: SchemaMapping): SchemaMapping[] {
  if (!step.transform.mapSchema) return [input];
  let out: unknown;
  try {
    out = step.transform.mapSchema(input);
  } catch (err) {
    throw mapSchemaError(step.label, errorText(err), err);
  }
  const list: unknown[] = Array.isArray(out) ? out : [out];
  for (const m of list) {
    const mapping = m as Partial<SchemaMapping> | null;
    const ok =
      typeof mapping === 'object' && mapping !== null &&
      typeof mapping.table?.name === 'string' &&
      Array.isArray(mapping.schema?.columns) && Array.isArray(mapping.schema?.key);
    if (!ok) throw mapSchemaError(step.label, 'mapSchema must return { table, schema } (or an array of them)');
  }
  return list as SchemaMapping[];
}

async function closeAll(steps: readonly ChainStep[], logger: TransformLogger): Promise<void> {
  for (const step of steps) {
    try {
      await step.transform.close?.();
    } catch (err) {
      logger.error({ err, transform: step.label.name }, `closing ${step.label.name}: ${errorText(err)}`);
    }
  }
}

function isThenable(v: unknown): v is PromiseLike<ApplyResult> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
