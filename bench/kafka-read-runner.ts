/**
 * Runs bench/kafka-read.ts as a child process against the backlog: the Kafka read floor of a
 * kafkajs-based sink (same client, same consumer settings as cdc-sink; no decoding, no writes),
 * with `parse` also cdc-sink's JSON read of every key and value.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { REPO_ROOT, sinkConfig } from './cdc-sink-runner.ts';
import { ProcSampler } from './procstat.ts';
import { mb } from './result.ts';
import type { TargetKind } from './targets.ts';

export interface KafkaReadResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly records: number;
  /** Keys and values read as JSON (0 without parse). */
  readonly parsed: number;
}

export async function runKafkaRead(
  kind: TargetKind,
  groupId: string,
  topics: readonly string[],
  endOffsets: ReadonlyMap<string, bigint>,
  overrides: Readonly<Record<string, unknown>>,
  workDir: string,
  timeoutMs: number,
  parse: boolean,
): Promise<KafkaReadResult> {
  mkdirSync(workDir, { recursive: true });
  const configFile = join(workDir, 'cdc-sink.yaml');
  const endsFile = join(workDir, 'end-offsets.json');
  writeFileSync(configFile, stringify(sinkConfig(kind, 'unused', groupId, topics, overrides)));
  writeFileSync(endsFile, JSON.stringify(Object.fromEntries([...endOffsets].map(([k, v]) => [k, v.toString()]))));
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'kafka-read.ts'), configFile, endsFile, ...(parse ? ['--parse'] : [])], {
    cwd: REPO_ROOT,
    timeout: timeoutMs,
    maxBuffer: 1024 * 1024,
  });
  const pid = run.child.pid;
  if (pid === undefined) throw new Error('could not spawn bench/kafka-read.ts');
  const sampler = new ProcSampler(pid);
  try {
    const { stdout } = await run;
    const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Partial<KafkaReadResult>;
    if (typeof out.seconds !== 'number' || typeof out.cpuSeconds !== 'number' || typeof out.records !== 'number') {
      throw new Error(`bench/kafka-read.ts printed no result: ${stdout.slice(-2000)}`);
    }
    return { seconds: out.seconds, cpuSeconds: out.cpuSeconds, records: out.records, parsed: out.parsed ?? 0, peakRssMb: mb(sampler.peakRss) };
  } finally {
    sampler.stop();
  }
}
