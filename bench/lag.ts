/**
 * Replication lag under steady load (`npm run bench -- --lag`): a producer sends the benchmark's mix
 * of changes at a fixed share of the measured maximum rate while cdc-sink applies them; every row
 * version that becomes visible in the target is one sample of (target commit time - Kafka record
 * timestamp). The row's updated_at is the record's Kafka timestamp (micro-seconds); the commit time is
 * bounded by the start of the first poll (every POLL_MS) that sees the row, so each sample is an
 * upper bound, at most POLL_MS (plus the poll's own scheduling delay) above the true lag.
 *
 * Rows are read per table and partition in updated_at order: cdc-sink applies a partition in order,
 * one transaction per flush, so a row of partition p newer than the newest already seen there is new.
 * Deleted rows leave nothing to see, and a hot row overwritten between two polls shows only its last
 * version: the samples are the row versions a reader could have seen.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_BROKERS, createTopics, deleteTopics, testKafka } from '../test/support/kafka.ts';
import { startSink, waitDrained } from './cdc-sink-runner.ts';
import { machineSpeed, slowdownNote } from './calibrate.ts';
import { CpuMeter } from './cpu-share.ts';
import { waitGroupJoined } from './group-joined.ts';
import type { CpuShare } from './cpu-share.ts';
import { LagPoller, POLL_MS } from './lag-poller.ts';
import { LagProducer } from './lag-producer.ts';
import { MARKER_MS, MARKER_US, ReplayPool } from './lag-pool.ts';
import { endOffsets } from './load.ts';
import type { BenchOptions } from './options.ts';
import { lastBacklogFile, mb, sleep, verify } from './result.ts';
import { openTarget } from './targets.ts';
import type { TargetKind } from './targets.ts';
import { Workload } from './workload.ts';
import { PARTITIONS } from './tables.ts';

const TICK_MS = 10;
/** Records sent at most at once (each is stamped as it is taken, so a smaller chunk is a fresher stamp). */
const CHUNK = 100;
/** Changes rendered before the clock starts and replayed (~6 KB each). */
const POOL_CHANGES = 200_000;
const LAG_TOPIC_PREFIX = 'cdcbench_lag_';
const WARMUP_S = 30;
const TIMELINE_S = 5;
const WARMUP_WINDOWS = WARMUP_S / TIMELINE_S;
const SPACE = 'cdcbench_lag';

export interface LagResult {
  readonly target: TargetKind;
  readonly loadPercent: number;
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly minutes: number;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** p99 of every minute of the measured window, to show whether lag grows. */
  readonly p99ByMinuteMs: readonly number[];
  /**
   * Every TIMELINE_S seconds of the measured window (wall clock): the lag of the samples seen in it
   * and where the CPU went meanwhile, to tell where a tail came from.
   */
  readonly timeline: readonly { readonly at: string; readonly samples: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number; readonly cpu: CpuShare | null }[];
  /** The same windows over the warm-up (not in the figures above): how the run started. */
  readonly warmup: readonly { readonly samples: number; readonly p99Ms: number; readonly maxMs: number; readonly cpu: CpuShare | null }[];
  /**
   * The load producer's own part of the lag: per 5 s of record timestamps (aligned to the epoch),
   * the longest time from a record's timestamp to the broker's acknowledgement; warm-up, then the
   * measured window's longest.
   */
  readonly producerAckMs: { readonly warmup: readonly number[]; readonly measuredMax: number };
  /** Seconds the broker and the producer were primed before the clock started (--lag-prime-seconds). */
  readonly primedSeconds: number;
  readonly drainSecondsAfterStop: number;
  readonly cpuPer1000: number;
  /** cdc-sink's target transactions per second of production (its /metrics; null when unreadable), and the partition batches each carried. */
  readonly transactionsPerSec: number | null;
  readonly batchesPerTransaction: number | null;
  readonly peakRssMb: number;
  readonly checksumOk: boolean;
  /** Share of both CPUs busy while the load ran (after the warm-up), and the cores each kind of process used. */
  readonly machineBusy: number;
  readonly coresByProcess: Readonly<Record<string, number>>;
  /** CPU calibration before the level (bench/calibrate.ts), once the machine was quiet, and the note when it was slower than at the start. */
  readonly calibrationMs: number;
  readonly slowdown: string | null;
}

