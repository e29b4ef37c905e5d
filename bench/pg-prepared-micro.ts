/**
 * Micro-benchmark (not a test): PostgreSQL's CPU per small transaction with the data statements
 * sent unprepared or prepared (target.preparedStatements), the shape of steady traffic: BEGIN, one
 * upsert of a few rows through the dialect's unnest statement, the offset compare-and-set, COMMIT.
 *
 * Reads the server backend's CPU time from /proc (the database runs on this machine) and the
 * client's wall time per transaction; alternates the two modes ROUNDS times on one connection each.
 *
 *   npx tsx bench/pg-prepared-micro.ts [--tx 2000] [--rows 20] [--width 50] [--rounds 2]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { TableChanges } from '../connectors/contract.ts';
import type { ColumnSchema } from '../connectors/core/column-type.ts';
import { newRow, type Row } from '../connectors/core/value.ts';
import { createPostgresDialect } from '../connectors/postgres/dialect.ts';
import { PG_URL } from './targets.ts';

const { values } = parseArgs({ options: { tx: { type: 'string' }, rows: { type: 'string' }, width: { type: 'string' }, rounds: { type: 'string' } } });
const TX = Number(values.tx ?? 2000);
const ROWS = Number(values.rows ?? 20);
const WIDTH = Number(values.width ?? 50);
const ROUNDS = Number(values.rounds ?? 2);
const SCHEMA = 'bench_prepared';
const CLOCK_TICK_MS = 10;

/** user + system CPU ticks of a process (/proc/<pid>/stat fields 14 and 15). */
function ticks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

const TYPES = [
  { dataType: 'integer', type: { kind: 'int', bits: 32 }, value: (t: number, i: number) => t + i },
  { dataType: 'text', type: { kind: 'string' }, value: (t: number, i: number) => `v${t}-${i}` },
  { dataType: 'numeric(18,4)', type: { kind: 'decimal', precision: 18, scale: 4 }, value: (t: number, i: number) => `${t}.${i}` },
] as const;

const dialect = createPostgresDialect({ schema: SCHEMA, offsetsTable: 'offsets', rowsPerStatement: 2000 });
const table = { schema: SCHEMA, name: 'wide' };
const kinds = Array.from({ length: WIDTH - 1 }, (_v, i) => TYPES[i % TYPES.length] ?? TYPES[0]);
const columns: ColumnSchema[] = [{ name: 'id', type: { kind: 'int', bits: 64 }, optional: false }, ...kinds.map((k, i) => ({ name: `c${i}`, type: k.type, optional: true }))];
const description = {
  table,
  primaryKey: ['id'],
  columns: [{ name: 'id', dataType: 'bigint', nullable: false }, ...kinds.map((k, i) => ({ name: `c${i}`, dataType: k.dataType, nullable: true }))],
};

function changes(t: number): TableChanges {
  const upserts: Row[] = [];
  for (let r = 0; r < ROWS; r++) {
    const row = newRow();
    row.id = BigInt((t * ROWS + r) % 50_000);
    kinds.forEach((k, i) => (row[`c${i}`] = k.value(t, i)));
    upserts.push(row);
  }
  return { table, description, columns, keyColumns: ['id'], mode: 'upsert', truncate: false, deletes: [], upserts };
}

async function round(prepared: boolean): Promise<{ wallMs: number; cpuMs: number }> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    const offset = { topic: 't', partition: 0, nextOffset: '0', expected: '0' };
    await client.query(`UPDATE ${SCHEMA}.offsets SET next_offset = 0`);
    const startTicks = ticks(pid);
    const started = performance.now();
    for (let t = 0; t < TX; t++) {
      const statements = [...dialect.tableChanges(changes(t)), dialect.updateOffset('g', { ...offset, nextOffset: String(t + 1), expected: String(t) })];
      await client.query('BEGIN');
      for (const [i, s] of statements.entries()) {
        await client.query({ name: prepared ? `s${i}` : undefined, text: s.text, values: s.values as unknown[] });
      }
      await client.query('COMMIT');
    }
    return { wallMs: (performance.now() - started) / TX, cpuMs: ((ticks(pid) - startTicks) * CLOCK_TICK_MS) / TX };
  } finally {
    await client.end();
  }
}

const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
try {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.query(dialect.createTable(table, columns, ['id']).text);
  for (const s of dialect.createOffsetsTable()) await admin.query(s.text);
  await admin.query(`INSERT INTO ${SCHEMA}.offsets (consumer_group, topic, kafka_partition, next_offset) VALUES ('g', 't', 0, 0)`);
  console.log(`${TX} transactions of ${ROWS} rows x ${WIDTH} columns (upsert + offset move)`);
  for (let r = 0; r < ROUNDS; r++) {
    for (const prepared of [false, true]) {
      const { wallMs, cpuMs } = await round(prepared);
      console.log(`  ${prepared ? 'prepared  ' : 'unprepared'}: ${wallMs.toFixed(3)} ms per transaction, PostgreSQL backend CPU ${cpuMs.toFixed(3)} ms per transaction`);
    }
  }
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
}
