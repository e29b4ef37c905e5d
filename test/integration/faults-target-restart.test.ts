/**
 * The target database restarts while events flow. The test creates its OWN PostgreSQL cluster
 * (initdb into a temp dir, 127.0.0.1:5434; the machine's 5432 server is never touched), runs the sink
 * in-process against it and, while a producer streams events into the shared broker, restarts the
 * cluster with `pg_ctl restart -m fast` and later with `-m immediate` (a crash: recovery on start).
 * Each time a write fails during the outage, /readyz, polled every 20 ms over HTTP, must answer 503
 * "not ready" with a target reason and 200 again afterwards (a restart that falls between two flushes
 * fails no write: then the sink must simply go on); the same sink instance must converge without a
 * restart, to exactly the expected state: a keyed table checked row by row and an append-only journal.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { App } from '../../services/sink/app.ts';
import { createTopics, deleteTopics, testKafka, uniqueName, withProducer } from '../support/kafka.ts';
import { LEDGER_TABLES_CONFIG, checkLedger, ledgerTables, ledgerWorkload, storedOffsetsTotal } from '../support/ledger.ts';
import { waitFor } from '../support/postgres.ts';
import { LogCapture, startSink } from '../support/sink.ts';

const run = promisify(execFile);
const PORT = 5434;
const URL_5434 = `postgres://postgres@127.0.0.1:${PORT}/postgres`;
const PG_BIN = (() => {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)) : [];
  const v = versions.includes('15') ? '15' : versions[versions.length - 1];
  return v === undefined ? '' : `/usr/lib/postgresql/${v}/bin`;
})();
const asRoot = process.getuid?.() === 0;
/** Runs a PostgreSQL server binary as the postgres OS user when we are root (it refuses root). */
const pgTool = (tool: string, args: string[]) =>
  asRoot ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args], { timeout: 120_000 }) : run(join(PG_BIN, tool), args, { timeout: 120_000 });

const kafka = testKafka();
const id = uniqueName('pgrs');
const schema = `it_${id}`;
const group = `${id}-g`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function q<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: URL_5434, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined); // the server restarts under it: the failed query reports it
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

const tables = ledgerTables(id);
const PER_TABLE = 20_000;
const storedTotal = () => storedOffsetsTotal(schema, group, q);

