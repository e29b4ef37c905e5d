/** What one measured run of one system produced, and the checksum gate every number passes first. */
import { join } from 'node:path';
import { expectedChecksum } from './checksum.ts';
import type { TableChecksum } from './checksum.ts';
import type { BenchTarget } from './targets.ts';
import type { Workload } from './workload.ts';

export type SystemName = 'cdc-sink' | 'debezium-jdbc' | 'ceiling' | 'kafka-read' | 'kafka-parse';

export interface RunResult {
  readonly system: SystemName;
  readonly target: string;
  readonly repeat: number;
  /** Wall seconds from start until the target held the final state. */
  readonly seconds: number;
  /** Changes (Kafka records that are not tombstones) per wall second. */
  readonly changesPerSec: number;
  /** CPU seconds of the system's own process per 1,000 changes (null when not measured). */
  readonly cpuPer1000: number | null;
  readonly cpuSeconds: number | null;
  /** Peak RSS in MB (VmHWM of the child for cdc-sink; highest sampled VmRSS for the Connect JVM). */
  readonly peakRssMb: number | null;
  readonly checksumOk: boolean;
  readonly mismatches: readonly string[];
  readonly notes: readonly string[];
  /** The machine's calibration (bench/calibrate.ts) just before the run, once it was quiet. */
  readonly calibrationMs?: number;
}

/** The expected checksums of a workload's final state (computed once per run). */
export function expectedChecksums(workload: Workload): TableChecksum[] {
  return workload.tables.map((t, i) => expectedChecksum(t, workload.finalState[i]?.values() ?? []));
}

/** Compares every table of `space` with the expected state; returns the mismatching tables. */
export async function verify(target: BenchTarget, space: string, workload: Workload, expected: readonly TableChecksum[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < workload.tables.length; i++) {
    const table = workload.tables[i];
    const want = expected[i];
    if (!table || !want) continue;
    const got = await target.checksum(space, table);
    if (got.rows !== want.rows || got.hash !== want.hash) {
      out.push(`${space}.${table.name}: ${got.rows} rows ${got.hash}, expected ${want.rows} rows ${want.hash}`);
    }
  }
  return out;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The report of the last backlog run of this size (the lag runs' 100% load comes from it). */
export const lastBacklogFile = (benchDir: string, changes: number) => join(benchDir, `last-backlog-${changes}.json`);

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
