/**
 * How the container image (deploy/Dockerfile) starts cdc-sink: the node flags of its ENTRYPOINT and
 * the environment its runtime stage sets. The benchmark starts cdc-sink with both, so that it runs
 * here as it runs there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readDockerfile(repoRoot: string): string {
  return readFileSync(join(repoRoot, 'deploy', 'Dockerfile'), 'utf8');
}

/** The node flags of the exec-form ENTRYPOINT (["node", "--flag", ..., "script"]). */
export function entrypointNodeFlags(dockerfile: string): string[] {
  const entry = /^ENTRYPOINT (\[.*\])\s*$/m.exec(dockerfile)?.[1];
  if (entry === undefined) throw new Error('deploy/Dockerfile has no exec-form ENTRYPOINT');
  const argv = JSON.parse(entry) as string[];
  return argv.slice(1).filter((a) => a.startsWith('--'));
}

/** The KEY=value pairs of the ENV instructions of the last stage (continuation lines joined; no quoting). */
export function runtimeEnv(dockerfile: string): Record<string, string> {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  const env: Record<string, string> = {};
  for (const line of lines.slice(lastFrom + 1)) {
    const m = /^ENV\s+(.*)$/i.exec(line.trim());
    if (!m) continue;
    for (const pair of (m[1] ?? '').trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`deploy/Dockerfile: ENV "${pair}" is not KEY=value`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}
