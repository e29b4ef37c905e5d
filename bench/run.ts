/**
 * `npm run bench`: throughput of cdc-sink against the Debezium JDBC sink and the database-only
 * ceiling on one backlog of Debezium change events (default), or replication lag under steady load
 * (`--lag`). See BENCHMARKS.md for the method and the recorded results.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { testKafka } from '../test/support/kafka.ts';
import { runOnce } from './backlog.ts';
import { calibrate, machineSpeed, slowdownNote } from './calibrate.ts';
import type { BacklogContext } from './backlog.ts';
import { REPO_ROOT } from './cdc-sink-runner.ts';
import { runLag } from './lag.ts';
import { loadBacklog } from './load.ts';
import { USAGE, parseOptions } from './options.ts';
import type { BenchOptions } from './options.ts';
import { ratios, summarize, table } from './report.ts';
import { expectedChecksums, lastBacklogFile } from './result.ts';
import type { RunResult } from './result.ts';
import { MariaDbTarget, PostgresTarget, openTarget } from './targets.ts';
import { Workload } from './workload.ts';

export const BENCH_DIR = join(REPO_ROOT, '.cache', 'bench');
/** Topic prefix of the backlogs; bump the version when the records' format changes (a loaded backlog is reused by name). */
const BACKLOG_PREFIX = 'cdcbench_v2';

function log(s: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
}

function startInfra(opts: BenchOptions): void {
  const run = (script: string) => execFileSync('bash', [join(REPO_ROOT, script)], { stdio: ['ignore', 'inherit', 'inherit'] });
  run('test/infra/kafka/start.sh');
  if (opts.systems.includes('debezium-jdbc') && !opts.lag) run('test/infra/jdbc-sink/start.sh');
  // A Connect worker left by a drain benchmark (1.5 GB, a JVM with its own timers) would share the machine with a lag run.
  if (opts.lag) run('test/infra/jdbc-sink/stop.sh');
  // cdc-sink runs compiled, as in the container image: build it from the sources being measured.
  if (opts.systems.includes('cdc-sink') && !opts.sources) {
    log('building cdc-sink (npm run build -> dist/)');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}

async function machine(): Promise<Record<string, string>> {
  const pgT = new PostgresTarget();
  const myT = new MariaDbTarget();
  try {
    const pgVersion = (await pgT.pgPool.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '?';
    const [rows] = await myT.myPool.query('SELECT VERSION() AS v');
    return {
      cpu: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
      memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
      node: process.version,
      kafka: '4.1.1 (single KRaft node, test/infra/kafka)',
      postgres: pgVersion.split(' on ')[0] ?? pgVersion,
      mariadb: (rows as { v: string }[])[0]?.v ?? '?',
    };
  } finally {
    await pgT.close();
    await myT.close();
  }
}

async function backlog(opts: BenchOptions, runId: string, workDir: string, calibrationMs: number): Promise<void> {
  const kafka = testKafka();
  const workload = new Workload(`${BACKLOG_PREFIX}_${opts.changes}_${opts.seed}`, opts.changes, opts.seed);
  log(`loading the backlog: ${opts.changes} changes over ${workload.topics.length} topics x 3 partitions`);
  const load = await loadBacklog(kafka, workload, log);
  const s = workload.stats;
  log(
    `backlog: ${s.records} records = ${s.changes} changes (${s.inserts} inserts, ${s.updates} updates, ${s.deletes} deletes = ` +
      `${((s.deletes / s.changes) * 100).toFixed(1)}%) + ${s.tombstones} tombstones` +
      (load.reused ? ' (reused)' : `, ${(load.bytes / 1e6).toFixed(0)} MB produced in ${load.seconds.toFixed(0)} s`),
  );
  const expected = expectedChecksums(workload);
  log(`final state: ${workload.tables.map((t, i) => `${t.name} ${expected[i]?.rows ?? 0} rows`).join(', ')}`);
  const ctx: BacklogContext = { opts, workload, expected, endOffsets: load.endOffsets, workDir, runId, log };
  const results: RunResult[] = [];
  for (const kind of opts.targets) {
    const target = openTarget(kind);
    try {
      for (let repeat = 1; repeat <= opts.repeats; repeat++) {
        for (const system of opts.systems) {
          log(`${kind} run ${repeat}/${opts.repeats}: ${system}`);
          // Each run starts on a settled, quiet machine whose speed is known (calibrated just before).
          const speed = await machineSpeed(target);
          log(`  machine quiet after ${speed.quietSeconds} s (${(speed.busy * 100).toFixed(0)}% busy), calibration ${speed.calibrationMs} ms`);
          const measured = { ...(await runOnce(system, target, repeat, ctx)), calibrationMs: speed.calibrationMs };
          const slowed = slowdownNote(calibrationMs, speed.calibrationMs);
          const r = slowed === null ? measured : { ...measured, notes: [...measured.notes, slowed] };
          results.push(r);
          log(
            `  ${system}: ${r.seconds.toFixed(1)} s, ${Math.round(r.changesPerSec)} changes/s` +
              (r.cpuPer1000 === null ? '' : `, ${r.cpuPer1000.toFixed(3)} CPU s/1000`) +
              (r.peakRssMb === null ? '' : `, peak RSS ${r.peakRssMb} MB`) +
              `, checksums ${r.checksumOk ? 'OK' : `MISMATCH\n    ${r.mismatches.join('\n    ')}`}` +
              (r.notes.length > 0 ? ` (${r.notes.join('; ')})` : ''),
          );
        }
      }
    } finally {
      await target.close();
    }
  }
  const summaries = summarize(results);
  const rs = ratios(summaries);
  const text = table(summaries, rs);
  const report = { runId, argv: process.argv.slice(2), machine: { ...(await machine()), calibrationMs }, workload: { ...s, tables: workload.tables.map((t) => ({ name: t.name, columns: t.columns.length, keys: t.keys })) }, load, results, summaries, ratios: rs };
  const json = JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v as Map<string, unknown>) : v), 2);
  writeFileSync(join(workDir, 'results.json'), json);
  writeFileSync(lastBacklogFile(BENCH_DIR, opts.changes), json);
  process.stdout.write(`\n${text}\n\nresults: ${join(workDir, 'results.json')}\n`);
  if (results.some((r) => !r.checksumOk)) process.exitCode = 1;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const workDir = join(BENCH_DIR, runId);
  mkdirSync(workDir, { recursive: true });
  startInfra(opts);
  const calibrationMs = calibrate();
  log(`machine: ${JSON.stringify({ ...(await machine()), calibrationMs })}`);
  if (opts.lag) await runLag(opts, runId, workDir, log, BENCH_DIR, calibrationMs);
  else await backlog(opts, runId, workDir, calibrationMs);
}

await main();
