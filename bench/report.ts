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
  /** cdc-sink's rate over kafkajs reading the backlog and JSON-parsing every key and value. */
  readonly vsParse: number | null;
  /**
   * The same two ratios the targets are set on, for the kafka-parse floor instead of cdc-sink: the
   * most a kafkajs sink of Debezium JSON could reach on this machine before any work of its own.
   */
  readonly parseVsJdbc: number | null;
  readonly parseVsCeiling: number | null;
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
    const parse = rate('kafka-parse');
    const ratio = (a: number | null, b: number | null) => (a !== null && b !== null ? a / b : null);
    return {
      target,
      vsJdbc: ratio(cdc, jdbc),
      vsCeiling: ratio(cdc, ceil),
      vsRead: ratio(cdc, read),
      vsParse: ratio(cdc, parse),
      parseVsJdbc: ratio(parse, jdbc),
      parseVsCeiling: ratio(parse, ceil),
    };
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
  const times = (n: number | null) => (n === null ? '-' : `${fmt(n, 2)}x`);
  lines.push('', '| target | cdc-sink / Debezium JDBC sink | cdc-sink / ceiling | cdc-sink / kafka-read | cdc-sink / kafka-parse |', '|---|---:|---:|---:|---:|');
  for (const r of rs) lines.push(`| ${r.target} | ${times(r.vsJdbc)} | ${pct(r.vsCeiling)} | ${pct(r.vsRead)} | ${pct(r.vsParse)} |`);
  if (rs.some((r) => r.parseVsJdbc !== null || r.parseVsCeiling !== null)) {
    lines.push('', 'The floor, kafka-parse (reading and JSON-parsing the backlog, nothing else), on the same two ratios:', '', '| target | kafka-parse / Debezium JDBC sink | kafka-parse / ceiling |', '|---|---:|---:|');
    for (const r of rs) lines.push(`| ${r.target} | ${times(r.parseVsJdbc)} | ${pct(r.parseVsCeiling)} |`);
  }
  return lines.join('\n');
}
