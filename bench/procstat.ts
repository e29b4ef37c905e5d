/**
 * CPU time and memory of a process, from /proc (Linux): utime+stime of /proc/<pid>/stat (clock ticks,
 * 100 per second on Linux), VmRSS and VmHWM (peak RSS) of /proc/<pid>/status. A sampler keeps the
 * highest VmRSS it saw, for long-running processes whose VmHWM covers more than one measurement.
 */
import { readFileSync } from 'node:fs';

export const CLOCK_TICKS = 100;

/** utime + stime of a process in clock ticks, or null when it is gone. */
export function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" closing the command name: state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return null;
  }
}

export interface ProcSnapshot {
  /** User + system CPU seconds since the process started. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  readonly hwmBytes: number;
}

export function procSnapshot(pid: number): ProcSnapshot | null {
  try {
    const ticks = cpuTicks(pid);
    if (ticks === null) return null;
    const cpuSeconds = ticks / CLOCK_TICKS;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { cpuSeconds, rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Samples a process every `everyMs` and keeps the peak RSS and the last CPU reading. */
export class ProcSampler {
  private timer: NodeJS.Timeout | null = null;
  peakRss = 0;
  last: ProcSnapshot | null = null;
  readonly first: ProcSnapshot | null;

  constructor(
    readonly pid: number,
    everyMs = 250,
  ) {
    this.first = this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): ProcSnapshot | null {
    const s = procSnapshot(this.pid);
    if (s) {
      this.last = s;
      this.peakRss = Math.max(this.peakRss, s.rssBytes);
    }
    return s;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
  }

  /** CPU seconds used since the sampler started. */
  get cpuSeconds(): number {
    return (this.last?.cpuSeconds ?? 0) - (this.first?.cpuSeconds ?? 0);
  }
}
