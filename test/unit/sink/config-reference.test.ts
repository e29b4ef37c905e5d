import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderConfigReference } from '../../../services/sink/config/reference.ts';

test('docs/configuration.md is generated from the current schema (run npm run docs:config)', () => {
  const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
  assert.ok(doc === renderConfigReference(), 'docs/configuration.md is stale: run npm run docs:config');
  for (const key of ['kafka.groupId', 'target.url', 'batch.maxRows', 'http.port', 'tables.keyless']) {
    assert.ok(doc.includes(`\`${key}\``), key);
  }
});
