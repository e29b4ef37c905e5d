import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PreparedNames } from '../../../connectors/postgres/prepared-names.ts';

void describe('postgres prepared statement names', () => {
  test('one name per distinct text, stable across calls', () => {
    const names = new PreparedNames(10);
    const a = names.nameFor('INSERT a');
    const b = names.nameFor('INSERT b');
    assert.ok(a !== undefined && b !== undefined);
    assert.notEqual(a, b);
    assert.equal(names.nameFor('INSERT a'), a);
    assert.equal(names.nameFor('INSERT b'), b);
  });

  test('a name is the digest of its text: the same in every process and connection, whatever came first', () => {
    const first = new PreparedNames(10);
    const second = new PreparedNames(10);
    second.nameFor('INSERT other');
    assert.equal(first.nameFor('INSERT a'), second.nameFor('INSERT a'));
    assert.match(first.nameFor('INSERT a') ?? '', /^cdc_sink_[0-9a-f]{40}$/);
  });

  test('only the first max texts get a name; the rest are sent unnamed', () => {
    const names = new PreparedNames(2);
    assert.ok(names.nameFor('s1') !== undefined);
    assert.ok(names.nameFor('s2') !== undefined);
    assert.equal(names.nameFor('s3'), undefined);
    assert.ok(names.nameFor('s1') !== undefined, 'texts named before the cap keep their names');
  });

  test('max 0 names nothing', () => {
    assert.equal(new PreparedNames(0).nameFor('s1'), undefined);
  });
});
