/** Test helpers for the real Kafka broker started by test/infra/kafka/start.sh. */
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import type { ChangeRecord } from './debezium-events.ts';

export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'cdc-sink-tests', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function createTopics(kafka: Kafka, topics: readonly string[], partitions = 3, config: Readonly<Record<string, string>> = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1, configEntries })) });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

export async function withProducer<T>(kafka: Kafka, fn: (p: Producer) => Promise<T>): Promise<T> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    return await fn(producer);
  } finally {
    await producer.disconnect();
  }
}

/** Sends records in order (keyed records land on their key's partition, like Debezium's). */
export async function produce(kafka: Kafka, topic: string, records: readonly (ChangeRecord & { partition?: number })[], chunk = 250): Promise<void> {
  await withProducer(kafka, async (p) => {
    for (let i = 0; i < records.length; i += chunk) {
      await p.send({
        topic,
        messages: records.slice(i, i + chunk).map((r) => ({ key: r.key, value: r.value, partition: r.partition })),
      });
    }
  });
}

/** Sum of the high watermarks of a topic's partitions. */
export async function topicEndOffsets(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, o.high]));
  } finally {
    await admin.disconnect();
  }
}
