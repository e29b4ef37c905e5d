/**
 * filter-rows: keep or drop events by op and by column values.
 *   - use: filter-rows
 *     options:
 *       drop: { where: [{ column: status, in: [archived, deleted] }] }
 *   - use: filter-rows
 *     options: { keep: { op: upsert } }                       # ignore deletes (and truncates)
 *   - use: filter-rows
 *     options: { keep: { any: [{ column: region, equals: eu }, { column: region, isNull: true }] } }
 * A condition holds when op / sourceOp (if given) match, every `where` rule holds and (if given)
 * one `any` rule holds. Tests: equals, notEquals, in, notIn, regex (unanchored), isNull (true/false).
 * Numbers compare numerically (5 equals 5n and "5.00"), other values as text.
 *
 * What a rule sees: the row for upserts. A delete has no row: it sees its key values plus the before
 * image when the source sent one (PostgreSQL REPLICA IDENTITY FULL, MySQL binlog_row_image=FULL).
 * When the column is not there (a non-key column of a key-only delete) or is UNCHANGED (TOAST), the
 * rule's onMissing decides the event: keep (default; deleting a row the target may not hold is
 * harmless), drop, or error. Truncates have no rows: only op/sourceOp can select them; a condition
 * with rules alone lets them pass.
 */
import { z } from 'zod';
import type { ChangeEvent, Row, Value } from '../sdk/index.ts';
import { defineTransform, hasCell, isUnchanged } from '../sdk/index.ts';
import { columnName, regexSchema } from './lib/common.ts';
import { parseDecimal } from './lib/decimal.ts';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
type Scalar = z.infer<typeof scalar>;
const onMissing = z.enum(['keep', 'drop', 'error']);
const ops = z.enum(['upsert', 'delete', 'truncate']);
const sourceOps = z.enum(['c', 'u', 'd', 'r', 't', 'tombstone']);
const TESTS = ['equals', 'notEquals', 'in', 'notIn', 'regex', 'isNull'] as const;

const rule = z
  .object({
    column: columnName,
    equals: scalar.optional(),
    notEquals: scalar.optional(),
    in: z.array(scalar).optional(),
    notIn: z.array(scalar).optional(),
    regex: regexSchema('regex').optional(),
    isNull: z.boolean().optional(),
    onMissing: onMissing.optional().describe('when the column is absent or UNCHANGED (default: the top-level onMissing)'),
  })
  .strict()
  .refine((r) => TESTS.filter((t) => r[t] !== undefined).length === 1, { message: `give exactly one of ${TESTS.join(', ')}` });
type Rule = z.infer<typeof rule>;

const condition = z
  .object({
    op: z.union([ops, z.array(ops)]).optional(),
    sourceOp: z.union([sourceOps, z.array(sourceOps)]).optional(),
    where: z.array(rule).optional().describe('rules that must all hold'),
    any: z.array(rule).min(1).optional().describe('rules of which one must hold'),
  })
  .strict()
  .refine((c) => c.op !== undefined || c.sourceOp !== undefined || c.where !== undefined || c.any !== undefined, {
    message: 'give op, sourceOp, where or any',
  });
type Condition = z.infer<typeof condition>;

const options = z
  .object({
    keep: condition.optional().describe('keep only the events this condition holds for'),
    drop: condition.optional().describe('drop the events this condition holds for'),
    onMissing: onMissing.default('keep'),
  })
  .strict()
  .refine((o) => (o.keep === undefined) !== (o.drop === undefined), { message: 'give exactly one of keep, drop' });

/** true / false, or a decision forced by onMissing. */
type Outcome = boolean | 'keep' | 'drop';

