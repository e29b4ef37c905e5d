/**
 * A TLS handshake with the brokers before kafkajs connects. kafkajs treats a certificate that fails
 * verification like any lost connection and retries it for minutes (145 s with our retry settings)
 * before the consumer gives up; no retry can fix a wrong CA or an expired certificate, so the
 * preflight turns it into a fatal CDC_KAFKA_TLS error at once, naming the broker and the reason.
 * Anything else (refused, unreachable, timed out) is left to kafkajs's own retries.
 */
import { connect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { CdcSinkError, ErrorCodes } from '../../../connectors/core/errors.ts';
import type { KafkaConfig } from '../config/schema.ts';

/** Node's codes for a certificate that was presented but does not verify. */
const CERTIFICATE_ERRORS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

export function isCertificateError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CERTIFICATE_ERRORS.has(code);
}

/** host:port or [v6]:port, as the config schema accepts them. */
export function splitBroker(broker: string): { host: string; port: number } {
  const at = broker.lastIndexOf(':');
  const host = broker.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(broker.slice(at + 1)) };
}

function handshake(broker: string, options: ConnectionOptions, timeoutMs: number): Promise<Error | null> {
  const { host, port } = splitBroker(broker);
  return new Promise((resolve) => {
    const socket = connect({ ...options, host, port, servername: /^[\d.:]+$/.test(host) ? undefined : host });
    const done = (err: Error | null) => {
      socket.destroy();
      resolve(err);
    };
    socket.setTimeout(timeoutMs, () => done(new Error('timed out')));
    socket.once('secureConnect', () => done(null));
    socket.once('error', done);
  });
}

/**
 * Resolves when some broker completed a TLS handshake, or none answered at all; throws a fatal
 * CDC_KAFKA_TLS error when a broker presented a certificate that the configured CA does not verify.
 */
export async function checkBrokerTls(config: KafkaConfig): Promise<void> {
  const tls = config.tls;
  if (!tls?.enabled || !tls.rejectUnauthorized) return;
  const options: ConnectionOptions = { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: true };
  for (const broker of config.brokers) {
    const err = await handshake(broker, options, config.connectionTimeoutMs);
    if (err === null) return;
    if (isCertificateError(err)) {
      throw new CdcSinkError(
        ErrorCodes.KAFKA_TLS,
        `TLS to Kafka broker ${broker}: its certificate does not verify (${(err as NodeJS.ErrnoException).code}: ${err.message}); check kafka.tls.ca`,
        { kind: 'fatal', cause: err },
      );
    }
  }
}
