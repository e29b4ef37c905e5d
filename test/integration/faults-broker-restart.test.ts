/**
 * The Kafka broker restarts in the middle of a stream. The test runs its OWN broker (127.0.0.1:19092,
 * controller 19093, separate data dir; the shared broker on 9092 is never touched), starts the sink
 * in-process against it, stops the broker (test/infra/kafka/stop.sh) while the sink is in the middle
 * of the first part of the stream, starts it again and produces the rest. The same sink instance must
 * recover by itself (kafkajs reconnects), say "not ready" while the broker is away and "ready"
 * afterwards, and the target must end exactly at the expected state: a keyed table checked row by row
 * and an append-only journal (a change applied twice would be an extra row).
 * Then a `cdc-sink run` process gets SIGTERM while the broker is down: it must still shut down.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { App } from '../../services/sink/app.ts';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, produce, topicEndOffsets, uniqueName } from '../support/kafka.ts';
import { LEDGER_TABLES_CONFIG, checkLedger, ledgerTables, ledgerWorkload, storedOffsetsTotal } from '../support/ledger.ts';
import type { LedgerPart } from '../support/ledger.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { LogCapture, REPO_ROOT, spawnSink, startSink } from '../support/sink.ts';

const run = promisify(execFile);
const PORT = 19092;
const BROKER_ENV = { ...process.env, KAFKA_PORT: String(PORT), KAFKA_CONTROLLER_PORT: String(PORT + 1) };
const kafka = new Kafka({ clientId: 'cdc-sink-tests', brokers: [`127.0.0.1:${PORT}`], logLevel: logLevel.NOTHING });
const broker = (script: 'start' | 'stop', ...args: string[]) =>
  run('bash', [join(REPO_ROOT, 'test/infra/kafka', `${script}.sh`), ...args], { env: BROKER_ENV, timeout: 300_000 });

const id = uniqueName('brk');
const schema = `it_${id}`;
const group = `${id}-g`;
const tables = ledgerTables(id);
const { accounts, journal } = tables;
const storedTotal = () => storedOffsetsTotal(schema, group);

describe('the Kafka broker restarts mid-stream', { timeout: 900_000 }, () => {
  let app: App | null = null;

  before(async () => {
    await broker('stop', '--clean'); // a fresh cluster: no topics left by an earlier run
    await broker('start');
    await dropSchema(schema);
  });

  after(async () => {
    await app?.stop();
    await broker('stop', '--clean');
    await dropSchema(schema);
  });

  test('the same sink reconnects by itself and the target ends exactly at the expected state', async () => {
    const PER_TABLE = 30_000;
    const { parts, expected } = ledgerWorkload(tables, { perTable: PER_TABLE, keys: 600, seed: 7, parts: 2, cents: '25' });
    const [first, second] = parts as [LedgerPart, LedgerPart];
    await createTopics(kafka, tables.topics, 3);
    await produce(kafka, accounts.topic, first.accounts);
    await produce(kafka, journal.topic, first.journal);

    const logs = new LogCapture('info');
    ({ app } = await startSink(
      {
        topics: tables.topics,
        groupId: group,
        schema,
        extra: {
          kafka: { brokers: [`127.0.0.1:${PORT}`], partitionsConsumedConcurrently: 2, maxBytesPerPartition: 64 * 1024 },
          batch: { maxRows: 200, maxAgeMs: 50 },
          tables: LEDGER_TABLES_CONFIG,
        },
      },
      logs,
    ));
    const sink = app;
    let selfStopped: string | null = null;
    void sink.finished.then((e) => (selfStopped = e?.message ?? 'no error'));
    const reasons = new Set<string>();
    let readyAgainAfterOutage = false;
    let outage = false;
    let atStop: number;
    let storedWhileDown: number;
    let notReadyDuringOutage: boolean;
    const poll = setInterval(() => {
      const s = sink.telemetry.readiness.status();
      s.reasons.forEach((r) => reasons.add(r));
      if (outage && s.ready) readyAgainAfterOutage = true;
    }, 25);

    try {
      const firstTotal = first.accounts.length + first.journal.length;
      await waitFor('the sink is applying the first part', async () => (await storedTotal()) > 0 || 'nothing applied yet', 120_000, 50);
      await broker('stop');
      atStop = await storedTotal();
      outage = true;
      assert.ok(atStop < firstTotal, `the sink applied the whole first part (${atStop} of ${firstTotal}) before the broker stopped: nothing was mid-stream`);
      // Keep the broker away for a while (at least 20 s, or until the sink says it is not ready).
      notReadyDuringOutage = await waitFor('the sink notices the broker is gone', () => Promise.resolve(!sink.telemetry.readiness.ready || 'still ready'), 20_000, 25).then(() => true, () => false);
      storedWhileDown = await storedTotal();
      await broker('start');
      await produce(kafka, accounts.topic, second.accounts);
      await produce(kafka, journal.topic, second.journal);
      const total = firstTotal + second.accounts.length + second.journal.length;
      const ends = [...(await topicEndOffsets(kafka, accounts.topic)).values(), ...(await topicEndOffsets(kafka, journal.topic)).values()];
      assert.equal(ends.reduce((a, b) => a + Number(b), 0), total, 'the topics do not hold exactly the produced records');

      const done = await waitFor('every offset applied after the restart', async () => {
        if (selfStopped !== null) return `the sink stopped by itself: ${selfStopped}`;
        const got = await storedTotal();
        return got === total || `stored ${got} of ${total}`;
      }, 300_000, 500).then(() => null, (err: Error) => err);
      assert.equal(done, null, `${done?.message}\nsink logs:\n${logs.lines.slice(-60).join('')}`);
      await waitFor('ready again', () => Promise.resolve(sink.telemetry.readiness.ready || JSON.stringify(sink.telemetry.readiness.status())), 60_000, 50);
    } finally {
      clearInterval(poll);
    }
    assert.ok(readyAgainAfterOutage || sink.telemetry.readiness.ready);

    await app.stop();
    assert.equal(await app.finished, null, 'the sink ended with an error');
    app = null;

    await checkLedger(schema, expected, PER_TABLE);

    // Checked last, so that the data checks above report on their own.
    assert.ok(
      notReadyDuringOutage && [...reasons].some((r) => /^kafka: /.test(r)),
      `/readyz stayed "ready" for 20 s while the broker was down (the sink stored ${storedWhileDown - atStop} more offsets meanwhile); reasons seen: ${JSON.stringify([...reasons])}`,
    );
  });

  test('SIGTERM while the broker is down still shuts the sink down', async () => {
    await broker('start');
    const t = new DebeziumTable({ prefix: `${id}b`, schema: 'public', table: 'down', key: ['id'], fields: [{ name: 'id', type: 'int64', optional: false }] });
    await createTopics(kafka, [t.topic], 2);
    await produce(kafka, t.topic, [t.insert({ id: 1n }), t.insert({ id: 2n })]);
    const sink = spawnSink({ topics: [t.topic], groupId: `${id}-down`, schema, extra: { kafka: { brokers: [`127.0.0.1:${PORT}`] }, log: { level: 'info' } } });
    try {
      await waitFor('the sink applied the topic', async () => {
        if (sink.child.exitCode !== null) return `sink exited: ${sink.output().slice(-2000)}`;
        const rows = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".down`).catch(() => [{ n: '0' }]);
        return rows[0]?.n === '2' || `rows ${rows[0]?.n}`;
      }, 120_000);
      await broker('stop');
      sink.child.kill('SIGTERM');
      const exited = await Promise.race([sink.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 60_000))]);
      const log = sink.output().split('\n').filter((l) => !/ECONNREFUSED/.test(l));
      assert.equal(exited, 0, `60 s after SIGTERM with the broker down the sink is ${String(exited)}; its log without the connection errors:\n${log.join('\n').slice(-3000)}`);
    } finally {
      sink.child.kill('SIGKILL');
    }
  });
});
