import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CdcSinkError, ErrorCodes } from '../../../connectors/core/errors.ts';
import { isolateRejected } from '../../../services/sink/pipeline/isolate.ts';

const dataError = (what: string) => new CdcSinkError(ErrorCodes.TARGET_DATA, what, { kind: 'data' });

test('finds exactly the rejected units with few probes', async () => {
  const units = Array.from({ length: 1000 }, (_, i) => i);
  const bad = new Set([3, 517, 998]);
  let probes = 0;
  const rejected = await isolateRejected(units, (part) => {
    probes++;
    const hit = part.find((u) => bad.has(u));
    return Promise.resolve(hit === undefined ? null : dataError(`row ${hit}`));
  });
  assert.deepEqual(rejected.map((r) => r.unit), [3, 517, 998]);
  assert.deepEqual(rejected.map((r) => r.error.message), ['row 3', 'row 517', 'row 998']);
  assert.ok(probes < 70, `${probes} probes for 3 bad rows in 1000`);
});

test('nothing rejected when every probe passes; other errors propagate', async () => {
  assert.deepEqual(await isolateRejected([1, 2, 3], () => Promise.resolve(null)), []);
  await assert.rejects(
    isolateRejected([1, 2], () => Promise.reject(new Error('connection lost'))),
    /connection lost/,
  );
});
