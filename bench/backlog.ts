/**
 * The backlog benchmark: for each target and repeat, each system drains the same loaded topics into
 * its own freshly created space; the target's checksums must equal the generator's final state
 * before the run's numbers count.
 */
import { join } from 'node:path';
import { runCeiling } from './ceiling.ts';
import { startSink, waitDrained } from './cdc-sink-runner.ts';
import { DEFAULT_JDBC_SETTINGS, runJdbcSink } from './jdbc-runner.ts';
import { runKafkaRead } from './kafka-read-runner.ts';
import type { BenchOptions } from './options.ts';
import { mb, verify } from './result.ts';
import type { RunResult, SystemName } from './result.ts';
import type { TableChecksum } from './checksum.ts';
import type { BenchTarget } from './targets.ts';
import type { Workload } from './workload.ts';

export const SPACES: Record<SystemName, string> = {
  'cdc-sink': 'cdcbench_cdc',
  'debezium-jdbc': 'cdcbench_jdbc',
  ceiling: 'cdcbench_ceil',
  'kafka-read': 'cdcbench_none',
  'kafka-parse': 'cdcbench_none',
};

export interface BacklogContext {
  readonly opts: BenchOptions;
  readonly workload: Workload;
  readonly expected: readonly TableChecksum[];
  readonly endOffsets: ReadonlyMap<string, bigint>;
  readonly workDir: string;
  readonly runId: string;
  readonly log: (s: string) => void;
}

/** Checks the checksums; a sink that shows its last records a moment before all of a flush commits gets two more looks. */
async function checked(target: BenchTarget, space: string, ctx: BacklogContext, notes: string[]): Promise<string[]> {
  let mismatches = await verify(target, space, ctx.workload, ctx.expected);
  for (let i = 0; i < 2 && mismatches.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    mismatches = await verify(target, space, ctx.workload, ctx.expected);
    if (mismatches.length === 0) notes.push(`checksums matched only on look ${i + 2}`);
  }
  return mismatches;
}

/**
 * The read floors write nothing: their gate is having read every record of the backlog (and with
 * parse, every key and value of them as JSON).
 */
async function runKafkaReadOnce(system: 'kafka-read' | 'kafka-parse', target: BenchTarget, repeat: number, ctx: BacklogContext): Promise<RunResult> {
  const { workload, opts } = ctx;
  const parse = system === 'kafka-parse';
  const r = await runKafkaRead(target.kind, `cdcbench-read-${ctx.runId}-${target.kind}-${repeat}`, workload.topics, ctx.endOffsets, opts.sinkOverrides, join(ctx.workDir, `${system}-${target.kind}-${repeat}`), opts.timeoutMinutes * 60_000, parse);
  const expected = workload.stats.records;
  const mismatches = r.records === expected ? [] : [`read ${r.records} records, the backlog holds ${expected}`];
  // Every record has a key; every record but a tombstone a value.
  const expectedParsed = expected + workload.stats.changes;
  if (parse && r.parsed !== expectedParsed) mismatches.push(`read ${r.parsed} keys and values as JSON, the backlog holds ${expectedParsed}`);
  const changes = workload.stats.changes;
  return {
    system,
    target: target.kind,
    repeat,
    seconds: r.seconds,
    changesPerSec: changes / r.seconds,
    cpuSeconds: r.cpuSeconds,
    cpuPer1000: (r.cpuSeconds / changes) * 1000,
    peakRssMb: r.peakRssMb,
    checksumOk: mismatches.length === 0,
    mismatches,
    notes: [parse ? "from subscription to the last record; keys and values read as JSON by cdc-sink's JsonFormat, no further decoding, no writes" : 'from subscription to the last record; no decoding, no writes'],
  };
}

export async function runOnce(system: SystemName, target: BenchTarget, repeat: number, ctx: BacklogContext): Promise<RunResult> {
  if (system === 'kafka-read' || system === 'kafka-parse') return runKafkaReadOnce(system, target, repeat, ctx);
  const { workload, opts, log } = ctx;
  const space = SPACES[system];
  const changes = workload.stats.changes;
  const notes: string[] = [];
  await target.prepare(space, workload.tables);
  await target.settle();
  const timeoutMs = opts.timeoutMinutes * 60_000;
  let seconds: number;
  let cpuSeconds: number | null = null;
  let peakRssMb: number | null = null;
  if (system === 'cdc-sink') {
    const groupId = `cdcbench-${ctx.runId}-${target.kind}-${repeat}`;
    const sink = await startSink({
      target,
      space,
      groupId,
      topics: workload.topics,
      overrides: opts.sinkOverrides,
      workDir: join(ctx.workDir, `cdc-sink-${target.kind}-${repeat}`),
      cpuProfile: opts.profile,
      nodeOptions: opts.sinkNodeOptions, sources: opts.sources,
    });
    try {
      seconds = await waitDrained(sink, target, space, groupId, ctx.endOffsets, timeoutMs, (applied, total) =>
        log(`  cdc-sink: ${applied}/${total} records applied, RSS ${mb(sink.sampler.last?.rssBytes ?? 0)} MB`),
      );
    } finally {
      const tx = await sink.transactions();
      if (tx) notes.push(`${tx.transactions} target transactions, ${(tx.batches / Math.max(1, tx.transactions)).toFixed(2)} partition batches each`);
      const usage = await sink.stop();
      cpuSeconds = usage.cpuSeconds;
      peakRssMb = usage.hwmMb;
    }
    if (opts.profile) notes.push(`cpu profile in ${join(ctx.workDir, `cdc-sink-${target.kind}-${repeat}`)}`);
  } else if (system === 'debezium-jdbc') {
    const settings = { ...DEFAULT_JDBC_SETTINGS, tasks: opts.jdbcTasks, batchSize: opts.jdbcBatch };
    const r = await runJdbcSink(target, space, `cdcbench-jdbc-${ctx.runId}-${target.kind}-${repeat}`, workload.topics, workload.tables, settings, timeoutMs, log);
    seconds = r.seconds;
    cpuSeconds = r.cpuSeconds;
    peakRssMb = r.peakRssMb;
    notes.push(`tasks.max=${settings.tasks} batch.size=${settings.batchSize}`);
  } else {
    const r = await runCeiling(target, space, workload.tables, workload.finalState);
    seconds = r.seconds;
    notes.push(`client CPU ${r.clientCpuSeconds.toFixed(1)} s`);
  }
  const mismatches = await checked(target, space, ctx, notes);
  if (!opts.keep) await target.drop(space);
  return {
    system,
    target: target.kind,
    repeat,
    seconds,
    changesPerSec: changes / seconds,
    cpuSeconds,
    cpuPer1000: cpuSeconds === null ? null : (cpuSeconds / changes) * 1000,
    peakRssMb,
    checksumOk: mismatches.length === 0,
    mismatches,
    notes,
  };
}
