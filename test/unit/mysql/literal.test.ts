import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sqlLiteral, stringLiteral, tupleLiteral } from '../../../connectors/mysql/literal.ts';
import { SESSION_SETUP_SQL, SESSION_SQL_MODE } from '../../../connectors/mysql/pool-config.ts';

describe('mysql literals', () => {
  test('NULL, numbers as JavaScript prints them (shortest round-trip text)', () => {
    assert.deepEqual(
      [null, 0, -0, 42, -7, 1, 0.1, 0.30000000000000004, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, -2.2250738585072014e-308, 123456789012345680000].map(
        sqlLiteral,
      ),
      ['NULL', '0', '0', '42', '-7', '1', '0.1', '0.30000000000000004', '1e+21', '1e-7', '5e-324', '1.7976931348623157e+308', '-2.2250738585072014e-308', '123456789012345680000'],
    );
  });

  test('NaN and Infinity have no literal (values.ts rejects them first, naming the column)', () => {
    for (const n of [NaN, Infinity, -Infinity]) assert.throws(() => sqlLiteral(n), /has no SQL literal/);
  });

  test('strings: single quotes, every special character backslash-escaped, the rest as is', () => {
    assert.equal(stringLiteral(''), "''");
    assert.equal(stringLiteral('plain é 😀 ? -- /* # `x`'), "'plain é 😀 ? -- /* # `x`'");
    assert.equal(stringLiteral("it's"), "'it\\'s'");
    assert.equal(stringLiteral('a\\b'), "'a\\\\b'");
    assert.equal(stringLiteral('say "hi"'), "'say \\\"hi\\\"'");
    assert.equal(stringLiteral('\0\b\t\n\r\x1a'), "'\\0\\b\\t\\n\\r\\Z'");
    assert.equal(stringLiteral("\\'"), "'\\\\\\''");
    // int64 and decimals travel as exact digit strings.
    assert.equal(sqlLiteral('18446744073709551615'), "'18446744073709551615'");
    assert.equal(sqlLiteral('-99999999999999999999.999999999999999999'), "'-99999999999999999999.999999999999999999'");
    assert.equal(sqlLiteral('2024-02-29 23:59:59.999999'), "'2024-02-29 23:59:59.999999'");
  });

  test("Buffers: X'hex', every byte kept (X'' when empty)", () => {
    assert.equal(sqlLiteral(Buffer.from([0x00, 0x27, 0x5c, 0x22, 0x1a, 0xff])), "X'00275c221aff'");
    assert.equal(sqlLiteral(Buffer.alloc(0)), "X''");
  });

  test('tuples', () => {
    assert.equal(tupleLiteral(['1', 'a', null, 5, Buffer.from('ab')]), "('1', 'a', NULL, 5, X'6162')");
    assert.equal(tupleLiteral([]), '()');
  });

  test('the session sql_mode keeps backslash escapes (it replaces the server default, which may have NO_BACKSLASH_ESCAPES)', () => {
    assert.ok(!SESSION_SQL_MODE.includes('NO_BACKSLASH_ESCAPES'));
    assert.match(SESSION_SETUP_SQL, /sql_mode = '/);
  });
});
