import { busyBetween, machineTicks } from './cpu-share.ts';

/**
 * A fixed CPU workload, timed: the machine's speed at the moment. A shared VM's cores can slow down
 * for minutes (on 2026-12-06 the same code drained at half the rate and twice the CPU seconds per
 * change for a while, and a plain loop took 3x longer); a run measured then says nothing about the
 * code. Each run records the calibration next to its numbers, and a slowed machine is flagged.
 */
const TEXT = JSON.stringify({
  schema: { type: 'struct', fields: Array.from({ length: 20 }, (_, i) => ({ type: 'string', optional: true, field: `c${i}` })) },
  payload: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, `value-${i}-${'x'.repeat(i)}`])),
});

/** Milliseconds of the fixed workload (best of 3, so that one scheduling hiccup does not count). */
export function calibrate(): number {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) sink += (JSON.parse(TEXT) as { payload: { c3: string } }).payload.c3.length;
    let s = 0;
    for (let i = 0; i < 20_000_000; i++) s = (s + i * 7) % 1_000_003;
    sink += s;
    best = Math.min(best, performance.now() - started);
  }
  if (sink < 0) throw new Error('unreachable');
  return Math.round(best);
}

/**
 * Waits until the machine is quiet: less than `threshold` of all CPUs busy over one second, for at most
 * `maxSeconds`, so that a run or a calibration does not start while the database, the broker or the
 * Connect worker still work off the previous run. (On 2026-12-06 the machine was quiet within a second
 * after every drain, and a calibration then still read up to 40% slower than before the drain.)
 */
export async function waitQuiet(maxSeconds = 60, threshold = 0.1): Promise<{ seconds: number; busy: number }> {
  const started = performance.now();
  for (;;) {
    const a = machineTicks();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = busyBetween(a, machineTicks());
    const seconds = (performance.now() - started) / 1000;
    if (busy < threshold || seconds >= maxSeconds) return { seconds: Math.round(seconds), busy };
  }
}

/** A note when the machine was slower than at the start of the benchmark (by more than a quarter). */
export function slowdownNote(startMs: number, nowMs: number): string | null {
  return nowMs > startMs * 1.25 ? `machine slowed down: CPU calibration ${nowMs} ms before this run vs ${startMs} ms at the start; this run's numbers are suspect` : null;
}

/** The machine's speed just before a run: the target settled, the machine quiet, then calibrated. */
export async function machineSpeed(target: { settle(): Promise<void> }): Promise<{ quietSeconds: number; busy: number; calibrationMs: number }> {
  await target.settle();
  const quiet = await waitQuiet();
  return { quietSeconds: quiet.seconds, busy: quiet.busy, calibrationMs: calibrate() };
}
