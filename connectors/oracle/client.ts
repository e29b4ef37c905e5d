/**
 * The Oracle Connector: a node-oracledb thin-mode pool (no Oracle Client libraries), one
 * transaction per write (autoCommit off everywhere), offsets moved by compare-and-set in that same
 * transaction. It never batches, retries or commits Kafka offsets: the pipeline does.
 */
import type oracledb from 'oracledb';
import type { Logger } from 'pino';
import type {
  Connector,
  PartitionOffset,
  Sql,
  StoredOffset,
  TableDescription,
  TargetTableRef,
  WriteBatch,
  WriteOptions,
} from '../contract.ts';
import {
  CdcSinkError,
  ErrorCodes,
  errorText,
  OffsetConflictError,
  TargetError,
  type ErrorCode,
  type ErrorKind,
} from '../core/errors.ts';
import {
  describeColumnsSql,
  describePrimaryKeySql,
  HEALTHCHECK_SQL,
  targetColumn,
  type CatalogColumnRow,
} from './catalog.ts';
import { createOracleDialect, type OracleDialect } from './dialect.ts';
import { poolAttributes, runSql } from './driver.ts';
import { oracleDriver } from './driver-module.ts';
import { classifyOracleError, isConnectionBroken, oraNumber } from './errors.ts';
import { connectionText, oracleOptionsSchema, type OracleOptions } from './options.ts';

export interface OracleConnectorDeps {
  readonly logger?: Logger;
}

export interface OracleConnector extends Connector {
  readonly dialect: OracleDialect;
  readonly options: OracleOptions;
}

const CODE_BY_KIND: Readonly<Record<ErrorKind, ErrorCode>> = {
  retriable: ErrorCodes.TARGET_RETRIABLE,
  data: ErrorCodes.TARGET_DATA,
  fatal: ErrorCodes.TARGET_FATAL,
};

/** Validates options (throws CdcSinkError CDC_CONFIG_INVALID) and builds the connector; no I/O. */
export function createOracleConnector(options: unknown, deps: OracleConnectorDeps = {}): OracleConnector {
  const parsed = oracleOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, `invalid oracle target options: ${issues}`, {
      kind: 'fatal',
      cause: parsed.error,
    });
  }
  return new OracleClient(Object.freeze(parsed.data), deps);
}

class OracleClient implements OracleConnector {
  readonly dialect: OracleDialect;
  readonly options: OracleOptions;
  readonly #logger: Logger | undefined;
  readonly #where: string;
  #pool: oracledb.Pool | null = null;
  #opening: Promise<void> | null = null;
  #closing: Promise<void> | null = null;

  constructor(options: OracleOptions, deps: OracleConnectorDeps) {
    this.options = options;
    this.#logger = deps.logger;
    this.#where = connectionText(options);
    this.dialect = createOracleDialect({
      schema: options.schema ?? null,
      offsetsTable: options.offsetsTable,
      identifierCase: options.identifierCase,
      jsonColumnType: options.jsonColumnType,
      rowsPerStatement: options.rowsPerStatement,
    });
  }

