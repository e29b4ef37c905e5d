/**
 * Loads the shared Debezium samples (../shared/debezium/samples relative to the repo root) as
 * Kafka records. The files hold integers beyond 2^53, so key and value are cut out of the file
 * TEXT (not re-serialised from JSON.parse) and compacted like JsonConverter output.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const samplesDir = resolve(repoRoot, '..', 'shared', 'debezium', 'samples');

/** Removes whitespace outside string literals. */
export function compactJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] as string;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      out += c;
    }
  }
  return out;
}

/** Raw text of each top-level member of a JSON object text (compact input). */
export function topLevelMembers(compact: string): Map<string, string> {
  const members = new Map<string, string>();
  let depth = 0;
  let inString = false;
  let keyStart = -1;
  let currentKey: string | null = null;
  let valueStart = -1;
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i] as string;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 1 && currentKey === null && keyStart >= 0 && compact[i + 1] === ':') {
          currentKey = JSON.parse(compact.slice(keyStart, i + 1)) as string;
          valueStart = i + 2;
        }
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      if (depth === 1 && currentKey === null) keyStart = i;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0 && currentKey !== null) members.set(currentKey, compact.slice(valueStart, i));
    } else if (c === ',' && depth === 1 && currentKey !== null) {
      members.set(currentKey, compact.slice(valueStart, i));
      currentKey = null;
      keyStart = -1;
    }
  }
  return members;
}

export interface Sample {
  readonly file: string;
  readonly meta: Record<string, unknown>;
  readonly topic: string;
  readonly keyText: string | null;
  readonly valueText: string | null;
}

export function sampleFiles(): string[] {
  if (!existsSync(samplesDir)) throw new Error(`samples folder missing: ${samplesDir}`);
  const out: string[] = [];
  for (const db of ['postgresql', 'mysql']) {
    for (const f of readdirSync(resolve(samplesDir, db)).sort()) if (f.endsWith('.json')) out.push(`${db}/${f}`);
  }
  return out;
}

export function loadSample(file: string): Sample {
  const text = readFileSync(resolve(samplesDir, file), 'utf8');
  const members = topLevelMembers(compactJson(text));
  const parsed = JSON.parse(text) as { _meta: Record<string, unknown>; topic: string };
  const raw = (name: string): string | null => {
    const v = members.get(name);
    if (v === undefined) throw new Error(`${file}: no "${name}" member`);
    return v === 'null' ? null : v;
  };
  return { file, meta: parsed._meta, topic: parsed.topic, keyText: raw('key'), valueText: raw('value') };
}

let nextOffset = 100;

export function record(topic: string, key: string | null, value: string | null, extra: Partial<KafkaRecord> = {}): KafkaRecord {
  return {
    topic,
    partition: 0,
    offset: String(nextOffset++),
    timestamp: '1710490832000',
    key: key === null ? null : Buffer.from(key, 'utf8'),
    value: value === null ? null : Buffer.from(value, 'utf8'),
    ...extra,
  };
}

export function sampleRecord(s: Sample, extra: Partial<KafkaRecord> = {}): KafkaRecord {
  return record(s.topic, s.keyText, s.valueText, extra);
}

export function loadExpected(): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(resolve(samplesDir, 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;
}