function pct(share: number | undefined): string {
  return share === undefined ? '?' : `${(share * 100).toFixed(0)}%`;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Sorted lags of the sample pairs (observedAtMs, lagMs) observed in [fromMs, toMs). */
function window(pairs: Float64Array, fromMs: number, toMs: number): Float64Array {
  const out: number[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const t = pairs[i] ?? 0;
    if (t >= fromMs && t < toMs) out.push(pairs[i + 1] ?? 0);
  }
  return Float64Array.from(out).sort();
}

/** Sorted lags of the sample pairs in `count` consecutive windows of `widthMs` from `fromMs`, in one pass. */
function windows(pairs: Float64Array, fromMs: number, widthMs: number, count: number): Float64Array[] {
  const out: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const w = Math.floor(((pairs[i] ?? 0) - fromMs) / widthMs);
    if (w >= 0 && w < count) out[w]?.push(pairs[i + 1] ?? 0);
  }
  return out.map((lags) => Float64Array.from(lags).sort());
}

const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

function maxRateFromLastRun(kind: TargetKind, benchDir: string, changes: number): number {
  const file = lastBacklogFile(benchDir, changes);
  let doc: { summaries?: { target: string; system: string; valid: number; changesPerSec: number }[] };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as typeof doc;
  } catch {
    throw new Error(`no --lag-rate given and no backlog result in ${file}: run \`npm run bench\` first (with the same --changes)`);
  }
  const s = doc.summaries?.find((x) => x.target === kind && x.system === 'cdc-sink' && x.valid > 0);
  if (!s) throw new Error(`${file} has no valid cdc-sink result for ${kind}; pass --lag-rate`);
  return s.changesPerSec;
}

