/**
 * The "ledger" workload shared by the fault tests (kill -9, rebalance, broker and target restarts): a
 * keyed `accounts` table that sees inserts, updates and deletes (+ tombstones), and an append-only
 * `journal` with one row per change, in which a change applied twice would be an extra row. The
 * events come from a seeded LCG, so a test always streams the same records; after the stream the
 * target must hold exactly the expected accounts and every journal row once (checkLedger).
 */
import assert from 'node:assert/strict';
import { DebeziumTable } from './debezium-events.ts';
import type { ChangeRecord } from './debezium-events.ts';
import { query as pgQuery } from './postgres.ts';

/** Runs one SQL statement on the target (by default the machine's PostgreSQL, see postgres.ts). */
export type Query = <T extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;

/** A record with the partition it must be produced to (none: the key's partition, or any). */
export type LedgerRecord = ChangeRecord & { partition?: number };

export interface LedgerTables {
  readonly accounts: DebeziumTable;
  readonly journal: DebeziumTable;
  /** [accounts.topic, journal.topic] */
  readonly topics: string[];
  /** Whether the journal has an `account` column (seq % keys). */
  readonly journalAccount: boolean;
}

/** The sink's `tables` section for the ledger: the keyless journal is applied append-only. */
export const LEDGER_TABLES_CONFIG = { map: [{ source: 'public.journal', mode: 'append' }] };

/** accounts(id int64 key, balance decimal(18,2), version int32) and journal(seq int64, [account int64,] amount decimal(18,2)), no key. */
export function ledgerTables(prefix: string, opts: { journalAccount?: boolean } = {}): LedgerTables {
  const journalAccount = opts.journalAccount ?? false;
  const accounts = new DebeziumTable({
    prefix,
    schema: 'public',
    table: 'accounts',
    key: ['id'],
    fields: [
      { name: 'id', type: 'int64', optional: false },
      { name: 'balance', type: { decimal: { precision: 18, scale: 2 } } },
      { name: 'version', type: 'int32' },
    ],
  });
  const journal = new DebeziumTable({
    prefix,
    schema: 'public',
    table: 'journal',
    key: [],
    fields: [
      { name: 'seq', type: 'int64', optional: false },
      ...(journalAccount ? [{ name: 'account', type: 'int64' as const }] : []),
      { name: 'amount', type: { decimal: { precision: 18, scale: 2 } } },
    ],
  });
  return { accounts, journal, topics: [accounts.topic, journal.topic], journalAccount };
}

export interface LedgerWorkloadOptions {
  /** Journal rows in all, and accounts changes in all (iterations of the generator). */
  readonly perTable: number;
  /** Account ids are drawn from 0 .. keys-1. */
  readonly keys: number;
  /** The LCG's seed. */
  readonly seed: number;
  /** The workload comes in this many equal parts (perTable must divide by it). Default 1. */
  readonly parts?: number;
  /** The fraction of each journal amount: `${seq}.${cents}`. */
  readonly cents: string;
  /** Journal row `seq` is produced to partition seq % journalPartitions (round-robin); default: unset. */
  readonly journalPartitions?: number;
  /** A delete + its tombstone use up two of the part's changes instead of one. Default false. */
  readonly deleteCountsTwice?: boolean;
}

export interface LedgerPart {
  /** The accounts records, in order. */
  readonly accounts: LedgerRecord[];
  /** The journal records, in order (seq ascending). */
  readonly journal: LedgerRecord[];
  /**
   * Both as [topic, record] in production order: each accounts change (one record, or a delete and
   * its tombstone) followed by the journal row of the same index; journal rows left over (with
   * deleteCountsTwice there are fewer changes than journal rows) come at the end.
   */
  readonly stream: [string, LedgerRecord][];
}

export interface LedgerWorkload extends LedgerPart {
  /** The workload part by part; accounts, journal and stream above are these concatenated. */
  readonly parts: LedgerPart[];
  /** The accounts state after all of it: id -> `${balance}|${version}`, as checkLedger reads it. */
  readonly expected: Map<string, string>;
}

