// Writes real captured Kafka records to files (test/infra/connect/captured/*.json), keeping the
// key and value text byte-exact apart from indentation: int64 values such as ts_ns exceed 2^53,
// so the text is re-indented token by token, never parsed into JS numbers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawRecord } from './topic-reader.ts';

/** Re-indents JSON text without parsing it (numbers keep every digit). */
export function indentJson(raw: string, level = 0, unit = '  '): string {
  let out = '';
  let depth = level;
  let inString = false;
  let escaped = false;
  const nl = (): string => `\n${unit.repeat(depth)}`;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
    if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === '{' || ch === '[') {
      let j = i + 1;
      while (j < raw.length && /\s/.test(raw[j]!)) j++;
      const close = ch === '{' ? '}' : ']';
      if (raw[j] === close) {
        out += ch + close;
        i = j;
      } else {
        depth++;
        out += ch + nl();
      }
    } else if (ch === '}' || ch === ']') {
      depth--;
      out += nl() + ch;
    } else if (ch === ',') {
      out += ',' + nl();
    } else if (ch === ':') {
      out += ': ';
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Writes `record` as `<dir>/<file>` in the layout of /work/shared/debezium/samples: `_meta`, `topic`,
 * then `key` and `value` exactly as the JsonConverter wrote them (`null` = no bytes).
 * Does nothing when `dir` is undefined.
 */
export function writeCapture(dir: string | undefined, file: string, meta: Record<string, unknown>, record: RawRecord): void {
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const parts = [
    `"_meta": ${indentJson(JSON.stringify({ ...meta, partition: record.partition, offset: record.offset, headers: record.headers }), 1)}`,
    `"topic": ${JSON.stringify(record.topic)}`,
    `"key": ${record.key === null ? 'null' : indentJson(record.key, 1)}`,
    `"value": ${record.value === null ? 'null' : indentJson(record.value, 1)}`,
  ];
  writeFileSync(join(dir, file), `{\n  ${parts.join(',\n  ')}\n}\n`);
}
