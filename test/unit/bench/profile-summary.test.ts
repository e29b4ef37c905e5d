/** The profile summary counts self time per function, over the whole profile or a window of it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeProfile } from '../../../bench/profile-summary.ts';

const frame = (functionName: string) => ({ functionName, url: 'file:///x/main/dist/a.js', lineNumber: 0 });
// root -> parse, root -> write; samples every 1 s: parse, parse, write, parse.
const profile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3] },
    { id: 2, callFrame: frame('parse') },
    { id: 3, callFrame: frame('write') },
  ],
  samples: [2, 2, 3, 2],
  timeDeltas: [1e6, 1e6, 1e6, 1e6],
};

void test('the whole profile: 3 s in parse, 1 s in write', () => {
  const out = summarizeProfile(profile, 5);
  assert.match(out, /total sampled 4\.0 s/);
  assert.match(out, / 75\.0%\s+3\.00 s {2}parse dist\/a\.js:1/);
  assert.match(out, / 25\.0%\s+1\.00 s {2}write dist\/a\.js:1/);
});

void test('a window counts only the samples taken in it', () => {
  // Samples end at 1, 2, 3 and 4 s: [2.5, 4) holds the write at 3 s only.
  const out = summarizeProfile(profile, 5, { fromS: 2.5, toS: 4 });
  assert.match(out, /total sampled 1\.0 s/);
  assert.match(out, /100\.0%\s+1\.00 s {2}write/);
  assert.doesNotMatch(out, /parse/);
});
