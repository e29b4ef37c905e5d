/**
 * External checkers the deploy tests use when the machine has them (promtool from Debian's
 * `prometheus` package, helm, docker compose / docker-compose). Absent tools skip those tests.
 */
import { spawnSync } from 'node:child_process';
import { REPO } from './paths.ts';

export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The command that answers `args` with exit 0, or undefined. HELM_BIN / PROMTOOL_BIN override. */
export function findTool(candidates: readonly (readonly string[])[], probe: readonly string[]): readonly string[] | undefined {
  for (const cmd of candidates) {
    const [bin, ...pre] = cmd;
    if (bin === undefined || bin === '') continue;
    const r = spawnSync(bin, [...pre, ...probe], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) return cmd;
  }
  return undefined;
}

export function run(cmd: readonly string[], args: readonly string[]): ToolRun {
  const [bin, ...pre] = cmd;
  if (bin === undefined) throw new Error('empty command');
  const r = spawnSync(bin, [...pre, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

export const promtool = findTool([[process.env.PROMTOOL_BIN ?? ''], ['promtool']], ['--version']);
export const helm = findTool([[process.env.HELM_BIN ?? ''], ['helm']], ['version']);
/** Compose v2 plugin first, then the v1 standalone binary. */
export const compose = findTool([['docker', 'compose'], ['docker-compose']], ['version']);
