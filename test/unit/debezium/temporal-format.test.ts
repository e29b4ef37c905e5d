/**
 * The timestamp and date formatters against an independent reference: JavaScript's Date (exact for
 * whole milliseconds in years 0001-9999) plus the sub-millisecond digits written out by hand. Values
 * are seeded-random across the whole range, so the digit tables and the remembered dates are
 * exercised on every group of digits, and past the number of remembered dates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatTime, formatTimestamp } from '../../../connectors/debezium/temporal.ts';
import { Rng } from '../../infra/e2e/random.ts';

const MIN_MS = -62135596800000; // 0001-01-01T00:00:00.000Z
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

/** Date's ISO text without the zone, and `extra` more fraction digits. */
function reference(ms: number, extra: string): string {
  return new Date(ms).toISOString().slice(0, -1) + extra;
}

test('millisecond, microsecond and nanosecond timestamps match Date over years 1-9999, both signs', () => {
  const rng = new Rng(7);
  for (let i = 0; i < 20_000; i++) {
    const ms = rng.int(MIN_MS, MAX_MS);
    const micros = rng.int(0, 999);
    const nanos = rng.int(0, 999_999);
    assert.equal(formatTimestamp(ms, 'ms'), reference(ms, ''));
    const us = BigInt(ms) * 1000n + BigInt(micros);
    const usValue = Number.isSafeInteger(Number(us)) ? Number(us) : us;
    assert.equal(formatTimestamp(usValue, 'us'), reference(ms, String(micros).padStart(3, '0')), `us ${us}`);
    const ns = BigInt(ms) * 1_000_000n + BigInt(nanos);
    assert.equal(formatTimestamp(ns, 'ns'), reference(ms, String(nanos).padStart(6, '0')), `ns ${ns}`);
  }
});

test('dates match Date for every day of a 400-year cycle and beyond the remembered dates, twice', () => {
  const start = -719162; // 0001-01-01
  for (let pass = 0; pass < 2; pass++) {
    for (let day = start; day < start + 146097; day += 7) {
      assert.equal(formatDate(day), new Date(day * 86_400_000).toISOString().slice(0, 10), `day ${day}`);
    }
  }
  assert.equal(formatDate(2932897), '+10000-01-01');
  assert.equal(formatDate(-719163), '0000-12-31');
});

test('times keep hours beyond 99 and every fraction digit', () => {
  assert.equal(formatTime(838 * 3_600_000_000 + 59 * 60_000_000 + 59_000_000, 'us'), '838:59:59.000000');
  assert.equal(formatTime(-5_400_000, 'ms'), '-01:30:00.000');
  assert.equal(formatTime(86_399_999_999_999, 'ns'), '23:59:59.999999999');
  assert.equal(formatTime(3_723_004_005_006, 'ns'), '01:02:03.004005006');
  assert.equal(formatTime(1, 'us'), '00:00:00.000001');
});