/** The ledger's events and the accounts state they leave. */
export function ledgerWorkload(tables: LedgerTables, opts: LedgerWorkloadOptions): LedgerWorkload {
  const { accounts, journal } = tables;
  const { perTable, keys, cents } = opts;
  const partCount = opts.parts ?? 1;
  assert.ok(Number.isInteger(perTable / partCount), `perTable ${perTable} does not divide into ${partCount} parts`);
  const size = perTable / partCount;
  let seed = opts.seed;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const state = new Map<number, { balance: string; version: number }>();
  const journalRow = (seq: number): LedgerRecord => {
    const row = journal.insert({ seq: BigInt(seq), ...(tables.journalAccount ? { account: BigInt(seq % keys) } : {}), amount: `${seq}.${cents}` });
    return opts.journalPartitions === undefined ? row : { ...row, partition: seq % opts.journalPartitions };
  };
  const parts: LedgerPart[] = [];
  for (let p = 0; p < partCount; p++) {
    const changes: LedgerRecord[][] = [];
    for (let i = 0; i < size; i++) {
      const k = Math.floor(rand() * keys);
      const cur = state.get(k);
      if (cur && rand() < 0.07) {
        state.delete(k);
        changes.push([accounts.delete({ id: BigInt(k) }), accounts.tombstone({ id: BigInt(k) })]);
        if (opts.deleteCountsTwice) i++;
        continue;
      }
      const next = { balance: (Math.round(rand() * 1e6) / 100).toFixed(2), version: (cur?.version ?? 0) + 1 };
      state.set(k, next);
      changes.push([cur ? accounts.update({ id: BigInt(k), ...next }) : accounts.insert({ id: BigInt(k), ...next })]);
    }
    const jr = Array.from({ length: size }, (_, i) => journalRow(p * size + i));
    const stream: [string, LedgerRecord][] = [];
    changes.forEach((change, i) => {
      for (const r of change) stream.push([accounts.topic, r]);
      const j = jr[i];
      if (j) stream.push([journal.topic, j]);
    });
    for (const j of jr.slice(changes.length)) stream.push([journal.topic, j]);
    parts.push({ accounts: changes.flat(), journal: jr, stream });
  }
  return {
    parts,
    accounts: parts.flatMap((p) => p.accounts),
    journal: parts.flatMap((p) => p.journal),
    stream: parts.flatMap((p) => p.stream),
    expected: new Map([...state].map(([k, v]) => [String(k), `${v.balance}|${v.version}`])),
  };
}

/** Sum of the next offsets the group stored in the target (on fresh topics: the records applied); 0 before the table exists. */
export async function storedOffsetsTotal(schema: string, group: string, query: Query = pgQuery): Promise<number> {
  const rows = await query<{ s: string | null }>(`SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets WHERE consumer_group = $1`, [group]).catch(() => [{ s: null }]);
  return Number(rows[0]?.s ?? '0');
}

/** The final state: every journal row exactly once (seq 0 .. perTable-1), and accounts equal to expected. */
export async function checkLedger(schema: string, expected: Map<string, string>, perTable: number, query: Query = pgQuery): Promise<void> {
  const journalStats = await query<{ n: string; d: string; min: string; max: string }>(
    `SELECT count(*)::text AS n, count(DISTINCT seq)::text AS d, min(seq)::text AS min, max(seq)::text AS max FROM "${schema}".journal`,
  );
  assert.deepEqual(journalStats[0], { n: String(perTable), d: String(perTable), min: '0', max: String(perTable - 1) });
  const rows = await query<{ id: string; v: string }>(`SELECT id::text, balance::text || '|' || version AS v FROM "${schema}".accounts`);
  const got = new Map(rows.map((r) => [r.id, r.v]));
  assert.equal(got.size, expected.size);
  assert.deepEqual(got, expected);
}
