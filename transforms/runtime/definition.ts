/** Checks a plugin module's default export, validates options, creates instances. */
import type { TableId } from '../../connectors/core/change-event.ts';
import { tableIdText } from '../../connectors/core/change-event.ts';
import { errorText } from '../../connectors/core/errors.ts';
import { API_VERSION } from '../sdk/types.ts';
import type { Transform, TransformDefinition, TransformLogger } from '../sdk/types.ts';
import { loadError } from './errors.ts';

/** The exported value must look like what defineTransform returns (checked structurally). */
export function checkDefinition(value: unknown, use: string): TransformDefinition {
  const problem = definitionProblem(value);
  if (problem) {
    throw loadError(
      `transform "${use}": the module's default export is not a transform definition (${problem}); ` +
        'export default defineTransform({ meta, options, create }) from the transforms SDK',
    );
  }
  const def = value as TransformDefinition;
  if (def.meta.apiVersion !== API_VERSION) {
    throw loadError(
      `transform "${def.meta.name}" (${use}, version ${def.meta.version}) is written for plugin API version ` +
        `${def.meta.apiVersion}, but this cdc-sink supports API version ${API_VERSION}`,
    );
  }
  return def;
}

function definitionProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `got ${value === null ? 'null' : typeof value}`;
  const v = value as Record<string, unknown>;
  const meta = v.meta as Record<string, unknown> | undefined;
  if (typeof meta !== 'object' || meta === null) return 'missing meta';
  if (typeof meta.name !== 'string' || meta.name === '') return 'meta.name must be a non-empty string';
  if (typeof meta.version !== 'string') return 'meta.version must be a string';
  if (typeof meta.apiVersion !== 'number') return 'meta.apiVersion must be a number';
  const options = v.options as { safeParse?: unknown } | undefined;
  if (typeof options !== 'object' || options === null || typeof options.safeParse !== 'function') {
    return 'options must be a zod schema';
  }
  if (typeof v.create !== 'function') return 'create must be a function';
  return null;
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly expected?: string;
  /** invalid_union: the issues of each alternative. */
  readonly errors?: readonly (readonly Issue[])[];
}

/**
 * Parses raw options with the plugin's schema (absent options are parsed as {}); the error names
 * plugin, table and option path.
 */
export function validateOptions(def: TransformDefinition, raw: unknown, use: string, where: string): unknown {
  const result = def.options.safeParse(raw === undefined ? {} : raw);
  if (result.success) return result.data;
  const issues = (result.error as { issues?: readonly Issue[] }).issues ?? [];
  const text = issues.length === 0 ? errorText(result.error) : issues.flatMap((i) => explainUnion(i, [])).map(issueText).join('; ');
  throw loadError(`transform "${def.meta.name}"${use === def.meta.name ? '' : ` (${use})`} for ${where}: invalid options: ${text}`, result.error, where);
}

/**
 * zod reports a failed union as "Invalid input"; show instead the issues of the alternative whose
 * type matched the input (e.g. the string form of "string or object" options).
 */
function explainUnion(issue: Issue, prefix: readonly PropertyKey[]): Issue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || !issue.errors || issue.errors.length === 0) return [{ ...issue, path }];
  const typeMismatch = (branch: readonly Issue[]) => branch.some((i) => i.code === 'invalid_type' && i.path.length === 0);
  const best = issue.errors.find((b) => b.length > 0 && !typeMismatch(b));
  if (!best) {
    const expected = [...new Set(issue.errors.flatMap((b) => b.map((i) => i.expected).filter((e) => e !== undefined)))];
    return [{ ...issue, path, message: expected.length ? `Invalid input: expected ${expected.join(' or ')}` : issue.message }];
  }
  return best.flatMap((i) => explainUnion(i, path));
}

function issueText(issue: Issue): string {
  let path = '';
  for (const p of issue.path) path += typeof p === 'number' ? `[${p}]` : path === '' ? String(p) : `.${String(p)}`;
  return `option "${path === '' ? '(options)' : path}": ${issue.message}`;
}

export interface InstantiateContext {
  readonly table: TableId;
  readonly logger: TransformLogger;
  readonly use: string;
}

/** create(options, ctx) and a shape check of the runtime object it returns. */
export async function instantiate(def: TransformDefinition, options: unknown, ctx: InstantiateContext): Promise<Transform> {
  const where = `transform "${def.meta.name}" for ${tableIdText(ctx.table)}`;
  let instance: unknown;
  try {
    instance = await def.create(options, { table: ctx.table, logger: ctx.logger, name: def.meta.name });
  } catch (err) {
    throw loadError(`${where}: create() failed: ${errorText(err)}`, err, tableIdText(ctx.table));
  }
  const t = instance as Partial<Record<keyof Transform, unknown>> | null;
  if (typeof t !== 'object' || t === null || typeof t.apply !== 'function') {
    throw loadError(`${where}: create() must return an object with an apply(event) method`, undefined, tableIdText(ctx.table));
  }
  for (const m of ['mapSchema', 'close'] as const) {
    if (t[m] !== undefined && typeof t[m] !== 'function') {
      throw loadError(`${where}: ${m} must be a function when present`, undefined, tableIdText(ctx.table));
    }
  }
  return t as Transform;
}
