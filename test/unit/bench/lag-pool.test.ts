/**
 * The lag runs' replay pool: every replayed record carries its send time in place of the marker
 * time, and the final state it expects is that of the records as sent (a second pass included).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedChecksum } from '../../../bench/checksum.ts';
import { MARKER_MS, MARKER_US, ReplayPool } from '../../../bench/lag-pool.ts';
import type { BenchRow } from '../../../bench/tables.ts';
import { Workload } from '../../../bench/workload.ts';
import type { BenchRecord } from '../../../bench/workload.ts';

const CHANGES = 300;
const markerWorkload = () => new Workload('pooltest', CHANGES + 1, 7, () => MARKER_US, 2_000, () => MARKER_MS);

test('replayed records carry their send time and the expected final state follows the replay', () => {
  const pool = new ReplayPool(markerWorkload, CHANGES);
  // The same stream again, as the reference for what each pool position holds.
  const reference: BenchRecord[] = [];
  for (const chunk of markerWorkload().records(5000)) reference.push(...chunk);
  const size = pool.size;
  assert.ok(size > CHANGES && reference.slice(0, size).some((r) => r.change && r.row === null), 'the pool holds deletes and their tombstones');

  let clock = 1_765_000_000_000_000;
  const state = markerWorkload().tables.map(() => new Map<number, BenchRow>());
  const taken = 2 * size + 17; // more than two passes
  for (let sent = 0; sent < taken; ) {
    const frames = pool.take(Math.min(100, taken - sent), () => (clock += 1000));
    for (const f of frames) {
      const ref = reference[sent % size] as BenchRecord;
      sent++;
      assert.equal(f.table, ref.table);
      assert.equal(f.partition, ref.partition);
      const stampUs = f.tsMs * 1000;
      if (f.value === null) {
        assert.equal(ref.value, null);
        continue;
      }
      const text = f.value.toString('utf8');
      assert.ok(!text.includes(String(MARKER_MS)), 'no marker time is left');
      const doc = JSON.parse(text) as { payload: { after: { updated_at: number } | null; source: { ts_ms: number }; ts_ms: number } };
      assert.equal(doc.payload.source.ts_ms, f.tsMs);
      assert.equal(doc.payload.ts_ms, f.tsMs);
      const t = state[ref.table] as Map<number, BenchRow>;
      if (ref.row === null) {
        t.delete(ref.id);
      } else {
        assert.equal(doc.payload.after?.updated_at, stampUs);
        t.set(ref.id, { ...ref.row, updated_at: stampUs });
      }
    }
  }
  assert.equal(pool.changesSent, reference.slice(0, size).filter((r) => r.change).length * 2 + reference.slice(0, 17).filter((r) => r.change).length);
  const tables = markerWorkload().tables;
  assert.deepEqual(
    pool.expectedChecksums(),
    tables.map((table, i) => expectedChecksum(table, (state[i] as Map<number, BenchRow>).values())),
  );
});

test('priming frames leave the replay alone: not counted, not stamped, their table moved to the priming topics', () => {
  const pool = new ReplayPool(markerWorkload, CHANGES);
  const reference = new ReplayPool(markerWorkload, CHANGES);
  const size = pool.size;
  const tables = markerWorkload().tables.length;
  const frames = pool.unstamped(size - 5, 10, 42, tables); // wraps round the pool's end
  assert.equal(frames.length, 10);
  const wanted = [...reference.unstamped(size - 5, 5, 0, 0), ...reference.unstamped(0, 5, 0, 0)];
  frames.forEach((f, i) => {
    const w = wanted[i];
    assert.equal(f.table, (w?.table ?? -1) + tables);
    assert.equal(f.partition, w?.partition);
    assert.equal(f.tsMs, 42);
    assert.deepEqual(f.value, w?.value);
  });
  assert.equal(pool.changesSent, 0);
  const clock = () => {
    let us = 1_765_000_000_000_000;
    return () => (us += 1000);
  };
  const [poolClock, referenceClock] = [clock(), clock()];
  // The replay that follows is the one a pool that primed nothing sends.
  for (let n = 0; n < 3; n++) {
    const sent = pool.take(50, poolClock).map((f) => [f.table, f.tsMs, f.value?.toString()]);
    assert.deepEqual(sent, reference.take(50, referenceClock).map((f) => [f.table, f.tsMs, f.value?.toString()]));
  }
  assert.deepEqual(pool.expectedChecksums(), reference.expectedChecksums());
});
