/** The kafka section's fetch settings reach the kafkajs consumer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../services/sink/config/load.ts';
import { consumerConfig } from '../../../services/sink/source/kafka-client.ts';

const target = { type: 'postgres', url: 'postgres://app@db:5432/app' };

test("fetch settings default to Kafka's (minBytes 1) and are passed through when set", () => {
  const defaults = consumerConfig(parseConfig({ kafka: { topics: ['t'] }, target }, { env: {} }).kafka);
  assert.equal(defaults.minBytes, 1);
  assert.equal(defaults.maxWaitTimeInMs, 250);
  const set = consumerConfig(parseConfig({ kafka: { topics: ['t'], minBytes: 262144, maxWaitTimeMs: 100, maxBytes: 2097152 }, target }, { env: {} }).kafka);
  assert.equal(set.minBytes, 262144);
  assert.equal(set.maxWaitTimeInMs, 100);
  assert.equal(set.maxBytes, 2097152);
});
