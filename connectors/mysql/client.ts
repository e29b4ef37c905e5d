/**
 * The MySQL / MariaDB Connector: a mysql2 pool (promise API) and the I/O of the contract.
 *
 * The dialect depends on the server (flavor and version choose the upsert form and collation),
 * so it is built at connect() from SELECT VERSION(). Before connect() the `dialect` property holds
 * a provisional one: the configured flavor (MySQL when 'auto') at version 0.0.0, whose SQL every
 * supported server accepts (VALUES(col) upserts, utf8mb4_bin). Use the dialect after connect().
 *
 * Every connection runs SESSION_SETUP_SQL (UTC, strict sql_mode) once, when first handed out.
 * A connection that broke (lost, or ROLLBACK failed) is destroyed, never returned to the pool.
 * Errors of idle connections are logged, never thrown.
 */
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Logger } from 'pino';
import { CdcSinkError, ErrorCodes, TargetError, errorText } from '../core/errors.ts';
import type { Connector, Sql, StoredOffset, TableDescription, TargetTableRef, WriteBatch, WriteOptions } from '../contract.ts';
import { mysql2Promise } from './driver-module.ts';
import { describeColumnsSql, describePrimaryKeySql, tableDescription } from './describe.ts';
import { createMysqlDialect, type MysqlDialect } from './dialect.ts';
import { driverErrorText, isConnectionBroken, targetErrorCode } from './errors.ts';
import { mysqlOptionsSchema, type MysqlOptions, type MysqlOptionsInput } from './options.ts';
import { SESSION_SETUP_SQL, addressText, parseMysqlUrl, poolOptions, type ServerAddress } from './pool-config.ts';
import { parseServerVersion, type ServerInfo } from './server-version.ts';
import type { Bind } from './values.ts';
import { writeBatchOn, type ConnectionState } from './write-batch.ts';

export interface MysqlConnectorDeps {
  readonly logger?: Logger;
}

export interface MysqlConnector extends Connector {
  readonly dialect: MysqlDialect;
  /** The server found at connect(); null before. */
  readonly serverInfo: ServerInfo | null;
}

/** Smallest statement budget, whatever max_allowed_packet says. */
const MIN_STATEMENT_BYTES = 64 * 1024;

class MysqlConnectorImpl implements MysqlConnector {
  dialect: MysqlDialect;
  serverInfo: ServerInfo | null = null;
  private pool: Pool | null = null;
  private closing: Promise<void> | null = null;
  private database: string | null;
  private lowerCaseTableNames = 0;
  private readonly initialized = new WeakSet<object>();
  private readonly address: ServerAddress;
  private readonly where: string;

  constructor(
    private readonly options: MysqlOptions,
    private readonly logger: Logger | undefined,
  ) {
    this.address = parseMysqlUrl(options.url, options.database);
    this.database = this.address.database;
    this.where = `MySQL at ${addressText(this.address)}`;
    this.dialect = this.buildDialect({ flavor: options.flavor === 'mariadb' ? 'mariadb' : 'mysql', version: [0, 0, 0] }, undefined);
  }

  private buildDialect(info: ServerInfo, maxStatementBytes: number | undefined): MysqlDialect {
    return createMysqlDialect({
      flavor: info.flavor,
      serverVersion: info.version,
      uuidStorage: this.options.uuidStorage,
      defaultDatabase: this.database,
      offsetsTable: this.options.offsetsTable,
      rowsPerStatement: this.options.rowsPerStatement,
      ...(maxStatementBytes === undefined ? {} : { maxStatementBytes }),
    });
  }

  private error(doing: string, err: unknown): CdcSinkError {
    if (err instanceof CdcSinkError) return err;
    const kind = this.dialect.classifyError(err);
    return new TargetError(targetErrorCode(err, kind), `${doing} (${this.where}): ${driverErrorText(err)}`, {
      kind,
      cause: err,
    });
  }

  private openPool(doing: string): Pool {
    if (this.closing !== null) {
      throw new TargetError(ErrorCodes.TARGET_FATAL, `${doing}: the connector to ${this.where} is closed`, { kind: 'fatal' });
    }
    if (this.pool === null) {
      const pool = mysql2Promise().createPool(poolOptions(this.options, this.address));
      pool.pool.on('connection', (conn) => {
        conn.on('error', (err: unknown) => {
          this.logger?.warn({ err: errorText(err) }, `${this.where}: an idle connection failed; the pool drops it`);
        });
      });
      this.pool = pool;
    }
    return this.pool;
  }

  /** A pooled connection with the session set up. */
  private async acquire(doing: string): Promise<PoolConnection> {
    const pool = this.openPool(doing);
    let conn: PoolConnection;
    try {
      conn = await pool.getConnection();
    } catch (err) {
      throw this.error(`cannot connect for ${doing}`, err);
    }
    if (!this.initialized.has(conn.connection)) {
      try {
        await conn.query(SESSION_SETUP_SQL);
        this.initialized.add(conn.connection);
      } catch (err) {
        conn.destroy();
        throw this.error(`setting up the session for ${doing}`, err);
      }
    }
    return conn;
  }

