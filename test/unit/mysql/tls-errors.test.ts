/**
 * Classification of TLS handshake failures of mysql2: a certificate the configured CA does not
 * sign (or any other TLS configuration mismatch) must stop the sink, not be retried forever.
 * mysql2 (lib/commands/client_handshake.js) overwrites the TLS error's code with
 * HANDSHAKE_SSL_ERROR and sets fatal: true, which the generic "fatal to the connection ->
 * retriable" rule used to catch. The live check is test/integration/target-tls.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes, type ErrorKind } from '../../../connectors/core/errors.ts';
import { classifyError, targetErrorCode } from '../../../connectors/mysql/errors.ts';

/** Shaped as mysql2 emits it: the TLS error, its code replaced, fatal set (errno kept when Node gave one). */
function handshakeError(message: string, extra: { errno?: number; code?: string } = {}): Error {
  return Object.assign(new Error(message), { code: 'HANDSHAKE_SSL_ERROR', fatal: true, ...extra });
}

const cases: [string, Error, ErrorKind][] = [
  ['unrelated CA (chain)', handshakeError('self-signed certificate in certificate chain'), 'fatal'],
  ['unrelated CA (leaf)', handshakeError('unable to verify the first certificate'), 'fatal'],
  ['self-signed server certificate', handshakeError('self-signed certificate'), 'fatal'],
  ['expired certificate', handshakeError('certificate has expired'), 'fatal'],
  [
    'host name mismatch (verify-full)',
    handshakeError("Hostname/IP does not match certificate's altnames: IP: 10.0.0.9 is not in the cert's list: 127.0.0.1"),
    'fatal',
  ],
  ['no common protocol', handshakeError('write EPROTO C0B7A0F1:error:0A000102:SSL routines::unsupported protocol'), 'fatal'],
  [
    'server offers no TLS',
    Object.assign(new Error('Server does not support secure connection'), { code: 'HANDSHAKE_NO_SSL_SUPPORT', fatal: true }),
    'fatal',
  ],
  [
    'socket dropped during the handshake',
    handshakeError('Client network socket disconnected before secure TLS connection was established', { errno: -104 }),
    'retriable',
  ],
  ['reset during the handshake', handshakeError('read ECONNRESET', { errno: -104 }), 'retriable'],
];

describe('mysql: TLS handshake errors', () => {
  for (const [name, err, kind] of cases) {
    test(`${name} -> ${kind}`, () => {
      assert.equal(classifyError(err), kind);
      assert.equal(targetErrorCode(err, kind), kind === 'fatal' ? ErrorCodes.TARGET_FATAL : ErrorCodes.TARGET_CONNECTION);
    });
  }

  test('other connection-fatal errors without an errno stay retriable', () => {
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });
    assert.equal(classifyError(lost), 'retriable');
    assert.equal(classifyError(Object.assign(new Error('weird socket failure'), { fatal: true })), 'retriable');
  });
});
