/**
 * The benchmark's summary: medians over the runs whose checksums matched, and the ratios the targets
 * are set on, for cdc-sink and for the kafka-parse floor.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ratios, summarize, table } from '../../../bench/report.ts';
import type { RunResult, SystemName } from '../../../bench/result.ts';

function run(system: SystemName, target: string, changesPerSec: number, checksumOk = true): RunResult {
  return { system, target, repeat: 0, seconds: 1_000_000 / changesPerSec, changesPerSec, cpuPer1000: null, cpuSeconds: null, peakRssMb: null, checksumOk, mismatches: [], notes: [] };
}

test('medians count only runs whose checksums matched', () => {
  const [s] = summarize([run('cdc-sink', 'postgres', 10), run('cdc-sink', 'postgres', 30), run('cdc-sink', 'postgres', 20), run('cdc-sink', 'postgres', 1000, false)]);
  assert.equal(s?.runs, 4);
  assert.equal(s?.valid, 3);
  assert.equal(s?.changesPerSec, 20);
});

test('ratios put cdc-sink and the kafka-parse floor over the JDBC sink and the ceiling', () => {
  const results = [
    run('cdc-sink', 'postgres', 30_000),
    run('debezium-jdbc', 'postgres', 15_000),
    run('ceiling', 'postgres', 120_000),
    run('kafka-read', 'postgres', 150_000),
    run('kafka-parse', 'postgres', 60_000),
    run('cdc-sink', 'mariadb', 25_000),
    run('kafka-parse', 'mariadb', 50_000, false),
  ];
  const rs = ratios(summarize(results));
  const pg = rs.find((r) => r.target === 'postgres');
  assert.deepEqual(pg, { target: 'postgres', vsJdbc: 2, vsCeiling: 0.25, vsRead: 0.2, vsParse: 0.5, parseVsJdbc: 4, parseVsCeiling: 0.5 });
  // A system without a valid run has no ratio.
  const maria = rs.find((r) => r.target === 'mariadb');
  assert.deepEqual(maria, { target: 'mariadb', vsJdbc: null, vsCeiling: null, vsRead: null, vsParse: null, parseVsJdbc: null, parseVsCeiling: null });
  const text = table(summarize(results), rs);
  assert.match(text, /\| postgres \| 2\.00x \| 25% \| 20% \| 50% \|/);
  assert.match(text, /\| postgres \| 4\.00x \| 50% \|/);
});

test('without a kafka-parse run the floor table is left out', () => {
  const results = [run('cdc-sink', 'postgres', 30_000), run('debezium-jdbc', 'postgres', 15_000)];
  const text = table(summarize(results), ratios(summarize(results)));
  assert.match(text, /\| postgres \| 2\.00x \| - \| - \| - \|/);
  assert.doesNotMatch(text, /kafka-parse \//);
});
