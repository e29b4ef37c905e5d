/**
 * kill -9 of the sink process at random moments in a stream of 50,000 events, restart each time: the
 * target ends exactly at the expected state, with no change lost and none applied twice (an append-only
 * table would show a duplicate as an extra row).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DebeziumTable } from '../support/debezium-events.ts';
import type { ChangeRecord } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { spawnSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('kill');
const schema = `it_${id}`;
const group = `${id}-g`;

const accounts = new DebeziumTable({
  prefix: id,
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
  prefix: id,
  schema: 'public',
  table: 'journal',
  key: [],
  fields: [
    { name: 'seq', type: 'int64', optional: false },
    { name: 'account', type: 'int64' },
    { name: 'amount', type: { decimal: { precision: 18, scale: 2 } } },
  ],
});

const EVENTS_PER_TABLE = 25_000;
const KEYS = 700;

function workload(): { accountRecords: ChangeRecord[]; journalRecords: ChangeRecord[]; expected: Map<string, string> } {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const state = new Map<number, { balance: number; version: number }>();
  const accountRecords: ChangeRecord[] = [];
  for (let i = 0; i < EVENTS_PER_TABLE; i++) {
    const k = Math.floor(rand() * KEYS);
    const cur = state.get(k);
    if (cur && rand() < 0.07) {
      state.delete(k);
      accountRecords.push(accounts.delete({ id: BigInt(k) }), accounts.tombstone({ id: BigInt(k) }));
      i++;
      continue;
    }
    const next = { balance: Math.round(rand() * 1e6) / 100, version: (cur?.version ?? 0) + 1 };
    state.set(k, next);
    const row = { id: BigInt(k), balance: next.balance.toFixed(2), version: next.version };
    accountRecords.push(cur ? accounts.update(row) : accounts.insert(row));
  }
  const journalRecords = Array.from({ length: EVENTS_PER_TABLE }, (_, i) =>
    journal.insert({ seq: BigInt(i), account: BigInt(i % KEYS), amount: `${i}.01` }),
  );
  const expected = new Map([...state].map(([k, v]) => [String(k), `${v.balance.toFixed(2)}|${v.version}`]));
  return { accountRecords, journalRecords, expected };
}

async function appliedEverything(): Promise<boolean | string> {
  let want = 0n;
  for (const topic of [accounts.topic, journal.topic]) {
    for (const high of (await topicEndOffsets(kafka, topic)).values()) want += BigInt(high);
  }
  const rows = await query<{ s: string | null }>(`SELECT sum(next_offset)::text AS s FROM "${schema}".cdc_sink_offsets WHERE consumer_group = $1`, [group]).catch(() => [{ s: '0' }]);
  const got = BigInt(rows[0]?.s ?? '0');
  return got === want || `stored ${got} of ${want}`;
}

describe('kill -9 during a stream', () => {
  after(async () => {
    await deleteTopics(kafka, [accounts.topic, journal.topic]);
    await dropSchema(schema);
  });

  test('the target ends exactly at the expected state after repeated kill -9 and restart', { timeout: 600_000 }, async () => {
    await dropSchema(schema);
    await createTopics(kafka, [accounts.topic, journal.topic], 3);
    const { accountRecords, journalRecords, expected } = workload();
    await produce(kafka, accounts.topic, accountRecords);
    await produce(kafka, journal.topic, journalRecords);
    assert.ok(accountRecords.length + journalRecords.length >= 50_000);

    const input = {
      topics: [accounts.topic, journal.topic],
      groupId: group,
      schema,
      extra: { batch: { maxRows: 400, maxAgeMs: 50 }, tables: { map: [{ source: 'public.journal', mode: 'append' }] } },
    };
    let kills = 0;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 4; round++) {
      const sink = spawnSink(input);
      // Wait until this run has applied something new, then kill at a random moment after that.
      const before = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".journal`).catch(() => [{ n: '0' }]);
      await waitFor('progress', async () => {
        if (sink.child.exitCode !== null) return `sink exited: ${sink.output().slice(-2000)}`;
        const now = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".journal`).catch(() => [{ n: '0' }]);
        return now[0]!.n !== before[0]!.n || (await appliedEverything()) === true;
      }, 120_000);
      if ((await appliedEverything()) === true) {
        sink.child.kill('SIGTERM');
        await sink.exited;
        break;
      }
      await new Promise((r) => setTimeout(r, 100 + rand() * 1500));
      sink.child.kill('SIGKILL');
      await sink.exited;
      kills++;
    }
    assert.ok(kills >= 2, `killed ${kills} times before the stream was applied; the test needs at least 2`);

    const final = spawnSink(input);
    await waitFor('the last sink is ready', async () => {
      if (final.child.exitCode !== null) return `sink exited: ${final.output().slice(-2000)}`;
      return (await fetch(`${final.url}/readyz`).catch(() => null))?.status === 200;
    }, 120_000);
    const applied = await waitFor('all offsets applied', appliedEverything, 300_000, 500).then(
      () => null,
      (err: Error) => err,
    );
    final.child.kill('SIGTERM');
    const code = await final.exited;
    assert.equal(applied, null, `${applied?.message}\n${final.output().slice(-3000)}`);
    assert.equal(code, 0, `graceful exit: ${final.output().slice(-2000)}`);

    const journalStats = await query<{ n: string; d: string; min: string; max: string }>(
      `SELECT count(*)::text AS n, count(DISTINCT seq)::text AS d, min(seq)::text AS min, max(seq)::text AS max FROM "${schema}".journal`,
    );
    assert.deepEqual(journalStats[0], { n: String(EVENTS_PER_TABLE), d: String(EVENTS_PER_TABLE), min: '0', max: String(EVENTS_PER_TABLE - 1) });
    const rows = await query<{ id: string; v: string }>(`SELECT id::text, balance::text || '|' || version AS v FROM "${schema}".accounts`);
    const got = new Map(rows.map((r) => [r.id, r.v]));
    assert.equal(got.size, expected.size);
    assert.deepEqual(got, expected);
  });
});
