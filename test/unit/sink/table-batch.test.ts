import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Row } from '../../../connectors/core/value.ts';
import { UNCHANGED, newRow } from '../../../connectors/core/value.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { TableBatch } from '../../../services/sink/pipeline/table-batch.ts';
import { rowKey } from '../../../services/sink/pipeline/row-key.ts';

const row = (o: Record<string, unknown>): Row => Object.assign(newRow(), o);
const REF: KafkaRecord = { topic: 't', partition: 0, offset: '0', timestamp: '0', key: null, value: null };

describe('TableBatch reduction', () => {
  test('many changes to one key reduce to the last one', () => {
    const b = new TableBatch(['id'], 'upsert');
    for (let i = 0; i < 100; i++) b.addUpsert(row({ id: 1n, v: i }), REF);
    b.addUpsert(row({ id: 2n, v: 'x' }), REF);
    assert.equal(b.size, 2);
    assert.deepEqual(b.upserts().map((r) => r.v), [99, 'x']);
    assert.deepEqual(b.deletes(), []);
  });

  test('delete after upsert wins; upsert after delete wins', () => {
    const b = new TableBatch(['id'], 'upsert');
    b.addUpsert(row({ id: 1, v: 'a' }), REF);
    b.addDelete(row({ id: 1 }), REF);
    b.addDelete(row({ id: 2 }), REF);
    b.addUpsert(row({ id: 2, v: 'again' }), REF);
    assert.deepEqual(b.deletes().map((r) => r.id), [1]);
    assert.deepEqual(b.upserts().map((r) => [r.id, r.v]), [[2, 'again']]);
  });

  test('truncate drops what came before it and is kept', () => {
    const b = new TableBatch(['id'], 'upsert');
    b.addUpsert(row({ id: 1 }), REF);
    b.addDelete(row({ id: 2 }), REF);
    b.addTruncate();
    b.addUpsert(row({ id: 3 }), REF);
    assert.equal(b.truncate, true);
    assert.deepEqual(b.upserts().map((r) => r.id), [3]);
    assert.deepEqual(b.deletes(), []);
  });

  test('UNCHANGED columns take the value of an earlier upsert of the same key', () => {
    const b = new TableBatch(['id'], 'upsert');
    b.addUpsert(row({ id: 1, big: 'long text', n: 1 }), REF);
    b.addUpsert(row({ id: 1, big: UNCHANGED, n: 2 }), REF);
    b.addUpsert(row({ id: 2, big: UNCHANGED, n: 3 }), REF);
    const [r1, r2] = b.upserts();
    assert.equal(r1?.big, 'long text');
    assert.equal(r1?.n, 2);
    assert.equal(r2?.big, UNCHANGED);
  });

  test('composite keys keep distinct rows apart', () => {
    const b = new TableBatch(['a', 'b'], 'upsert');
    b.addUpsert(row({ a: 1, b: 'x', v: 1 }), REF);
    b.addUpsert(row({ a: 1, b: 'y', v: 2 }), REF);
    b.addUpsert(row({ a: 1, b: 'x', v: 3 }), REF);
    assert.deepEqual(b.upserts().map((r) => r.v), [3, 2]);
  });

  test('remove takes rejected entries out and keeps the rest', () => {
    const b = new TableBatch(['id'], 'upsert');
    b.addUpsert(row({ id: 1 }), REF);
    b.addUpsert(row({ id: 2 }), REF);
    b.addDelete(row({ id: 3 }), REF);
    const bad = b.entries().filter((e) => e.row.id === 2 || e.row.id === 3);
    b.remove(new Set(bad));
    assert.deepEqual(b.upserts().map((r) => r.id), [1]);
    assert.deepEqual(b.deletes(), []);
    assert.equal(b.size, 1);
  });

  test('append mode keeps every row and ignores deletes', () => {
    const b = new TableBatch([], 'append');
    b.addUpsert(row({ v: 1 }), REF);
    b.addUpsert(row({ v: 1 }), REF);
    b.addDelete(row({ v: 1 }), REF);
    assert.equal(b.upserts().length, 2);
    assert.deepEqual(b.deletes(), []);
  });
});

describe('rowKey', () => {
  test('values of different types never collide', () => {
    const keys = [1, 1n, '1', true, null, Buffer.from('1'), 1.5, 's\u0001'].map((v) => rowKey(row({ k: v, k2: 'a' }), ['k', 'k2']));
    // 1 and 1n are the same integer and must give the same key; everything else differs.
    assert.equal(keys[0], keys[1]);
    assert.equal(new Set(keys).size, keys.length - 1);
    assert.notEqual(rowKey(row({ a: 'x\u0001', b: 'y' }), ['a', 'b']), rowKey(row({ a: 'x', b: '\u0001y' }), ['a', 'b']));
  });
});
