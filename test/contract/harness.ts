/**
 * What every behaviour of the contract suite shares: the connector under test (built through the
 * registry, as the service builds it), the target's reader, and small builders of ColumnSchema,
 * Row, TableChanges and WriteBatch.
 */
import assert from 'node:assert/strict';
import type { ColumnSchema, ColumnType } from '../../connectors/core/column-type.ts';
import { CdcSinkError } from '../../connectors/core/errors.ts';
import { newRow, type Row, type Unchanged, type Value } from '../../connectors/core/value.ts';
import type { Connector, PartitionOffset, TableChanges, TargetTableRef } from '../../connectors/contract.ts';
import { connectorDefinition, createConnector } from '../../connectors/registry.ts';
import { uniqueName } from '../support/kafka.ts';
import { readColumns, type Cell, type ReadAs, type TargetReader } from './readers/reader.ts';
import type { ContractTarget } from './targets.ts';

export const T = {
  bool: { kind: 'boolean' },
  i8: { kind: 'int', bits: 8 },
  i16: { kind: 'int', bits: 16 },
  i32: { kind: 'int', bits: 32 },
  i64: { kind: 'int', bits: 64 },
  f32: { kind: 'float', bits: 32 },
  f64: { kind: 'float', bits: 64 },
  text: { kind: 'string' },
  json: { kind: 'json' },
} as const satisfies Record<string, ColumnType>;

export function str(maxLength: number): ColumnType {
  return { kind: 'string', maxLength };
}

export function dec(precision: number, scale: number): ColumnType {
  return { kind: 'decimal', precision, scale };
}

export function col(name: string, type: ColumnType, optional = true): ColumnSchema {
  return { name, type, optional };
}

export function row(values: Record<string, Value | Unchanged>): Row {
  return Object.assign(newRow(), values);
}

/** Connector options after the connector's own schema, as the service passes them to the registry. */
export function parsedOptions(target: ContractTarget, options: Record<string, unknown>): Record<string, unknown> {
  return connectorDefinition(target.type).optionsSchema.parse(options) as Record<string, unknown>;
}

export class Harness {
  private c: Connector | null = null;
  private r: TargetReader | null = null;
  /** Tables created by this run, dropped again in close() (Oracle has no schema of its own here). */
  private readonly created = new Set<string>();
  /** A consumer group of its own per run: offsets of earlier runs never interfere. */
  readonly group = uniqueName('contract');

  constructor(readonly target: ContractTarget) {}

  get connector(): Connector {
    assert.ok(this.c, 'the harness is not open');
    return this.c;
  }

  get reader(): TargetReader {
    assert.ok(this.r, 'the harness is not open');
    return this.r;
  }

  async open(): Promise<void> {
    await this.target.prepare();
    this.c = createConnector(this.target.type, parsedOptions(this.target, this.target.options()), {});
    await this.c.connect();
    this.r = await this.target.openReader();
  }

  async close(): Promise<void> {
    for (const name of this.created) await this.r?.dropTable(name);
    await this.r?.close();
    await this.c?.close();
    await this.target.cleanup();
  }

  ref(name: string): TargetTableRef {
    return { schema: null, name };
  }

  /** Drops the table if a previous run left it, then creates it through the dialect. */
  async create(name: string, columns: readonly ColumnSchema[], key: readonly string[]): Promise<void> {
    await this.reader.dropTable(name);
    this.created.add(name);
    await this.connector.executeDdl([this.connector.dialect.createTable(this.ref(name), columns, key)]);
  }

  /** TableChanges for a table as it is now (described from the target). */
  async changes(
    name: string,
    columns: readonly ColumnSchema[],
    keyColumns: readonly string[],
    parts: Partial<Pick<TableChanges, 'truncate' | 'deletes' | 'upserts' | 'mode'>>,
  ): Promise<TableChanges> {
    const description = await this.connector.describeTable(this.ref(name));
    assert.ok(description, `table ${name} exists in ${this.target.name}`);
    return { table: this.ref(name), description, columns, keyColumns, mode: 'upsert', truncate: false, deletes: [], upserts: [], ...parts };
  }

  write(tables: readonly TableChanges[], offsets: readonly PartitionOffset[] = []): Promise<void> {
    return this.connector.write({ groupId: this.group, tables, offsets });
  }

  /** Changes for one table, written in one batch. */
  async apply(
    name: string,
    columns: readonly ColumnSchema[],
    keyColumns: readonly string[],
    parts: Partial<Pick<TableChanges, 'truncate' | 'deletes' | 'upserts' | 'mode'>>,
  ): Promise<void> {
    await this.write([await this.changes(name, columns, keyColumns, parts)]);
  }

  read(name: string, spec: Readonly<Record<string, ReadAs | { as: ReadAs; bits: number }>>, orderBy: readonly string[]): Promise<Cell[][]> {
    return this.reader.rows(name, readColumns(spec), orderBy);
  }

  /** The stored next offsets of a topic for this run's group, as "topic[p]=n". */
  async offsets(topic: string): Promise<string[]> {
    const stored = await this.connector.readOffsets(this.group);
    return stored
      .filter((o) => o.topic === topic)
      .map((o) => `${o.topic}[${o.partition}]=${o.nextOffset}`)
      .sort();
  }

  /** What '' reads back as on this target (Oracle: NULL). */
  emptyString(): Cell {
    return this.target.quirks.emptyStringIsNull ? null : '';
  }
}

/** Runs fn, which must throw a CdcSinkError; returns it. */
export async function rejection(fn: () => Promise<unknown>): Promise<CdcSinkError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof CdcSinkError, `expected a CdcSinkError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}
