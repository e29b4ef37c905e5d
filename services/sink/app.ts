/**
 * buildApp wires one cdc-sink instance from a validated config: connector, decoder, transforms,
 * router, pipeline, Kafka source, telemetry and the HTTP endpoint. No singletons: tests build several.
 *
 * Shutdown order (SIGTERM): stop fetching, drain in-flight batches and commit them, disconnect from
 * Kafka, close the connector, close HTTP.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Connector } from '../../connectors/contract.ts';
import { errorText } from '../../connectors/core/errors.ts';
import { createDecoder } from '../../connectors/debezium/index.ts';
import { createConnector } from '../../connectors/registry.ts';
import { buildTransformRegistry } from '../../transforms/runtime/index.ts';
import type { TransformRegistry } from '../../transforms/runtime/index.ts';
import type { DeadLetter, TransformStage } from './pipeline/stages.ts';
import type { Config } from './config/load.ts';
import { redact } from './config/redact.ts';
import { buildHttpServer } from './http/server.ts';
import { Pipeline } from './pipeline/pipeline.ts';
import { flushWriter } from './pipeline/write-coalescer.ts';
import { Router } from './pipeline/router.ts';
import { SchemaSync } from './pipeline/schema-sync.ts';
import { backoffDelay, sleep } from './pipeline/retry.ts';
import { createKafka } from './source/kafka-client.ts';
import { DeadLetterQueue } from './source/dead-letter.ts';
import { KafkaSource } from './source/kafka-source.ts';
import { createMetrics } from './telemetry/metrics.ts';
import { Telemetry } from './telemetry/telemetry.ts';

const KAFKA_SHUTDOWN_MS = 10_000;

function withTimeout(p: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms; going on`)), ms);
    timer.unref();
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export interface App {
  readonly telemetry: Telemetry;
  readonly connector: Connector;
  /** Resolves once consuming has started (connected to the target and Kafka). */
  start(): Promise<void>;
  /** Graceful stop; idempotent. Resolves when everything is closed. */
  stop(): Promise<void>;
  /** Resolves when the app stopped by itself (a stop error) or after stop(); carries the error if any. */
  readonly finished: Promise<Error | null>;
  /** The HTTP server's address once listening (port 0 picks a free one). */
  httpAddress(): string | null;
}

export interface AppDeps {
  readonly logger: Logger;
  /** Told of every record sent to the dead-letter topic (replay-dlq reports them). */
  readonly onDeadLetters?: (letters: readonly DeadLetter[]) => void;
  /** Stop taking records at these offsets ("topic:partition" -> offset); replay-dlq reads a bounded range. */
  readonly endOffsets?: ReadonlyMap<string, bigint>;
}

