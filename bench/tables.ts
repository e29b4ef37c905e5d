/**
 * The benchmark's tables: two narrow (10 columns) and two wide (50 columns) tables of the column kinds
 * every target maps the same way, and their Debezium table specs (for DebeziumTable).
 */
import type { FieldSpec, FieldType, TableSpec } from '../test/support/debezium-events.ts';

/** Plain row values as the generator holds them (see rowText in checksum.ts for their text form). */
export type BenchValue = number | string | boolean | null;
export type BenchRow = Record<string, BenchValue>;

/** The column kinds the benchmark uses; each maps to one Debezium field type and one SQL type. */
export type ColumnKind = 'int64' | 'int32' | 'text' | 'decimal' | 'double' | 'boolean' | 'timestamp';

export interface BenchColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}

export interface BenchTable {
  readonly name: string;
  readonly columns: readonly BenchColumn[];
  /** Share of all changes that hit this table. */
  readonly weight: number;
  /** Key space: ids 1..keys. */
  readonly keys: number;
}

export const DECIMAL_PRECISION = 14;
export const DECIMAL_SCALE = 2;
export const PARTITIONS = 3;

const NARROW: readonly BenchColumn[] = [
  { name: 'id', kind: 'int64', nullable: false },
  { name: 'account_id', kind: 'int64', nullable: false },
  { name: 'status', kind: 'text', nullable: false },
  { name: 'amount', kind: 'decimal', nullable: true },
  { name: 'quantity', kind: 'int32', nullable: true },
  { name: 'price', kind: 'double', nullable: true },
  { name: 'active', kind: 'boolean', nullable: true },
  { name: 'created_at', kind: 'timestamp', nullable: true },
  { name: 'updated_at', kind: 'timestamp', nullable: false },
  { name: 'note', kind: 'text', nullable: true },
];

const WIDE_CYCLE: readonly ColumnKind[] = ['int64', 'text', 'decimal', 'int32', 'double', 'boolean', 'timestamp', 'text'];

function wideColumns(): BenchColumn[] {
  const out: BenchColumn[] = [
    { name: 'id', kind: 'int64', nullable: false },
    { name: 'updated_at', kind: 'timestamp', nullable: false },
  ];
  for (let i = 0; i < 48; i++) out.push({ name: `c${String(i + 1).padStart(2, '0')}`, kind: WIDE_CYCLE[i % WIDE_CYCLE.length] ?? 'text', nullable: true });
  return out;
}

/** The tables of a run of `changes` changes: two narrow (70% of changes), two wide (30%). */
export function benchTables(changes: number): BenchTable[] {
  const keys = (weight: number, perKey: number) => Math.max(100, Math.round((changes * weight) / perKey));
  return [
    { name: 'orders', columns: NARROW, weight: 0.4, keys: keys(0.4, 2.5) },
    { name: 'payments', columns: NARROW, weight: 0.3, keys: keys(0.3, 2.5) },
    { name: 'customers', columns: wideColumns(), weight: 0.15, keys: keys(0.15, 2.5) },
    { name: 'products', columns: wideColumns(), weight: 0.15, keys: keys(0.15, 2.5) },
  ];
}

function fieldType(kind: ColumnKind): FieldType {
  switch (kind) {
    case 'int64':
      return 'int64';
    case 'int32':
      return 'int32';
    case 'text':
      return 'string';
    case 'decimal':
      return { decimal: { precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE } };
    case 'double':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'micro-timestamp';
  }
}

export function tableSpec(prefix: string, table: BenchTable): TableSpec {
  const fields: FieldSpec[] = table.columns.map((c) => ({ name: c.name, type: fieldType(c.kind), optional: c.nullable }));
  return { prefix, schema: 'public', table: table.name, fields, key: ['id'] };
}
