/**
 * Just enough of the Dockerfile and .dockerignore formats for the deploy checks: instructions with
 * line continuations joined, ARG defaults substituted into FROM, stages, COPY sources and
 * destinations with the WORKDIR applied, and .dockerignore matching with
 * Docker's rules (`*`, `?`, `**`, `!` exceptions, the last matching pattern wins, a pattern that
 * matches a directory excludes everything below it).
 */
import { posix } from 'node:path';

export interface Instruction {
  readonly keyword: string; // upper case: FROM, RUN, COPY, ...
  readonly args: string;
  readonly line: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  let buffer = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (buffer === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (buffer !== '' && trimmed.startsWith('#')) continue; // comment inside a continued instruction
    if (buffer === '') start = i + 1;
    if (trimmed.endsWith('\\')) {
      buffer += trimmed.slice(0, -1).trimEnd() + ' ';
      continue;
    }
    buffer += trimmed;
    const match = /^(\S+)\s*(.*)$/s.exec(buffer);
    if (match) out.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line: start });
    buffer = '';
  }
  return out;
}

/** Global ARG defaults (before the first FROM) substituted into each FROM image. */
export function baseImages(instructions: readonly Instruction[]): { image: string; stage?: string }[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const images: { image: string; stage?: string }[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'ARG' && images.length === 0) {
      const [name, value] = ins.args.split('=', 2);
      if (name !== undefined && value !== undefined) args.set(name.trim(), value.trim());
    }
    if (ins.keyword === 'FROM') {
      const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const image = (parts[0] ?? '').replace(/\$\{([^}]+)\}|\$([A-Za-z_]\w*)/g, (_m, a?: string, b?: string) => args.get(a ?? b ?? '') ?? '');
      const stage = parts[1]?.toUpperCase() === 'AS' ? parts[2] : undefined;
      if (!stages.has(image)) images.push(stage === undefined ? { image } : { image, stage });
      if (stage !== undefined) stages.add(stage);
    }
  }
  return images;
}

export interface Stage {
  /** The AS name, or the stage's index as Docker numbers unnamed stages. */
  readonly name: string;
  readonly instructions: readonly Instruction[];
}

/** The build stages, each with the instructions from its FROM up to the next one. */
export function stages(instructions: readonly Instruction[]): Stage[] {
  const out: { name: string; instructions: Instruction[] }[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      out.push({ name: parts[1]?.toUpperCase() === 'AS' ? (parts[2] ?? '') : String(out.length), instructions: [ins] });
    } else {
      out.at(-1)?.instructions.push(ins);
    }
  }
  return out;
}

export interface Copy {
  /** --from=<stage>, or undefined for a copy from the build context. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly dest: string;
}

/** A COPY (or ADD) in the shell-like form: flags, sources, destination (exec form not supported). */
export function parseCopy(args: string): Copy {
  const parts = args.split(/\s+/).filter((p) => p !== '');
  const flags = parts.filter((p) => p.startsWith('--'));
  const paths = parts.filter((p) => !p.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
}

/** The WORKDIR in effect at each instruction of a stage folds into an absolute container path. */
export function containerPath(stage: Stage, at: Instruction, path: string): string {
  let dir = '/';
  for (const ins of stage.instructions) {
    if (ins === at) break;
    if (ins.keyword === 'WORKDIR') dir = posix.resolve(dir, ins.args);
  }
  return posix.resolve(dir, path);
}

/** The JSON (exec) form of CMD / ENTRYPOINT / HEALTHCHECK CMD, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  const start = args.indexOf('[');
  if (start < 0) return undefined;
  try {
    const value: unknown = JSON.parse(args.slice(start));
    if (!Array.isArray(value)) return undefined;
    const items: unknown[] = value;
    return items.every((v): v is string => typeof v === 'string') ? items : undefined;
  } catch {
    return undefined;
  }
}

function patternRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Whether `path` (relative to the build context, `/`-separated) is left out of the context. */
export function isIgnored(dockerignore: string, path: string): boolean {
  const candidates: string[] = [];
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) candidates.push(parts.slice(0, i).join('/'));
  let ignored = false;
  for (const rawLine of dockerignore.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const pattern = line.replace(/^!/, '').replace(/^\/+/, '').replace(/\/+$/, '');
    const re = patternRegex(pattern);
    if (candidates.some((c) => re.test(c))) ignored = !negate;
  }
  return ignored;
}
