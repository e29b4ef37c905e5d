/** Counts the Debezium ops (r, c, u, d, t, tombstone) on a topic, reading it from the start to its end. */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { endOffsets } from './sink.ts';

export async function countOps(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<Record<string, number>> {
  const ends = await endOffsets(kafka, [topic]);
  const remaining = new Map([...ends].filter(([, end]) => end > 0n));
  const counts: Record<string, number> = {};
  if (remaining.size === 0) return counts;
  const consumer = kafka.consumer({ groupId: `e2e-count-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} to its end took over ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              const v = m.value?.toString('utf8') ?? null;
              const op = v === null ? 'tombstone' : (/"op":"([a-z])"/.exec(v.slice(v.lastIndexOf('"op":"')))?.[1] ?? '?');
              counts[op] = (counts[op] ?? 0) + 1;
            }
            const tp = `${topic}:${batch.partition}`;
            const end = remaining.get(tp);
            if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) remaining.delete(tp);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch((err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
    });
  } finally {
    await consumer.disconnect();
  }
  return counts;
}
