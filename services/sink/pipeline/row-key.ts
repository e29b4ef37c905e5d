/**
 * A stable text identity for a row's key, used to reduce a batch to the last change per key.
 * Values of different types never collide (each is tagged), and the separators cannot appear
 * unescaped inside a value.
 */
import type { Row, Value } from '../../../connectors/core/value.ts';
import { isUnchanged } from '../../../connectors/core/value.ts';

const SEP = '\u0001';

function valueKey(v: Value | symbol | undefined): string {
  if (v === null || v === undefined) return 'z';
  if (isUnchanged(v)) return 'u';
  switch (typeof v) {
    case 'string':
      return `s${v.replaceAll('\\', '\\\\').replaceAll(SEP, `\\${SEP}`)}`;
    case 'bigint':
      return `n${v}`;
    case 'number':
      return Number.isInteger(v) ? `n${v}` : `f${v}`;
    case 'boolean':
      return v ? 't' : 'F';
    default:
      if (Buffer.isBuffer(v)) return `b${v.toString('hex')}`;
      return `j${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}`;
  }
}

export function rowKey(row: Row, keyColumns: readonly string[]): string {
  if (keyColumns.length === 1) return valueKey(row[keyColumns[0] as string]);
  let out = '';
  for (const c of keyColumns) out += valueKey(row[c]) + SEP;
  return out;
}
