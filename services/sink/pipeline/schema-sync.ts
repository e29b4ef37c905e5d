/**
 * Keeps target tables able to take the rows: creates a missing table from the event schema and adds
 * new nullable columns when the source adds them (both when configured; never drops or alters).
 * Descriptions are cached; DDL runs outside the data transaction, idempotently.
 */
import type { ColumnSchema } from '../../../connectors/core/column-type.ts';
import { CdcSinkError, ErrorCodes } from '../../../connectors/core/errors.ts';
import type { Connector, TableDescription, TargetTableRef } from '../../../connectors/contract.ts';
import { targetTableText } from '../../../connectors/contract.ts';
import type { Logger } from 'pino';

export interface SchemaSyncOptions {
  readonly autoCreate: boolean;
  readonly autoAddColumns: boolean;
}

export class SchemaSync {
  private readonly cache = new Map<string, TableDescription>();
  /** One DDL check at a time per table: partitions racing to create the same table would collide. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly connector: Connector,
    private readonly options: SchemaSyncOptions,
    private readonly logger: Logger,
  ) {}

  forget(table: TargetTableRef): void {
    this.cache.delete(targetTableText(table));
  }

  /** The existing table (null if absent and nothing is to be written). */
  ensure(table: TargetTableRef, columns: readonly ColumnSchema[], keyColumns: readonly string[], hasRows: boolean): Promise<TableDescription | null> {
    const text = targetTableText(table);
    const cached = this.cache.get(text);
    if (cached && this.missingColumns(cached, columns).length === 0) return Promise.resolve(cached);
    const run = (this.locks.get(text) ?? Promise.resolve()).then(() => this.ensureNow(table, text, columns, keyColumns, hasRows));
    this.locks.set(text, run.catch(() => undefined));
    return run;
  }

  private missingColumns(desc: TableDescription, columns: readonly ColumnSchema[]): ColumnSchema[] {
    // Compare names as the database sees them (Oracle folds to upper case): through the dialect's quoting.
    const q = (name: string) => this.connector.dialect.quoteIdentifier(name);
    const known = new Set(desc.columns.map((c) => q(c.name)));
    return columns.filter((c) => !known.has(q(c.name)));
  }

  private async ensureNow(
    table: TargetTableRef,
    text: string,
    columns: readonly ColumnSchema[],
    keyColumns: readonly string[],
    hasRows: boolean,
  ): Promise<TableDescription | null> {
    let desc = this.cache.get(text) ?? (await this.connector.describeTable(table));
    if (desc === null) {
      if (!hasRows) return null;
      if (!this.options.autoCreate) {
        throw new CdcSinkError(ErrorCodes.TARGET_MISSING_TABLE, `target table ${text} does not exist and tables.autoCreate is false`, {
          kind: 'fatal',
          table: text,
        });
      }
      const missingKey = keyColumns.filter((k) => !columns.some((c) => c.name === k));
      if (missingKey.length > 0) {
        throw new CdcSinkError(ErrorCodes.TARGET_SCHEMA, `cannot create ${text}: key columns ${missingKey.join(', ')} are not in the event schema`, {
          kind: 'fatal',
          table: text,
        });
      }
      const dialect = this.connector.dialect;
      await this.connector.executeDdl([dialect.createTable(table, columns, keyColumns)]);
      this.logger.info({ table: text, columns: columns.length, key: keyColumns }, 'created target table');
      desc = await this.mustDescribe(table, text);
    }
    const missing = this.missingColumns(desc, columns);
    if (missing.length > 0) {
      if (!this.options.autoAddColumns) {
        throw new CdcSinkError(
          ErrorCodes.TARGET_SCHEMA,
          `target table ${text} lacks columns ${missing.map((c) => c.name).join(', ')} and tables.autoAddColumns is false`,
          { kind: 'fatal', table: text },
        );
      }
      await this.connector.executeDdl(this.connector.dialect.addColumns(table, missing));
      this.logger.info({ table: text, added: missing.map((c) => c.name) }, 'added columns to target table');
      desc = await this.mustDescribe(table, text);
    }
    this.cache.set(text, desc);
    return desc;
  }

  private async mustDescribe(table: TargetTableRef, text: string): Promise<TableDescription> {
    const d = await this.connector.describeTable(table);
    if (d === null) throw new CdcSinkError(ErrorCodes.TARGET_SCHEMA, `target table ${text} is still missing after DDL`, { kind: 'fatal', table: text });
    return d;
  }
}
