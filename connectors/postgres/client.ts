/**
 * The PostgreSQL Connector: a pg.Pool, catalog reads, DDL, and write(): every table's statements
 * and the partition offsets they came from in one transaction on one connection.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import type {
  Connector,
  PartitionOffset,
  Sql,
  StoredOffset,
  TableDescription,
  TargetColumn,
  TargetTableRef,
  WriteBatch,
  WriteOptions,
} from '../contract.ts';
import { CdcSinkError, ErrorCodes, OffsetConflictError, TargetError, type ErrorKind } from '../core/errors.ts';
import { createPostgresDialect, type PostgresDialect } from './dialect.ts';
import { classifyPostgresError, isConnectionBroken, postgresErrorText, sqlState } from './errors.ts';
import type { PostgresOptions } from './options.ts';
import { PreparedNames } from './prepared-names.ts';
import { failUnlessMoved, NOT_MOVED_SQLSTATE } from './offsets-sql.ts';
import { createPool, SessionPool } from './session.ts';

const CODE_BY_KIND: Readonly<Record<ErrorKind, (typeof ErrorCodes)[keyof typeof ErrorCodes]>> = {
  retriable: ErrorCodes.TARGET_RETRIABLE,
  data: ErrorCodes.TARGET_DATA,
  fatal: ErrorCodes.TARGET_FATAL,
};

/** SQLSTATEs of a concurrent CREATE ... IF NOT EXISTS race: retrying finds the object. */
const DDL_RACE_STATES = new Set(['23505', '42P06', '42P07', '42710']);

/** "<doing>: <pg message> (SQLSTATE x)" with the kind classifyError gives; CdcSinkErrors pass as is. */
export function targetError(doing: string, err: unknown, table?: string, kind?: ErrorKind): CdcSinkError {
  if (err instanceof CdcSinkError) return err;
  const k = kind ?? classifyPostgresError(err);
  return new TargetError(CODE_BY_KIND[k], `${doing}: ${postgresErrorText(err)}`, { kind: k, cause: err, table });
}

interface DescribeRow {
  name: string;
  data_type: string;
  not_null: boolean;
  pk_position: string | null;
}

const DESCRIBE_SQL =
  'SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null, ' +
  '(SELECT k.ord FROM pg_catalog.pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ' +
  'WHERE i.indrelid = c.oid AND i.indisprimary AND k.attnum = a.attnum) AS pk_position ' +
  'FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
  'JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid ' +
  "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped " +
  'ORDER BY a.attnum';

export class PostgresConnector implements Connector {
  readonly dialect: PostgresDialect;
  private sessions: SessionPool | null = null;
  private prepared: PreparedNames;

  constructor(
    private readonly options: PostgresOptions,
    private readonly logger?: Logger,
  ) {
    this.dialect = createPostgresDialect(options);
    this.prepared = new PreparedNames(options.preparedStatements);
  }

