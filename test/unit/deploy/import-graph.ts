/**
 * The runtime import graph of a module of the sources (services/cli.ts, transforms/sdk/index.ts):
 * every module file it loads, and every npm package they import. Type-only imports are left out
 * (tsc and tsx erase them), so the graph of services/cli.ts is, module for module, what the compiled
 * CLI (dist/services/cli.js) loads. Dynamic imports with a computed specifier (transform plugins)
 * cannot be followed and are not needed here.
 *
 * buildLayout reads tsconfig.build.json with the TypeScript compiler itself: which sources
 * `npm run build` compiles and the path it emits each one to.
 */
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { REPO } from './paths.ts';

const STATIC = /^\s*(?:import|export)\s+(?!type\s)(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export interface ImportGraph {
  /** Repository-relative paths of every module reached. */
  readonly files: ReadonlySet<string>;
  /** npm package names imported at runtime (node: builtins excluded). */
  readonly packages: ReadonlySet<string>;
  /** Relative imports that point at no file: "<importer> -> <specifier>". */
  readonly unresolved: readonly string[];
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));
}

export function importGraph(entry: string): ImportGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const unresolved: string[] = [];
  const queue = [resolve(REPO, entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    const rel = relative(REPO, file);
    if (files.has(rel)) continue;
    files.add(rel);
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(STATIC), ...text.matchAll(DYNAMIC)].map((m) => m[1] ?? '');
    for (const spec of specifiers) {
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = resolve(dirname(file), spec);
        if (existsSync(target) && statSync(target).isFile()) queue.push(target);
        else unresolved.push(`${rel} -> ${spec}`);
      } else if (!isBuiltin(spec)) {
        packages.add(packageName(spec));
      }
    }
  }
  return { files, packages, unresolved };
}

export interface BuildLayout {
  /** The config files read, the given one first, then what it extends (repository-relative). */
  readonly configFiles: readonly string[];
  /** outDir, repository-relative. */
  readonly outDir: string;
  /** Repository-relative sources the build compiles. */
  readonly inputs: ReadonlySet<string>;
  /** The repository-relative .js file the build emits for a source it compiles. */
  output(source: string): string;
}

export function buildLayout(tsconfig = 'tsconfig.build.json'): BuildLayout {
  const configFiles: string[] = [];
  let raw: unknown;
  for (let file: string | undefined = resolve(REPO, tsconfig); file !== undefined; ) {
    configFiles.push(relative(REPO, file));
    const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
    if (read.error) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
    raw ??= read.config;
    const ext = (read.config as { extends?: unknown }).extends;
    file = typeof ext === 'string' ? resolve(dirname(file), ext) : undefined;
  }
  const parsed = ts.parseJsonConfigFileContent(raw, ts.sys, REPO, undefined, resolve(REPO, tsconfig));
  if (parsed.errors.length > 0) {
    throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; '));
  }
  const outDir = parsed.options.outDir;
  if (outDir === undefined) throw new Error(`${tsconfig} sets no outDir`);
  const inputs = new Set(parsed.fileNames.map((f) => relative(REPO, f)));
  return {
    configFiles,
    outDir: relative(REPO, outDir),
    inputs,
    output(source) {
      if (!inputs.has(source)) throw new Error(`${source} is not compiled by ${tsconfig}`);
      const js = ts.getOutputFileNames(parsed, resolve(REPO, source), false).find((f) => f.endsWith('.js'));
      if (js === undefined) throw new Error(`${tsconfig} emits no .js file for ${source}`);
      return relative(REPO, js);
    },
  };
}
