/**
 * The logical column types cdc-sink understands, independent of any database.
 * Decoders (connectors/debezium) produce them from the event schema; dialects map them to
 * their own SQL types (DDL) and value encodings (binds).
 */
export type ColumnType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'int'; readonly bits: 8 | 16 | 32 | 64 }
  | { readonly kind: 'float'; readonly bits: 32 | 64 }
  /** scale undefined means variable scale (Debezium VariableScaleDecimal, PG numeric without scale). */
  | { readonly kind: 'decimal'; readonly precision?: number; readonly scale?: number }
  | { readonly kind: 'string'; readonly maxLength?: number }
  | { readonly kind: 'bytes'; readonly maxLength?: number }
  | { readonly kind: 'date' }
  /** Time of day without zone; precision = fraction digits (3, 6 or 9). */
  | { readonly kind: 'time'; readonly precision: number }
  | { readonly kind: 'timetz' }
  /** Wall-clock timestamp without zone; precision = fraction digits (3, 6 or 9). */
  | { readonly kind: 'timestamp'; readonly precision: number }
  | { readonly kind: 'timestamptz'; readonly precision?: number }
  | { readonly kind: 'interval' }
  | { readonly kind: 'json' }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'xml' }
  | { readonly kind: 'enum'; readonly allowed: readonly string[] }
  | { readonly kind: 'set'; readonly allowed: readonly string[] }
  | { readonly kind: 'bits'; readonly length: number }
  | { readonly kind: 'year' }
  | { readonly kind: 'geometry'; readonly shape: 'point' | 'geometry' | 'geography' }
  | { readonly kind: 'array'; readonly items: ColumnType };

export type ColumnKind = ColumnType['kind'];

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  readonly optional: boolean;
  /** Name of the source's logical type or literal type, kept for error messages and diagnostics. */
  readonly sourceType?: string;
}

export interface TableSchema {
  /** All columns of the row, in source order (after transforms: the target's shape). */
  readonly columns: readonly ColumnSchema[];
  /** Names of the key columns, in key order. Empty when the source table has no key. */
  readonly key: readonly string[];
}

/** Short text of a type, for messages and signatures: decimal(38,18), timestamp(6), array<int64>. */
export function describeType(type: ColumnType): string {
  switch (type.kind) {
    case 'int':
      return `int${type.bits}`;
    case 'float':
      return `float${type.bits}`;
    case 'decimal':
      return type.scale === undefined ? 'decimal' : `decimal(${type.precision ?? ''},${type.scale})`;
    case 'time':
    case 'timestamp':
      return `${type.kind}(${type.precision})`;
    case 'array':
      return `array<${describeType(type.items)}>`;
    case 'bits':
      return `bits(${type.length})`;
    default:
      return type.kind;
  }
}
