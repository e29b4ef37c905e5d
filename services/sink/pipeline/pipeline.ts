/**
 * The set of partition workers. The Kafka source tells it which partitions this instance owns and
 * hands it their records; it loads the stored offsets on every assignment, flushes by age on a timer,
 * and drains everything on shutdown.
 */
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { PartitionWorker } from './partition-worker.ts';
import { retrying } from './retry.ts';
import type { BatchHooks, PipelineDeps } from './stages.ts';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A map key for one topic-partition. */
export const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class Pipeline {
  private workers = new Map<string, PartitionWorker>();
  private stored = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly deps: PipelineDeps,
    /** Called once when a worker hits an error whose policy is to stop. */
    private readonly onStop: (err: Error) => void,
  ) {}

  start(): void {
    // Often enough that neither maxAgeMs nor a caught-up partition's wait is overshot by much.
    const { maxAgeMs, caughtUpFlushIntervalMs } = this.deps.batch;
    const every = Math.max(10, Math.min(250, Math.floor(maxAgeMs / 2), Math.floor(caughtUpFlushIntervalMs / 4) || 250));
    this.timer = setInterval(() => this.flushDue(), every);
    this.timer.unref();
  }

  /** A new assignment: read the offsets stored in the target, keep workers of partitions still owned. */
  async assign(partitions: readonly TopicPartition[]): Promise<Map<string, string>> {
    const stored = await this.readOffsets();
    this.stored = new Map(stored.map((o) => [tpKey(o.topic, o.partition), o.nextOffset]));
    const next = new Map<string, PartitionWorker>();
    for (const { topic, partition } of partitions) {
      const k = tpKey(topic, partition);
      // Workers are rebuilt from the stored offset: whatever another owner applied meanwhile is respected.
      this.workers.get(k)?.discard();
      next.set(k, new PartitionWorker(topic, partition, this.stored.get(k) ?? null, this.deps));
    }
    for (const [k, w] of this.workers) if (!next.has(k)) w.discard();
    this.workers = next;
    const out = new Map<string, string>();
    for (const { topic, partition } of partitions) {
      const s = this.stored.get(tpKey(topic, partition));
      if (s !== undefined) out.set(`${topic}:${partition}`, s);
    }
    return out;
  }

  /** The offsets stored in the target, retrying while the target is unreachable (not ready meanwhile). */
  private readOffsets() {
    const { connector, groupId, retry, signal, telemetry } = this.deps;
    return retrying(() => connector.readOffsets(groupId), {
      policy: retry,
      signal,
      onRetry: (err, attempt, delay) => {
        telemetry.readiness.notReady('assignment', `reading the stored offsets: ${err.message}; retrying (attempt ${attempt})`);
        telemetry.retry('write', err, attempt, delay);
      },
    });
  }

  storedOffset(topic: string, partition: number): string | undefined {
    return this.stored.get(tpKey(topic, partition));
  }

  async process(topic: string, partition: number, records: readonly KafkaRecord[], hooks: BatchHooks): Promise<void> {
    if (this.failure) return;
    let w = this.workers.get(tpKey(topic, partition));
    if (!w) {
      // Records of a partition we were not told about (assignment event not seen yet): load its offset.
      await this.assign([...this.partitions(), { topic, partition }]);
      w = this.workers.get(tpKey(topic, partition));
      if (!w) return;
    }
    try {
      await w.process(records, hooks);
    } catch (err) {
      // Kafka's own errors (a heartbeat refused during a rebalance) go back to kafkajs, which
      // rejoins the group; the partition is re-read from the offset stored in the target.
      if (err instanceof Error && err.name.startsWith('KafkaJS')) throw err;
      this.fail(err as Error);
    }
  }

  /** Resumes paused partitions (all, or those of one topic / one partition). Returns what resumed. */
  async resume(filter: { topic?: string; partition?: number } = {}): Promise<TopicPartition[]> {
    const out: TopicPartition[] = [];
    for (const w of this.workers.values()) {
      if (filter.topic !== undefined && w.topic !== filter.topic) continue;
      if (filter.partition !== undefined && w.partition !== filter.partition) continue;
      if (await w.resume()) out.push({ topic: w.topic, partition: w.partition });
    }
    return out;
  }

  partitions(): TopicPartition[] {
    return [...this.workers.values()].map((w) => ({ topic: w.topic, partition: w.partition }));
  }

  private flushDue(): void {
    if (this.failure) return;
    for (const w of this.workers.values()) {
      w.flushIfDue().catch((err: unknown) => this.fail(err as Error));
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.onStop(err);
  }

  /** Shutdown: stop the timer, flush every partition (unless stopping because of a failure). */
  async drain(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.failure) return;
    const results = await Promise.allSettled([...this.workers.values()].map((w) => w.flush()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  get failed(): Error | null {
    return this.failure;
  }
}
