/**
 * Removes what interrupted end-to-end runs (or E2E_KEEP=1) left behind: connectors named e2e-*,
 * replication slots and publications e2e_*, source and target schemas / databases e2e_*, topics e2e_*
 * and consumer groups e2e-*. Do not run it while e2e tests run.
 *
 *   npx tsx test/infra/e2e/cleanup-leftovers.ts
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { deleteConnector } from '../connect/support/connect-rest.ts';
import { CONNECT_URL, SOURCE_MARIADB, TARGET_MYSQL, TARGET_PG_URL } from './env.ts';
import { e2eKafka } from './harness.ts';
import { dropSlotAndPublication, sourcePgClient } from './debezium.ts';

const isOurs = (name: string): boolean => /^e2e[_-]/.test(name);

async function main(): Promise<void> {
  const res = await fetch(`${CONNECT_URL}/connectors`);
  for (const c of ((await res.json()) as string[]).filter(isOurs)) {
    await deleteConnector(CONNECT_URL, c);
    console.log(`deleted connector ${c}`);
  }
  const src = sourcePgClient();
  await src.connect();
  const slots = await src.query<{ slot_name: string }>(`SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'e2e\\_%'`);
  for (const { slot_name: s } of slots.rows) {
    await dropSlotAndPublication(src, s, s);
    console.log(`dropped slot ${s}`);
  }
  const pubs = await src.query<{ pubname: string }>(`SELECT pubname FROM pg_publication WHERE pubname LIKE 'e2e\\_%'`);
  for (const { pubname } of pubs.rows) await src.query(`DROP PUBLICATION "${pubname}"`);
  for (const client of [src, new pg.Client({ connectionString: TARGET_PG_URL })]) {
    if (client !== src) await client.connect();
    const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'e2e\\_%'`);
    for (const { nspname } of rows) {
      await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
      console.log(`dropped schema ${nspname}`);
    }
    await client.end();
  }
  for (const where of [
    { host: SOURCE_MARIADB.host, port: SOURCE_MARIADB.port, user: SOURCE_MARIADB.user },
    { host: TARGET_MYSQL.host, port: TARGET_MYSQL.port, user: TARGET_MYSQL.user },
  ]) {
    const c = await mysql.createConnection(where);
    const [dbs] = await c.query(`SHOW DATABASES LIKE 'e2e\\_%'`);
    for (const row of dbs as Record<string, string>[]) {
      const db = Object.values(row)[0]!;
      await c.query(`DROP DATABASE \`${db}\``);
      console.log(`dropped database ${db} on port ${where.port}`);
    }
    await c.end();
  }
  const admin = e2eKafka().admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter(isOurs);
  if (topics.length > 0) await admin.deleteTopics({ topics });
  console.log(`deleted ${topics.length} topics`);
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter(isOurs);
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  await admin.disconnect();
}

await main();
