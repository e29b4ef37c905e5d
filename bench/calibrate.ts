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

/** A note when the machine was slower than at the start of the benchmark (by more than a quarter). */
export function slowdownNote(startMs: number, nowMs: number): string | null {
  return nowMs > startMs * 1.25 ? `machine slowed down: CPU calibration ${nowMs} ms vs ${startMs} ms at the start; this run's numbers are suspect` : null;
}
