import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TargetError } from '../../../connectors/core/errors.ts';
import { qualifiedName, quoteIdentifier, tableText } from '../../../connectors/mysql/identifiers.ts';
import { mariadb } from './fixtures.ts';

describe('mysql identifiers', () => {
  const cases: [string, string][] = [
    ['order', '`order`'],
    ['OrderLines', '`OrderLines`'],
    ['café', '`café`'],
    ['a`b', '`a``b`'],
    ['``', '``````'],
    ['with space', '`with space`'],
    ['"dq"', '`"dq"`'],
    ['x'.repeat(64), `\`${'x'.repeat(64)}\``],
    ['é'.repeat(64), `\`${'é'.repeat(64)}\``],
  ];
  for (const [name, quoted] of cases) {
    test(`quotes ${JSON.stringify(name)}`, () => assert.equal(quoteIdentifier(name), quoted));
  }

  const rejected: [string, RegExp][] = [
    ['', /cannot be empty/],
    ['a\u0000b', /NUL/],
    ['x'.repeat(65), /65 characters long; MySQL allows at most 64/],
    ['é'.repeat(65), /65 characters/],
    ['emoji😀', /Basic Multilingual Plane/],
    ['trailing ', /ends with a space/],
  ];
  for (const [name, message] of rejected) {
    test(`rejects ${JSON.stringify(name.slice(0, 12))}`, () => {
      assert.throws(
        () => quoteIdentifier(name),
        (err: unknown) => err instanceof TargetError && err.kind === 'fatal' && err.code === 'CDC_TARGET_SCHEMA' && message.test(err.message),
      );
    });
  }

  test('qualified names use the ref schema, else the default database', () => {
    assert.equal(qualifiedName({ schema: 'Shop', name: 'order' }, 'app'), '`Shop`.`order`');
    assert.equal(qualifiedName({ schema: null, name: 'order' }, 'app'), '`app`.`order`');
    assert.equal(qualifiedName({ schema: null, name: 'order' }, null), '`order`');
    assert.equal(tableText({ schema: null, name: 'order' }, 'app'), 'app.order');
    assert.equal(mariadb().qualifiedName({ schema: null, name: 't`1' }), '`app`.`t``1`');
  });

  test('the dialect declares 64 characters and 65535 binds', () => {
    assert.equal(mariadb().maxIdentifierLength, 64);
    assert.equal(mariadb().maxBindParameters, 65535);
  });
});
