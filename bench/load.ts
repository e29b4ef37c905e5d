/**
 * Loads the workload's backlog into the broker: one topic per table, PARTITIONS partitions each,
 * records sent in large multi-topic batches. Each topic-partition batch of one request stays below
 * the broker's 1 MB message-batch limit; requests go one at a time so the order per partition is the
 * stream order. A backlog already loaded (same prefix, same end offsets) is reused.
 */
import { Partitioners } from 'kafkajs';
import type { Kafka, Message, TopicMessages } from 'kafkajs';
import { createTopics, deleteTopics, topicEndOffsets } from '../test/support/kafka.ts';
import { PARTITIONS } from './tables.ts';
import type { BenchRecord, Workload } from './workload.ts';

/** Bytes of one topic-partition's share of a request (the broker takes 1 MB per record batch). */
const PARTITION_BATCH_BYTES = 900_000;
/** Bytes of one produce request across all topic-partitions. */
const REQUEST_BYTES = 24_000_000;

export interface LoadResult {
  /** Next offset of every topic-partition after the load, "topic:partition" -> offset. */
  readonly endOffsets: Map<string, bigint>;
  readonly seconds: number;
  readonly bytes: number;
  readonly reused: boolean;
}

export async function endOffsets(kafka: Kafka, topics: readonly string[]): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for (const topic of topics) {
    for (const [p, high] of await topicEndOffsets(kafka, topic)) out.set(`${topic}:${p}`, BigInt(high));
  }
  return out;
}

async function existingTopics(kafka: Kafka): Promise<Set<string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Set(await admin.listTopics());
  } finally {
    await admin.disconnect();
  }
}

/** Counts the records of every topic-partition the stream holds (to check a reusable backlog). */
function expectedCounts(workload: Workload, perRecord: (r: BenchRecord) => void): void {
  for (const chunk of workload.records()) for (const r of chunk) perRecord(r);
}

/**
 * Groups records into produce requests: a topic-partition's share stays under the 1 MB batch limit,
 * a request under REQUEST_BYTES. Records keep the broker's time as their Kafka timestamp: the
 * backlog's 2024 source times would fall out of retention.
 */
export class Batcher {
  private pending = new Map<string, { topic: string; partition: number; messages: Message[]; bytes: number }>();
  private requestBytes = 0;
  bytes = 0;

  constructor(
    private readonly send: (topicMessages: TopicMessages[]) => Promise<void>,
  ) {}

  async add(topic: string, r: BenchRecord): Promise<void> {
    const k = `${topic}:${r.partition}`;
    const size = (r.key?.length ?? 0) + (r.value?.length ?? 0) + 80;
    let slot = this.pending.get(k);
    if (slot && slot.bytes + size > PARTITION_BATCH_BYTES) {
      await this.flush();
      slot = undefined;
    }
    if (!slot) {
      slot = { topic, partition: r.partition, messages: [], bytes: 0 };
      this.pending.set(k, slot);
    }
    slot.messages.push({ key: r.key, value: r.value, partition: r.partition });
    slot.bytes += size;
    this.requestBytes += size;
    this.bytes += size;
    if (this.requestBytes >= REQUEST_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const slot of this.pending.values()) {
      const list = byTopic.get(slot.topic) ?? [];
      list.push(...slot.messages);
      byTopic.set(slot.topic, list);
    }
    this.pending = new Map();
    this.requestBytes = 0;
    await this.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
  }
}

/** Produces the whole stream unless the topics already hold exactly it. */
export async function loadBacklog(kafka: Kafka, workload: Workload, log: (s: string) => void): Promise<LoadResult> {
  const topics = workload.topics;
  const have = await existingTopics(kafka);
  if (topics.every((t) => have.has(t))) {
    const offsets = await endOffsets(kafka, topics);
    const want = new Map<string, bigint>();
    expectedCounts(workload, (r) => {
      const k = `${workload.topic(r.table)}:${r.partition}`;
      want.set(k, (want.get(k) ?? 0n) + 1n);
    });
    const same = [...want].every(([k, n]) => offsets.get(k) === n) && offsets.size === topics.length * PARTITIONS;
    if (same) {
      log(`reusing the backlog already in ${topics.join(', ')}`);
      return { endOffsets: offsets, seconds: 0, bytes: 0, reused: true };
    }
    log('topics exist with other contents: deleting them');
    await deleteTopics(kafka, topics);
    await waitGone(kafka, topics);
  }
  await createTopics(kafka, topics, PARTITIONS);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = performance.now();
  let batcher: Batcher;
  try {
    batcher = new Batcher(async (topicMessages) => {
      await producer.sendBatch({ topicMessages, acks: -1, timeout: 60_000 });
    });
    let sent = 0;
    let nextLog = 100_000;
    for (const chunk of workload.records(500)) {
      for (const r of chunk) await batcher.add(workload.topic(r.table), r);
      sent += chunk.length;
      if (sent >= nextLog) {
        log(`  produced ${sent} records (${(batcher.bytes / 1e6).toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
        nextLog += 100_000;
      }
    }
    await batcher.flush();
  } finally {
    await producer.disconnect();
  }
  const seconds = (performance.now() - started) / 1000;
  return { endOffsets: await endOffsets(kafka, topics), seconds, bytes: batcher.bytes, reused: false };
}

async function waitGone(kafka: Kafka, topics: readonly string[]): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const have = await existingTopics(kafka);
    if (topics.every((t) => !have.has(t))) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`topics ${topics.join(', ')} were not deleted within 30 s`);
}
