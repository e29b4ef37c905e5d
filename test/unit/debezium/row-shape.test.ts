import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ChangeEvent } from '../../../connectors/core/change-event.ts';
import { rowOf, rowShape } from '../../../connectors/core/value.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import type { FieldSchema } from './build.ts';
import { ID, envelopeRecord } from './build.ts';

const WIDE: FieldSchema[] = [ID, ...Array.from({ length: 49 }, (_, i): FieldSchema => ({ type: 'string', optional: true, field: `c${i}` }))];

function wideRow(id: number): Record<string, unknown> {
  const out: Record<string, unknown> = { id };
  for (let i = 0; i < 49; i++) out[`c${i}`] = i % 3 === 0 ? null : `v${id}-${i}`;
  return out;
}

function decoded(columns: FieldSchema[], after: Record<string, unknown>): ChangeEvent {
  const out = createDecoder().decode(envelopeRecord({ columns, op: 'c', after }));
  assert.equal(out.kind, 'change');
  return out.event;
}

/** V8's own answer (natives syntax, compiled after the flag is set): a hash table or a shared layout. */
function hasFastProperties(o: object): boolean {
  setFlagsFromString('--allow-natives-syntax');
  return runInNewContext('%HasFastProperties(o)', { o }) as boolean;
}

describe('row shapes', () => {
  test('a decoded wide row has the columns in schema order, a null prototype and fast properties', () => {
    const row = decoded(WIDE, wideRow(7)).row;
    assert.ok(row);
    assert.equal(Object.getPrototypeOf(row), null);
    assert.deepEqual(Object.keys(row), WIDE.map((f) => f.field));
    assert.equal(row.c1, 'v7-1');
    assert.equal(row.c0, null);
    assert.equal(hasFastProperties(row), true);
    // The hash-table form it replaces, for contrast: the check can tell the two apart.
    const dict = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(row)) dict[k] = row[k];
    assert.equal(hasFastProperties(dict), false);
  });

  test('rows of one schema do not share values', () => {
    const shape = rowShape(['a', 'b']);
    const x = rowOf(shape);
    const y = rowOf(shape);
    x.a = 1;
    assert.equal(y.a, null);
    assert.deepEqual({ ...shape }, { a: null, b: null });
  });

  test('columns named __proto__ and constructor are plain own columns', () => {
    const columns: FieldSchema[] = [ID, { type: 'string', optional: true, field: '__proto__' }, { type: 'string', optional: true, field: 'constructor' }];
    const row = decoded(columns, { id: 1, ['__proto__']: 'p', constructor: 'c' }).row;
    assert.ok(row);
    assert.equal(Object.getPrototypeOf(row), null);
    assert.deepEqual(Object.keys(row), ['id', '__proto__', 'constructor']);
    assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 'p');
    assert.equal(row.constructor, 'c');
    const empty = rowOf(rowShape(['__proto__']));
    assert.equal(Object.getPrototypeOf(empty), null);
    assert.equal(Object.hasOwn(empty, '__proto__'), true);
    assert.equal(({} as Record<string, unknown>).p, undefined, 'Object.prototype untouched');
  });
});
