/**
 * kafka.minBytes against the real broker: a fetch waits for that many bytes or maxWaitTimeMs, so a
 * trickle is applied in fewer transactions, and a minimum never reached still delivers everything.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CUSTOMER_FIELDS, customer } from '../support/customers.ts';
import { DebeziumTable } from '../support/debezium-events.ts';
import { createTopics, deleteTopics, produce, testKafka, uniqueName } from '../support/kafka.ts';
import { dropSchema, query, waitFor } from '../support/postgres.ts';
import { flushCount, startSink } from '../support/sink.ts';
import { sleep } from '../../services/sink/pipeline/retry.ts';

const kafka = testKafka();
const id = uniqueName('it');
const schema = `it_minbytes_${id.split('_').slice(1).join('')}`;
const t = new DebeziumTable({ prefix: id, schema: 'public', table: 'customers', key: ['id'], fields: CUSTOMER_FIELDS });
const RECORDS = 10;

before(async () => {
  await dropSchema(schema);
  await createTopics(kafka, [t.topic], 1);
});

after(async () => {
  await deleteTopics(kafka, [t.topic]);
  await dropSchema(schema);
});

test('with a minimum the trickle never reaches, every record is applied, in fewer transactions than records', async () => {
  // Create the table first, so that the trickle's flushes are the only ones counted below.
  await produce(kafka, t.topic, [t.insert(customer(1))]);
  const { app } = await startSink({ topics: [t.topic], groupId: `${id}-g`, schema, extra: { kafka: { minBytes: 64 * 1024 * 1024, maxWaitTimeMs: 1000 } } });
  try {
    const base = app.httpAddress()!;
    await waitFor('the first row', async () => (await query(`SELECT 1 FROM "${schema}".customers WHERE id = 1`).catch(() => [])).length === 1);
    const before = await flushCount(base);
    for (let n = 2; n < 2 + RECORDS; n++) {
      await produce(kafka, t.topic, [t.insert(customer(n))]);
      await sleep(50, new AbortController().signal);
    }
    await waitFor(`${RECORDS} more rows`, async () => {
      const rows = await query<{ c: string }>(`SELECT count(*)::text AS c FROM "${schema}".customers`);
      return rows[0]?.c === String(RECORDS + 1) || `rows ${rows[0]?.c}`;
    });
    const trickle = (await flushCount(base)) - before;
    assert.ok(trickle >= 1 && trickle < RECORDS, `${RECORDS} records one at a time, 50 ms apart, applied in ${trickle} transactions`);
  } finally {
    await app.stop();
  }
});