async function lagRun(opts: BenchOptions, kind: TargetKind, loadPercent: number, rate100: number, runId: string, workDir: string, log: (s: string) => void, startCalibrationMs: number): Promise<LagResult> {
  const rate = (rate100 * loadPercent) / 100;
  const seconds = WARMUP_S + opts.lagMinutes * 60;
  const changes = Math.min(POOL_CHANGES, Math.ceil(rate * seconds * 1.2));
  const stream = () => new Workload(`${LAG_TOPIC_PREFIX}${runId}_${kind}_${loadPercent}`, changes + 1, opts.seed, () => MARKER_US, 1_000_000, () => MARKER_MS);
  // Topics and tables only: never iterated, so it holds no rows (the pool renders its own stream).
  const workload = stream();
  const renderStarted = performance.now();
  const pool = new ReplayPool(stream, changes);
  log(`  rendered ${pool.size} records (${changes} changes) to replay in ${((performance.now() - renderStarted) / 1000).toFixed(1)} s`);
  const kafka = testKafka();
  const target = openTarget(kind);
  const speed = await machineSpeed(target);
  log(`  machine quiet after ${speed.quietSeconds} s (${(speed.busy * 100).toFixed(0)}% busy), calibration ${speed.calibrationMs} ms`);
  // 10 minutes at 80% load is ~50 GB of records: keep 1 GB per partition (the sink reads seconds behind).
  await createTopics(kafka, workload.topics, PARTITIONS, { 'retention.bytes': String(2 ** 30) });
  // Nothing reads these: the load sent there before the clock starts warms the broker's and the producer's JVMs.
  const primeTopics = opts.lagPrimeSeconds > 0 ? workload.topics.map((t) => `${t}.prime`) : [];
  if (primeTopics.length > 0) await createTopics(kafka, primeTopics, PARTITIONS, { 'retention.bytes': String(2 ** 28) });
  await target.prepare(SPACE, workload.tables, { updatedAtIndex: true });
  const groupId = `cdcbench-lag-${runId}-${kind}-${loadPercent}`;
  const sink = await startSink({ target, space: SPACE, groupId, topics: workload.topics, overrides: opts.sinkOverrides, workDir: join(workDir, `lag-${kind}-${loadPercent}`), cpuProfile: opts.profile, nodeOptions: opts.sinkNodeOptions, sources: opts.sources });
  let poller: LagPoller | null = null;
  const producer = new LagProducer(KAFKA_BROKERS, [...workload.topics, ...primeTopics]);
  try {
    // The clock starts once cdc-sink holds every partition: before that, records would wait for its start.
    const joinedS = await waitGroupJoined(kafka, groupId, workload.topics.length * PARTITIONS, 60_000);
    log(`  cdc-sink joined its group with all ${workload.topics.length * PARTITIONS} partitions ${joinedS.toFixed(1)} s after its start`);
    // The producer runs from source: javac and the JVM start take ~2 s on an idle machine, longer
    // while cdc-sink starts beside it. Records stamped before it can send would count that as lag.
    await producer.flush();
    if (opts.lagPrimeSeconds > 0) {
      log(`  priming the broker and the load producer: ${Math.round(rate)} changes/s for ${opts.lagPrimeSeconds} s to topics nothing reads`);
      await prime(producer, pool, rate, opts.lagPrimeSeconds, workload.topics.length);
    }
    poller = new LagPoller({ kind, space: SPACE, tables: workload.tables.map((t) => t.name), startUs: nowUs() });
    log(`  ${kind} ${loadPercent}%: producing ${Math.round(rate)} changes/s for ${WARMUP_S} s warm-up + ${opts.lagMinutes} min`);
    const started = performance.now();
    const startedWall = performance.timeOrigin + started;
    let nextLog = started + 60_000;
    const endAt = started + seconds * 1000;
    // CPU by process over the measured part (after the warm-up), and per timeline window from the start.
    let cpu: CpuMeter | null = null;
    const cpuWindows = new CpuMeter(sink.child.pid ?? -1);
    const cpuTimeline: CpuShare[] = [];
    let nextWindow = started + TIMELINE_S * 1000;
    while (performance.now() < endAt) {
      if (performance.now() >= nextWindow) {
        cpuTimeline.push(cpuWindows.sample());
        if (cpuTimeline.length === WARMUP_WINDOWS) cpu = new CpuMeter(sink.child.pid ?? -1);
        nextWindow += TIMELINE_S * 1000;
      }
      if (performance.now() > nextLog) {
        const w = poller.recentLags().sort();
        const rateNow = pool.changesSent / ((performance.now() - started) / 1000);
        log(
          `    minute ${Math.round((performance.now() - started) / 60_000)}: produced ${Math.round(rateNow)} changes/s so far; last minute ${w.length} samples, ` +
            `p50 ${percentile(w, 0.5).toFixed(0)} ms, p99 ${percentile(w, 0.99).toFixed(0)} ms; cdc-sink RSS ${mb(sink.sampler.last?.rssBytes ?? 0)} MB`,
        );
        nextLog += 60_000;
      }
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      if (due > pool.changesSent) {
        await producer.send(pool.take(Math.min(CHUNK, due - pool.changesSent), nowUs));
        continue;
      }
      await sleep(Math.max(1, TICK_MS - ((performance.now() - started) % TICK_MS)));
    }
    await producer.flush();
    const cpuShare = cpu?.sample() ?? null;
    cpuTimeline.push(cpuWindows.sample());
    const producedSeconds = (performance.now() - started) / 1000;
    const stopWall = performance.timeOrigin + performance.now();
    const ends = await endOffsets(kafka, workload.topics);
    const drainStart = performance.now();
    await waitDrained(sink, target, SPACE, groupId, ends, 10 * 60_000, () => undefined);
    const drainSecondsAfterStop = (performance.now() - drainStart) / 1000;
    await sleep(4 * POLL_MS);
    await poller.stop();
    const pairs = poller.samples();
    const tx = await sink.transactions();
    const usage = await sink.stop();
    const mismatches = await verify(target, SPACE, workload, pool.expectedChecksums());
    const from = startedWall + WARMUP_S * 1000;
    // Samples of records produced in the measured window: those seen up to the stop, and the rest as they drain.
    const measured = window(pairs, from, stopWall + 60_000);
    const byMinute = windows(pairs, from, 60_000, opts.lagMinutes).map((w) => percentile(w, 0.99));
    const timeline = windows(pairs, from, TIMELINE_S * 1000, Math.ceil((stopWall - from) / (TIMELINE_S * 1000))).map((w, i) => ({
      at: new Date(from + i * TIMELINE_S * 1000).toISOString(),
      samples: w.length,
      p50Ms: percentile(w, 0.5),
      p99Ms: percentile(w, 0.99),
      maxMs: w[w.length - 1] ?? Number.NaN,
      cpu: cpuTimeline[WARMUP_WINDOWS + i] ?? null,
    }));
    const warmup = windows(pairs, startedWall, TIMELINE_S * 1000, WARMUP_WINDOWS).map((w, i) => ({
      samples: w.length,
      p99Ms: percentile(w, 0.99),
      maxMs: w[w.length - 1] ?? Number.NaN,
      cpu: cpuTimeline[i] ?? null,
    }));
    const acks = [...producer.ackDelays].sort(([a], [b]) => a - b);
    const producerAckMs = {
      warmup: acks.filter(([at]) => at + 5000 > startedWall && at < from).map(([, ms]) => ms),
      measuredMax: Math.max(0, ...acks.filter(([at]) => at >= from).map(([, ms]) => ms)),
    };
    log(
      `  warm-up, every ${TIMELINE_S} s: p99 ${warmup.map((w) => w.p99Ms.toFixed(0)).join(' / ')} ms, max ${warmup.map((w) => w.maxMs.toFixed(0)).join(' / ')} ms; ` +
        `the producer's longest acknowledgement ${producerAckMs.warmup.join(' / ')} ms (measured window: ${producerAckMs.measuredMax} ms); ` +
        `machine busy ${warmup.map((w) => pct(w.cpu?.machineBusy)).join(' / ')}, cdc-sink cores ${warmup.map((w) => (w.cpu?.coresByProcess['cdc-sink'] ?? 0).toFixed(2)).join(' / ')}`,
    );
    return {
      target: kind,
      loadPercent,
      targetRate: rate,
      achievedRate: pool.changesSent / producedSeconds,
      minutes: opts.lagMinutes,
      samples: measured.length,
      p50Ms: percentile(measured, 0.5),
      p99Ms: percentile(measured, 0.99),
      maxMs: measured[measured.length - 1] ?? Number.NaN,
      p99ByMinuteMs: byMinute,
      timeline,
      warmup,
      producerAckMs,
      primedSeconds: opts.lagPrimeSeconds,
      drainSecondsAfterStop,
      cpuPer1000: (usage.cpuSeconds / pool.changesSent) * 1000,
      transactionsPerSec: tx === null ? null : tx.transactions / producedSeconds,
      batchesPerTransaction: tx === null ? null : tx.batches / Math.max(1, tx.transactions),
      peakRssMb: usage.hwmMb,
      checksumOk: mismatches.length === 0,
      machineBusy: cpuShare?.machineBusy ?? Number.NaN,
      coresByProcess: cpuShare?.coresByProcess ?? {},
      calibrationMs: speed.calibrationMs,
      slowdown: slowdownNote(startCalibrationMs, speed.calibrationMs),
    };
  } finally {
    await poller?.stop();
    await producer.close();
    if (sink.child.exitCode === null) await sink.stop();
    if (!opts.keep) await target.drop(SPACE);
    await target.close();
    await deleteTopics(kafka, [...workload.topics, ...primeTopics]);
  }
}