  async connect(): Promise<void> {
    if (this.sessions !== null) return;
    const sessions = new SessionPool(createPool(this.options, this.logger), this.options.statementTimeoutMs);
    try {
      const found = await sessions.query<{ schema_exists: boolean; table_exists: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1) AS schema_exists, ' +
          'to_regclass($2) IS NOT NULL AS table_exists',
        [this.dialect.defaultSchema, this.dialect.offsetsTableName],
      );
      const row = found.rows[0];
      // Checked first: CREATE ... IF NOT EXISTS needs CREATE privilege even when the object exists.
      const ddl: Sql[] = [];
      if (row?.schema_exists !== true) ddl.push(this.dialect.createSchema());
      if (row?.table_exists !== true) ddl.push(...this.dialect.createOffsetsTable());
      if (ddl.length > 0) await this.runDdl(sessions, ddl);
    } catch (err) {
      await sessions.pool.end().catch(() => undefined);
      if (err instanceof CdcSinkError) throw err;
      const kind = classifyPostgresError(err);
      throw new TargetError(
        kind === 'retriable' ? ErrorCodes.TARGET_CONNECTION : CODE_BY_KIND[kind],
        `connecting to PostgreSQL and preparing the offsets table ${this.dialect.offsetsTableName}: ${postgresErrorText(err)}`,
        { kind, cause: err },
      );
    }
    this.sessions = sessions;
    this.logger?.info({ offsetsTable: this.dialect.offsetsTableName }, 'connected to PostgreSQL');
  }

  async healthcheck(): Promise<void> {
    try {
      await this.pool().query('SELECT 1');
    } catch (err) {
      throw targetError('checking the PostgreSQL connection', err);
    }
  }

  async describeTable(table: TargetTableRef): Promise<TableDescription | null> {
    let rows: DescribeRow[];
    try {
      const schema = table.schema ?? this.dialect.defaultSchema;
      rows = (await this.pool().query<DescribeRow>(DESCRIBE_SQL, [schema, table.name])).rows;
    } catch (err) {
      throw targetError(`describing table ${this.dialect.tableText(table)}`, err, this.dialect.tableText(table));
    }
    if (rows.length === 0) return null;
    const columns: TargetColumn[] = rows.map((r) => ({ name: r.name, dataType: r.data_type, nullable: !r.not_null }));
    const primaryKey = rows
      .filter((r) => r.pk_position !== null)
      .sort((a, b) => Number(a.pk_position) - Number(b.pk_position))
      .map((r) => r.name);
    return { table, columns, primaryKey };
  }

  async executeDdl(statements: readonly Sql[]): Promise<void> {
    if (statements.length === 0) return;
    await this.runDdl(this.pool(), statements);
  }

  async readOffsets(groupId: string): Promise<StoredOffset[]> {
    const sql = this.dialect.selectOffsets(groupId);
    try {
      const res = await this.pool().query<{ topic: string; kafka_partition: number; next_offset: string }>(
        sql.text,
        sql.values,
      );
      return res.rows.map((r) => ({ topic: r.topic, partition: r.kafka_partition, nextOffset: r.next_offset }));
    } catch (err) {
      throw targetError(`reading the offsets of group ${groupId} from ${this.dialect.offsetsTableName}`, err);
    }
  }

  async write(batch: WriteBatch, options: WriteOptions = {}): Promise<void> {
    const sessions = this.pool();
    // Pure and able to fail (unknown column, missing key): done before any round trip.
    const work = batch.tables.map((changes) => ({
      table: this.dialect.tableText(changes.table),
      rows: changes.deletes.length + changes.upserts.length,
      statements: this.dialect.tableChanges(changes),
    }));
    if (batch.offsets.length === 0 && work.every((w) => w.statements.length === 0)) return;

    const steps: Step[] = [{ query: { text: 'BEGIN' }, doing: 'starting a transaction' }];
    for (const w of work) {
      const doing = `writing ${w.rows} rows to ${w.table}`;
      for (const s of w.statements) steps.push({ query: this.statement(s), doing, table: w.table });
    }
    for (const offset of batch.offsets) steps.push(this.offsetStep(batch.groupId, offset));
    const end = options.dryRun ? 'ROLLBACK' : 'COMMIT';
    steps.push({ query: { text: end }, doing: options.dryRun ? 'rolling back a trial write' : 'committing the batch', end });

    let client: pg.PoolClient;
    try {
      client = await sessions.acquire();
    } catch (err) {
      throw targetError('connecting to PostgreSQL to write a batch', err);
    }
    let discard: Error | undefined;
    try {
      await (this.options.pipeline ? runPipelined(client, steps) : runInTurn(client, steps));
    } catch (err) {
      discard = await rollback(client, err);
      throw this.preparedStatementsLost(err) ?? err;
    } finally {
      client.release(discard);
    }
  }

  /**
   * The server lacks a statement this connection prepared (26000) or already has one it is about to
   * prepare (42P05): something between the two moves sessions, as PgBouncer in transaction mode
   * does. Preparing stops for good and the batch fails as retriable, to be written again unprepared;
   * so do the batches that were in flight on other connections when the first one found out.
   */
  private preparedStatementsLost(err: unknown): TargetError | null {
    const cause = err instanceof TargetError ? err.cause : err;
    const state = sqlState(cause);
    if (state !== '26000' && state !== '42P05') return null;
    const message =
      `${postgresErrorText(cause)}: the sessions do not keep their prepared statements (a pooler such as PgBouncer in ` +
      'transaction mode?); statements are sent unprepared from now on (set target.preparedStatements: 0 to start that way)';
    if (this.prepared.enabled) {
      this.prepared = new PreparedNames(0);
      this.logger?.warn(message);
    }
    return new TargetError(ErrorCodes.TARGET_RETRIABLE, message, { kind: 'retriable', cause });
  }

  async close(): Promise<void> {
    const sessions = this.sessions;
    if (sessions === null) return;
    this.sessions = null;
    await sessions.pool.end();
  }

  /** A compare-and-set of a partition's offset that fails inside the transaction when another writer moved it. */
  private offsetStep(groupId: string, offset: PartitionOffset): Step {
    const sql =
      offset.expected === null ? this.dialect.insertOffset(groupId, offset) : this.dialect.updateOffset(groupId, offset);
    const where = `${offset.topic}[${offset.partition}]`;
    const expected = offset.expected === null ? 'no stored offset' : `stored next offset ${offset.expected}`;
    return {
      query: this.statement(failUnlessMoved(sql)),
      doing: `storing the next offset ${offset.nextOffset} of ${where}`,
      conflict:
        `storing the next offset ${offset.nextOffset} of ${where} for group ${groupId}: expected ${expected}, ` +
        `but another writer moved it (${this.dialect.offsetsTableName})`,
    };
  }

  private async runDdl(sessions: SessionPool, statements: readonly Sql[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await sessions.acquire();
    } catch (err) {
      throw targetError('connecting to PostgreSQL to change the schema', err);
    }
    let discard: Error | undefined;
    try {
      await client.query('BEGIN');
      for (const s of statements) {
        try {
          await client.query(s.text, s.values as unknown[]);
        } catch (err) {
          const state = sqlState(err);
          const kind = state !== null && DDL_RACE_STATES.has(state) ? 'retriable' : undefined;
          throw targetError(`applying DDL ${s.text.slice(0, 300)}`, err, undefined, kind);
        }
      }
      await runInTurn(client, [{ query: { text: 'COMMIT' }, doing: 'committing DDL', end: 'COMMIT' }]);
    } catch (err) {
      discard = await rollback(client, err);
      throw targetError('applying DDL', err);
    } finally {
      client.release(discard);
    }
  }

  /** A statement as node-postgres sends it: named (prepared once per connection) while names last. */
  private statement(sql: Sql): pg.QueryConfig {
    return { name: this.prepared.nameFor(sql.text), text: sql.text, values: sql.values as unknown[] };
  }

  private pool(): SessionPool {
    if (this.sessions === null) {
      throw new TargetError(ErrorCodes.INTERNAL, 'the PostgreSQL connector is not connected (call connect() first)', {
        kind: 'fatal',
      });
    }
    return this.sessions;
  }
}

