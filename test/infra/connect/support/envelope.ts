// Parsing of Debezium records (JsonConverter with schemas.enable=true) for the infra tests' assertions.
// JSON.parse is fine here: the tests assert on small values only, never on int64 fields like ts_ns.
import type { ConnectField } from './decode.ts';
import type { RawRecord } from './topic-reader.ts';

export interface Envelope {
  schema: { name: string; version?: number; fields: ConnectField[] };
  payload: {
    op: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    source: Record<string, unknown>;
  };
}

export interface ParsedRecord {
  raw: RawRecord;
  /** The key's payload (the primary key columns). */
  key: Record<string, unknown>;
  /** The value; null for a tombstone. */
  env: Envelope | null;
}

export function parseRecord(r: RawRecord): ParsedRecord {
  if (r.key === null) throw new Error(`record ${r.topic}[${r.partition}]@${r.offset} has no key`);
  const key = JSON.parse(r.key) as { payload: Record<string, unknown> };
  return { raw: r, key: key.payload, env: r.value === null ? null : (JSON.parse(r.value) as Envelope) };
}

/** Records of one op (`c`, `u`, ...); `tombstone` selects null values. */
export function ofKind(records: readonly ParsedRecord[], kind: string): ParsedRecord[] {
  return records.filter((p) => (kind === 'tombstone' ? p.env === null : p.env?.payload.op === kind));
}

/** Counts per kind, for one deepEqual that shows everything that arrived. */
export function countKinds(records: readonly ParsedRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of records) {
    const k = p.env === null ? 'tombstone' : p.env.payload.op;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** (partition, offset) of a record, to check per-key ordering. */
export function position(p: ParsedRecord): { partition: number; offset: bigint } {
  return { partition: p.raw.partition, offset: BigInt(p.raw.offset) };
}

/** True when the records sit in one partition in strictly increasing offsets. */
export function inOrder(...records: ParsedRecord[]): boolean {
  for (let i = 1; i < records.length; i++) {
    const a = position(records[i - 1]!);
    const b = position(records[i]!);
    if (a.partition !== b.partition || a.offset >= b.offset) return false;
  }
  return true;
}
