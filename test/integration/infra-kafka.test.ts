// Checks the local Kafka broker (test/infra/kafka/start.sh) end to end with kafkajs:
// topic creation with 3 partitions, produce 100 keyed messages, consume them all back in order.
// Needs a running broker on KAFKA_BROKERS (comma-separated) or 127.0.0.1:9092.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Consumer, Producer } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const topic = `it_infra_kafka_${randomBytes(4).toString('hex')}`;
const MESSAGES = 100;
const KEYS = 10;

const kafka = new Kafka({ clientId: 'it-infra-kafka', brokers, logLevel: logLevel.ERROR });
let admin: Admin | undefined;
let producer: Producer | undefined;
let consumer: Consumer | undefined;

after(async () => {
  await consumer?.disconnect();
  await producer?.disconnect();
  if (admin) {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});

interface Received {
  partition: number;
  offset: bigint;
  key: string;
  seq: number;
}

test('broker creates a 3-partition topic and delivers 100 messages in order per partition', async () => {
  admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  assert.equal(created, true, `topic ${topic} should be new`);
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  assert.equal(meta.topics[0]?.partitions.length, 3);

  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // Sent in 4 batches so the log holds several record batches per partition.
  const sent: { key: string; seq: number }[] = [];
  for (let batch = 0; batch < 4; batch++) {
    const messages = [];
    for (let i = 0; i < MESSAGES / 4; i++) {
      const seq = batch * (MESSAGES / 4) + i;
      const key = `k${seq % KEYS}`;
      sent.push({ key, seq });
      messages.push({ key, value: JSON.stringify({ seq }) });
    }
    await producer.send({ topic, messages, acks: -1 });
  }

  consumer = kafka.consumer({ groupId: `${topic}_group`, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: Received[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`only ${received.length}/${MESSAGES} messages arrived on ${topic} within 60s`)), 60_000);
    consumer!
      .run({
        eachMessage: async ({ partition, message }) => {
          const body = JSON.parse(message.value?.toString() ?? 'null') as { seq: number };
          received.push({ partition, offset: BigInt(message.offset), key: message.key?.toString() ?? '', seq: body.seq });
          if (received.length >= MESSAGES) {
            clearTimeout(guard);
            resolve();
          }
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await done;

  assert.equal(received.length, MESSAGES);
  assert.deepEqual(
    received.map((r) => r.seq).sort((a, b) => a - b),
    sent.map((s) => s.seq),
    'every produced message arrives exactly once',
  );

  const byPartition = new Map<number, Received[]>();
  for (const r of received) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  assert.ok(byPartition.size > 1, `messages should spread over several partitions, got ${[...byPartition.keys()].join(',')}`);
  for (const [partition, rows] of byPartition) {
    for (let i = 1; i < rows.length; i++) {
      assert.ok(rows[i]!.offset > rows[i - 1]!.offset, `offsets ascend in partition ${partition}`);
      assert.ok(rows[i]!.seq > rows[i - 1]!.seq, `production order kept in partition ${partition}`);
    }
  }
  // A key always maps to one partition, so per-key order is the production order.
  const partitionOfKey = new Map<string, number>();
  for (const r of received) {
    const seen = partitionOfKey.get(r.key);
    if (seen === undefined) partitionOfKey.set(r.key, r.partition);
    else assert.equal(r.partition, seen, `key ${r.key} stays on one partition`);
  }
  assert.equal(partitionOfKey.size, KEYS);

  const offsets = await admin.fetchTopicOffsets(topic);
  const total = offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
  assert.equal(total, MESSAGES, 'the topic holds exactly the produced messages');
});