/**
 * Sends the pool's records at `rate` a second for `seconds` to the priming topics (table index +
 * `tableOffset`), then waits for their acknowledgement. In a lag run's first seconds the broker and
 * the Java producer compile their hot paths: in a MariaDB run at 8,000 changes/s (2026-12-07) they
 * took 1.0-1.3 cores of the two for 15 s, the producer's own acknowledgements took up to 2.9 s, and
 * that start decided the run's p99. A source's broker in production is long warm; cdc-sink is not
 * primed, it reads none of these topics.
 */
async function prime(producer: LagProducer, pool: ReplayPool, rate: number, seconds: number, tableOffset: number): Promise<void> {
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    if (due > sent) {
      const n = Math.min(CHUNK, due - sent);
      await producer.send(pool.unstamped(sent, n, Date.now(), tableOffset));
      sent += n;
      continue;
    }
    await sleep(TICK_MS);
  }
  await producer.flush();
}

/** Topics a killed lag run left behind (up to 1 GB per partition each); runs are never concurrent. */
async function deleteStaleLagTopics(log: (s: string) => void): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const stale = (await admin.listTopics()).filter((t) => t.startsWith(LAG_TOPIC_PREFIX));
    if (stale.length === 0) return;
    log(`deleting ${stale.length} topics left by an earlier lag run that did not finish`);
    await admin.deleteTopics({ topics: stale });
  } finally {
    await admin.disconnect();
  }
}