export default defineTransform({
  meta: { name: 'filter-rows', version: '1.0.0', apiVersion: 1, description: 'Keep or drop events by op and column values' },
  options,
  create(opts) {
    const cond = (opts.keep ?? opts.drop) as Condition;
    const keepMode = opts.keep !== undefined;
    const opSet = toSet(cond.op);
    const sourceOpSet = toSet(cond.sourceOp);
    const where = (cond.where ?? []).map((r) => compileRule(r, opts.onMissing));
    const any = (cond.any ?? []).map((r) => compileRule(r, opts.onMissing));
    const hasRules = where.length + any.length > 0;

    const holds = (event: ChangeEvent): Outcome => {
      if (opSet && !opSet.has(event.op)) return false;
      if (sourceOpSet && !sourceOpSet.has(event.source.sourceOp)) return false;
      if (event.op === 'truncate') return opSet || sourceOpSet ? true : 'keep';
      if (!hasRules) return true;
      const image = event.op === 'upsert' ? (event.row as Row) : deleteImage(event);
      for (const test of where) {
        const r = test(image);
        if (r !== true) return r;
      }
      if (any.length === 0) return true;
      let forced: Outcome | null = null;
      for (const test of any) {
        const r = test(image);
        if (r === true) return true;
        if (r !== false) forced ??= r;
      }
      return forced ?? false;
    };

    return {
      apply(event) {
        const r = holds(event);
        const keep = r === 'keep' || (r !== 'drop' && r === keepMode);
        return keep ? event : null;
      },
    };
  },
});

function toSet<T>(v: T | readonly T[] | undefined): ReadonlySet<T> | null {
  if (v === undefined) return null;
  return new Set(Array.isArray(v) ? (v as readonly T[]) : [v as T]);
}

function deleteImage(event: ChangeEvent): Row {
  if (!event.before) return event.key ?? {};
  if (!event.key) return event.before;
  return { ...event.before, ...event.key };
}

function compileRule(r: Rule, defaultOnMissing: 'keep' | 'drop' | 'error'): (image: Row) => Outcome {
  const missing = r.onMissing ?? defaultOnMissing;
  const test = compileTest(r);
  return (image) => {
    const v = hasCell(image, r.column) ? image[r.column] : undefined;
    if (v === undefined || isUnchanged(v)) {
      if (missing === 'error') throw new Error(`filter on column "${r.column}": the event has no value for it (${v === undefined ? 'absent' : 'UNCHANGED'})`);
      return missing;
    }
    return test(v);
  };
}

function compileTest(r: Rule): (v: Value) => boolean {
  if (r.equals !== undefined) return (v) => sameValue(v, r.equals as Scalar);
  if (r.notEquals !== undefined) return (v) => !sameValue(v, r.notEquals as Scalar);
  if (r.in !== undefined) return (v) => (r.in as Scalar[]).some((x) => sameValue(v, x));
  if (r.notIn !== undefined) return (v) => !(r.notIn as Scalar[]).some((x) => sameValue(v, x));
  if (r.regex !== undefined) {
    const re = new RegExp(r.regex);
    return (v) => v !== null && re.test(textOf(v));
  }
  return r.isNull ? (v) => v === null : (v) => v !== null;
}

function sameValue(actual: Value, expected: Scalar): boolean {
  if (expected === null || actual === null) return actual === expected;
  if (typeof actual === 'boolean' || typeof expected === 'boolean') return textOf(actual) === String(expected);
  const a = numericText(actual);
  const b = numericText(expected);
  if (a !== null && b !== null && (typeof actual !== 'string' || typeof expected !== 'string')) return a === b;
  return textOf(actual) === String(expected);
}

function textOf(v: Value): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** Canonical decimal text ("5.00" -> "5", "-0" -> "0"), or null when not a number. */
function numericText(v: Value | Scalar): string | null {
  if (typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'string') return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const p = parseDecimal(String(v));
  if (!p) return null;
  const frac = p.frac.replace(/0+$/, '');
  const body = (p.int === '' ? '0' : p.int) + (frac ? `.${frac}` : '');
  return p.negative && body !== '0' ? `-${body}` : body;
}
