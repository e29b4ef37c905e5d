/** The benchmark reads cdc-sink's transaction count from the text its own /metrics registry serves. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTransactions } from '../../../bench/cdc-sink-runner.ts';
import { createMetrics } from '../../../services/sink/telemetry/metrics.ts';

test('parseTransactions reads the count and sum of cdc_sink_batches_per_transaction', async () => {
  const metrics = createMetrics();
  for (const batches of [1, 3, 12]) metrics.batchesPerTransaction.observe(batches);
  assert.deepEqual(parseTransactions(await metrics.registry.metrics()), { transactions: 3, batches: 16 });
  assert.equal(parseTransactions('cdc_sink_ready 1\n'), null);
});
