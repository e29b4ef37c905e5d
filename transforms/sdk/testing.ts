/**
 * TransformTester: table-driven tests for a transform plugin, in the spirit of ESLint's RuleTester.
 *
 *   new TransformTester(definition).run('rename-columns', {
 *     valid: [{ options: {...}, input: { row: { id: 1, a: 'x' } }, output: { row: { id: 1, b: 'x' } } }],
 *     invalid: [{ options: { columns: 42 }, error: /option "columns"/ }],
 *   });
 *
 * Each case goes through the same runtime code as the service (options validation, create, apply,
 * result checks, mapSchema). Inputs are deep-frozen copies, and compared with a snapshot after
 * apply, so a plugin that mutates its input fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeEvent, TableId } from '../../connectors/core/change-event.ts';
import { tableIdText } from '../../connectors/core/change-event.ts';
import { CdcSinkError } from '../../connectors/core/errors.ts';
import { NOOP_OBSERVER, createChain } from '../runtime/chain.ts';
import type { TableTransforms } from '../runtime/chain.ts';
import { instantiate, validateOptions } from '../runtime/definition.ts';
import { deepClone, deepFreeze, normalizeEvent, normalizeRow, normalizeSchema } from './compare.ts';
import { DEFAULT_TABLE, makeEvent, parseTableText } from './make-event.ts';
import type { EventSpec } from './make-event.ts';
import type { Cell } from './rows.ts';
import type { SchemaMapping, TransformDefinition, TransformLogger } from './types.ts';

/** A full ChangeEvent (all seven fields present), or a compact EventSpec turned into one by makeEvent. */
export type EventInput = ChangeEvent | EventSpec;

/**
 * Expected output: a full ChangeEvent is compared whole; an EventSpec compares only the fields it
 * gives (table, op, row, key, before, schema, types, source fields).
 */
export type ExpectedEvent = ChangeEvent | EventSpec;

interface BaseCase {
  /** Test name (default: derived from the options). */
  readonly name?: string;
  /** Raw options, as they would appear in YAML. */
  readonly options?: unknown;
  /** ctx.table (default: the first input's table, else the tester's table). */
  readonly table?: TableId | string;
  readonly only?: boolean;
  readonly skip?: boolean;
}

export interface ValidCase extends BaseCase {
  /** One input or several (applied in order to one instance; outputs concatenated). */
  readonly input: EventInput | readonly EventInput[];
  /** Expected events; null or [] means every input is dropped. */
  readonly output?: ExpectedEvent | readonly ExpectedEvent[] | null;
  /** Expected output rows (event.row of each output event; null for deletes and truncates). */
  readonly rows?: readonly (Readonly<Record<string, Cell>> | null)[];
  /** Expected mapSchema result for the first input's table and schema (the primary mapping). */
  readonly schema?: { readonly table?: TableId | string; readonly schema?: ChangeEvent['schema'] };
  /** Check that every output event's table and schema is one mapSchema announces (default true). */
  readonly checkSchema?: boolean;
}

/** Expected error: a string is the error code, a RegExp tests the message, or both. */
export type ExpectedError = string | RegExp | { readonly code?: string; readonly message?: RegExp | string };

export interface InvalidCase extends BaseCase {
  /** Without input the error is expected from options validation or create(). */
  readonly input?: EventInput | readonly EventInput[];
  readonly error: ExpectedError;
}

export interface TesterOptions {
  /** Default ctx.table and default table of compact inputs (public.example). */
  readonly table?: TableId | string;
  readonly logger?: TransformLogger;
}

const SILENT: TransformLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const EVENT_FIELDS = ['op', 'table', 'key', 'row', 'before', 'schema', 'source'] as const;

export class TransformTester {
  readonly #def: TransformDefinition;
  readonly #table: TableId;
  readonly #logger: TransformLogger;

  constructor(definition: TransformDefinition, options: TesterOptions = {}) {
    this.#def = definition;
    this.#table = toTable(options.table) ?? DEFAULT_TABLE;
    this.#logger = options.logger ?? SILENT;
  }

