import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../../services/sink/pipeline/retry.ts';

test('backoff grows exponentially up to the cap, with full jitter', () => {
  const p = { initialDelayMs: 100, maxDelayMs: 5000, maxAttempts: 0 };
  assert.equal(backoffDelay(p, 0, () => 0.999999), 99);
  assert.equal(backoffDelay(p, 3, () => 0.999999), 799);
  assert.equal(backoffDelay(p, 20, () => 0.999999), 4999);
  assert.equal(backoffDelay(p, 5, () => 0), 1);
  assert.equal(backoffDelay(p, 2, () => 0.5), 200);
});
