import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fitDecimal, formatDecimal, parseDecimal } from '../../../../transforms/builtin/lib/decimal.ts';
import { civilFromDays, daysFromCivil, epochToNanos, formatTimestamp, parseTimestamp } from '../../../../transforms/builtin/lib/time.ts';
import { parseTypeText } from '../../../../transforms/builtin/lib/type-spec.ts';

describe('decimal text', () => {
  const norm = (s: string) => {
    const p = parseDecimal(s);
    return p && formatDecimal(p);
  };
  test('parses and prints plain notation exactly', () => {
    assert.equal(norm('+001.50'), '1.50');
    assert.equal(norm('.5'), '0.5');
    assert.equal(norm('-0'), '0');
    assert.equal(norm('1.5e3'), '1500');
    assert.equal(norm('12e-4'), '0.0012');
    assert.equal(norm('123456789012345678901234567890.123456789'), '123456789012345678901234567890.123456789');
    assert.equal(norm('abc'), null);
    assert.equal(norm('.'), null);
    assert.equal(norm('1e99999'), null);
  });
  test('fits to a scale (half away from zero) and checks precision', () => {
    const fit = (s: string, p?: number, sc?: number) => formatDecimal(fitDecimal(parseDecimal(s) as never, p, sc));
    assert.equal(fit('0.995', 5, 2), '1.00');
    assert.equal(fit('-2.5', 5, 0), '-3');
    assert.equal(fit('2.4', 5, 0), '2');
    assert.equal(fit('1', 5, 3), '1.000');
    assert.equal(fit('99.995', 5, 2), '100.00');
    assert.throws(() => fit('99.995', 4, 2), /needs 3 integer digit\(s\), decimal\(4,2\) allows 2/);
  });
});

describe('time', () => {
  test('civil dates round-trip across the calendar', () => {
    for (const [y, m, d] of [[1970, 1, 1], [1, 1, 1], [9999, 12, 31], [2000, 2, 29], [1900, 3, 1], [-44, 3, 15], [12345, 6, 7]] as const) {
      assert.deepEqual(civilFromDays(daysFromCivil(y, m, d)), { y, m, d });
    }
    assert.equal(daysFromCivil(1970, 1, 1), 0);
    assert.equal(daysFromCivil(2000, 3, 1), 11017);
  });
  test('formats nanoseconds at a precision, before 1970 and after 9999', () => {
    assert.equal(formatTimestamp(0n, 6, false), '1970-01-01T00:00:00.000000');
    assert.equal(formatTimestamp(-1n, 9, true), '1969-12-31T23:59:59.999999999Z');
    assert.equal(formatTimestamp(BigInt(daysFromCivil(1, 1, 1)) * 86_400_000_000_000n, 0, false), '0001-01-01T00:00:00');
    assert.equal(formatTimestamp(BigInt(daysFromCivil(10000, 1, 1)) * 86_400_000_000_000n, 3, true), '+10000-01-01T00:00:00.000Z');
  });
  test('epoch values in every unit, exactly', () => {
    assert.equal(epochToNanos(1, 'seconds'), 1_000_000_000n);
    assert.equal(epochToNanos('1.000000001', 'seconds'), 1_000_000_001n);
    assert.equal(epochToNanos(-1.5, 'millis'), -1_500_000n);
    assert.equal(epochToNanos(9007199254740993n, 'micros'), 9007199254740993000n);
    assert.equal(epochToNanos(1, 'days'), 86_400_000_000_000n);
    assert.equal(epochToNanos('x', 'seconds'), null);
    assert.equal(epochToNanos(Number.NaN, 'seconds'), null);
  });
  test('parses text timestamps, converting offsets to UTC; rejects impossible dates', () => {
    const p = parseTimestamp('2024-01-01T01:30:00+01:30');
    assert.equal(p && formatTimestamp(p.nanos, 0, true), '2024-01-01T00:00:00Z');
    assert.equal(parseTimestamp('2024-01-01')?.dateOnly, true);
    assert.equal(parseTimestamp('2024-01-01 10:00Z')?.zoned, true);
    assert.equal(parseTimestamp('2023-02-29'), null);
    assert.equal(parseTimestamp('2024-13-01'), null);
    assert.equal(parseTimestamp('2024-01-01T24:00:00'), null);
    assert.equal(parseTimestamp('yesterday'), null);
  });
});

describe('type names', () => {
  test('aliases and parameters', () => {
    assert.deepEqual(parseTypeText('Decimal(10, 2)'), { kind: 'decimal', precision: 10, scale: 2 });
    assert.deepEqual(parseTypeText('numeric'), { kind: 'decimal' });
    assert.deepEqual(parseTypeText('timestamptz(3)'), { kind: 'timestamptz', precision: 3 });
    assert.deepEqual(parseTypeText('varchar(20)'), { kind: 'string', maxLength: 20 });
    assert.deepEqual(parseTypeText('bigint'), { kind: 'int', bits: 64 });
    assert.equal(parseTypeText('constructor'), null);
    assert.equal(parseTypeText('blob'), null);
  });
});