export function buildApp(config: Config, deps: AppDeps): App {
  const logger = deps.logger;
  const metrics = createMetrics();
  const telemetry = new Telemetry(metrics, logger);
  const connector = createConnector(config.target.type, config.target.options, { logger: logger.child({ component: 'target' }) });
  const abort = new AbortController();
  let stopping = false;
  let http: FastifyInstance | null = null;
  let resolveFinished!: (e: Error | null) => void;
  const finished = new Promise<Error | null>((r) => (resolveFinished = r));
  let stopPromise: Promise<void> | null = null;
  let failure: Error | null = null;

  const onStop = (err: Error) => {
    failure ??= err;
    telemetry.readiness.notReady('pipeline', `stopped: ${err.message}`);
    logger.fatal({ err: errorText(err) }, 'stopping: an error that the policy says must stop replication');
    void stop();
  };

  let transforms: TransformRegistry | null = null;
  /** Plugins load (and validate their options) in start(); events wait for them. */
  const transformStage: TransformStage = {
    forTable: (table) => {
      if (!transforms) throw new Error('transforms are not loaded yet');
      return transforms.forTable(table);
    },
  };
  const kafka = createKafka(config.kafka, logger);
  const source = new KafkaSource(kafka, config.kafka, telemetry, onStop);
  const deadLetter = config.errors.deadLetterTopic === null ? null : new DeadLetterQueue(kafka, config.errors.deadLetterTopic, telemetry, deps.onDeadLetters);
  const router = new Router(config.tables, connector);
  const schemaSync = new SchemaSync(connector, config.tables, logger.child({ component: 'schema' }));
  const decoder = createDecoder(config.decoder);
  const write = flushWriter(connector, config.batch, telemetry);
  const pipeline = new Pipeline(
    {
      groupId: config.kafka.groupId,
      decode: (r) => decoder.decode(r),
      retain: (r) => decoder.retain(r),
      decodePrepare: decoder.prepare,
      transforms: transformStage,
      router,
      schemaSync,
      connector,
      write,
      kafka: source,
      telemetry,
      batch: config.batch,
      retry: config.errors.retry,
      deadLetter,
      onTableFailure: config.errors.onTableFailure,
      endOffsets: deps.endOffsets,
      signal: abort.signal,
    },
    onStop,
  );

  async function connectTarget(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await connector.connect();
        telemetry.readiness.ok('target');
        return;
      } catch (err) {
        const e = err as Error;
        if (abort.signal.aborted || ('kind' in e && e.kind !== 'retriable')) throw e;
        const delay = backoffDelay(config.errors.retry, attempt);
        telemetry.readiness.notReady('target', `${e.message}; retrying`);
        telemetry.retry('write', e, attempt + 1, delay);
        await sleep(delay, abort.signal);
      }
    }
  }

  async function start(): Promise<void> {
    logger.info({ config: redact({ ...config, target: { type: config.target.type, ...config.target.options } }) }, 'starting cdc-sink');
    if (config.http.enabled) {
      http = buildHttpServer({
        readiness: telemetry.readiness,
        registry: metrics.registry,
        stopping: () => stopping,
        paused: () => telemetry.pausedPartitions,
        resume: (filter) => pipeline.resume(filter),
      });
      await http.listen({ host: config.http.host, port: config.http.port });
      logger.info({ address: httpAddress() }, 'http listening: /healthz /readyz /metrics');
    }
    try {
      transforms = buildTransformRegistry(config.transforms, {
        baseDir: config.baseDir,
        logger: logger.child({ component: 'transforms' }),
        observer: telemetry,
      });
      // Every plugin loads and validates its options before anything is consumed.
      await transforms.ready();
      await connectTarget();
      pipeline.start();
      await source.start(pipeline);
    } catch (err) {
      onStop(err as Error);
      throw err;
    }
  }

  function stop(): Promise<void> {
    stopPromise ??= (async () => {
      stopping = true;
      abort.abort();
      const step = async (name: string, fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (err) {
          failure ??= err as Error;
          logger.error({ err: errorText(err) }, `shutdown: ${name} failed`);
        }
      };
      // Kafka calls are bounded and cannot fail the shutdown: with the broker down, kafkajs would
      // retry for minutes, and every applied batch already has its offset in the target.
      const kafkaStep = async (name: string, fn: () => Promise<void>) => {
        await fn().catch((err: unknown) => logger.warn({ err: errorText(err) }, `shutdown: ${name} did not finish (the target holds the offsets)`));
      };
      await kafkaStep('stop fetching', () => withTimeout(source.stop(), KAFKA_SHUTDOWN_MS, 'stopping the consumer'));
      await step('drain', () => pipeline.drain());
      await kafkaStep('disconnect from Kafka', () => withTimeout(source.disconnect(), KAFKA_SHUTDOWN_MS, 'disconnecting from Kafka'));
      if (deadLetter) await step('close the dead-letter producer', () => deadLetter.close());
      if (transforms) await step('close transforms', () => transforms!.close());
      await step('close target', () => connector.close());
      if (http) await step('close http', () => http!.close());
      logger.info({ failed: failure ? failure.message : null }, 'cdc-sink stopped');
      resolveFinished(failure ?? pipeline.failed);
    })();
    return stopPromise;
  }

  function httpAddress(): string | null {
    const a = http?.server.address();
    return a && typeof a === 'object' ? `http://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}` : null;
  }

  return { telemetry, connector, start, stop, finished, httpAddress };
}
