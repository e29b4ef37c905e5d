/**
 * Environment overrides: every config key can be set by a variable
 *   CDC_SINK_<SECTION>__<KEY>[__<KEY>...]
 * with `__` between levels and camelCase keys written in SNAKE_CASE:
 *   CDC_SINK_KAFKA__GROUP_ID=orders-sink      -> kafka.groupId
 *   CDC_SINK_TARGET__URL=postgres://...       -> target.url
 *   CDC_SINK_BATCH__MAX_ROWS=10000            -> batch.maxRows
 * Values are read as YAML scalars or flow collections, so numbers, booleans and `[a, b]` work;
 * list keys also take comma-separated text.
 */
import { parse as parseYaml } from 'yaml';

export const ENV_PREFIX = 'CDC_SINK_';

function snakeToCamel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function parseEnvValue(text: string): unknown {
  try {
    const v: unknown = parseYaml(text);
    // Keep text that YAML would turn into null or an object key form as the text itself.
    return v === null || v === undefined ? text : v;
  } catch {
    return text;
  }
}

export interface EnvOverride {
  readonly variable: string;
  readonly path: readonly string[];
}

/** Applies CDC_SINK_* variables onto a copy of the parsed YAML document. */
export function applyEnvOverrides(
  doc: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): { doc: Record<string, unknown>; applied: EnvOverride[] } {
  const out = structuredClone(doc);
  const applied: EnvOverride[] = [];
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    // Every config key sits inside a section, so an override always has a `__`; other CDC_SINK_*
    // variables (CDC_SINK_CONFIG, CDC_SINK_HOME) belong to the CLI and the scripts.
    if (!name.startsWith(ENV_PREFIX) || !name.includes('__') || raw === undefined) continue;
    const path = name
      .slice(ENV_PREFIX.length)
      .split('__')
      .filter((s) => s.length > 0)
      .map(snakeToCamel);
    if (path.length === 0) continue;
    let node: Record<string, unknown> = out;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) {
        node[key] = {};
      }
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = parseEnvValue(raw);
    applied.push({ variable: name, path });
  }
  return { doc: out, applied };
}