  async connect(): Promise<void> {
    if (this.#closing !== null) throw this.#closedError('connecting');
    this.#opening ??= this.#open();
    try {
      await this.#opening;
    } catch (err) {
      this.#opening = null;
      throw err;
    }
  }

  async #open(): Promise<void> {
    let pool: oracledb.Pool;
    try {
      pool = await oracleDriver().createPool(poolAttributes(this.options));
    } catch (err) {
      throw this.#error(err, `connecting to Oracle at ${this.#where}`, ErrorCodes.TARGET_CONNECTION);
    }
    this.#pool = pool;
    try {
      await this.healthcheck();
      await this.executeDdl(this.dialect.createOffsetsTable());
      this.#logger?.info({ target: this.#where }, 'oracle target connected');
    } catch (err) {
      this.#pool = null;
      await pool.close(0).catch((e: unknown) => this.#logger?.warn({ err: e }, 'closing the Oracle pool failed'));
      throw err;
    }
  }

  async healthcheck(): Promise<void> {
    await this.#withConnection('checking the Oracle connection', async (c) => {
      await c.execute(HEALTHCHECK_SQL);
    });
  }

  async describeTable(table: TargetTableRef): Promise<TableDescription | null> {
    const schema = table.schema ?? this.options.schema ?? null;
    const owner = schema === null ? null : this.dialect.foldIdentifier(schema);
    const name = this.dialect.foldIdentifier(table.name);
    return this.#withConnection(`describing ${this.dialect.tableText(table)}`, async (c) => {
      const cols = describeColumnsSql(owner, name);
      const colRows = await c.execute<CatalogColumnRow>(cols.text, cols.values as oracledb.BindParameters, {
        outFormat: oracleDriver().OUT_FORMAT_OBJECT,
      });
      const columns = (colRows.rows ?? []).map(targetColumn);
      if (columns.length === 0) return null;
      const pk = describePrimaryKeySql(owner, name);
      const pkRows = await c.execute<{ COLUMN_NAME: string }>(pk.text, pk.values as oracledb.BindParameters, {
        outFormat: oracleDriver().OUT_FORMAT_OBJECT,
      });
      return { table, columns, primaryKey: (pkRows.rows ?? []).map((r) => r.COLUMN_NAME) };
    });
  }

  /** DDL commits implicitly in Oracle: each statement runs on its own, outside any write. */
  async executeDdl(statements: readonly Sql[]): Promise<void> {
    for (const sql of statements) {
      await this.#withConnection(`running DDL ${sql.text.slice(0, 200)}`, async (c) => {
        await c.execute(sql.text, sql.values as oracledb.BindParameters, { autoCommit: true });
      });
    }
  }

  async readOffsets(groupId: string): Promise<StoredOffset[]> {
    const sql = this.dialect.selectOffsets(groupId);
    return this.#withConnection(`reading the offsets of group ${groupId}`, async (c) => {
      const result = await c.execute<[string, number, string]>(sql.text, sql.values as oracledb.BindParameters, {
        outFormat: oracleDriver().OUT_FORMAT_ARRAY,
      });
      return (result.rows ?? []).map(([topic, partition, nextOffset]) => ({ topic, partition, nextOffset }));
    });
  }

  async write(batch: WriteBatch, options: WriteOptions = {}): Promise<void> {
    // Pure and possibly throwing (a value that cannot be encoded): before any I/O.
    const tables = batch.tables.map((t) => ({ changes: t, statements: this.dialect.tableChanges(t) }));
    const rows = batch.tables.reduce((n, t) => n + t.deletes.length + t.upserts.length, 0);
    const what = `writing ${rows} rows to ${batch.tables.length} Oracle tables`;
    const connection = await this.#acquire(what);
    let broken = false;
    try {
      // Offsets first: a conflict is found before any row is written, and the locked offset rows
      // serialize two writers of the same partitions.
      for (const offset of batch.offsets) await this.#moveOffset(connection, batch.groupId, offset);
      for (const { changes, statements } of tables) {
        const table = this.dialect.tableText(changes.table);
        const n = changes.deletes.length + changes.upserts.length;
        for (const sql of statements) {
          try {
            await runSql(connection, sql);
          } catch (err) {
            throw this.#error(err, `writing ${n} rows to ${table}`, undefined, table);
          }
        }
      }
      if (options.dryRun) await connection.rollback();
      else await connection.commit();
    } catch (err) {
      broken = isConnectionBroken(err instanceof CdcSinkError ? err.cause : err);
      await this.#rollback(connection);
      throw err instanceof CdcSinkError ? err : this.#error(err, what);
    } finally {
      await this.#release(connection, broken);
    }
  }

  async #moveOffset(connection: oracledb.Connection, groupId: string, offset: PartitionOffset): Promise<void> {
    const where = `${offset.topic}[${offset.partition}]`;
    const insert = offset.expected === null;
    const sql = insert ? this.dialect.insertOffset(groupId, offset) : this.dialect.updateOffset(groupId, offset);
    let affected: number;
    try {
      affected = await runSql(connection, sql);
    } catch (err) {
      // Two writers inserting the first offset at once: the second hits the primary key.
      if (insert && oraNumber(err) === 1) affected = 0;
      else throw this.#error(err, `storing the offset of ${where} for group ${groupId}`);
    }
    if (affected !== 1) {
      throw new OffsetConflictError(
        `storing the offset of ${where} for group ${groupId}: expected the stored next offset to be ` +
          `${offset.expected ?? '(none)'}, but another writer moved it; reload the offsets`,
      );
    }
  }

  async close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    try {
      await this.#opening;
    } catch {
      // connect() failed: there is no pool to close.
    }
    const pool = this.#pool;
    this.#pool = null;
    if (pool === null) return;
    try {
      await pool.close(10);
    } catch (err) {
      this.#logger?.warn({ err }, 'closing the Oracle pool failed');
    }
  }

  async #withConnection<T>(what: string, fn: (c: oracledb.Connection) => Promise<T>): Promise<T> {
    const connection = await this.#acquire(what);
    let broken = false;
    try {
      return await fn(connection);
    } catch (err) {
      broken = isConnectionBroken(err);
      throw this.#error(err, what);
    } finally {
      await this.#release(connection, broken);
    }
  }

  async #acquire(what: string): Promise<oracledb.Connection> {
    if (this.#closing !== null) throw this.#closedError(what);
    const pool = this.#pool;
    if (pool === null) {
      throw new TargetError(ErrorCodes.TARGET_CONNECTION, `${what}: the Oracle connector is not connected`, {
        kind: 'fatal',
      });
    }
    try {
      const connection = await pool.getConnection();
      if (this.options.callTimeoutMs > 0) connection.callTimeout = this.options.callTimeoutMs;
      return connection;
    } catch (err) {
      throw this.#error(err, `${what}: getting a connection to ${this.#where}`, ErrorCodes.TARGET_CONNECTION);
    }
  }

  async #release(connection: oracledb.Connection, drop: boolean): Promise<void> {
    try {
      await connection.close({ drop });
    } catch (err) {
      this.#logger?.warn({ err }, 'returning an Oracle connection to the pool failed');
    }
  }

  async #rollback(connection: oracledb.Connection): Promise<void> {
    try {
      await connection.rollback();
    } catch (err) {
      // A lost session rolls back on the server by itself.
      this.#logger?.warn({ err }, 'rolling back an Oracle transaction failed');
    }
  }

  #closedError(what: string): TargetError {
    return new TargetError(ErrorCodes.TARGET_CONNECTION, `${what}: the Oracle connector is closed`, { kind: 'fatal' });
  }

  #error(err: unknown, what: string, code?: ErrorCode, table?: string): CdcSinkError {
    if (err instanceof CdcSinkError) return err;
    const kind = classifyOracleError(err);
    return new TargetError(code ?? CODE_BY_KIND[kind], `${what}: ${errorText(err)}`, { kind, cause: err, table });
  }
}
