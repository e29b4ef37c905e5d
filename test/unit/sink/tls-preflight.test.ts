import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCertificateError, splitBroker } from '../../../services/sink/source/tls-preflight.ts';

describe('Kafka TLS preflight helpers', () => {
  test('splitBroker reads host:port and [v6]:port', () => {
    assert.deepEqual(splitBroker('kafka-1.example:9093'), { host: 'kafka-1.example', port: 9093 });
    assert.deepEqual(splitBroker('127.0.0.1:9092'), { host: '127.0.0.1', port: 9092 });
    assert.deepEqual(splitBroker('[::1]:19094'), { host: '::1', port: 19094 });
  });

  test('only certificate verification failures count (no retry fixes them); network errors do not', () => {
    for (const code of ['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      assert.equal(isCertificateError(Object.assign(new Error(code), { code })), true, code);
    }
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPROTO', undefined]) {
      assert.equal(isCertificateError(Object.assign(new Error(String(code)), { code })), false, String(code));
    }
    assert.equal(isCertificateError(null), false);
  });
});
