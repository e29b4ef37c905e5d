/**
 * The Kafka read floor (`--systems kafka-read`), run as a child process: the same kafkajs client and
 * consumer settings as cdc-sink (built from the same generated config by the same functions,
 * createKafka and consumerConfig), reading the whole backlog and touching every record, with no
 * decoding and no writes. No kafkajs-based sink can drain the backlog faster than this on the same
 * machine.
 *
 * With `--parse` (`--systems kafka-parse`) it also reads every key and value as cdc-sink's JSON
 * decoder does (JsonFormat: the embedded schema recognised by its bytes, the payload JSON.parsed),
 * and nothing more: the floor of a kafkajs-based sink of Debezium JSON, before any of its own work.
 *
 *   node --import tsx bench/kafka-read.ts <cdc-sink.yaml> <end-offsets.json> [--parse]
 *
 * end-offsets.json maps "topic:partition" to the partition's end offset. Prints one JSON line:
 * { seconds, cpuSeconds, records, bytes, parsed (keys and values read as JSON) }, measured from the
 * subscription to the last record (the process start and tsx's compilation are left out).
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { JsonFormat } from '../connectors/debezium/json-format.ts';
import { loadConfigFile } from '../services/sink/config/load.ts';
import { consumerConfig, createKafka } from '../services/sink/source/kafka-client.ts';

const [configFile, endsFile, mode] = process.argv.slice(2);
const parse = mode === '--parse';
if (configFile === undefined || endsFile === undefined) throw new Error('usage: kafka-read.ts <cdc-sink.yaml> <end-offsets.json> [--parse]');
const config = loadConfigFile(configFile).kafka;
const remaining = new Map(Object.entries(JSON.parse(readFileSync(endsFile, 'utf8')) as Record<string, string>).map(([k, v]) => [k, BigInt(v)]));
for (const [k, end] of remaining) if (end === 0n) remaining.delete(k);

const format = new JsonFormat((schemaJson) => schemaJson, { schemaCompilations: 0, schemaCacheHits: 0, schemaCacheMisses: 0, exactSchemas: 0 });
let parsed = 0;
const kafka = createKafka(config, pino({ level: 'warn' }));
const consumer = kafka.consumer(consumerConfig(config)); // KafkaSource's consumer settings
await consumer.connect();
await consumer.subscribe({ topics: [...(config.topics ?? [])], fromBeginning: true });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let records = 0;
let bytes = 0;
await new Promise<void>((resolve, reject) => {
  consumer
    .run({
      autoCommit: false,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          records++;
          bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
          if (!parse) continue;
          // read() throws on what it cannot parse; a count short of the backlog's fails the run.
          if (m.key !== null && m.key.length > 0) {
            format.read(m.key, batch.topic, 'key');
            parsed++;
          }
          if (m.value !== null && m.value.length > 0) {
            format.read(m.value, batch.topic, 'value');
            parsed++;
          }
        }
        const k = `${batch.topic}:${batch.partition}`;
        const end = remaining.get(k);
        if (end !== undefined && batch.messages.length > 0 && BigInt(batch.lastOffset()) + 1n >= end) remaining.delete(k);
        if (remaining.size === 0) resolve();
        return Promise.resolve();
      },
    })
    .catch(reject);
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, records, bytes, parsed })}\n`);
await consumer.disconnect();
