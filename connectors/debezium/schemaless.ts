/**
 * schemas.enable=false: the record carries no schema, so column types are inferred from the JSON
 * values of each message:
 *   integer -> int32 (int64 as bigint beyond 32 bits, or when it needed the lossless marker),
 *   fraction -> float64, string -> string, boolean -> boolean, object/array -> json text,
 *   null -> string (nothing better is known).
 * Logical types CANNOT be recovered without schemas: a Decimal stays its base64 text, a
 * MicroTimestamp stays an integer, a date stays a day count, bytes stay base64 text. Consume with
 * schemas.enable=true (FORMAT.md §1.2) when the target needs real types.
 * TOAST placeholders are still recognised in every form and become UNCHANGED.
 */
import type { ColumnSchema, ColumnType } from '../core/column-type.ts';
import type { Row, Unchanged, Value } from '../core/value.ts';
import { UNCHANGED, newRow } from '../core/value.ts';
import { T } from './codec.ts';
import { badValue } from './failure.ts';
import { isMarker, readString, toJsonText } from './json-text.ts';
import type { ToastForms } from './toast.ts';
import { isToastArray, isToastMap, isToastString } from './toast.ts';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

interface Inferred {
  readonly value: Value | Unchanged;
  readonly type: ColumnType;
}

/** Value and inferred type of one schemaless wire value. */
export function inferValue(raw: unknown, toast: ToastForms): Inferred {
  if (raw === null || raw === undefined) return { value: null, type: T.string };
  switch (typeof raw) {
    case 'boolean':
      return { value: raw, type: T.boolean };
    case 'number':
      if (!Number.isInteger(raw) || !Number.isSafeInteger(raw)) return { value: raw, type: T.float64 };
      return raw >= INT32_MIN && raw <= INT32_MAX
        ? { value: raw, type: T.int32 }
        : { value: BigInt(raw), type: T.int64 };
    case 'string': {
      if (isMarker(raw)) {
        const text = raw.slice(1);
        if (!/^-?\d+$/.test(text)) return { value: Number(text), type: T.float64 };
        const n = BigInt(text);
        // Beyond int64 an integer can only be an exact decimal (e.g. MySQL BIGINT UNSIGNED in precise mode).
        return n >= INT64_MIN && n <= INT64_MAX ? { value: n, type: T.int64 } : { value: text, type: { kind: 'decimal', scale: 0 } };
      }
      const s = readString(raw) as string;
      return { value: isToastString(s, toast) ? UNCHANGED : s, type: T.string };
    }
    case 'object':
      if (Array.isArray(raw)) return { value: isToastArray(raw, toast) ? UNCHANGED : toJsonText(raw), type: T.json };
      return { value: isToastMap(raw as Record<string, unknown>, toast) ? UNCHANGED : toJsonText(raw), type: T.json };
    default:
      return badValue(`unexpected JSON value of type ${typeof raw}`);
  }
}

export interface InferredRow {
  readonly row: Row;
  readonly columns: readonly ColumnSchema[];
}

/** Decodes a schemaless struct; fields for which `skip` is true are left out (unwrap metadata). */
export function inferRow(
  obj: Readonly<Record<string, unknown>>,
  toast: ToastForms,
  skip?: (field: string) => boolean,
): InferredRow {
  const row = newRow();
  const columns: ColumnSchema[] = [];
  for (const name of Object.keys(obj)) {
    if (skip?.(name)) continue;
    const { value, type } = inferValue(obj[name], toast);
    row[name] = value;
    columns.push({ name, type, optional: true });
  }
  return { row, columns };
}
