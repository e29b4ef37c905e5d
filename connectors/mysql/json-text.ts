/**
 * Arrays are stored as JSON (MySQL has no array type). Element encoding:
 *
 * | element | JSON |
 * | --- | --- |
 * | null, boolean | null, true / false |
 * | number | the number; NaN / Infinity: a data error (JSON has none) |
 * | bigint | the exact integer literal (MySQL keeps 64-bit JSON integers) |
 * | string (text, decimal, date, uuid, ...) | a JSON string: decimals stay strings so that MySQL, which reads JSON numbers with a fraction as DOUBLE, cannot round them |
 * | Buffer, geometry WKB | base64 string |
 * | array | nested array |
 */
import type { Value } from '../core/value.ts';
import { ValueError } from './value-error.ts';

function element(v: Value): string {
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('base64'));
  if (Array.isArray(v)) return jsonText(v);
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new ValueError(`the array element ${String(v)} cannot be stored in JSON`);
      return JSON.stringify(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return 'wkb' in v ? JSON.stringify(v.wkb.toString('base64')) : 'null';
  }
}

/** JSON text of an array value. */
export function jsonText(values: readonly Value[]): string {
  return `[${values.map(element).join(',')}]`;
}
