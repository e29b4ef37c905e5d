import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { transformsConfigSchema } from '../../../../transforms/runtime/config.ts';
import { compileMatch } from '../../../../transforms/runtime/match.ts';

describe('transformsConfigSchema', () => {
  test('parses the documented YAML, with onError defaulting to fail', () => {
    const doc = parse(`
transforms:
  - match: "inventory.customers"
    chain:
      - use: rename-columns
        options: { columns: { customer_phone: phone_number } }
      - use: ./plugins/split-name.ts
  - match: { namespace: inventory, pattern: "inv.*\\\\.orders_\\\\d+" }
    onError: dead-letter
    chain: [{ use: drop-columns, options: { columns: [notes] } }]
`) as { transforms: unknown };
    const cfg = transformsConfigSchema.parse(doc.transforms);
    assert.equal(cfg.length, 2);
    assert.equal(cfg[0]?.onError, 'fail');
    assert.equal(cfg[0]?.chain[1]?.use, './plugins/split-name.ts');
    assert.equal(cfg[0]?.chain[1]?.options, undefined);
    assert.equal(cfg[1]?.onError, 'dead-letter');
    assert.deepEqual(transformsConfigSchema.parse(undefined), []);
  });

  test('rejects unknown keys, empty chains, bad policies, bad patterns and empty match objects', () => {
    const bad = (v: unknown, re: RegExp) => {
      const r = transformsConfigSchema.safeParse(v);
      assert.equal(r.success, false);
      assert.match(JSON.stringify(r.error?.issues), re);
    };
    bad([{ match: 'a.b', chain: [{ use: 'x', option: {} }] }], /option/);
    bad([{ match: 'a.b', chain: [] }], /chain/);
    bad([{ match: 'a.b', onError: 'ignore', chain: [{ use: 'x' }] }], /onError/);
    bad([{ match: { pattern: '(' }, chain: [{ use: 'x' }] }], /not a valid regular expression/);
    bad([{ match: {}, chain: [{ use: 'x' }] }], /at least one of namespace, name, pattern/);
    bad([{ match: 'a', chain: [{ use: 'x' }], extra: 1 }], /extra/);
  });
});

describe('compileMatch', () => {
  const t = (namespace: string | null, name: string) => ({ namespace, name });

  test('exact "namespace.name" (case-sensitive)', () => {
    const m = compileMatch('inventory.customers');
    assert.equal(m(t('inventory', 'customers')), true);
    assert.equal(m(t('inventory', 'Customers')), false);
    assert.equal(m(t('inventory', 'customers2')), false);
    assert.equal(compileMatch('customers')(t(null, 'customers')), true);
  });

  test('globs: * any run (dots included), ? one character', () => {
    assert.equal(compileMatch('inventory.*')(t('inventory', 'orders')), true);
    assert.equal(compileMatch('inventory.*')(t('sales', 'orders')), false);
    assert.equal(compileMatch('*.orders')(t('sales', 'orders')), true);
    assert.equal(compileMatch('*')(t(null, 'x')), true);
    assert.equal(compileMatch('inv.order?')(t('inv', 'orders')), true);
    assert.equal(compileMatch('inv.order?')(t('inv', 'order')), false);
    assert.equal(compileMatch('a+b.*')(t('a+b', 'c')), true);
  });

  test('object form ANDs its fields; pattern is anchored', () => {
    assert.equal(compileMatch({ namespace: 'inventory' })(t('inventory', 'x')), true);
    assert.equal(compileMatch({ namespace: 'inventory', name: 'x' })(t('inventory', 'y')), false);
    assert.equal(compileMatch({ pattern: 'inventory\\.orders_\\d+' })(t('inventory', 'orders_2024')), true);
    assert.equal(compileMatch({ pattern: 'orders_\\d+' })(t('inventory', 'orders_2024')), false);
    assert.equal(compileMatch({ name: 'orders', pattern: 'sales\\..*' })(t('sales', 'orders')), true);
  });
});
