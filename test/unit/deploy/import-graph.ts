/**
 * The runtime import graph of the CLI, from bin/cdc-sink.mjs: every module file tsx loads, and
 * every npm package they import. Type-only imports are left out (tsx erases them). Dynamic imports
 * with a computed specifier (transform plugins) cannot be followed and are not needed here.
 */
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
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
