/**
 * What the contract suite needs from a target besides the connector under test: a small,
 * independent way to read rows back as normalized text, and a few DDL helpers the connector does
 * not offer (column defaults, NOT NULL, dropping a table).
 *
 * Every reader converts values to text IN SQL (CAST / to_char / HEX ...), never through the
 * driver's JS conversions, so a wrong value cannot hide behind a driver's rounding or Date. The
 * only JS-side normalization is `finishCell` below, the same for every database.
 */

/**
 * How a column is read back; the reader picks the SQL that turns its storage into this text:
 *
 * | as | text |
 * | --- | --- |
 * | text, int, interval, uuid | as stored (uuid lower-case with dashes; interval ISO-8601) |
 * | decimal, float | plain decimal notation, canonical (no trailing fraction zeros, see canonicalDecimal) |
 * | bool | 'true' / 'false' |
 * | bytes | lower-case hex |
 * | date | 'YYYY-MM-DD' |
 * | time, timetz | 'HH:MM:SS.ffffff' (timetz: the UTC time of day) |
 * | timestamp | 'YYYY-MM-DD HH:MM:SS.ffffff' |
 * | timestamptz | 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC |
 * | json | canonical JSON text (parsed, keys sorted, no spaces) |
 * | bits | '0'/'1' string of `bits` characters, most significant first |
 */
export type ReadAs =
  | 'text'
  | 'int'
  | 'decimal'
  | 'float'
  | 'bool'
  | 'bytes'
  | 'date'
  | 'time'
  | 'timetz'
  | 'timestamp'
  | 'timestamptz'
  | 'interval'
  | 'json'
  | 'uuid'
  | 'bits';

export interface ReadColumn {
  readonly name: string;
  readonly as: ReadAs;
  /** For `bits`: the bit length. */
  readonly bits?: number;
}

export type Cell = string | null;

export interface TargetReader {
  /** Rows of a table in the target's test schema, each column as normalized text, ordered by `orderBy`. */
  rows(table: string, columns: readonly ReadColumn[], orderBy: readonly string[]): Promise<Cell[][]>;
  count(table: string): Promise<number>;
  dropTable(table: string): Promise<void>;
  /** Gives a column a DEFAULT of the string `value`. */
  setDefault(table: string, column: string, value: string): Promise<void>;
  /** Makes a column NOT NULL (the table must hold no NULL in it). */
  setNotNull(table: string, column: string): Promise<void>;
  close(): Promise<void>;
}

/** Plain decimal text without insignificant zeros: '-12.3450' -> '-12.345', '3.000' -> '3', '.5' -> '0.5', '-0' -> '0'. */
export function canonicalDecimal(text: string): string {
  const t = text.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m) return t; // NaN, Infinity, exponent forms: left as they are, so the assertion shows them
  const sign = m[1] === '-' ? '-' : '';
  const int = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const out = frac === '' ? int : `${int}.${frac}`;
  return out === '0' ? '0' : sign + out;
}

/** JSON text with object keys sorted and no insignificant spaces, so equal JSON compares equal as text. */
export function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, sort(o[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(JSON.parse(text)));
}

/** The JS-side part of the normalization, the same for every database. */
export function finishCell(as: ReadAs, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  let text: string;
  if (Buffer.isBuffer(value)) text = value.toString('utf8');
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') text = String(value);
  else throw new Error(`the reader's SQL gave a ${typeof value}, not text: convert the column in SQL`);
  switch (as) {
    case 'decimal':
    case 'float':
      return canonicalDecimal(text);
    case 'json':
      return canonicalJson(text);
    default:
      return text;
  }
}

/** Shorthand: { id: 'int', name: 'text' } -> ReadColumn[] (insertion order). */
export function readColumns(spec: Readonly<Record<string, ReadAs | { as: ReadAs; bits: number }>>): ReadColumn[] {
  return Object.entries(spec).map(([name, s]) => (typeof s === 'string' ? { name, as: s } : { name, ...s }));
}
