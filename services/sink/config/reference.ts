/**
 * Renders the configuration reference (docs/configuration.md) from the zod schemas themselves, so the
 * documentation cannot drift from what is validated. `npm run docs:config` rewrites the file; a unit
 * test fails when it is stale.
 */
import { z } from 'zod';
import { CONNECTOR_TYPES, connectorDefinition } from '../../../connectors/registry.ts';
import { ENV_PREFIX } from './env.ts';
import { configSchema } from './schema.ts';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

function typeText(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeText).filter((t) => t !== 'null').join(' \\| ') + (s.anyOf.some((x) => x.type === 'null') ? ' \\| null' : '');
  if (s.type === 'array') return `list of ${s.items ? typeText(s.items) : 'any'}`;
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  return s.type ?? 'any';
}

function envName(path: string[]): string {
  return ENV_PREFIX + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');
}

function rows(schema: JsonSchema, path: string[], out: string[]): void {
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const p = [...path, key];
    const obj = s.properties ? s : s.anyOf?.find((x) => x.properties);
    if (obj?.properties && key !== 'transforms') {
      rows(obj, p, out);
      continue;
    }
    const def = s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``;
    const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
    const min = s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER ? s.minimum : undefined;
    const range = min !== undefined || max !== undefined ? ` (${min ?? ''}..${max ?? ''})` : '';
    out.push(`| \`${p.join('.')}\` | ${typeText(s)}${range} | ${def} | ${(s.description ?? '').replace(/\|/g, '\\|')} | \`${envName(p)}\` |`);
  }
}

const HEADER = '| key | type | default | description | environment variable |\n| --- | --- | --- | --- | --- |';

export function renderConfigReference(): string {
  const main = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: string[] = [
    '# Configuration reference',
    '',
    'Generated from the config schema (`npm run docs:config`); do not edit by hand.',
    'Every key can also be set by the environment variable shown (values are read as YAML: numbers,',
    'booleans, `[a, b]`; list keys also take `a,b`). String values may hold `${env:NAME}` or',
    '`${file:/path}` references, resolved before validation (for secrets). Unknown keys are errors.',
    '',
    '## Service',
    '',
    HEADER,
  ];
  rows(main, [], out);
  for (const type of CONNECTOR_TYPES) {
    out.push('', `## target (type: ${type})`, '', HEADER);
    rows(z.toJSONSchema(connectorDefinition(type).optionsSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, ['target'], out);
  }
  out.push('', '## transforms', '', 'A list of entries `{ match, onError, chain: [{ use, options }] }`: see [transforms/README.md](../transforms/README.md).', '');
  return out.join('\n');
}