describe('the target PostgreSQL restarts while events flow', { timeout: 900_000 }, () => {
  let dataDir = '';
  let logFile = '';
  let app: App | null = null;

  before(async () => {
    assert.ok(PG_BIN !== '' && existsSync(join(PG_BIN, 'initdb')), 'PostgreSQL server binaries not found under /usr/lib/postgresql');
    const busy = await q('SELECT 1').then(() => true, () => false);
    assert.equal(busy, false, `something already answers on 127.0.0.1:${PORT}: this test needs the port for its own cluster`);
    const base = mkdtempSync(join(tmpdir(), 'cdc-sink-pgrestart-'));
    dataDir = join(base, 'data');
    logFile = join(base, 'server.log');
    if (asRoot) chownSync(base, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
    await pgTool('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    appendFileSync(join(dataDir, 'postgresql.conf'), [
      '', `listen_addresses = '127.0.0.1'`, `port = ${PORT}`, `unix_socket_directories = ''`, 'max_connections = 30',
      'shared_buffers = 32MB', 'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'logging_collector = off', '',
    ].join('\n'));
    writeFileSync(join(dataDir, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\n');
    await pgTool('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', 'start']);
    await createTopics(kafka, tables.topics, 3);
  });

  after(async () => {
    await app?.stop();
    if (dataDir !== '') {
      await pgTool('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
    await deleteTopics(kafka, tables.topics);
  });

  test('pg_ctl restart -m fast, then -m immediate: not ready during each outage, then exactly the expected rows', async () => {
    const { stream, expected } = ledgerWorkload(tables, { perTable: PER_TABLE, keys: 500, seed: 3, cents: '75' });
    const total = stream.length;
    const logs = new LogCapture('info');
    ({ app } = await startSink(
      {
        topics: tables.topics,
        groupId: group,
        schema,
        extra: {
          target: { type: 'postgres', url: URL_5434, schema, connectTimeoutMs: 1000, poolSize: 3 },
          batch: { maxRows: 300, maxAgeMs: 50 },
          tables: LEDGER_TABLES_CONFIG,
          errors: { retry: { initialDelayMs: 50, maxDelayMs: 1000 } },
        },
      },
      logs,
    ));
    const sink = app;
    const base = sink.httpAddress();
    assert.ok(base);

    // /readyz over HTTP every 20 ms, recorded per phase.
    let phase = 'start';
    const seen = new Map<string, { notReady: string[]; readyAfterNotReady: boolean }>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await fetch(`${base}/readyz`).catch(() => null);
        if (res) {
          const b = (await res.json()) as { status: string; reasons?: string[] };
          const s = seen.get(phase) ?? { notReady: [], readyAfterNotReady: false };
          if (res.status === 503) s.notReady.push(...(b.reasons ?? []));
          else if (s.notReady.length > 0) s.readyAfterNotReady = true;
          seen.set(phase, s);
        }
        await sleep(20);
      }
    })();

    let produced = 0;
    const producing = withProducer(kafka, async (p) => {
      for (let i = 0; i < stream.length; i += 300) {
        const chunk = stream.slice(i, i + 300);
        await p.sendBatch({
          topicMessages: tables.topics.map((topic) => ({ topic, messages: chunk.filter(([t]) => t === topic).map(([, r]) => ({ key: r.key, value: r.value })) })),
        });
        produced += chunk.length;
        await sleep(50);
      }
    });
    const restarts: string[] = [];
    // Writes that failed and were retried, from the sink's log, since `from` lines.
    const failedWrites = (from: number) => logs.lines.slice(from).filter((l) => l.includes('write failed, retrying')).length;
    const writesFailedIn = new Map<string, number>();
    try {
      for (const [mode, share] of [['fast', 0.2], ['immediate', 0.5]] as const) {
        await waitFor(`${share * 100}% applied`, async () => (await storedTotal()) >= total * share || `produced ${produced}`, 300_000, 100);
        phase = mode;
        const at = await storedTotal();
        const mark = logs.lines.length;
        await pgTool('pg_ctl', ['-D', dataDir, '-l', logFile, '-m', mode, '-w', 'restart']);
        restarts.push(`${mode} at ${at} of ${total} (produced ${produced})`);
        // Reported (not ready, then ready again), or not met at all: a restart quick enough to fall
        // between two flushes fails no write (the pool replaces the dead idle connections), and then
        // the sink must simply go on applying. A sink stuck after the restart fails either way.
        await waitFor(`recovered after the ${mode} restart`, async () => {
          const s = seen.get(mode);
          if (s?.readyAfterNotReady === true) return true;
          const stored = await storedTotal().catch(() => at);
          if (failedWrites(mark) === 0 && (s?.notReady.length ?? 0) === 0 && stored >= Math.min(total, at + 1000)) return true;
          return `seen: ${JSON.stringify(s ?? null).slice(0, 300)}; stored ${stored} (${at} at the restart); failed writes ${failedWrites(mark)}`;
        }, 120_000, 50);
        writesFailedIn.set(mode, failedWrites(mark));
      }
      await producing;
      const done = await waitFor('every offset applied', async () => {
        const got = await storedTotal();
        return got === total || `stored ${got} of ${total}`;
      }, 300_000, 500).then(() => null, (err: Error) => err);
      assert.equal(done, null, `${done?.message}\nsink logs:\n${logs.lines.slice(-40).join('')}`);
    } finally {
      polling = false;
      await poller;
    }
    console.log(`restarts: ${restarts.join('; ')}; writes failed and retried: ${JSON.stringify(Object.fromEntries(writesFailedIn))}`);
    for (const mode of ['fast', 'immediate']) {
      const s = seen.get(mode);
      if ((writesFailedIn.get(mode) ?? 0) === 0 && (s?.notReady.length ?? 0) === 0) continue; // the outage fell between flushes
      assert.ok(s && s.notReady.some((r) => /^target: /.test(r)), `/readyz never said "not ready" with a target reason during the ${mode} restart: ${JSON.stringify(s)}`);
      assert.ok(s.readyAfterNotReady, `/readyz did not come back after the ${mode} restart`);
    }
    assert.equal(sink.telemetry.readiness.ready, true, JSON.stringify(sink.telemetry.readiness.status()));
    await app.stop();
    assert.equal(await app.finished, null, 'the sink ended with an error');
    app = null;

    await checkLedger(schema, expected, PER_TABLE, q);
  });
});
