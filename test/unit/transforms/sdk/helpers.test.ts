import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  UNCHANGED,
  defineTransform,
  dropColumns,
  makeEvent,
  mapRow,
  memoizeSchema,
  putSchemaColumn,
  renameColumn,
  renameColumns,
  rowOf,
  setColumn,
  withRow,
  withTable,
  z,
} from '../../../../transforms/sdk/index.ts';
import type { ChangeEvent } from '../../../../transforms/sdk/index.ts';
import { deepClone, deepFreeze } from '../../../../transforms/sdk/compare.ts';

const frozen = (e: ChangeEvent): ChangeEvent => deepFreeze(deepClone(e));

describe('sdk event helpers', () => {
  const event = frozen(
    makeEvent({ table: 'shop.customers', row: { id: 1, customer_phone: '555', name: 'Ann' }, before: { id: 1, customer_phone: '444', name: 'Ann' } }),
  );

  test('makeEvent infers schema, key and source deterministically', () => {
    assert.deepEqual(event.table, { namespace: 'shop', name: 'customers' });
    assert.equal(event.op, 'upsert');
    assert.equal(event.source.sourceOp, 'u');
    assert.deepEqual(event.schema.key, ['id']);
    assert.deepEqual(event.schema.columns.map((c) => [c.name, c.type.kind, c.optional]), [
      ['id', 'int', false],
      ['customer_phone', 'string', true],
      ['name', 'string', true],
    ]);
    assert.equal(Object.getPrototypeOf(event.row), null);
    assert.deepEqual({ ...event.key }, { id: 1 });
    assert.deepEqual(makeEvent({ row: { id: 1 } }), makeEvent({ row: { id: 1 } }));
    const del = makeEvent({ key: { id: 5 } });
    assert.equal(del.op, 'delete');
    assert.equal(del.row, null);
    assert.equal(del.source.sourceOp, 'd');
    assert.equal(makeEvent({ row: { x: 2n } }).schema.columns[0]?.type.kind, 'int');
  });

  test('renameColumn renames row, before, key and schema without touching the input', () => {
    const out = renameColumn(event, 'customer_phone', 'phone_number');
    assert.deepEqual({ ...out.row }, { id: 1, phone_number: '555', name: 'Ann' });
    assert.deepEqual({ ...out.before }, { id: 1, phone_number: '444', name: 'Ann' });
    assert.deepEqual(out.schema.columns.map((c) => c.name), ['id', 'phone_number', 'name']);
    assert.equal(Object.getPrototypeOf(out.row), null);
    assert.deepEqual(Object.keys(event.row ?? {}), ['id', 'customer_phone', 'name']);
  });

  test('renaming a key column renames it in key and schema.key', () => {
    const out = renameColumns(event, { id: 'customer_id' });
    assert.deepEqual({ ...out.key }, { customer_id: 1 });
    assert.deepEqual(out.schema.key, ['customer_id']);
  });

  test('renaming onto an existing column throws', () => {
    assert.throws(() => renameColumn(event, 'name', 'customer_phone'), /cannot rename column "name" to "customer_phone"/);
  });

  test('dropColumns drops, and refuses key columns', () => {
    const out = dropColumns(event, ['name']);
    assert.deepEqual({ ...out.row }, { id: 1, customer_phone: '555' });
    assert.deepEqual(out.schema.columns.map((c) => c.name), ['id', 'customer_phone']);
    assert.throws(() => dropColumns(event, ['id']), /cannot drop key column "id"/);
  });

  test('setColumn adds a column to schema and images; the key only for key columns', () => {
    const out = setColumn(event, { name: 'tier', type: { kind: 'int', bits: 32 }, optional: true }, 3);
    assert.deepEqual({ ...out.row }, { id: 1, customer_phone: '555', name: 'Ann', tier: 3 });
    assert.deepEqual({ ...out.key }, { id: 1 });
    const keyed = setColumn(event, { name: 'tenant', type: { kind: 'string' }, optional: false }, 'acme', { key: true, after: 'id' });
    assert.deepEqual({ ...keyed.key }, { id: 1, tenant: 'acme' });
    assert.deepEqual(keyed.schema.key, ['id', 'tenant']);
    assert.deepEqual(keyed.schema.columns.map((c) => c.name), ['id', 'tenant', 'customer_phone', 'name']);
    const computed = setColumn(event, { name: 'upper', type: { kind: 'string' }, optional: true }, (image) => (typeof image.name === 'string' ? image.name.toUpperCase() : null));
    assert.equal(computed.row?.upper, 'ANN');
    assert.equal(computed.before?.upper, 'ANN');
  });

  test('withRow rebuilds the key from the row; withTable keeps unspecified parts', () => {
    const out = withRow(event, { id: 2, customer_phone: null, name: 'Bo' });
    assert.deepEqual({ ...out.key }, { id: 2 });
    assert.equal(Object.getPrototypeOf(out.row), null);
    assert.deepEqual(withTable(event, { name: 'clients' }).table, { namespace: 'shop', name: 'clients' });
    assert.deepEqual(withTable(event, { namespace: null }).table, { namespace: null, name: 'customers' });
  });

  test('mapRow visits every image with its part name', () => {
    const seen: string[] = [];
    const out = mapRow(event, (image, part) => {
      seen.push(part);
      return rowOf({ ...image, part });
    });
    assert.deepEqual(seen, ['row', 'before', 'key']);
    assert.equal(out.key?.part, 'key');
  });

  test('rowOf makes null-prototype rows and keeps UNCHANGED', () => {
    const r = rowOf({ a: UNCHANGED });
    assert.equal(Object.getPrototypeOf(r), null);
    assert.equal(r.a, UNCHANGED);
  });

  test('putSchemaColumn replaces in place, inserts before/after', () => {
    const s = { columns: [{ name: 'a', type: { kind: 'string' as const }, optional: true }, { name: 'b', type: { kind: 'string' as const }, optional: true }], key: [] };
    assert.deepEqual(putSchemaColumn(s, { name: 'x', type: { kind: 'date' }, optional: true }, { before: 'b' }).columns.map((c) => c.name), ['a', 'x', 'b']);
    assert.deepEqual(putSchemaColumn(s, { name: 'a', type: { kind: 'date' }, optional: false }).columns[0], { name: 'a', type: { kind: 'date' }, optional: false });
  });

  test('memoizeSchema maps a schema object once', () => {
    let calls = 0;
    const m = memoizeSchema((s) => {
      calls++;
      return { ...s };
    });
    const a = m(event.schema);
    assert.equal(m(event.schema), a);
    assert.equal(calls, 1);
  });

  test('defineTransform keeps meta and types options from the schema', async () => {
    const def = defineTransform({
      meta: { name: 'x', version: '1.0.0', apiVersion: 1 },
      options: z.object({ n: z.number().default(3) }),
      create: (options) => ({ apply: (e) => (options.n > 2 ? e : null) }),
    });
    assert.equal(def.meta.name, 'x');
    assert.ok(Object.isFrozen(def));
    const t = await def.create({ n: 3 }, { table: { namespace: null, name: 't' }, name: 'x', logger: console });
    assert.equal(await t.apply(event), event);
  });
});
