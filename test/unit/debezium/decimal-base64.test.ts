/**
 * decimalFromBase64 decodes the base64 of up to 6 bytes without a Buffer: every such input must give
 * what the general path (strict-base64 check, Buffer, two's complement) gives, and anything that is
 * not strict base64 must still be refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decimalFromBase64, decimalString, isBase64, unscaledFromBytes } from '../../../connectors/debezium/decimal.ts';

/** The general path, as decimalFromBase64 was before the short-input decoder. */
function reference(b64: string, scale: number): string | undefined {
  return isBase64(b64) ? decimalString(unscaledFromBytes(Buffer.from(b64, 'base64')), scale) : undefined;
}

describe('decimalFromBase64: short inputs decoded without a Buffer', () => {
  test('every length from 1 to 6 bytes, edge values and seeded random bytes, several scales', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    const inputs: number[][] = [];
    const filled = (len: number, byte: number): number[] => Array.from({ length: len }, () => byte);
    for (let len = 1; len <= 6; len++) {
      inputs.push(filled(len, 0), filled(len, 255), [0x80, ...filled(len - 1, 0)], [0x7f, ...filled(len - 1, 255)]);
      for (let i = 0; i < 200; i++) inputs.push(Array.from({ length: len }, random));
    }
    for (const bytes of inputs) {
      const b64 = Buffer.from(bytes).toString('base64');
      for (const scale of [0, 2, 7, -3]) assert.equal(decimalFromBase64(b64, scale), reference(b64, scale), `${b64} scale ${scale}`);
    }
  });

  test('bits past the last whole byte are ignored, as Node does', () => {
    assert.equal(decimalFromBase64('AB==', 0), reference('AB==', 0));
    assert.equal(decimalFromBase64('AAB=', 0), reference('AAB=', 0));
  });

  test('what is not strict base64 is refused', () => {
    for (const bad of ['A===', '====', 'AA=A', 'AAA*', 'AAAAAA-_', 'AAAAAAA', 'AAA', 'ÄAAA', 'AA==AA==']) {
      assert.equal(decimalFromBase64(bad, 2), undefined, bad);
    }
    assert.equal(decimalFromBase64('', 2), '0.00', 'no bytes: zero, as before');
  });
});
