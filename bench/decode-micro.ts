/**
 * Micro-benchmark (not a test): where the decoder's time goes per record, on the backlog's own
 * records (bench/workload.ts, Debezium JSON with schemas). No Kafka and no target: records are
 * rendered in memory first, then each phase goes over them PASSES times, ROUNDS times, and prints
 * microseconds of CPU per record (process CPU time: on a shared host wall time also counts time the
 * vCPU did not run). The records are few: a large set of held buffers would make the garbage
 * collector's share that of the benchmark, not of the decoder.
 *
 *   npx tsx bench/decode-micro.ts [--records 10000] [--passes 10] [--rounds 3] [--only PHASE]
 *   npx tsx bench/decode-micro.ts --alloc [--passes 5]
 *
 * --alloc prints, instead of times, the bytes the decoder allocates per record by function (V8's
 * sampling heap profiler, counting objects the garbage collector already freed): what the collector
 * has to deal with, which a CPU profile shows only as its own line.
 */
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { createDecoder } from '../connectors/debezium/index.ts';
import type { KafkaRecord } from '../connectors/debezium/index.ts';
import { protectLargeNumbers } from '../connectors/debezium/json-text.ts';
import { Workload } from './workload.ts';

const { values } = parseArgs({
  options: { records: { type: 'string' }, passes: { type: 'string' }, rounds: { type: 'string' }, only: { type: 'string' }, alloc: { type: 'boolean' } },
});
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

interface SampledNode {
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly selfSize: number;
  readonly children: readonly SampledNode[];
}

/** Bytes allocated per record by function (file and name), over PASSES passes of decoder.decode. */
async function allocations(): Promise<void> {
  for (const r of records) sink += decoder.decode(r).kind.length; // compile schemas and warm up first
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let pass = 0; pass < PASSES; pass++) for (const r of records) sink += decoder.decode(r).kind.length;
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: SampledNode) => {
    total += n.selfSize;
    const site = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
    bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
    n.children.forEach(walk);
  };
  walk(profile.head);
  const perRecord = (bytes: number) => (bytes / PASSES / records.length).toFixed(0).padStart(6);
  console.log(`${perRecord(total)} bytes allocated per record in all`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${perRecord(bytes)}  ${site}`);
}

if (values.alloc === true) await allocations();
for (let round = 0; round < (values.alloc === true ? 0 : ROUNDS); round++) {
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
