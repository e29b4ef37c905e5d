/**
 * Reads the YAML file, applies CDC_SINK_* environment overrides, resolves ${env:}/${file:} secret
 * references, validates everything (the connector's own options too) before any I/O, and freezes it.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CdcSinkError, ErrorCodes } from '../../../connectors/core/errors.ts';
import { connectorDefinition } from '../../../connectors/registry.ts';
import type { ConnectorType } from '../../../connectors/registry.ts';
import { applyEnvOverrides } from './env.ts';
import { configSchema } from './schema.ts';
import type { RawConfig } from './schema.ts';
import { resolveSecretRefs } from './secrets.ts';

export interface ConfigProblem {
  /** Dotted key path, e.g. "kafka.brokers" or "target.url". */
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends CdcSinkError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[], source: string) {
    const lines = problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n');
    super(ErrorCodes.CONFIG_INVALID, `invalid configuration in ${source}:\n${lines}`, { kind: 'fatal' });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface Config extends Omit<RawConfig, 'target'> {
  readonly target: { readonly type: ConnectorType; readonly options: Readonly<Record<string, unknown>> };
  /** Directory of the config file: relative paths (transform plugins, secret files) resolve from it. */
  readonly baseDir: string;
}

function zodProblems(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): ConfigProblem[] {
  return issues.map((i) => {
    const path = [...prefix, ...i.path.map(String)].join('.');
    const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
    return { path, message: `${i.message}${keys}` };
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validates an already parsed document (YAML text parsed, or an object built by a test). */
export function parseConfig(
  doc: unknown,
  options: { env?: NodeJS.ProcessEnv; baseDir?: string; source?: string } = {},
): Config {
  const env = options.env ?? process.env;
  const baseDir = options.baseDir ?? process.cwd();
  const source = options.source ?? 'config';
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) {
    throw new ConfigError([{ path: '', message: 'the config must be a YAML mapping' }], source);
  }
  const withEnv = applyEnvOverrides((doc ?? {}) as Record<string, unknown>, env).doc;
  const { value: resolved, problems: secretProblems } = resolveSecretRefs(withEnv, env, baseDir);
  if (secretProblems.length > 0) throw new ConfigError(secretProblems, source);

  const parsed = configSchema.safeParse(resolved);
  if (!parsed.success) throw new ConfigError(zodProblems(parsed.error.issues), source);
  if (parsed.data.errors.deadLetterTopic === null) {
    const needing = parsed.data.transforms.flatMap((e, i) => (e.onError === 'dead-letter' ? [`transforms.${i}.onError`] : []));
    if (needing.length > 0) {
      throw new ConfigError(needing.map((path) => ({ path, message: "'dead-letter' needs errors.deadLetterTopic" })), source);
    }
  }
  const { type, ...rest } = parsed.data.target;
  const definition = connectorDefinition(type);
  const target = definition.optionsSchema.safeParse(rest);
  if (!target.success) throw new ConfigError(zodProblems(target.error.issues, ['target']), source);

  return deepFreeze({
    ...parsed.data,
    target: { type, options: target.data as Record<string, unknown> },
    baseDir,
  });
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CdcSinkError(ErrorCodes.CONFIG_FILE, `cannot read config file ${path}: ${(err as Error).message}`, {
      kind: 'fatal',
      cause: err,
    });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError([{ path: '', message: `YAML syntax: ${(err as Error).message}` }], path);
  }
  return parseConfig(doc, { env, baseDir: dirname(path), source: path });
}
