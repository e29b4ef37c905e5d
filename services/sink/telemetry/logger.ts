/** Structured JSON logs (pino). Secrets never reach a log line: config is redacted before logging. */
import { pino } from 'pino';
import type { Logger } from 'pino';

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cdc-sink' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['password', '*.password', 'sasl.password', 'config.target.url'], censor: '***' },
    },
    destination,
  );
}
