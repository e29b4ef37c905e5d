/**
 * Micro-benchmark (not a test): where the decoder's time goes per record, on the backlog's own
 * records (bench/workload.ts, Debezium JSON with schemas). No Kafka and no target: records are
 * rendered in memory first, then each phase goes over them PASSES times, ROUNDS times, and prints
 * microseconds of CPU per record (process CPU time: on a shared host wall time also counts time the
 * vCPU did not run). The records are few: a large set of held buffers would make the garbage
 * collector's share that of the benchmark, not of the decoder.
 *
 *   npx tsx bench/decode-micro.ts [--records 10000] [--passes 10] [--rounds 3] [--only PHASE]
 */
import { parseArgs } from 'node:util';
import { createDecoder } from '../connectors/debezium/index.ts';
import type { KafkaRecord } from '../connectors/debezium/index.ts';
import { protectLargeNumbers } from '../connectors/debezium/json-text.ts';
import { Workload } from './workload.ts';

const { values } = parseArgs({ options: { records: { type: 'string' }, passes: { type: 'string' }, rounds: { type: 'string' }, only: { type: 'string' } } });
const RECORDS = Number(values.records ?? 10_000);
const PASSES = Number(values.passes ?? 10);
const ROUNDS = Number(values.rounds ?? 3);

const workload = new Workload('cdcmicro', RECORDS, 42);
const records: KafkaRecord[] = [];
for (const chunk of workload.records()) {
  for (const r of chunk) {
    if (r.value === null) continue;
    records.push({
      topic: workload.topic(r.table),
      partition: r.partition,
      offset: String(records.length),
      timestamp: String(r.tsMs),
      key: r.key === null ? null : Buffer.from(r.key),
      value: Buffer.from(r.value),
    });
  }
}
const PAYLOAD = Buffer.from(',"payload":');
const payloadStarts = records.map((r) => (r.value as Buffer).indexOf(PAYLOAD) + PAYLOAD.length);
const payloads = records.map((r, i) => (r.value as Buffer).toString('utf8', payloadStarts[i], (r.value as Buffer).length - 1));
const bytes = records.reduce((n, r) => n + (r.value?.length ?? 0), 0);
const payloadBytes = payloads.reduce((n, p) => n + p.length, 0);
console.log(`${records.length} records, ${(bytes / records.length).toFixed(0)} bytes each, payload ${(payloadBytes / records.length).toFixed(0)} characters`);

let sink = 0;
const decoder = createDecoder();
const phases: Record<string, () => void> = {
  'payload toString': () => {
    records.forEach((r, i) => {
      const v = r.value as Buffer;
      sink += v.toString('utf8', payloadStarts[i], v.length - 1).length;
    });
  },
  'JSON.parse(payload)': () => {
    for (const p of payloads) sink += (JSON.parse(p) as object) === null ? 0 : 1;
  },
  protectLargeNumbers: () => {
    for (const p of payloads) sink += protectLargeNumbers(p).length;
  },
  'decoder.decode': () => {
    for (const r of records) sink += decoder.decode(r).kind.length;
  },
};

for (let round = 0; round < ROUNDS; round++) {
  const line: string[] = [];
  for (const [name, run] of Object.entries(phases)) {
    if (values.only !== undefined && values.only !== name) continue;
    const t0 = process.cpuUsage();
    for (let pass = 0; pass < PASSES; pass++) run();
    const used = process.cpuUsage(t0);
    const us = (used.user + used.system) / records.length / PASSES;
    line.push(`${name} ${us.toFixed(2)} us`);
  }
  console.log(`round ${round + 1}: ${line.join(', ')}`);
}
if (sink === -1) console.log(sink);
