/**
 * kill -9 of the sink process at random points of a stream of 50,000 events, restart each time: the
 * target ends exactly at the expected state, with no change lost and none applied twice (an append-only
 * table would show a duplicate as an extra row).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createTopics, deleteTopics, produce, testKafka, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { LEDGER_TABLES_CONFIG, checkLedger, ledgerTables, ledgerWorkload, storedOffsetsTotal } from '../support/ledger.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { spawnSink } from '../support/sink.ts';

const kafka = testKafka();
const id = uniqueName('kill');
const schema = `it_${id}`;
const group = `${id}-g`;

// The journal here also has an `account` column; a delete + tombstone counts as two of the 25,000 accounts events.
const tables = ledgerTables(id, { journalAccount: true });
const EVENTS_PER_TABLE = 25_000;
const KEYS = 700;

/** The topics' end offsets, summed over partitions: read once, the stream is produced before the first sink starts. */
let endTotal: bigint | null = null;

/** Offsets applied in the target (summed over partitions) and the topics' end offsets. */
async function progress(): Promise<{ got: bigint; want: bigint }> {
  if (endTotal === null) {
    let total = 0n;
    for (const topic of tables.topics) {
      for (const high of (await topicEndOffsets(kafka, topic)).values()) total += BigInt(high);
    }
    endTotal = total;
  }
  return { got: BigInt(await storedOffsetsTotal(schema, group)), want: endTotal };
}

async function appliedEverything(): Promise<boolean | string> {
  const { got, want } = await progress();
  return got === want || `stored ${got} of ${want}`;
}

describe('kill -9 during a stream', () => {
  after(async () => {
    await deleteTopics(kafka, tables.topics);
    await dropSchema(schema);
  });

  test('the target ends exactly at the expected state after repeated kill -9 and restart', { timeout: 600_000 }, async () => {
    await dropSchema(schema);
    await createTopics(kafka, tables.topics, 3);
    const { accounts: accountRecords, journal: journalRecords, expected } = ledgerWorkload(tables, { perTable: EVENTS_PER_TABLE, keys: KEYS, seed: 42, cents: '01', deleteCountsTwice: true });
    await produce(kafka, tables.accounts.topic, accountRecords);
    await produce(kafka, tables.journal.topic, journalRecords);
    assert.ok(accountRecords.length + journalRecords.length >= 50_000);

    const input = {
      topics: tables.topics,
      groupId: group,
      schema,
      extra: { batch: { maxRows: 400, maxAgeMs: 50 }, tables: LEDGER_TABLES_CONFIG },
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
      // Kill at a random point of the stream, not of the clock: 10-40% further into what is left,
      // so that a faster sink (or machine) cannot apply the whole stream between two kills.
      const { got, want } = await progress();
      const killAt = got + ((want - got) * BigInt(Math.round((0.1 + rand() * 0.3) * 1000))) / 1000n;
      await waitFor('the kill point', async () => {
        if (sink.child.exitCode !== null) return `sink exited: ${sink.output().slice(-2000)}`;
        return (await progress()).got >= killAt;
      }, 120_000, 20);
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

    await checkLedger(schema, expected, EVENTS_PER_TABLE);
  });
});
