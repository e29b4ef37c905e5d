/**
 * Column values as they travel through cdc-sink. Full fidelity, no JS Date anywhere:
 *
 * | ColumnType kind | JS value |
 * | --- | --- |
 * | boolean | boolean |
 * | int 8/16/32 | number |
 * | int 64 | bigint |
 * | float | number (NaN and +-Infinity allowed) |
 * | decimal | string, exact, plain notation: "-0.125", "12345678901234567890.1234" |
 * | string, enum, uuid, xml | string |
 * | set | string, comma-separated members ("wifi,pool") |
 * | json | string holding the JSON text |
 * | bytes | Buffer |
 * | bits | string of '0'/'1', most significant bit first, exactly `length` characters |
 * | date | string "YYYY-MM-DD" (years beyond 9999 as "+YYYYY-MM-DD") |
 * | time | string "HH:MM:SS" plus ".fff", ".ffffff" or ".fffffffff" as the precision says |
 * | timetz | string "HH:MM:SS[.f...]Z" (UTC) |
 * | timestamp | string "YYYY-MM-DDTHH:MM:SS[.f...]" wall clock, no zone |
 * | timestamptz | string "YYYY-MM-DDTHH:MM:SS[.f...]Z" (UTC), or "infinity" / "-infinity" |
 * | interval | string, ISO-8601 duration ("PT781H30M", "P1Y2M3DT4H5M6.78S") |
 * | year | number |
 * | geometry | GeometryValue |
 * | array | Value[] |
 *
 * A column Debezium could not read (PostgreSQL TOAST placeholder) holds UNCHANGED: the target keeps
 * its current value and the column is never written for that row.
 */
export const UNCHANGED: unique symbol = Symbol.for('cdc-sink.unchanged');
export type Unchanged = typeof UNCHANGED;

export interface GeometryValue {
  readonly wkb: Buffer;
  readonly srid: number | null;
  readonly x?: number;
  readonly y?: number;
}

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Buffer
  | GeometryValue
  | readonly Value[];

/** A row: column name -> value. Created with a null prototype so that any column name is safe. */
export type Row = Readonly<Record<string, Value | Unchanged>>;

export function isUnchanged(v: unknown): v is Unchanged {
  return v === UNCHANGED;
}

export function newRow(): Record<string, Value | Unchanged> {
  return Object.create(null) as Record<string, Value | Unchanged>;
}

/**
 * The column names of a schema, as a template for its rows. V8 keeps an Object.create(null) object
 * with many properties as a hash table: a 50-column row took ~3.2 KB of heap that way and ~0.4 KB
 * as a copy of a template (fast properties, one hidden class shared by every row of the schema),
 * and building it was 3x faster. A batch buffers thousands of rows, so this is most of the heap.
 */
export type RowShape = Readonly<Record<string, null>>;

export function rowShape(names: readonly string[]): RowShape {
  // JSON.parse makes a fast-properties object, and a column named "__proto__" an own data property.
  return JSON.parse(`{${names.map((n) => `${JSON.stringify(n)}:null`).join(',')}}`) as RowShape;
}

/** A new row with every column of the shape set to null; like newRow(), its prototype is null. */
export function rowOf(shape: RowShape): Record<string, Value | Unchanged> {
  return Object.setPrototypeOf({ ...shape }, null) as Record<string, Value | Unchanged>;
}