/** One statement of a batch's transaction, with what to say when it fails. */
interface Step {
  readonly query: pg.QueryConfig;
  readonly doing: string;
  readonly table?: string;
  /** An offset's compare-and-set: the message of the OffsetConflictError when it moved no row. */
  readonly conflict?: string;
  /** The statement that ends the transaction: its answer must name it (an aborted one answers ROLLBACK). */
  readonly end?: 'COMMIT' | 'ROLLBACK';
}

/** The error a failed step stands for: an offset that did not move is a conflict, not a data error. */
function stepError(step: Step, err: unknown): CdcSinkError {
  if (step.conflict !== undefined && sqlState(err) === NOT_MOVED_SQLSTATE) return new OffsetConflictError(step.conflict);
  return targetError(step.doing, err, step.table);
}

/** A COMMIT of a transaction that had failed answers ROLLBACK without an error: never take it for a commit. */
function checkEnd(step: Step, result: pg.QueryResult): void {
  if (step.end !== undefined && result.command !== step.end) {
    throw new TargetError(ErrorCodes.TARGET_RETRIABLE, `${step.doing}: the server answered ${result.command}`, {
      kind: 'retriable',
    });
  }
}

/**
 * Every step sent at once, in one write to the socket (node-postgres's pipeline mode: each statement
 * is its own Parse/Bind/Execute/Sync, so the server runs them in order and answers each), then every
 * answer awaited: one round trip. The explicit BEGIN holds them in one transaction across the Syncs:
 * after a failure the server refuses the statements behind it (25P02) and turns the COMMIT into a
 * ROLLBACK, so the first failure is the batch's error and nothing of it stays.
 */
async function runPipelined(client: pg.PoolClient, steps: readonly Step[]): Promise<void> {
  // A pipelined client writes each query as it is issued; corked, they leave as one write.
  const socket = client.connection.stream;
  socket.cork();
  let sent: Promise<pg.QueryResult>[];
  try {
    sent = steps.map((s) => client.query(s.query));
  } finally {
    socket.uncork();
  }
  const settled = await Promise.allSettled(sent);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const outcome = settled[i]!;
    if (outcome.status === 'rejected') throw stepError(step, outcome.reason);
    checkEnd(step, outcome.value);
  }
}

/** Every step in turn, each sent once the one before it has answered; the first failure stops the batch. */
async function runInTurn(client: pg.PoolClient, steps: readonly Step[]): Promise<void> {
  for (const step of steps) {
    let result: pg.QueryResult;
    try {
      result = await client.query(step.query);
    } catch (err) {
      throw stepError(step, err);
    }
    checkEnd(step, result);
  }
}

/**
 * Rolls back after a failure. Returns an error when the connection cannot be reused (lost, or
 * the ROLLBACK itself failed): releasing with it makes the pool discard the connection.
 */
async function rollback(client: pg.PoolClient, err: unknown): Promise<Error | undefined> {
  const cause = err instanceof TargetError && err.cause !== undefined ? err.cause : err;
  if (!(err instanceof OffsetConflictError) && isConnectionBroken(cause)) {
    return cause instanceof Error ? cause : new Error(String(cause));
  }
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (rollbackErr) {
    return rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
  }
}