  /** Runs `fn` on a connection; destroys the connection when the error says it broke. */
  private async withConnection<T>(doing: string, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
    const conn = await this.acquire(doing);
    let broken = false;
    try {
      return await fn(conn);
    } catch (err) {
      broken = isConnectionBroken(err instanceof CdcSinkError ? err.cause : err);
      throw this.error(doing, err);
    } finally {
      if (broken) conn.destroy();
      else conn.release();
    }
  }

  async connect(): Promise<void> {
    await this.withConnection('checking the server', async (conn) => {
      const [rows] = await conn.query<RowDataPacket[]>(
        'SELECT VERSION() AS version, @@max_allowed_packet AS max_allowed_packet, DATABASE() AS db, ' +
          '@@lower_case_table_names AS lower_case_table_names',
      );
      const row: RowDataPacket = rows[0] ?? ({} as RowDataPacket);
      const detected = parseServerVersion(String(row.version));
      const info: ServerInfo = this.options.flavor === 'auto' ? detected : { flavor: this.options.flavor, version: detected.version };
      this.database ??= row.db === null || row.db === undefined ? null : String(row.db);
      if (this.database === null) {
        throw new CdcSinkError(
          ErrorCodes.CONFIG_INVALID,
          `mysql target: no default database: name one in the url (mysql://host/db) or in the database option`,
          { kind: 'fatal' },
        );
      }
      this.lowerCaseTableNames = Number(row.lower_case_table_names ?? 0);
      const packet = Number(row.max_allowed_packet ?? 0);
      // The data statements' text (values inlined) stays within 3/4 of max_allowed_packet.
      const budget = packet > 0 ? Math.max(MIN_STATEMENT_BYTES, Math.floor((packet * 3) / 4)) : undefined;
      this.dialect = this.buildDialect(info, budget);
      this.serverInfo = info;
      for (const sql of this.dialect.createOffsetsTable()) await conn.query(sql.text, sql.values as Bind[]);
      this.logger?.info({ server: String(row.version), flavor: info.flavor, database: this.database }, `connected to ${this.where}`);
    });
  }

  async healthcheck(): Promise<void> {
    const pool = this.openPool('health check');
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      throw this.error('health check', err);
    }
  }

  async describeTable(table: TargetTableRef): Promise<TableDescription | null> {
    const database = table.schema ?? this.database;
    const name = this.dialect.tableText(table);
    if (database === null) throw this.error(`describing ${name}`, new Error('no database is known: call connect() first'));
    const o = { database, lowerCaseTableNames: this.lowerCaseTableNames };
    return this.withConnection(`describing ${name}`, async (conn) => {
      const cols = describeColumnsSql(o, table);
      const keys = describePrimaryKeySql(o, table);
      const [columnRows] = await conn.execute<RowDataPacket[]>(cols.text, cols.values as Bind[]);
      const [keyRows] = await conn.execute<RowDataPacket[]>(keys.text, keys.values as Bind[]);
      return tableDescription(table, columnRows, keyRows);
    });
  }

  async executeDdl(statements: readonly Sql[]): Promise<void> {
    for (const sql of statements) {
      await this.withConnection(`running ${sql.text.slice(0, 200)}`, async (conn) => {
        await conn.query(sql.text, sql.values as Bind[]);
      });
    }
  }

  async readOffsets(groupId: string): Promise<StoredOffset[]> {
    return this.withConnection(`reading the offsets of consumer group ${groupId}`, async (conn) => {
      const sql = this.dialect.selectOffsets(groupId);
      const [rows] = await conn.execute<RowDataPacket[]>(sql.text, sql.values as Bind[]);
      return rows.map((r) => ({ topic: String(r.topic), partition: Number(r.kafka_partition), nextOffset: String(r.next_offset) }));
    });
  }

  async write(batch: WriteBatch, options: WriteOptions = {}): Promise<void> {
    const rows = batch.tables.reduce((n, t) => n + t.deletes.length + t.upserts.length, 0);
    const conn = await this.acquire(`writing ${rows} rows`);
    const state: ConnectionState = { broken: false };
    try {
      await writeBatchOn(conn, this.dialect, batch, state, { dryRun: options.dryRun ?? false, together: this.options.pipeline });
    } finally {
      if (state.broken) {
        this.logger?.warn(`${this.where}: dropping a connection that broke during a write`);
        conn.destroy();
      } else {
        conn.release();
      }
    }
  }

  close(): Promise<void> {
    if (this.closing === null) {
      const pool = this.pool;
      this.pool = null;
      this.closing = pool === null ? Promise.resolve() : pool.end().catch((err: unknown) => {
        this.logger?.warn({ err: errorText(err) }, `${this.where}: closing the pool failed`);
      });
    }
    return this.closing;
  }
}

/** The connector for options already validated by mysqlOptionsSchema (they are parsed again, cheaply). */
export function createMysqlConnector(options: MysqlOptionsInput, deps: MysqlConnectorDeps = {}): MysqlConnector {
  return new MysqlConnectorImpl(mysqlOptionsSchema.parse(options), deps.logger);
}
