/**
 * Resolves a chain step's `use` to a TransformDefinition:
 * - a built-in name (rename-columns, ...);
 * - a path starting with ./, ../ or / : relative to the config file's directory (.ts works because
 *   the service runs under tsx; .js and .mjs too);
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

async function importDefault(specifier: string, what: string, wrap = true): Promise<unknown> {
  let mod: { default?: unknown };
  try {
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