export async function runLag(opts: BenchOptions, runId: string, workDir: string, log: (s: string) => void, benchDir: string, calibrationMs: number): Promise<void> {
  const results: LagResult[] = [];
  await deleteStaleLagTopics(log);
  for (const kind of opts.targets) {
    const rate100 = opts.lagRate ?? maxRateFromLastRun(kind, benchDir, opts.changes);
    for (const load of opts.lagLoads) {
      log(`lag ${kind} at ${load}% of ${Math.round(rate100)} changes/s`);
      const r = await lagRun(opts, kind, load, rate100, runId, workDir, log, calibrationMs);
      results.push(r);
      log(`  p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms, max ${r.maxMs.toFixed(0)} ms over ${r.samples} samples; achieved ${Math.round(r.achievedRate)} changes/s; machine ${pct(r.machineBusy)} busy (cores: ${Object.entries(r.coresByProcess).map(([k, v]) => `${k} ${v}`).join(', ')}); ${r.transactionsPerSec === null ? '' : `${r.transactionsPerSec.toFixed(0)} target transactions/s of ${r.batchesPerTransaction?.toFixed(2)} partition batches; `}checksums ${r.checksumOk ? 'OK' : 'MISMATCH'}${r.slowdown === null ? '' : ` (${r.slowdown})`}`);
    }
  }
  const lines = [
    '| target | load | changes/s (target / achieved) | samples | p50 ms | p99 ms | max ms | p99 per minute (ms) | drain after stop s | CPU s / 1,000 | peak RSS MB | machine busy | checksums |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.target} | ${r.loadPercent}% | ${Math.round(r.targetRate)} / ${Math.round(r.achievedRate)} | ${r.samples} | ${r.p50Ms.toFixed(0)} | ${r.p99Ms.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${r.p99ByMinuteMs.map((x) => x.toFixed(0)).join(' ')} | ${r.drainSecondsAfterStop.toFixed(1)} | ${r.cpuPer1000.toFixed(3)} | ${r.peakRssMb} | ${pct(r.machineBusy)} | ${r.checksumOk ? 'OK' : 'MISMATCH'} |`,
    );
  }
  const text = lines.join('\n');
  writeFileSync(join(workDir, 'lag-results.json'), JSON.stringify({ runId, argv: process.argv.slice(2), results }, null, 2));
  process.stdout.write(`\n${text}\n\nresults: ${join(workDir, 'lag-results.json')}\n`);
  if (results.some((r) => !r.checksumOk)) process.exitCode = 1;
}