  /** Registers one node:test suite with a test per case. */
  run(name: string, cases: { readonly valid?: readonly ValidCase[]; readonly invalid?: readonly InvalidCase[] }): void {
    void describe(name, () => {
      for (const [i, c] of (cases.valid ?? []).entries()) {
        void it(c.name ?? `valid #${i + 1} ${short(c.options)}`, { only: c.only, skip: c.skip }, () => this.checkValid(c));
      }
      for (const [i, c] of (cases.invalid ?? []).entries()) {
        void it(c.name ?? `invalid #${i + 1} ${short(c.options)}`, { only: c.only, skip: c.skip }, () => this.checkInvalid(c));
      }
    });
  }

  /** Runs one valid case; rejects with an AssertionError when it does not hold. */
  async checkValid(c: ValidCase): Promise<void> {
    if (c.output === undefined && c.rows === undefined && c.schema === undefined) {
      throw new TypeError('a valid case must give output, rows or schema to compare against');
    }
    const inputs = toEvents(c.input, this.#table);
    const chain = await this.#create(c, inputs);
    try {
      const outputs: ChangeEvent[] = [];
      for (const input of inputs) outputs.push(...(await applyChecked(chain, input)));
      if (c.output !== undefined) compareOutput(outputs, c.output);
      if (c.rows !== undefined) {
        assert.deepStrictEqual(outputs.map((e) => normalizeRow(e.row)), c.rows.map(normalizeRow), 'output rows differ');
      }
      const first = inputs[0];
      if (c.schema !== undefined && first) {
        const mapped = chain.mapSchema(first.table, first.schema);
        if (c.schema.table !== undefined) assert.deepStrictEqual(plainTable(mapped.table), plainTable(toTable(c.schema.table) as TableId), 'mapSchema table differs');
        if (c.schema.schema !== undefined) assert.deepStrictEqual(normalizeSchema(mapped.schema), normalizeSchema(c.schema.schema), 'mapSchema schema differs');
      }
      if (c.checkSchema !== false) checkSchemaConsistency(chain, inputs, outputs);
    } finally {
      await chain.close();
    }
  }

  /** Runs one invalid case; rejects when no error, or a different one, is raised. */
  async checkInvalid(c: InvalidCase): Promise<void> {
    const inputs = c.input === undefined ? [] : toEvents(c.input, this.#table);
    let chain: TableTransforms | null = null;
    let error: unknown = null;
    try {
      chain = await this.#create(c, inputs);
      for (const input of inputs) await applyChecked(chain, input);
    } catch (err) {
      error = err;
    } finally {
      await chain?.close();
    }
    if (error === null) assert.fail(c.input === undefined ? 'expected options validation or create() to fail' : 'expected apply to fail, it succeeded');
    if (error instanceof assert.AssertionError) throw error;
    matchError(error, c.error);
  }

  async #create(c: BaseCase, inputs: readonly ChangeEvent[]): Promise<TableTransforms> {
    const table = toTable(c.table) ?? inputs[0]?.table ?? this.#table;
    const name = this.#def.meta.name;
    const options = validateOptions(this.#def, c.options, name, `table ${tableIdText(table)}`);
    const transform = await instantiate(this.#def, options, { table, logger: this.#logger, use: name });
    return createChain(table, [{ label: { name, use: name, index: 0, table }, transform }], 'fail', NOOP_OBSERVER, this.#logger);
  }
}

/** Applies to a deep-frozen copy, then checks the copy still equals the original. */
async function applyChecked(chain: TableTransforms, input: ChangeEvent): Promise<ChangeEvent[]> {
  const given = deepFreeze(deepClone(input));
  let out: ChangeEvent[];
  try {
    out = await chain.apply(given);
  } catch (err) {
    const cause = err instanceof Error ? err.cause : undefined;
    if (cause instanceof TypeError && /read.only|not extensible|Cannot (add|delete|assign|define)/i.test(cause.message)) {
      assert.fail(`apply mutated its input event (inputs are frozen in the tester): ${cause.message}`);
    }
    throw err;
  }
  assert.deepStrictEqual(given, input, 'apply mutated its input event');
  return out;
}

function compareOutput(actual: readonly ChangeEvent[], expected: ExpectedEvent | readonly ExpectedEvent[] | null): void {
  const list: readonly ExpectedEvent[] = expected === null ? [] : Array.isArray(expected) ? expected : [expected as ExpectedEvent];
  assert.equal(actual.length, list.length, `expected ${list.length} output event(s), got ${actual.length}: ${short(actual.map((e) => `${e.op} ${tableIdText(e.table)}`))}`);
  list.forEach((exp, i) => {
    const act = actual[i] as ChangeEvent;
    const what = `output event [${i}]`;
    if (isFullEvent(exp)) {
      assert.deepStrictEqual(normalizeEvent(act), normalizeEvent(exp), `${what} differs`);
      return;
    }
    const spec = exp;
    if (spec.table !== undefined) assert.deepStrictEqual(plainTable(act.table), plainTable(toTable(spec.table) as TableId), `${what}: table differs`);
    if (spec.op !== undefined) assert.equal(act.op, spec.op, `${what}: op differs`);
    if (spec.row !== undefined) assert.deepStrictEqual(normalizeRow(act.row), normalizeRow(spec.row), `${what}: row differs`);
    if (spec.before !== undefined) assert.deepStrictEqual(normalizeRow(act.before), normalizeRow(spec.before), `${what}: before differs`);
    if (Array.isArray(spec.key)) assert.deepStrictEqual(act.key ? Object.keys(act.key) : null, [...(spec.key as string[])], `${what}: key columns differ`);
    else if (spec.key !== undefined) assert.deepStrictEqual(normalizeRow(act.key), normalizeRow(spec.key), `${what}: key differs`);
    if (spec.schema !== undefined) assert.deepStrictEqual(normalizeSchema(act.schema), normalizeSchema(spec.schema), `${what}: schema differs`);
    for (const [column, type] of Object.entries(spec.types ?? {})) {
      assert.deepStrictEqual(act.schema.columns.find((c) => c.name === column)?.type, type, `${what}: type of column "${column}" differs`);
    }
    for (const [field, value] of Object.entries(spec.source ?? {})) {
      assert.deepStrictEqual((act.source as unknown as Record<string, unknown>)[field], value, `${what}: source.${field} differs`);
    }
  });
}

function checkSchemaConsistency(chain: TableTransforms, inputs: readonly ChangeEvent[], outputs: readonly ChangeEvent[]): void {
  const announced = inputs.flatMap((e) => (e.op === 'truncate' ? [] : chain.mapSchemas(e.table, e.schema)));
  for (const out of outputs) {
    if (out.op === 'truncate') continue;
    const found = announced.some((m: SchemaMapping) => sameTable(m.table, out.table) && isDeepEqual(normalizeSchema(m.schema), normalizeSchema(out.schema)));
    if (!found) {
      assert.fail(
        `output ${out.op} for ${tableIdText(out.table)} has a table/schema that mapSchema does not announce ` +
          `(mapSchema gives ${announced.map((m) => tableIdText(m.table)).join(', ') || 'nothing'}); ` +
          'make mapSchema describe what apply produces, or set checkSchema: false',
      );
    }
  }
}

function matchError(error: unknown, expected: ExpectedError): void {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const want = typeof expected === 'string' ? { code: expected } : expected instanceof RegExp ? { message: expected } : expected;
  if (want.code !== undefined) {
    assert.ok(error instanceof CdcSinkError, `expected a CdcSinkError, got: ${message}`);
    assert.equal(error.code, want.code, `expected error code ${want.code}, got ${error.code}: ${message}`);
  }
  if (want.message instanceof RegExp) assert.match(message, want.message);
  else if (want.message !== undefined) assert.ok(message.includes(want.message), `expected the error message to include ${JSON.stringify(want.message)}, got: ${message}`);
}

function toEvents(input: EventInput | readonly EventInput[], table: TableId): ChangeEvent[] {
  const list: readonly EventInput[] = Array.isArray(input) ? input : [input as EventInput];
  return list.map((x) => (isFullEvent(x) ? x : makeEvent({ table, ...x })));
}

function isFullEvent(x: EventInput): x is ChangeEvent {
  return EVENT_FIELDS.every((f) => Object.prototype.hasOwnProperty.call(x, f));
}

function toTable(t: TableId | string | undefined): TableId | undefined {
  return typeof t === 'string' ? parseTableText(t) : t;
}

function plainTable(t: TableId): TableId {
  return { namespace: t.namespace, name: t.name };
}

function sameTable(a: TableId, b: TableId): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function short(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? '';
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
