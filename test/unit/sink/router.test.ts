/**
 * Routing decisions, and the per-table memory of the last one (cachedRoute): it must answer only
 * for events still on their decoded table with the same key, and answer what route() would.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeEvent, TableId } from '../../../connectors/core/change-event.ts';
import { internTableId, tableIdText } from '../../../connectors/core/change-event.ts';
import type { Connector } from '../../../connectors/contract.ts';
import { tablesSchema } from '../../../services/sink/config/schema.ts';
import { Router } from '../../../services/sink/pipeline/router.ts';

function eventOn(table: TableId, key: readonly string[]): ChangeEvent {
  return {
    op: 'upsert',
    table,
    key: null,
    row: { id: 1 },
    before: null,
    schema: { columns: [], key },
    source: { topic: 't', partition: 0, offset: '0', kafkaTimestampMs: 0, sourceTimestampMs: null, sourceOp: 'c', snapshot: false, position: null, connector: null },
  };
}

function router(tables: unknown, primaryKey: readonly string[] = []): { router: Router; describes: () => number } {
  let describes = 0;
  const connector = {
    describeTable: () => {
      describes++;
      return Promise.resolve({ table: { schema: null, name: 'x' }, columns: [], primaryKey });
    },
  } as unknown as Connector;
  return { router: new Router(tablesSchema.parse(tables), connector), describes: () => describes };
}

test('table ids are interned: one frozen object per (namespace, name), with its text', () => {
  const a = internTableId('public', 'orders');
  assert.equal(internTableId('public', 'orders'), a);
  assert.notEqual(internTableId(null, 'orders'), a);
  assert.equal(internTableId(null, 'orders'), internTableId(null, 'orders'));
  assert.ok(Object.isFrozen(a));
  assert.equal(tableIdText(a), 'public.orders');
  assert.equal(tableIdText(internTableId(null, 'orders')), 'orders');
  assert.equal(tableIdText({ namespace: 'inventory', name: 'items' }), 'inventory.items');
});

test('a mapped table routes to its target with the mapping key, and the decision is remembered for the same table and key', async () => {
  const { router: r } = router({ map: [{ source: 'public.orders', target: 'sales.orders_v2', keyColumns: ['order_id'] }] });
  const table = internTableId('public', 'orders');
  const key = ['id'];
  const e = eventOn(table, key);
  assert.equal(r.cachedRoute(table, e), undefined, 'nothing remembered before the first route()');
  const first = await r.route(table, e);
  assert.deepEqual(first, { kind: 'route', route: { target: { schema: 'sales', name: 'orders_v2' }, targetText: 'sales.orders_v2', keyColumns: ['order_id'], mode: 'upsert' } });
  assert.equal(r.cachedRoute(table, eventOn(table, key)), first);
  assert.equal(r.cachedRoute(table, eventOn(table, ['id'])), undefined, 'another key array: route() decides');
});

test('an event a transform moved to another table is never answered from memory', async () => {
  const { router: r } = router({ defaultSchema: 'tgt' });
  const source = internTableId('public', 'orders');
  const key = ['id'];
  await r.route(source, eventOn(source, key));
  const moved = eventOn(internTableId('public', 'orders_archive'), key);
  assert.equal(r.cachedRoute(source, moved), undefined);
  const decision = await r.route(source, moved);
  assert.equal(decision.kind === 'route' && decision.route.targetText, 'tgt.orders_archive');
});

test('skipped unmapped tables are remembered as skipped; keys from the target are looked up once', async () => {
  const skipping = router({ unmapped: 'skip', map: [{ source: 'public.kept' }] }).router;
  const other = internTableId('public', 'other');
  const e = eventOn(other, ['id']);
  assert.deepEqual(await skipping.route(other, e), { kind: 'skip' });
  assert.deepEqual(skipping.cachedRoute(other, e), { kind: 'skip' });

  const { router: r, describes } = router({}, ['pk']);
  const keyless = internTableId('public', 'keyless');
  const noKey: readonly string[] = [];
  const d1 = await r.route(keyless, eventOn(keyless, noKey));
  assert.equal(d1.kind === 'route' && d1.route.keyColumns.join(), 'pk');
  assert.equal(r.cachedRoute(keyless, eventOn(keyless, noKey)), d1);
  await r.route(keyless, eventOn(keyless, noKey));
  assert.equal(describes(), 1);
});
