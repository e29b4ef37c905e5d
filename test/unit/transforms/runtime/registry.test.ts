import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CdcSinkError } from '../../../../connectors/core/errors.ts';
import { buildTransformRegistry } from '../../../../transforms/runtime/registry.ts';
import type { TransformObserver } from '../../../../transforms/runtime/chain.ts';
import { makeEvent } from '../../../../transforms/sdk/index.ts';
import type { TableId } from '../../../../transforms/sdk/index.ts';
import { calls } from '../fixtures/good-plugin.ts';
import { writeJsPlugin } from '../fixtures/js-plugin.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const customers: TableId = { namespace: 'inventory', name: 'customers' };

function recorder() {
  const applied: [string, number][] = [];
  const failed: [string, unknown][] = [];
  const observer: TransformObserver = {
    transformApplied: (name, seconds) => applied.push([name, seconds]),
    transformFailed: (name, err) => failed.push([name, err]),
  };
  return { observer, applied, failed };
}

function logger() {
  const lines: { bindings: Record<string, unknown>; msg: unknown }[] = [];
  const make = (bindings: Record<string, unknown>) => ({
    debug: (_o: unknown, msg?: string) => lines.push({ bindings, msg }),
    info: () => {},
    warn: () => {},
    error: (_o: unknown, msg?: string) => lines.push({ bindings, msg }),
    child: (b: Record<string, unknown>) => make({ ...bindings, ...b }),
  });
  return { logger: make({}), lines };
}

const event = (table: TableId, row: Record<string, string | number>) => makeEvent({ table, row, source: { topic: 'pg.inventory.customers', partition: 2, offset: '41' } });

