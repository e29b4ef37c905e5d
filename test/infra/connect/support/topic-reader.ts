// Reads raw Kafka records (key and value as text, exactly as Connect's JsonConverter wrote them).
import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';

export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Consumes `topics` from the beginning with a fresh consumer group until `done(records)` is true.
 * Rejects after `timeoutMs` with what had arrived so far.
 */
export async function readUntil(
  kafka: Kafka,
  topics: readonly string[],
  done: (records: readonly RawRecord[]) => boolean,
  timeoutMs = 120_000,
): Promise<RawRecord[]> {
  await waitForTopics(kafka, topics, timeoutMs);
  const consumer = kafka.consumer({ groupId: `it-infra-reader-${randomBytes(4).toString('hex')}` });
  const records: RawRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const seen = records.map((r) => `${r.topic}[${r.partition}]@${r.offset} key=${r.key ?? 'null'}`).join('\n');
        reject(new Error(`expected records did not arrive on ${topics.join(', ')} within ${timeoutMs} ms; got ${records.length}:\n${seen}`));
      }, timeoutMs);
      consumer
        .run({
          eachMessage: ({ topic, partition, message }) => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = Array.isArray(v) ? v.join(',') : String(v ?? '');
            records.push({
              topic,
              partition,
              offset: message.offset,
              key: message.key === null ? null : message.key.toString('utf8'),
              value: message.value === null ? null : message.value.toString('utf8'),
              headers,
            });
            if (done(records)) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Waits until every topic exists and each of its partitions has a leader (Connect creates them lazily). */
export async function waitForTopics(kafka: Kafka, topics: readonly string[], timeoutMs = 120_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const listed = new Set(await admin.listTopics());
      if (topics.every((t) => listed.has(t))) {
        const meta = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => undefined);
        if (meta?.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      }
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} did not appear within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the topics that exist among `topics` and waits until the broker no longer lists them. */
export async function deleteTopicsIfExist(admin: Admin, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const doomed = topics.filter((t) => existing.has(t));
  if (doomed.length === 0) return;
  await admin.deleteTopics({ topics: doomed, timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = new Set(await admin.listTopics());
    if (doomed.every((t) => !now.has(t))) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`topics ${doomed.join(', ')} still listed ${timeoutMs} ms after deletion`);
}
