/**
 * Resolves a chain step's `use` to a TransformDefinition:
 * - a built-in name (rename-columns, ...);
 * - a path starting with ./, ../ or / : relative to the config file's directory (.js, .mjs, and
 *   .ts/.mts/.cts through tsx, see ensureTypeScript);
 * - anything else: an npm package, resolved from the config directory first, then from cdc-sink's
 *   own node_modules.
 * The module's default export must be a transform definition for this plugin API version.
 */
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorText } from '../../connectors/core/errors.ts';
import { BUILTIN_TRANSFORMS } from '../builtin/index.ts';
import type { TransformDefinition } from '../sdk/types.ts';
import { checkDefinition } from './definition.ts';
import { loadError } from './errors.ts';

export type TransformSource = 'builtin' | 'file' | 'package';

export function sourceKind(use: string): TransformSource {
  if (use.startsWith('./') || use.startsWith('../') || isAbsolute(use)) return 'file';
  return BUILTIN_TRANSFORMS.has(use) ? 'builtin' : 'package';
}

/** Loads definitions, caching one per `use` (and base directory). */
export class TransformLoader {
  readonly #baseDir: string;
  readonly #cache = new Map<string, Promise<TransformDefinition>>();

  constructor(baseDir: string) {
    this.#baseDir = resolve(baseDir);
  }

  load(use: string): Promise<TransformDefinition> {
    let p = this.#cache.get(use);
    if (!p) {
      p = this.#load(use);
      this.#cache.set(use, p);
    }
    return p;
  }

  async #load(use: string): Promise<TransformDefinition> {
    switch (sourceKind(use)) {
      case 'builtin':
        return BUILTIN_TRANSFORMS.get(use) as TransformDefinition;
      case 'file':
        return checkDefinition(await this.#importFile(use), use);
      case 'package':
        return checkDefinition(await this.#importPackage(use), use);
    }
  }

  async #importFile(use: string): Promise<unknown> {
    const file = resolve(this.#baseDir, use);
    const found = await stat(file).catch(() => null);
    if (!found?.isFile()) {
      throw loadError(`transform "${use}": file ${file} does not exist (paths are relative to the config file's directory ${this.#baseDir})`);
    }
    return importDefault(pathToFileURL(file).href, `transform "${use}" (${file})`);
  }

  async #importPackage(use: string): Promise<unknown> {
    let resolved: string | null;
    try {
      resolved = createRequire(join(this.#baseDir, 'package.json')).resolve(use);
    } catch {
      resolved = null;
    }
    if (resolved) return importDefault(pathToFileURL(resolved).href, `transform "${use}" (${resolved})`);
    try {
      return await importDefault(use, `transform "${use}"`, false);
    } catch (err) {
      const known = [...BUILTIN_TRANSFORMS.keys()].join(', ');
      throw loadError(
        `transform "${use}" is not a built-in (${known}), not a path (start paths with ./ or /), ` +
          `and no npm package of that name could be loaded from ${this.#baseDir} or cdc-sink: ${errorText(err)}`,
        err,
      );
    }
  }
}

/**
 * TypeScript plugins (.ts, .mts, .cts) load through tsx, a runtime dependency. The sources run under
 * tsx already (bin/cdc-sink.mjs, the tests: this module is then itself a .ts file). The compiled build
 * (node dist/services/cli.js, the container image) has no TypeScript loader, and Node 20 cannot import
 * a .ts file (Node 22 strips erasable types only): there tsx is registered once, process-wide, right
 * before the first TypeScript plugin is imported, so a deployment without one never loads it. Both of
 * its hooks: a plugin outside a "type": "module" package (a mounted /etc/cdc-sink/plugins/x.ts) is
 * CommonJS to Node, and with the ESM hooks alone its import fails ("Cannot require() ES Module").
 */
const TYPESCRIPT = /\.[mc]?ts$/;
const UNDER_TSX = TYPESCRIPT.test(new URL(import.meta.url).pathname);
let tsxRegistered: Promise<void> | undefined;

function ensureTypeScript(specifier: string): Promise<void> {
  if (UNDER_TSX || !specifier.startsWith('file:') || !TYPESCRIPT.test(new URL(specifier).pathname)) return Promise.resolve();
  tsxRegistered ??= Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]).then(
    ([esm, cjs]) => {
      esm.register();
      cjs.register();
    },
    (err: unknown) => {
      throw new Error(`TypeScript plugins are loaded through tsx, which cannot be loaded: ${errorText(err)}`, { cause: err });
    },
  );
  return tsxRegistered;
}

async function importDefault(specifier: string, what: string, wrap = true): Promise<unknown> {
  let mod: { default?: unknown };
  try {
    await ensureTypeScript(specifier);
    mod = (await import(specifier)) as { default?: unknown };
  } catch (err) {
    if (!wrap) throw err;
    throw loadError(`${what}: cannot load the module: ${errorText(err)}`, err);
  }
  const def = mod.default;
  // A CommonJS module compiled from TypeScript exposes its default export as module.exports.default.
  if (typeof def === 'object' && def !== null && !('meta' in def) && 'default' in def) return def.default;
  return def;
}
