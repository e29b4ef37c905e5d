/** The printed table: medians per target and system, then the ratios the issue asks for. */
import { median } from './result.ts';
import type { RunResult, SystemName } from './result.ts';

export interface SystemSummary {
  readonly target: string;
  readonly system: SystemName;
  readonly runs: number;
  readonly valid: number;
  readonly seconds: number;
  readonly changesPerSec: number;
  readonly cpuPer1000: number | null;
  readonly peakRssMb: number | null;
}

export interface Ratios {
  readonly target: string;
  readonly vsJdbc: number | null;
  readonly vsCeiling: number | null;
  /** cdc-sink's rate over kafkajs merely reading the backlog (the floor of any kafkajs-based sink). */
  readonly vsRead: number | null;
}

/** Medians over the runs whose checksums matched; a system without a valid run has no numbers. */
export function summarize(results: readonly RunResult[]): SystemSummary[] {
  const out: SystemSummary[] = [];
  const keys = [...new Set(results.map((r) => `${r.target}\u0000${r.system}`))];
  for (const k of keys) {
    const [target = '', system = 'cdc-sink'] = k.split('\u0000') as [string, SystemName];
    const all = results.filter((r) => r.target === target && r.system === system);
    const ok = all.filter((r) => r.checksumOk);
    const med = (f: (r: RunResult) => number | null): number | null => {
      const v = ok.map(f).filter((x): x is number => x !== null);
      return v.length === 0 ? null : median(v);
    };
    out.push({
      target,
      system,
      runs: all.length,
      valid: ok.length,
      seconds: med((r) => r.seconds) ?? Number.NaN,
      changesPerSec: med((r) => r.changesPerSec) ?? Number.NaN,
      cpuPer1000: med((r) => r.cpuPer1000),
      peakRssMb: med((r) => r.peakRssMb),
    });
  }
  return out;
}

export function ratios(summaries: readonly SystemSummary[]): Ratios[] {
  const targets = [...new Set(summaries.map((s) => s.target))];
  return targets.map((target) => {
    const rate = (system: SystemName) => {
      const s = summaries.find((x) => x.target === target && x.system === system);
      return s && s.valid > 0 ? s.changesPerSec : null;
    };
    const cdc = rate('cdc-sink');
    const jdbc = rate('debezium-jdbc');
    const ceil = rate('ceiling');
    const read = rate('kafka-read');
    const over = (other: number | null) => (cdc !== null && other !== null ? cdc / other : null);
    return { target, vsJdbc: over(jdbc), vsCeiling: over(ceil), vsRead: over(read) };
  });
}

const fmt = (n: number | null, digits = 0) => (n === null || Number.isNaN(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** A Markdown table (it reads fine in a terminal too). */
export function table(summaries: readonly SystemSummary[], rs: readonly Ratios[]): string {
  const lines = [
    '| target | system | valid runs | seconds (median) | changes/s (median) | CPU s / 1,000 changes | peak RSS MB |',
    '|---|---|---|---:|---:|---:|---:|',
  ];
  for (const s of summaries) {
    lines.push(`| ${s.target} | ${s.system} | ${s.valid}/${s.runs} | ${fmt(s.seconds, 1)} | ${fmt(s.changesPerSec)} | ${fmt(s.cpuPer1000, 3)} | ${fmt(s.peakRssMb)} |`);
  }
  const pct = (n: number | null) => (n === null ? '-' : `${fmt(n * 100, 0)}%`);
  lines.push('', '| target | cdc-sink / Debezium JDBC sink | cdc-sink / ceiling | cdc-sink / kafka-read |', '|---|---:|---:|---:|');
  for (const r of rs) lines.push(`| ${r.target} | ${r.vsJdbc === null ? '-' : `${fmt(r.vsJdbc, 2)}x`} | ${pct(r.vsCeiling)} | ${pct(r.vsRead)} |`);
  return lines.join('\n');
}
