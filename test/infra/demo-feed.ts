/**
 * The source side of `npm run demo` (test/infra/demo.sh), against the real stack:
 *   setup     recreate the shop schema in the source PostgreSQL, the demo topics and the target
 *             schema, and register the Debezium connector (deploy/demo/debezium-postgres.json)
 *   run       play the live shop workload and print source vs target row counts and the lag from
 *             cdc-sink's /metrics every few seconds, until Ctrl-C or DEMO_SECONDS; then check that the
 *             target caught up with the source (row by row) and exit 0 only if it did
 *   teardown  delete the connector, its replication slot and publication (idempotent)
 * Environment: DEMO_SECONDS (0: until Ctrl-C), DEMO_METRICS_URL, DEMO_SINK_PID, DEMO_CATCHUP_SECONDS (60).
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { deleteConnector, waitRunning } from './connect/support/connect-rest.ts';
import { diffTables } from './e2e/compare.ts';
import { registerFresh } from './e2e/connect-admin.ts';
import { dropSlotAndPublication, sourcePgClient, waitForSlot } from './e2e/debezium.ts';
import { fetchProgress } from './e2e/demo-metrics.ts';
import { SHOP_SCHEMA, SHOP_TABLES, createShop, shopCounts, shopTick } from './e2e/demo-shop.ts';
import { CONNECT_URL, SOURCE_PG, TARGET_PG_URL } from './e2e/env.ts';
import { createTableTopics, deleteTopicsAndGroup, e2eKafka } from './e2e/harness.ts';
import { Rng } from './e2e/random.ts';
import { pgSide } from './e2e/sides.ts';

const connectorFile = new URL('../../deploy/demo/debezium-postgres.json', import.meta.url);
const connectorDoc = JSON.parse(readFileSync(connectorFile, 'utf8')) as Record<string, string>;
const { name: CONNECTOR = 'demo-shop', ...connectorConfig } = connectorDoc;
// The file names the usual ports; SOURCE_PG_HOST / SOURCE_PG_PORT move the source.
connectorConfig['database.hostname'] = SOURCE_PG.host;
connectorConfig['database.port'] = String(SOURCE_PG.port);
const PREFIX = connectorConfig['topic.prefix']!;
const SLOT = connectorConfig['slot.name']!;
const PUBLICATION = connectorConfig['publication.name']!;
const TARGET_SCHEMA = 'demo_shop';
const GROUP = 'cdc-sink-demo';
const TOPICS = SHOP_TABLES.map((t) => `${PREFIX}.${SHOP_SCHEMA}.${t.name}`);

const seconds = Number(process.env.DEMO_SECONDS ?? '0');
const metricsUrl = process.env.DEMO_METRICS_URL ?? 'http://127.0.0.1:8080/metrics';
const sinkPid = Number(process.env.DEMO_SINK_PID ?? '0');
const catchupSeconds = Number(process.env.DEMO_CATCHUP_SECONDS ?? '60');
const say = (msg: string): void => console.log(`demo: ${msg}`);

async function withClient<T>(config: pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(config);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function teardown(): Promise<void> {
  await deleteConnector(CONNECT_URL, CONNECTOR).catch((err: unknown) => say(`could not delete connector ${CONNECTOR}: ${(err as Error).message}`));
  await withClient({ ...SOURCE_PG }, (db) => dropSlotAndPublication(db, SLOT, PUBLICATION));
}

async function setup(): Promise<void> {
  await teardown();
  await withClient({ ...SOURCE_PG }, createShop);
  const kafka = e2eKafka();
  await deleteTopicsAndGroup(kafka, TOPICS, GROUP);
  // A deleted topic lingers a moment in the broker's metadata: retry the creation until it takes.
  for (let i = 0; ; i++) {
    try {
      await createTableTopics(kafka, TOPICS);
      break;
    } catch (err) {
      if (i >= 20) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  await withClient({ connectionString: TARGET_PG_URL }, (c) => c.query(`DROP SCHEMA IF EXISTS ${TARGET_SCHEMA} CASCADE`));
  await registerFresh(CONNECT_URL, CONNECTOR, connectorConfig);
  await waitRunning(CONNECT_URL, CONNECTOR);
  await withClient({ ...SOURCE_PG }, (db) => waitForSlot(db, SLOT));
  say(`connector ${CONNECTOR} registered (${connectorFile.pathname}): ${SHOP_SCHEMA}.* -> topics ${TOPICS.join(', ')}`);
}

function sinkAlive(): boolean {
  if (!sinkPid) return true;
  try {
    process.kill(sinkPid, 0);
    return true;
  } catch {
    return false;
  }
}

async function caughtUp(deadlineMs: number): Promise<string> {
  const source = await pgSide({ ...SOURCE_PG }, SHOP_SCHEMA);
  const target = await pgSide({ connectionString: TARGET_PG_URL }, TARGET_SCHEMA);
  try {
    for (;;) {
      const { report } = await diffTables(source, target, SHOP_TABLES);
      if (report === '' || Date.now() > deadlineMs || !sinkAlive()) return report;
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await source.close();
    await target.close();
  }
}

async function run(): Promise<number> {
  let stopping = false;
  const stop = (): void => {
    if (!stopping) say('stopping the workload ...');
    stopping = true;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const rng = new Rng();
  const src = sourcePgClient();
  const dst = new pg.Client({ connectionString: TARGET_PG_URL });
  await src.connect();
  await dst.connect();
  const started = Date.now();
  const totals = { inserts: 0, updates: 0, deletes: 0 };
  let lastPrint = 0;
  say(`shop workload running${seconds ? ` for ${seconds}s` : ' (Ctrl-C stops)'}; metrics at ${metricsUrl}`);
  try {
    while (!stopping && (seconds === 0 || Date.now() - started < seconds * 1000)) {
      const st = await shopTick(src, rng);
      totals.inserts += st.inserts;
      totals.updates += st.updates;
      totals.deletes += st.deletes;
      if (Date.now() - lastPrint >= 3000) {
        lastPrint = Date.now();
        const [s, t, m] = await Promise.all([shopCounts(src, SHOP_SCHEMA), shopCounts(dst, TARGET_SCHEMA), fetchProgress(metricsUrl)]);
        const rows = SHOP_TABLES.map((x) => `${x.name} ${s[x.name]}/${t[x.name]}`).join('  ');
        const lag = m === null ? 'cdc-sink not answering' : `lag ${m.lagSeconds === null ? '-' : m.lagSeconds.toFixed(2)} s, ${m.lagMessages} records behind`;
        say(`${Math.round((Date.now() - started) / 1000)}s  source/target rows: ${rows}  |  ${lag}  |  ${metricsUrl}`);
      }
      if (!sinkAlive()) {
        say('cdc-sink exited: see .cache/demo-sink.log');
        return 1;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    say(`workload stopped after ${Math.round((Date.now() - started) / 1000)}s: ${totals.inserts} inserts, ${totals.updates} updates, ${totals.deletes} deletes`);
    const report = await caughtUp(Date.now() + (seconds ? catchupSeconds : 10) * 1000);
    const [s, t] = await Promise.all([shopCounts(src, SHOP_SCHEMA), shopCounts(dst, TARGET_SCHEMA)]);
    const rows = SHOP_TABLES.map((x) => `${x.name} ${s[x.name]}/${t[x.name]}`).join('  ');
    if (report === '') {
      say(`target caught up: ${SHOP_SCHEMA}.* (port ${SOURCE_PG.port}) equals ${TARGET_SCHEMA}.* row by row (${rows})`);
      return 0;
    }
    say(`target NOT caught up (${rows}):\n${report}`);
    return seconds ? 1 : 0;
  } finally {
    await src.end();
    await dst.end();
  }
}

const command = process.argv[2];
if (command === 'setup') await setup();
else if (command === 'teardown') await teardown();
else if (command === 'run') process.exitCode = await run();
else {
  console.error('usage: demo-feed.ts setup|run|teardown');
  process.exitCode = 2;
}
