/**
 * Snapshot, then streaming, for real: the source PostgreSQL already holds 20,000 rows when the Debezium
 * connector starts (snapshot.mode=initial, op r), while a writer keeps inserting, updating and deleting
 * during the snapshot and after it. Once the writer stops, the target must converge to exactly the
 * source, row by row. Runs with CDC_E2E=1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { TableSpec } from '../infra/e2e/compare.ts';
import { dropSlotAndPublication, pgConnectorConfig, sourcePgClient, startConnector, stopConnector, waitForSlot } from '../infra/e2e/debezium.ts';
import { E2E_SKIP, KEEP, SOURCE_PG, TARGET_PG_URL, runId } from '../infra/e2e/env.ts';
import { createTableTopics, deleteTopicsAndGroup, dropTarget, e2eKafka, openTargetSide, waitConverged } from '../infra/e2e/harness.ts';
import { Rng } from '../infra/e2e/random.ts';
import { pgSide } from '../infra/e2e/sides.ts';
import type { OpenSide } from '../infra/e2e/sides.ts';
import { startE2eSink } from '../infra/e2e/sink.ts';
import type { E2eSink, TargetSpec } from '../infra/e2e/sink.ts';
import { countOps } from '../infra/e2e/topic-ops.ts';
import { Writer } from '../infra/e2e/writer.ts';

const ROWS = 20_000;
const ITEMS: TableSpec = {
  name: 'items',
  key: ['id'],
  columns: [
    { name: 'id', kind: 'int' },
    { name: 'name', kind: 'text' },
    { name: 'qty', kind: 'int' },
    { name: 'price', kind: 'dec' },
    { name: 'updated_at', kind: 'tstz' },
    { name: 'payload', kind: 'text' },
  ],
};
const MARKER: TableSpec = { name: 'zz_marker', key: ['id'], columns: [{ name: 'id', kind: 'int' }] };

describe('snapshot of a busy PostgreSQL table, then streaming', { skip: E2E_SKIP }, () => {
  const id = runId();
  const name = `e2e_ss_${id}`;
  const connector = `e2e-ss-${id}`;
  const target: TargetSpec = { type: 'postgres', schema: `${name}_t` };
  const topics = [ITEMS.name, MARKER.name].map((t) => `${name}.${name}.${t}`);
  const kafka = e2eKafka();
  const rng = new Rng();
  const timings: Record<string, number> = {};
  let db: pg.Client;
  let writerDb: pg.Client;
  let sink: E2eSink | null = null;
  const sides: OpenSide[] = [];

  before(async () => {
    const t = Date.now();
    db = sourcePgClient();
    writerDb = sourcePgClient();
    await db.connect();
    await writerDb.connect();
    await db.query(`CREATE SCHEMA "${name}"`);
    await db.query(`CREATE TABLE "${name}".items (id bigint PRIMARY KEY, name text NOT NULL, qty int, price numeric(12,2), updated_at timestamptz, payload text)`);
    await db.query(`CREATE TABLE "${name}".zz_marker (id int PRIMARY KEY)`);
    await db.query(
      `INSERT INTO "${name}".items SELECT i, 'item ' || i, i % 1000, (i * 7 % 100000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second', md5(i::text) FROM generate_series(1, ${ROWS}) i`,
    );
    await createTableTopics(kafka, topics);
    await dropTarget(target);
    sink = await startE2eSink(target, topics, connector);
    timings.setup = Date.now() - t;
  });

  after(async () => {
    const t = Date.now();
    await sink?.app.stop();
    for (const s of sides) await s.close();
    if (!KEEP) {
      await stopConnector(connector);
      await dropSlotAndPublication(db, name, name);
      await db.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await dropTarget(target);
      await deleteTopicsAndGroup(kafka, topics, connector);
    }
    await db.end();
    await writerDb.end();
    timings.cleanup = Date.now() - t;
    console.log(`# snapshot-streaming: seed ${rng.seed}; timings ms ${JSON.stringify(timings)}`);
  });

  test('the target converges to exactly the source after a snapshot taken under writes', async (t) => {
    let t0 = Date.now();
    const writer = new Writer(writerDb, `"${name}".items`, rng, ROWS + 1);
    writer.start();
    await startConnector(connector, pgConnectorConfig({ name: connector, topicPrefix: name, schema: name, slot: name, publication: name }));
    await waitForSlot(db, name);
    // From here on every change is streamed, and only after the snapshot: the first row the writer
    // inserts now reaches the target once the snapshot is over.
    const atSlot = { ...writer.stats };
    const probe = new pg.Client({ connectionString: TARGET_PG_URL });
    await probe.connect();
    try {
      for (;;) {
        const { rows } = await probe
          .query<{ n: string }>(`SELECT count(*)::text AS n FROM "${target.schema}".items WHERE id >= $1`, [atSlot.nextId])
          .catch(() => ({ rows: [{ n: '0' }] }));
        if (rows[0]!.n !== '0') break;
        assert.ok(Date.now() - t0 < 120_000, 'streamed rows reached the target within 2 minutes');
        await Promise.race([new Promise((r) => setTimeout(r, 200)), sink!.failed]);
      }
    } finally {
      await probe.end();
    }
    const atStream = { ...writer.stats };
    timings.snapshot = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 2000));
    const final = await writer.stop();
    await db.query(`INSERT INTO "${name}".zz_marker VALUES (1)`);
    timings.writes = Date.now() - t0;
    t0 = Date.now();

    const source = await pgSide({ ...SOURCE_PG }, name);
    const targetSide = await openTargetSide(target);
    sides.push(source, targetSide);
    const converged = await waitConverged({ kafka, sink: sink!, target, topics, source, targetSide, tables: [ITEMS, MARKER], marker: { table: MARKER.name, id: 1 } });
    timings.converge = Date.now() - t0;
    const ops = await countOps(kafka, topics[0]!);
    t.diagnostic(
      `writer: ${atStream.transactions - atSlot.transactions} transactions between slot creation and the first streamed row, ` +
        `${final.transactions} in all (${final.inserts} inserts, ${final.updates} updates, ${final.deletes} deletes); ` +
        `topic ops ${JSON.stringify(ops)}; target rows ${converged.rows.items}`,
    );
    assert.ok(atStream.transactions > atSlot.transactions, 'the writer committed changes while the snapshot ran');
    assert.ok((ops.r ?? 0) >= ROWS - final.deletes, `the snapshot emitted every pre-existing row as op r (${ops.r ?? 0})`);
    assert.ok((ops.c ?? 0) > 0 && (ops.u ?? 0) > 0 && (ops.d ?? 0) > 0, 'the stream carried inserts, updates and deletes');
    assert.ok((converged.rows.items ?? 0) > ROWS - final.deletes);
  });
});
