/**
 * Runs cdc-sink as a child process (`node bin/cdc-sink.mjs run --config <yaml>`) so its CPU time and
 * peak RSS are its own, and measures it draining the backlog: progress is read at the database (the
 * next offsets stored in cdc_sink_offsets), never from consumer lag.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { KAFKA_BROKERS } from '../test/support/kafka.ts';
import { unusedPort } from '../test/support/ports.ts';
import { entrypointNodeFlags, readDockerfile, runtimeEnv } from './image.ts';
import { ProcSampler, procSnapshot } from './procstat.ts';
import { mb, sleep } from './result.ts';
import { MARIADB_URL, PG_URL } from './targets.ts';
import { PARTITIONS } from './tables.ts';
import type { BenchTarget, TargetKind } from './targets.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SinkRunOptions {
  readonly target: BenchTarget;
  readonly space: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Overrides of the generated config, dot paths ("kafka.partitionsConsumedConcurrently" -> 12). */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** Directory for the config file, logs and (with cpuProfile) the .cpuprofile. */
  readonly workDir: string;
  readonly cpuProfile: boolean;
  readonly nodeOptions?: readonly string[];
  /** Run the TypeScript sources through tsx (bin/cdc-sink.mjs) instead of the compiled dist/services/cli.js. */
  readonly sources: boolean;
}

export interface SinkProcess {
  readonly child: ChildProcess;
  readonly sampler: ProcSampler;
  readonly startedAt: number;
  output(): string;
  /** Its target transactions and the partition batches they carried so far (from its /metrics); null when unreadable. */
  transactions(): Promise<SinkTransactions | null>;
  stop(): Promise<{ cpuSeconds: number; hwmMb: number }>;
}

export interface SinkTransactions {
  readonly transactions: number;
  readonly batches: number;
}

/**
 * The config the benchmark gives cdc-sink: the documented defaults, except that every assigned
 * partition is processed at once (kafka.partitionsConsumedConcurrently = the partition count, as its
 * description advises: each partition flushes on its own) with a connection each (target.poolSize:
 * with the default 4, flushes queued for connections; p99 lag at 50% load 931 vs 627 ms in 2-minute
 * runs, no change to the drain), the target, and HTTP only on 127.0.0.1:metricsPort when given (for
 * the transaction count at the end; idle until then).
 */
export function sinkConfig(kind: TargetKind, space: string, groupId: string, topics: readonly string[], overrides: Readonly<Record<string, unknown>>, metricsPort?: number): Record<string, unknown> {
  const partitions = topics.length * PARTITIONS;
  const target =
    kind === 'postgres'
      ? { type: 'postgres', url: PG_URL, schema: space, poolSize: partitions }
      : { type: 'mysql', url: `${MARIADB_URL.replace(/\/[^/]*$/, '')}/${space}`, poolSize: partitions };
  const doc: Record<string, unknown> = {
    kafka: { brokers: KAFKA_BROKERS, clientId: 'cdc-sink-bench', groupId, topics: [...topics], partitionsConsumedConcurrently: partitions },
    target,
    tables: { defaultSchema: kind === 'postgres' ? space : null },
    http: metricsPort === undefined ? { enabled: false } : { enabled: true, host: '127.0.0.1', port: metricsPort },
    log: { level: 'warn' },
  };
  for (const [path, value] of Object.entries(overrides)) setPath(doc, path, value);
  return doc;
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = doc;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    if (typeof next !== 'object' || next === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] ?? path] = value;
}

/** The count and sum of cdc_sink_batches_per_transaction in a /metrics text. */
export function parseTransactions(text: string): SinkTransactions | null {
  const value = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const transactions = value('cdc_sink_batches_per_transaction_count');
  const batches = value('cdc_sink_batches_per_transaction_sum');
  return transactions === null || batches === null ? null : { transactions, batches };
}

export async function startSink(opts: SinkRunOptions): Promise<SinkProcess> {
  mkdirSync(opts.workDir, { recursive: true });
  const file = join(opts.workDir, 'cdc-sink.yaml');
  const metricsPort = await unusedPort();
  writeFileSync(file, stringify(sinkConfig(opts.target.kind, opts.space, opts.groupId, opts.topics, opts.overrides, metricsPort)));
  const dockerfile = readDockerfile(REPO_ROOT);
  const nodeArgs = [...entrypointNodeFlags(dockerfile), ...(opts.nodeOptions ?? []), ...(opts.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${opts.workDir}`] : [])];
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, opts.sources ? join(REPO_ROOT, 'bin', 'cdc-sink.mjs') : join(REPO_ROOT, 'dist', 'services', 'cli.js'), 'run', '--config', file], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The image's environment (its ENV lines); the benchmark's own variables override it, as `docker run -e` would.
    env: { ...runtimeEnv(dockerfile), ...process.env },
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // Never leave a cdc-sink behind when the benchmark itself dies.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn cdc-sink');
  const sampler = new ProcSampler(pid);
  return {
    child,
    sampler,
    startedAt,
    output: () => out,
    async transactions() {
      try {
        const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(5000) });
        return parseTransactions(await res.text());
      } catch {
        return null;
      }
    },
    async stop() {
      sampler.stop();
      const last = procSnapshot(pid) ?? sampler.last;
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
      writeFileSync(join(opts.workDir, 'cdc-sink.log'), out);
      return { cpuSeconds: last?.cpuSeconds ?? 0, hwmMb: mb(last?.hwmBytes ?? 0) };
    },
  };
}

/** Polls the stored offsets until every partition reached its end offset; returns the elapsed seconds. */
export async function waitDrained(
  sink: SinkProcess,
  target: BenchTarget,
  space: string,
  groupId: string,
  endOffsets: ReadonlyMap<string, bigint>,
  timeoutMs: number,
  onProgress: (applied: bigint, total: bigint) => void,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let total = 0n;
  for (const v of endOffsets.values()) total += v;
  let lastLog = 0;
  for (;;) {
    if (sink.child.exitCode !== null) throw new Error(`cdc-sink exited with code ${sink.child.exitCode}:\n${sink.output().slice(-4000)}`);
    const stored = await target.storedOffsets(space, groupId);
    let applied = 0n;
    let done = true;
    for (const [k, end] of endOffsets) {
      const s = stored.get(k) ?? 0n;
      applied += s;
      if (s < end) done = false;
    }
    if (done) return (performance.now() - sink.startedAt) / 1000;
    if (Date.now() - lastLog > 10_000) {
      onProgress(applied, total);
      lastLog = Date.now();
    }
    if (Date.now() > deadline) throw new Error(`cdc-sink did not drain within ${timeoutMs / 1000} s (${applied}/${total} records applied)`);
    await sleep(100);
  }
}
