/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and inclusive time per
 * source file, so a profile can be read without a browser.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [from-s to-s]
 *
 * With from-s and to-s, only the samples taken that many seconds after the profile started count
 * (e.g. the first 30 s of a lag run against the rest).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const short = url.includes('/node_modules/') ? `node_modules/${url.split('/node_modules/').pop() ?? ''}` : url.replace(/^.*\/main\//, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${short}:${n.callFrame.lineNumber + 1}`;
}

function fileOf(n: ProfileNode): string {
  const url = n.callFrame.url;
  if (url === '') return `(${n.callFrame.functionName || 'native'})`;
  if (url.includes('/node_modules/')) return `node_modules/${(url.split('/node_modules/').pop() ?? '').split('/')[0] ?? ''}`;
  return url.replace(/^file:\/\//, '').replace(/^.*\/main\//, '');
}

/** Seconds since the profile started, as [from, to). */
export interface ProfileWindow {
  readonly fromS: number;
  readonly toS: number;
}

export function summarizeProfile(profile: Profile, top = 25, window?: ProfileWindow): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let atUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    atUs += us;
    if (window !== undefined && (atUs < window.fromS * 1e6 || atUs >= window.toS * 1e6)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const selfByFn = new Map<string, number>();
  const inclByFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const k = where(n);
    selfByFn.set(k, (selfByFn.get(k) ?? 0) + us);
    const files = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node) files.add(fileOf(node));
    }
    for (const f of files) inclByFile.set(f, (inclByFile.get(f) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`total sampled ${(total / 1e6).toFixed(1)} s`, '', 'self time by function:'];
  for (const [k, us] of [...selfByFn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)} ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}`);
  lines.push('', 'inclusive time by file:');
  for (const [k, us] of [...inclByFile].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)} ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}`);
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [from-s to-s]\n');
    process.exitCode = 2;
  } else {
    const [from, to] = [process.argv[4], process.argv[5]];
    const window = from !== undefined && to !== undefined ? { fromS: Number(from), toS: Number(to) } : undefined;
    process.stdout.write(`${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25), window)}\n`);
  }
}