describe('TransformRegistry chains', () => {
  test('entries matching one table are concatenated in file order; each step sees the previous output', async () => {
    const { observer, applied } = recorder();
    const js = await writeJsPlugin();
    const registry = buildTransformRegistry(
      [
        { match: 'inventory.*', chain: [{ use: 'rename-columns', options: { columns: { nm: 'name' } } }] },
        { match: 'sales.*', chain: [{ use: 'drop-columns', options: { columns: ['name'] } }] },
        {
          match: 'inventory.customers',
          chain: [
            { use: './good-plugin.ts', options: { column: 'name' } },
            { use: js.file, options: { suffix: '!' } },
          ],
        },
      ],
      { baseDir: fixtures, observer },
    );
    await registry.ready();
    const chain = await registry.forTable(customers);
    assert.equal(chain.isIdentity, false);
    assert.deepEqual(chain.names, ['rename-columns', 'upper-case', 'js-suffix']);
    const out = await chain.apply(event(customers, { id: 1, nm: 'ann' }));
    assert.equal(out.length, 1);
    assert.deepEqual({ ...out[0]?.row }, { id: 1, name: 'ANN!' });
    assert.deepEqual(applied.map(([n]) => n), ['rename-columns', 'upper-case', 'js-suffix']);
    assert.ok(applied.every(([, s]) => typeof s === 'number' && s >= 0 && Number.isFinite(s)));
    assert.equal(await registry.forTable({ namespace: 'inventory', name: 'customers' }), chain, 'cached per table');
    await registry.close();
    await js.remove();
  });

  test('plugin instances are created per table with ctx (table, name, child logger) and closed once', async () => {
    const { logger: log, lines } = logger();
    calls.created.length = 0;
    calls.closed.length = 0;
    const registry = buildTransformRegistry([{ match: 'inventory.*', chain: [{ use: './good-plugin.ts', options: { column: 'name' } }] }], { baseDir: fixtures, logger: log });
    const a = await registry.forTable(customers);
    await registry.forTable(customers);
    await registry.forTable({ namespace: 'inventory', name: 'orders' });
    assert.deepEqual(
      calls.created.map((c) => [c.table.name, c.name, c.column]),
      [
        ['customers', 'upper-case', 'name'],
        ['orders', 'upper-case', 'name'],
      ],
    );
    assert.deepEqual(lines[0]?.bindings, { transform: 'upper-case', table: 'inventory.customers' });
    await a.close();
    await a.close();
    assert.deepEqual(calls.closed, ['inventory.customers:name']);
    await registry.close();
    assert.deepEqual(calls.closed.sort(), ['inventory.customers:name', 'inventory.orders:name']);
    await assert.rejects(registry.forTable(customers), /closed/);
  });

  test('tables without a matching entry get an identity chain', async () => {
    const registry = buildTransformRegistry([{ match: 'inventory.customers', chain: [{ use: 'drop-columns', options: { columns: ['x'] } }] }], { baseDir: fixtures });
    assert.equal(registry.hasTransforms(customers), true);
    assert.equal(registry.hasTransforms({ namespace: 'inventory', name: 'orders' }), false);
    const chain = await registry.forTable({ namespace: 'inventory', name: 'orders' });
    assert.equal(chain.isIdentity, true);
    const e = event({ namespace: 'inventory', name: 'orders' }, { id: 1 });
    const out = await chain.apply(e);
    assert.equal(out.length, 1);
    assert.equal(out[0], e);
    assert.deepEqual(chain.mapSchema(e.table, e.schema), { table: e.table, schema: e.schema });
  });

  test('onError is the strictest policy of the matching entries', async () => {
    const registry = buildTransformRegistry(
      [
        { match: 'inventory.*', onError: 'skip', chain: [{ use: 'drop-columns', options: { columns: ['x'], ifMissing: 'ignore' } }] },
        { match: 'inventory.orders', onError: 'dead-letter', chain: [{ use: 'drop-columns', options: { columns: ['y'], ifMissing: 'ignore' } }] },
        { match: 'inventory.customers', chain: [{ use: 'drop-columns', options: { columns: ['y'], ifMissing: 'ignore' } }] },
      ],
      { baseDir: fixtures },
    );
    assert.equal((await registry.forTable({ namespace: 'inventory', name: 'parts' })).onError, 'skip');
    assert.equal((await registry.forTable({ namespace: 'inventory', name: 'orders' })).onError, 'dead-letter');
    assert.equal((await registry.forTable(customers)).onError, 'fail');
  });

  test('a throwing plugin: TRANSFORM_FAILED, kind data, naming transform, table and record; observer told', async () => {
    const { observer, failed } = recorder();
    const registry = buildTransformRegistry([{ match: 'inventory.customers', chain: [{ use: 'rename-columns', options: { columns: { a: 'b' }, ifMissing: 'ignore' } }, { use: './throws.ts' }] }], {
      baseDir: fixtures,
      observer,
    });
    const chain = await registry.forTable(customers);
    await assert.rejects(chain.apply(event(customers, { id: 7 })), (err: CdcSinkError) => {
      assert.equal(err.code, 'CDC_TRANSFORM_FAILED');
      assert.equal(err.kind, 'data');
      assert.equal(err.table, 'inventory.customers');
      assert.deepEqual(err.location, { topic: 'pg.inventory.customers', partition: 2, offset: '41', key: 'id=7' });
      assert.match(err.message, /transform "always-throws" \(\.\/throws\.ts\), step 2 of the chain for inventory\.customers failed on upsert of inventory\.customers: kaboom: lookup service said no \(at pg\.inventory\.customers\[2\]@41 key=id=7\)/);
      assert.ok(err.cause instanceof Error);
      return true;
    });
    assert.deepEqual(failed.map(([n]) => n), ['always-throws']);
  });

  test('a plugin that flags its error retriable gives a retriable error', async () => {
    const registry = buildTransformRegistry([{ match: '*', chain: [{ use: './throws.ts', options: { retriable: true } }] }], { baseDir: fixtures });
    const chain = await registry.forTable(customers);
    await assert.rejects(chain.apply(event(customers, { id: 1 })), (err: CdcSinkError) => err.kind === 'retriable' && err.code === 'CDC_TRANSFORM_FAILED');
  });

  const garbage: [string, RegExp][] = [
    ['number', /the result is a number, expected a ChangeEvent, an array of them or null/],
    ['undefined', /the result is undefined \(return null to drop an event\)/],
    ['no-table', /the result has no table/],
    ['bad-op', /the result has op "insert"/],
    ['unknown-column', /the result has row column "surprise" that is not in the schema/],
    ['undefined-value', /the result has row column "id" holding undefined \(use null\)/],
    ['date-value', /holding a Date/],
    ['row-not-object', /the result is an upsert without a row object/],
    ['array-with-garbage', /element \[1\] is null \(leave dropped events out of the array\)/],
  ];
  for (const [mode, message] of garbage) {
    test(`a bad result (${mode}) is TRANSFORM_BAD_RESULT naming the transform and the record`, async () => {
      const { observer, failed } = recorder();
      const registry = buildTransformRegistry([{ match: '*', chain: [{ use: './garbage.ts', options: { mode } }] }], { baseDir: fixtures, observer });
      const chain = await registry.forTable(customers);
      await assert.rejects(chain.apply(event(customers, { id: 1 })), (err: CdcSinkError) => {
        assert.equal(err.code, 'CDC_TRANSFORM_BAD_RESULT');
        assert.equal(err.kind, 'data');
        assert.match(err.message, /transform "garbage" \(\.\/garbage\.ts\), step 1 of the chain for inventory\.customers returned a bad result for upsert of inventory\.customers/);
        assert.match(err.message, message);
        assert.match(err.message, /\(at pg\.inventory\.customers\[2\]@41 key=id=1\)$/);
        return true;
      });
      assert.equal(failed.length, 1);
    });
  }

  test('arrays are flattened into the next step; null stops the chain', async () => {
    const { observer, applied } = recorder();
    const registry = buildTransformRegistry(
      [
        { match: 'inventory.customers', chain: [{ use: './fan-out.ts' }, { use: './good-plugin.ts', options: { column: 'name' } }] },
        { match: 'inventory.orders', chain: [{ use: './fan-out.ts', options: { drop: true } }, { use: './good-plugin.ts', options: { column: 'name' } }] },
      ],
      { baseDir: fixtures, observer },
    );
    const out = await (await registry.forTable(customers)).apply(event(customers, { id: 1, name: 'x' }));
    assert.deepEqual(out.map((e) => [e.table.name, e.row?.name]), [
      ['customers', 'X'],
      ['customers_audit', 'X'],
    ]);
    assert.deepEqual(applied.map(([n]) => n), ['fan-out', 'upper-case', 'upper-case']);
    applied.length = 0;
    const orders = { namespace: 'inventory', name: 'orders' };
    assert.deepEqual(await (await registry.forTable(orders)).apply(event(orders, { id: 1, name: 'x' })), []);
    assert.deepEqual(applied.map(([n]) => n), ['fan-out']);
  });

  test('mapSchema runs through the chain; mapSchemas lists every output table', async () => {
    const registry = buildTransformRegistry(
      [
        {
          match: 'inventory.customers',
          chain: [
            { use: 'rename-columns', options: { columns: { nm: 'name' } } },
            { use: 'route-table', options: { namespace: 'crm' } },
            { use: './fan-out.ts' },
            { use: 'cast-columns', options: { columns: { id: 'bigint' } } },
          ],
        },
      ],
      { baseDir: fixtures },
    );
    const chain = await registry.forTable(customers);
    const e = event(customers, { id: 1, nm: 'a' });
    const all = chain.mapSchemas(customers, e.schema);
    assert.deepEqual(all.map((m) => `${m.table.namespace}.${m.table.name}`), ['crm.customers', 'crm.customers_audit']);
    for (const m of all) {
      assert.deepEqual(m.schema.columns.map((c) => [c.name, c.type]), [
        ['id', { kind: 'int', bits: 64 }],
        ['name', { kind: 'string' }],
      ]);
    }
    assert.deepEqual(chain.mapSchema(customers, e.schema), all[0]);
    const out = await chain.apply(e);
    assert.deepEqual(out.map((o) => [o.table, o.schema]), all.map((m) => [m.table, m.schema]), 'apply and mapSchema agree');
  });

  test('a mapSchema failure is a fatal TRANSFORM_FAILED naming the transform', async () => {
    const registry = buildTransformRegistry([{ match: '*', chain: [{ use: 'rename-columns', options: { columns: { nope: 'x' } } }] }], { baseDir: fixtures });
    const chain = await registry.forTable(customers);
    const e = event(customers, { id: 1 });
    assert.throws(() => chain.mapSchema(customers, e.schema), (err: CdcSinkError) => {
      assert.equal(err.code, 'CDC_TRANSFORM_FAILED');
      assert.equal(err.kind, 'fatal');
      assert.match(err.message, /transform "rename-columns", step 1 of the chain for inventory\.customers could not map the table schema: column "nope" is not in the table/);
      return true;
    });
  });

  test('create() failing is TRANSFORM_LOAD, and instances already created are closed', async () => {
    calls.closed.length = 0;
    const registry = buildTransformRegistry(
      [{ match: '*', chain: [{ use: './good-plugin.ts', options: { column: 'a' } }, { use: 'add-column', options: { name: 'x', value: 'abc', type: 'integer' } }] }],
      { baseDir: fixtures },
    );
    await assert.rejects(registry.forTable(customers), (err: CdcSinkError) => {
      assert.equal(err.code, 'CDC_TRANSFORM_LOAD');
      assert.match(err.message, /transform "add-column" for inventory\.customers: create\(\) failed: the value "abc" cannot become int32/);
      return true;
    });
    assert.deepEqual(calls.closed, ['inventory.customers:a']);
  });
});
