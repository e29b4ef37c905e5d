import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TargetError } from '../../../connectors/core/errors.ts';
import { createPostgresDialect } from '../../../connectors/postgres/dialect.ts';

const dialect = createPostgresDialect({ schema: 'public', offsetsTable: 'cdc_sink_offsets', rowsPerStatement: 2000 });

void describe('postgres quoteIdentifier', () => {
  const cases: [string, string][] = [
    ['orders', '"orders"'],
    ['order', '"order"'],
    ['user', '"user"'],
    ['OrderLines', '"OrderLines"'],
    ['café', '"café"'],
    ['a"b', '"a""b"'],
    ['"', '""""'],
    ['with space', '"with space"'],
    ['semi;colon--', '"semi;colon--"'],
    ['a'.repeat(63), `"${'a'.repeat(63)}"`],
  ];
  for (const [name, quoted] of cases) {
    void test(`${JSON.stringify(name)} -> ${quoted}`, () => {
      assert.equal(dialect.quoteIdentifier(name), quoted);
    });
  }

  void test('rejects an empty name', () => {
    assert.throws(() => dialect.quoteIdentifier(''), (err: unknown) => err instanceof TargetError && err.kind === 'fatal');
  });

  void test('rejects a NUL byte', () => {
    assert.throws(() => dialect.quoteIdentifier('a\u0000b'), /NUL/);
  });

  void test('rejects names longer than 63 bytes, counting UTF-8 bytes', () => {
    assert.throws(() => dialect.quoteIdentifier('a'.repeat(64)), /64 bytes long; at most 63/);
    // 32 two-byte characters = 64 bytes although only 32 characters
    assert.throws(() => dialect.quoteIdentifier('é'.repeat(32)), /64 bytes long/);
    assert.equal(dialect.quoteIdentifier('é'.repeat(31)), `"${'é'.repeat(31)}"`);
  });

  void test('declares its limits', () => {
    assert.equal(dialect.maxIdentifierLength, 63);
    assert.equal(dialect.maxBindParameters, 65535);
    assert.equal(dialect.name, 'postgres');
  });
});

void describe('postgres qualifiedName', () => {
  void test('uses the table schema', () => {
    assert.equal(dialect.qualifiedName({ schema: 'Sales', name: 'order' }), '"Sales"."order"');
  });
  void test('uses the default schema when the table has none', () => {
    assert.equal(dialect.qualifiedName({ schema: null, name: 'OrderLines' }), '"public"."OrderLines"');
    const other = createPostgresDialect({ schema: 'tgt', offsetsTable: 'o', rowsPerStatement: 1 });
    assert.equal(other.qualifiedName({ schema: null, name: 't' }), '"tgt"."t"');
  });
  void test('rejects a too long table name', () => {
    assert.throws(() => dialect.qualifiedName({ schema: null, name: 'x'.repeat(70) }), /70 bytes/);
  });
});
