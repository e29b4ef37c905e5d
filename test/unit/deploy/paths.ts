/** Paths and small file helpers shared by the deploy checks. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function repoPath(...parts: string[]): string {
  return join(REPO, ...parts);
}

export function readText(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

/** Parses a YAML file of the repository; YAML errors (not warnings) fail the caller's test. */
export function readYaml(relative: string): unknown {
  return parseYaml(readText(relative), { prettyErrors: true, strict: true, uniqueKeys: true });
}

export function readJson(relative: string): unknown {
  return JSON.parse(readText(relative)) as unknown;
}

export function exists(relative: string): boolean {
  return existsSync(repoPath(relative));
}

/** A plain object (YAML mapping / JSON object), or a failure naming what was expected. */
export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${what}: expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${what}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

export function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}
