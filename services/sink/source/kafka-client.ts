/** Builds the kafkajs client from the kafka config section, logging through pino. */
import { Kafka, logLevel } from 'kafkajs';
import type { ConsumerConfig, KafkaConfig as KafkaJsConfig, LogEntry, SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConfig } from '../config/schema.ts';

function pinoLogCreator(logger: Logger) {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      if (level === logLevel.ERROR) child.error(extra, message);
      else if (level === logLevel.WARN) child.warn(extra, message);
      else if (level === logLevel.INFO) child.info(extra, message);
      else child.debug(extra, message);
    };
}

export function kafkaClientConfig(config: KafkaConfig, logger: Logger): KafkaJsConfig {
  const sasl: SASLOptions | undefined = config.sasl
    ? { mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password }
    : undefined;
  const ssl = config.tls?.enabled
    ? { ca: config.tls.ca, cert: config.tls.cert, key: config.tls.key, rejectUnauthorized: config.tls.rejectUnauthorized }
    : undefined;
  return {
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: config.connectionTimeoutMs,
    ssl,
    sasl,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
    retry: { initialRetryTime: 300, retries: 10 },
  };
}

export function createKafka(config: KafkaConfig, logger: Logger): Kafka {
  return new Kafka(kafkaClientConfig(config, logger));
}

/** The consumer settings of the kafka config section (the benchmark's read floor uses them too). */
export function consumerConfig(config: KafkaConfig): ConsumerConfig {
  return {
    groupId: config.groupId,
    sessionTimeout: config.sessionTimeoutMs,
    maxWaitTimeInMs: config.maxWaitTimeMs,
    minBytes: config.minBytes,
    maxBytesPerPartition: config.maxBytesPerPartition,
    maxBytes: config.maxBytes,
    allowAutoTopicCreation: false,
  };
}
