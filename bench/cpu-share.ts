/**
 * Where the machine's CPU went during a measurement: the share of all CPUs that was busy (/proc/stat)
 * and the cores each kind of process used (/proc/<pid>/stat, grouped by what the process is). A lag
 * level runs the sink beside the broker, the database, the load generator and its producer on the
 * same two cores; the split tells whether a lag number measured the sink or a saturated machine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { CLOCK_TICKS, cpuTicks } from './procstat.ts';

/** What a process is, from its command line ('other' for the rest). */
function kindOf(pid: number, benchPid: number, sinkPid: number): string {
  if (pid === benchPid) return 'benchmark (generator, sampler)';
  if (pid === sinkPid) return 'cdc-sink';
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'other';
  }
  if (cmd.startsWith('postgres') || cmd.includes('/bin/postgres')) return 'postgresql';
  if (cmd.includes('mariadbd') || cmd.includes('mysqld')) return 'mariadb';
  if (cmd.includes('kafka.Kafka')) return 'kafka broker';
  if (cmd.includes('FrameProducer')) return 'load producer (java)';
  if (cmd.includes('ConnectDistributed')) return 'kafka connect';
  return 'other';
}

function processTicks(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const ticks = cpuTicks(pid); // null: the process ended meanwhile
    if (ticks !== null) out.set(pid, ticks);
  }
  return out;
}

/** Busy and total jiffies of all CPUs so far (/proc/stat's first line; idle and iowait are not busy). */
export function machineTicks(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
}

/** The share of all CPUs busy between two machineTicks() readings (0..1). */
export function busyBetween(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  return (b.busy - a.busy) / Math.max(1, b.total - a.total);
}

export interface CpuShare {
  /** Share of all CPUs busy (0..1). */
  readonly machineBusy: number;
  /** Cores used per kind of process. */
  readonly coresByProcess: Readonly<Record<string, number>>;
}

/**
 * Measures from its creation; each `sample()` returns the split since the previous sample (or the
 * start), so one meter gives a run's windows and another the whole run.
 */
export class CpuMeter {
  private at = performance.now();
  private machine = machineTicks();
  private procs = processTicks();

  constructor(private readonly sinkPid: number) {}

  sample(): CpuShare {
    const now = performance.now();
    const machine = machineTicks();
    const procs = processTicks();
    const seconds = (now - this.at) / 1000;
    const cores: Record<string, number> = {};
    for (const [pid, ticks] of procs) {
      // A process that started meanwhile (a new database connection) used all its ticks in the window.
      const before = this.procs.get(pid) ?? 0;
      if (ticks === before) continue;
      const kind = kindOf(pid, process.pid, this.sinkPid);
      cores[kind] = (cores[kind] ?? 0) + (ticks - before) / CLOCK_TICKS / seconds;
    }
    const busy = busyBetween(this.machine, machine);
    this.at = now;
    this.machine = machine;
    this.procs = procs;
    const rounded = Object.entries(cores)
      .filter(([, v]) => v >= 0.005)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, Math.round(v * 100) / 100]);
    return { machineBusy: Math.round(busy * 1000) / 1000, coresByProcess: Object.fromEntries(rounded) as Record<string, number> };
  }
}
