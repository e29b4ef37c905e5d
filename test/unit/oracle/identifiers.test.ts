import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes, TargetError } from '../../../connectors/core/errors.ts';
import {
  foldIdentifier,
  qualifiedName,
  quoteIdentifier,
  tableText,
  upperIdentifier,
} from '../../../connectors/oracle/identifiers.ts';
import { dialect } from './fixtures.ts';

describe('oracle identifiers: identifierCase upper', () => {
  const cases: [string, string][] = [
    ['customer_id', '"CUSTOMER_ID"'],
    ['CUSTOMER_ID', '"CUSTOMER_ID"'],
    ['OrderLines', '"ORDERLINES"'],
    ['order', '"ORDER"'],
    ['user', '"USER"'],
    ['select', '"SELECT"'],
    ['with space', '"WITH SPACE"'],
    ["o'brien", `"O'BRIEN"`],
    ['café', '"CAFÉ"'],
    ['größe', '"GRÖßE"'], // ß upper-cases to "SS" (two characters): kept, as Oracle's UPPER does
    ['ﬁle', '"ﬁLE"'], // ligature fi: same rule
    ['città_€', '"CITTÀ_€"'],
    ['日本', '"日本"'],
    ['a1$#_', '"A1$#_"'],
  ];
  for (const [name, quoted] of cases) {
    test(`${JSON.stringify(name)} -> ${quoted}`, () => {
      assert.equal(quoteIdentifier(name, 'upper'), quoted);
      assert.equal(dialect().quoteIdentifier(name), quoted);
      assert.equal(`"${foldIdentifier(name, 'upper')}"`, quoted);
    });
  }

  test('upperIdentifier keeps characters whose upper case is longer', () => {
    assert.equal(upperIdentifier('ß'), 'ß');
    assert.equal(upperIdentifier('ŉx'), 'ŉX');
    assert.equal(upperIdentifier('ǆ'), 'Ǆ');
  });
});

describe('oracle identifiers: identifierCase preserve', () => {
  const cases: [string, string][] = [
    ['customer_id', '"customer_id"'],
    ['OrderLines', '"OrderLines"'],
    ['order', '"order"'],
    ['USER', '"USER"'],
    ['straße', '"straße"'],
  ];
  for (const [name, quoted] of cases) {
    test(`${JSON.stringify(name)} -> ${quoted}`, () => {
      assert.equal(quoteIdentifier(name, 'preserve'), quoted);
      assert.equal(dialect({ identifierCase: 'preserve' }).quoteIdentifier(name), quoted);
    });
  }
});

function assertRejected(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TargetError);
    assert.equal(err.code, ErrorCodes.TARGET_SCHEMA);
    assert.equal(err.kind, 'fatal');
    assert.match(err.message, pattern);
    return true;
  });
}

describe('oracle identifiers: rejected names', () => {
  test('128 bytes are accepted, 129 rejected', () => {
    assert.equal(quoteIdentifier('A'.repeat(128), 'upper'), `"${'A'.repeat(128)}"`);
    assertRejected(() => quoteIdentifier('a'.repeat(129), 'upper'), /129 bytes long; Oracle allows at most 128/);
  });

  test('the limit counts UTF-8 bytes, not characters', () => {
    assert.equal(quoteIdentifier('é'.repeat(64), 'preserve'), `"${'é'.repeat(64)}"`);
    assertRejected(() => quoteIdentifier('é'.repeat(65), 'preserve'), /130 bytes long/);
    assertRejected(() => quoteIdentifier('日'.repeat(43), 'upper'), /129 bytes long/);
  });

  test('empty, NUL and double quotes are rejected', () => {
    assertRejected(() => quoteIdentifier('', 'upper'), /cannot be empty/);
    assertRejected(() => quoteIdentifier('a\u0000b', 'upper'), /NUL/);
    assertRejected(() => quoteIdentifier('say"hi', 'preserve'), /double quote, which Oracle cannot escape/);
    assertRejected(() => dialect().quoteIdentifier('x"'), /double quote/);
  });
});

describe('oracle identifiers: qualified names', () => {
  test('no schema anywhere: the bare name (the session schema)', () => {
    assert.equal(qualifiedName({ schema: null, name: 'orders' }, null, 'upper'), '"ORDERS"');
    assert.equal(tableText({ schema: null, name: 'orders' }, null, 'upper'), 'ORDERS');
  });

  test('the configured schema is the default; the table schema wins', () => {
    assert.equal(qualifiedName({ schema: null, name: 'orders' }, 'app', 'upper'), '"APP"."ORDERS"');
    assert.equal(qualifiedName({ schema: 'sales', name: 'orders' }, 'app', 'upper'), '"SALES"."ORDERS"');
    assert.equal(qualifiedName({ schema: 'Sales', name: 'Order' }, null, 'preserve'), '"Sales"."Order"');
    assert.equal(tableText({ schema: 'Sales', name: 'Order' }, null, 'upper'), 'SALES.ORDER');
  });

  test('the dialect qualifies with its schema option', () => {
    const d = dialect({ schema: 'app' });
    assert.equal(d.qualifiedName({ schema: null, name: 'user' }), '"APP"."USER"');
    assert.equal(d.tableText({ schema: null, name: 'user' }), 'APP.USER');
    assert.equal(d.maxIdentifierLength, 128);
  });
});
