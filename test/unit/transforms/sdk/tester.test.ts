/** The tester must fail for real: wrong outputs, mutation, schema drift, missing or wrong errors. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defineTransform, makeEvent, rowOf, z } from '../../../../transforms/sdk/index.ts';
import type { ChangeEvent, Row } from '../../../../transforms/sdk/index.ts';
import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import renameColumns from '../../../../transforms/builtin/rename-columns.ts';

const meta = { name: 'probe', version: '0.0.1', apiVersion: 1 };
const plugin = (apply: (e: ChangeEvent) => unknown, extra: object = {}) =>
  defineTransform({ meta, options: z.object({}).strict(), create: () => ({ apply: apply as never, ...extra }) });

describe('TransformTester', () => {
  const rename = new TransformTester(renameColumns);

  test('passes a correct case and fails a wrong output, row or schema', async () => {
    const options = { columns: { a: 'b' } };
    await rename.checkValid({ options, input: { row: { id: 1, a: 'x' } }, rows: [{ id: 1, b: 'x' }] });
    await assert.rejects(rename.checkValid({ options, input: { row: { id: 1, a: 'x' } }, rows: [{ id: 1, b: 'y' }] }), /output rows differ/);
    await assert.rejects(rename.checkValid({ options, input: { row: { id: 1, a: 'x' } }, output: { row: { id: 1, a: 'x' } } }), /row differs/);
    await assert.rejects(rename.checkValid({ options, input: { row: { id: 1, a: 'x' } }, output: null }), /expected 0 output event\(s\), got 1/);
    await assert.rejects(
      rename.checkValid({ options, input: { row: { id: 1, a: 'x' } }, output: { types: { b: { kind: 'int', bits: 32 } } } }),
      /type of column "b" differs/,
    );
  });

  test('compares full events whole (source included)', async () => {
    const input = makeEvent({ row: { id: 1, a: 'x' } });
    const expected = makeEvent({ row: { id: 1, b: 'x' } });
    await rename.checkValid({ options: { columns: { a: 'b' } }, input, output: expected });
    const other = { ...expected, source: { ...expected.source, offset: '5' } };
    await assert.rejects(rename.checkValid({ options: { columns: { a: 'b' } }, input, output: other }), /differs/);
  });

  test('a valid case without expectations is a mistake', async () => {
    await assert.rejects(rename.checkValid({ options: { columns: { a: 'b' } }, input: { row: { id: 1 } } }), /must give output, rows or schema/);
  });

  test('detects a plugin that mutates its input row (frozen)', async () => {
    const bad = plugin((e) => {
      (e.row as Record<string, unknown>).id = 2;
      return e;
    });
    await assert.rejects(new TransformTester(bad).checkValid({ input: { row: { id: 1 } }, rows: [{ id: 2 }] }), /apply mutated its input event/);
  });

  test('detects a plugin that mutates a Buffer of its input', async () => {
    const bad = plugin((e) => {
      (e.row?.data as Buffer)[0] = 0x7a;
      return e;
    });
    const tester = new TransformTester(bad);
    await assert.rejects(tester.checkValid({ input: { row: { id: 1, data: Buffer.from('a') } }, rows: [{ id: 1, data: Buffer.from('z') }] }), /apply mutated its input event/);
  });

  test('detects apply output whose schema mapSchema does not announce', async () => {
    const drift = plugin((e) => ({ ...e, schema: { ...e.schema, columns: e.schema.columns.map((c) => ({ ...c, optional: false })) } }));
    const tester = new TransformTester(drift);
    await assert.rejects(tester.checkValid({ input: { row: { id: 1, a: 'x' } }, rows: [{ id: 1, a: 'x' }] }), /mapSchema does not announce/);
    await tester.checkValid({ input: { row: { id: 1, a: 'x' } }, rows: [{ id: 1, a: 'x' }], checkSchema: false });
  });

  test('plain-object rows returned by a plugin are normalized to null-prototype rows', async () => {
    let seen: Row | null = null;
    const plain = plugin((e) => ({ ...e, row: { ...e.row } }));
    const spy = plugin((e) => {
      seen = e.row;
      return e;
    });
    await new TransformTester(plain).checkValid({ input: { row: { id: 1 } }, rows: [{ id: 1 }] });
    await new TransformTester(spy).checkValid({ input: { row: { id: 1 } }, rows: [rowOf({ id: 1 })] });
    assert.equal(Object.getPrototypeOf(seen), null);
  });

  test('invalid cases fail when nothing fails, or when the error differs', async () => {
    await assert.rejects(rename.checkInvalid({ options: { columns: { a: 'b' } }, error: /x/ }), /expected options validation or create\(\) to fail/);
    await assert.rejects(rename.checkInvalid({ options: { columns: { a: 'b' } }, input: { row: { id: 1, a: 1 } }, error: /x/ }), /expected apply to fail/);
    await assert.rejects(rename.checkInvalid({ options: { columns: 1 }, error: 'CDC_TRANSFORM_FAILED' }), /expected error code CDC_TRANSFORM_FAILED, got CDC_TRANSFORM_LOAD/);
    await assert.rejects(rename.checkInvalid({ options: { columns: 1 }, error: /nothing like this/ }), /did not match the regular expression/);
    await rename.checkInvalid({ options: { columns: 1 }, error: { code: 'CDC_TRANSFORM_LOAD', message: 'option "columns"' } });
  });

  test('apply errors and bad results carry their codes', async () => {
    await new TransformTester(plugin(() => { throw new Error('boom'); })).checkInvalid({ input: { row: { id: 1 } }, error: { code: 'CDC_TRANSFORM_FAILED', message: /boom/ } });
    await new TransformTester(plugin(() => 42)).checkInvalid({ input: { row: { id: 1 } }, error: { code: 'CDC_TRANSFORM_BAD_RESULT', message: /is a number/ } });
  });
});
