/**
 * Consumes the configured topics with kafkajs and hands each partition's records to the pipeline.
 * Kafka's own committed offsets trail the target (queued after each applied batch and committed in
 * the background, for consumer-lag tools); the offsets stored in the target decide where processing
 * resumes, so the source seeks to them on every assignment.
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { CdcSinkError, ErrorCodes, errorText } from '../../../connectors/core/errors.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import type { KafkaConfig } from '../config/schema.ts';
import { tpKey } from '../pipeline/pipeline.ts';
import type { Pipeline, TopicPartition } from '../pipeline/pipeline.ts';
import type { KafkaControl } from '../pipeline/stages.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { consumerConfig } from './kafka-client.ts';
import { checkBrokerTls } from './tls-preflight.ts';

export class KafkaSource implements KafkaControl {
  private readonly consumer: Consumer;
  private readonly logger: Logger;
  private assignment: Promise<void> = Promise.resolve();
  private pipeline: Pipeline | null = null;
  private running = false;
  private lastFetchAt = Date.now();
  private batchesInFlight = 0;
  /** Per partition, the batch handed to the pipeline (prefetch): settles with its error (to rethrow to kafkajs) or null. */
  private readonly inFlight = new Map<string, Promise<Error | null>>();
  /** Start times of the heartbeats and commits waiting for the broker, by call. */
  private readonly pendingCalls = new Map<number, number>();
  private nextCall = 0;
  /** Offsets applied to the target and not yet committed to Kafka: the latest per partition. */
  private readonly toCommit = new Map<string, { topic: string; partition: number; offset: string }>();
  /** The background commit loop, while it runs. */
  private committing: Promise<void> | null = null;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    kafka: Kafka,
    private readonly config: KafkaConfig,
    private readonly telemetry: Telemetry,
    private readonly onStop: (err: Error) => void,
  ) {
    this.logger = telemetry.logger.child({ component: 'kafka-source' });
    this.consumer = kafka.consumer(consumerConfig(config));
    const { CONNECT, DISCONNECT, GROUP_JOIN, CRASH, FETCH } = this.consumer.events;
    this.consumer.on(CONNECT, () => telemetry.readiness.ok('kafka'));
    // kafkajs retries a lost broker without any event: a fetch loop that stopped answering is the sign.
    this.consumer.on(FETCH, () => {
      this.lastFetchAt = Date.now();
      if (this.running) telemetry.readiness.ok('kafka');
    });
    this.watchdog = setInterval(() => this.checkFetching(), 1000);
    this.watchdog.unref();
    this.consumer.on(DISCONNECT, () => telemetry.readiness.notReady('kafka', 'disconnected from Kafka'));
    this.consumer.on(GROUP_JOIN, (e) => {
      const assigned: TopicPartition[] = Object.entries(e.payload.memberAssignment).flatMap(([topic, parts]) =>
        parts.map((partition) => ({ topic, partition })),
      );
      this.logger.info({ assigned: assigned.map((p) => `${p.topic}[${p.partition}]`) }, 'partitions assigned');
      this.assignment = this.onAssigned(assigned);
    });
    this.consumer.on(CRASH, (e) => {
      const err = e.payload.error;
      telemetry.readiness.notReady('kafka', `consumer crashed: ${err.message}${e.payload.restart ? ', restarting' : ''}`);
      telemetry.error('kafka', new CdcSinkError(ErrorCodes.KAFKA, `Kafka consumer crashed: ${err.message}`, { kind: 'retriable', cause: err }));
      if (!e.payload.restart) this.onStop(err);
    });
  }

  /**
   * Not ready when no fetch completed for a while although no batch is being processed, or when a
   * heartbeat or commit of a batch in flight has waited that long for the broker (kafkajs retries a
   * lost broker inside those calls without any event).
   */
  private checkFetching(): void {
    if (!this.running) return;
    const now = Date.now();
    const limit = Math.max(10_000, 3 * this.config.maxWaitTimeMs + this.config.connectionTimeoutMs);
    const oldestCall = Math.min(...this.pendingCalls.values());
    if (now - oldestCall > limit) {
      this.telemetry.readiness.notReady('kafka', `a heartbeat or offset commit has waited ${Math.round((now - oldestCall) / 1000)} s for Kafka (brokers unreachable?)`);
    } else if (this.batchesInFlight === 0 && now - this.lastFetchAt > limit) {
      this.telemetry.readiness.notReady('kafka', `no fetch from Kafka answered for ${Math.round((now - this.lastFetchAt) / 1000)} s (brokers unreachable?)`);
    }
  }

  /** A request to the broker on behalf of a batch, timed for the watchdog. */
  private async kafkaCall<T>(fn: () => Promise<T>): Promise<T> {
    const id = this.nextCall++;
    this.pendingCalls.set(id, Date.now());
    try {
      const out = await fn();
      if (this.running && this.pendingCalls.size === 1) this.telemetry.readiness.ok('kafka');
      return out;
    } finally {
      this.pendingCalls.delete(id);
    }
  }

  private async onAssigned(assigned: TopicPartition[]): Promise<void> {
    if (!this.pipeline) return;
    try {
      const stored = await this.pipeline.assign(assigned);
      for (const { topic, partition } of assigned) {
        const offset = stored.get(`${topic}:${partition}`);
        if (offset !== undefined) this.seek(topic, partition, offset);
      }
      this.telemetry.readiness.ok('assignment');
    } catch (err) {
      this.telemetry.readiness.notReady('assignment', `cannot read stored offsets: ${errorText(err)}`);
      this.onStop(err as Error);
    }
  }

  async start(pipeline: Pipeline): Promise<void> {
    this.pipeline = pipeline;
    await checkBrokerTls(this.config);
    await this.consumer.connect();
    const { topics, topicPattern, fromBeginning } = this.config;
    await this.consumer.subscribe({ topics: topicPattern ? [new RegExp(topicPattern)] : [...(topics ?? [])], fromBeginning });
    this.running = true;
    this.lastFetchAt = Date.now();
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.config.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /**
   * With kafka.prefetch, a batch is handed to its partition's worker and eachBatch returns at once, so
   * kafkajs fetches the next batch while this one is decoded and written (its fetch loop waits for
   * every eachBatch of a fetch before fetching again). At most one batch per partition waits behind
   * the one being processed: the next eachBatch of the partition awaits the previous batch first.
   *
   * Offsets: the whole batch is resolved when it is handed over (the next fetch starts after it); the
   * target's stored offset stays the truth. A seek by the worker (a resync or a resume) is pending in
   * kafkajs until the next fetch starts, which cannot happen before every eachBatch of the current
   * fetch returned; a batch found stale at hand-over (payload.isStale) is dropped, and the worker
   * stops a batch it is processing when it seeks (partition-worker.ts).
   */
  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const key = tpKey(batch.topic, batch.partition);
    const previous = this.inFlight.get(key);
    if (previous) {
      const err = await previous;
      // The previous batch failed (a Kafka error, e.g. a rebalance): kafkajs handles it as without prefetch.
      if (err) throw err;
    }
    await this.assignment;
    if (!this.config.prefetch) return this.tracked(this.processBatch(payload, (offset) => payload.resolveOffset(offset)));
    if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
    payload.resolveOffset(batch.lastOffset());
    const run = this.tracked(this.processBatch(payload, () => undefined)).then(
      () => null,
      (e: unknown) => (e instanceof Error ? e : new Error(errorText(e))),
    );
    this.inFlight.set(key, run);
    // A failed batch stays until the partition's next eachBatch rethrows its error: it was resolved
    // whole but not taken whole, so nothing after it may be taken before kafkajs restarts the
    // consumer and the partition is read again from the offset stored in the target.
    void run.then((err) => {
      if (err === null && this.inFlight.get(key) === run) this.inFlight.delete(key);
    });
  }

  /** Counts the batch as in flight (the watchdog does not expect fetches meanwhile) until it settles. */
  private async tracked(work: Promise<void>): Promise<void> {
    this.batchesInFlight++;
    try {
      await work;
    } finally {
      this.batchesInFlight--;
    }
  }

  private async processBatch(payload: EachBatchPayload, resolveOffset: (offset: string) => void): Promise<void> {
    const { batch } = payload;
    const pipeline = this.pipeline;
    if (!pipeline || batch.messages.length === 0) return;
    const records: KafkaRecord[] = batch.messages.map((m) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      timestamp: m.timestamp,
      key: m.key,
      value: m.value,
      headers: m.headers,
    }));
    await pipeline.process(batch.topic, batch.partition, records, {
      heartbeat: () => this.kafkaCall(() => payload.heartbeat()),
      isActive: () => payload.isRunning() && !payload.isStale(),
      resolveOffset,
      remaining: () => Number(batch.offsetLag()),
    });
    this.telemetry.consumerLag(batch.topic, batch.partition, Number(batch.offsetLag()));
  }

  /**
   * Queues the offset; one commit request at a time carries the latest offset of every partition.
   * A flush used to wait for its own commit: a broker round trip on the partition's path per batch
   * (and ~150 commit requests a second at moderate load), for offsets only lag tools read.
   */
  commit(topic: string, partition: number, nextOffset: string): void {
    this.toCommit.set(tpKey(topic, partition), { topic, partition, offset: nextOffset });
    this.committing ??= this.commitQueued();
  }

  private async commitQueued(): Promise<void> {
    try {
      while (this.toCommit.size > 0) {
        const offsets = [...this.toCommit.values()];
        this.toCommit.clear();
        try {
          await this.kafkaCall(() => this.consumer.commitOffsets(offsets));
        } catch (err) {
          // The target holds the authoritative offset; a failed Kafka commit only delays lag tools.
          const at = offsets.map((o) => `${o.topic}[${o.partition}]@${o.offset}`);
          this.logger.warn({ offsets: at, err: errorText(err) }, 'committing offsets to Kafka failed (the target has them)');
        }
      }
    } finally {
      this.committing = null;
    }
  }

  seek(topic: string, partition: number, offset: string): void {
    try {
      this.consumer.seek({ topic, partition, offset });
    } catch (err) {
      this.logger.warn({ topic, partition, offset, err: errorText(err) }, 'seek failed');
    }
  }

  pause(topic: string, partition: number): void {
    this.consumer.pause([{ topic, partitions: [partition] }]);
  }

  resume(topic: string, partition: number): void {
    this.consumer.resume([{ topic, partitions: [partition] }]);
  }

  /** Stops fetching; in-flight batches finish first. */
  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    if (!this.running) return;
    this.running = false;
    await this.consumer.stop();
    await Promise.all(this.inFlight.values());
  }

  async disconnect(): Promise<void> {
    await this.committing; // the drain's last offsets
    await this.consumer.disconnect();
  }
}
