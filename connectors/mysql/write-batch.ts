/**
 * One WriteBatch in one transaction on one connection, sent one of two ways.
 *
 * Together (target.pipeline, the default): the whole transaction as multi-statement texts
 * (batch-texts.ts), one round trip for a steady-traffic batch. When a text fails, the transaction
 * is rolled back and, unless the connection broke or the error is retriable (a deadlock, a lock
 * wait: the caller retries those), the batch runs again in turn below: that run names the failing
 * table and statement (or the offset that another writer moved) exactly as it always did, and a
 * failure that does not repeat leaves the batch written by it.
 *
 * In turn:
 *
 *   START TRANSACTION
 *   offsets: insert (expected null) or compare-and-set update (expected given), each must affect
 *            exactly 1 row, else ROLLBACK and OffsetConflictError. They go FIRST: the offset rows
 *            stay locked for the whole transaction, so a second writer of the same partitions
 *            waits and then fails the compare-and-set, before it has written any row.
 *   every table: truncate (DELETE), deletes, upserts (dialect.tableChangesInline)
 *   COMMIT
 *
 * The data statements go over the text protocol (conn.query) with their values inlined as
 * literals by the dialect (literal.ts), never as server-side prepared statements: every distinct
 * row count would be a statement of its own, with up to 65,535 placeholders, which the server keeps
 * open and mysql2 caches with one column definition per placeholder (RSS grew to 2 GB draining a
 * backlog). The offset statements have two fixed shapes and stay prepared (conn.execute) in turn.
 * A failed statement's text (which holds row values) is removed from the driver error.
 *
 * Any failure: ROLLBACK and a TargetError naming the table and the statement kind, with the
 * dialect's classification. `state.broken` tells the caller to destroy the connection instead of
 * returning it to the pool (the connection died, or ROLLBACK itself failed).
 */
import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { CdcSinkError, OffsetConflictError, TargetError } from '../core/errors.ts';
import type { PartitionOffset, TableChanges, WriteBatch } from '../contract.ts';
import { batchTexts } from './batch-texts.ts';
import type { MysqlDialect } from './dialect.ts';
import { driverErrorText, isConnectionBroken, targetErrorCode } from './errors.ts';
import type { MysqlSql } from './statement.ts';
import type { Bind } from './values.ts';

export interface ConnectionState {
  broken: boolean;
}

const ER_DUP_ENTRY = 1062;

function affectedRows(result: unknown): number {
  return typeof result === 'object' && result !== null && 'affectedRows' in result
    ? Number((result as ResultSetHeader).affectedRows)
    : 0;
}

function statementText(sql: MysqlSql): string {
  if (sql.kind === 'truncate') return 'truncate (DELETE of every row)';
  return `${sql.kind} of ${sql.rows} row${sql.rows === 1 ? '' : 's'}`;
}

function wrap(dialect: MysqlDialect, doing: string, err: unknown, table?: string): CdcSinkError {
  if (err instanceof CdcSinkError) return err;
  const kind = dialect.classifyError(err);
  return new TargetError(targetErrorCode(err, kind), `${doing} failed: ${driverErrorText(err)}`, {
    kind,
    cause: err,
    ...(table === undefined ? {} : { table }),
  });
}

function offsetText(groupId: string, o: PartitionOffset): string {
  return `${o.topic}[${o.partition}] of consumer group ${groupId}`;
}

async function writeOffset(conn: PoolConnection, dialect: MysqlDialect, groupId: string, o: PartitionOffset): Promise<void> {
  const insert = o.expected === null;
  const sql = insert ? dialect.insertOffset(groupId, o) : dialect.updateOffset(groupId, o);
  let affected: number;
  try {
    const [result] = await conn.execute(sql.text, sql.values as Bind[]);
    affected = affectedRows(result);
  } catch (err) {
    if (insert && (err as { errno?: unknown }).errno === ER_DUP_ENTRY) affected = 0;
    else throw wrap(dialect, `storing the next offset ${o.nextOffset} of ${offsetText(groupId, o)}`, err);
  }
  if (affected === 1) return;
  throw new OffsetConflictError(
    insert
      ? `the offset of ${offsetText(groupId, o)} was expected to be unset, but another writer stored one: reload the stored offsets`
      : `the stored next offset of ${offsetText(groupId, o)} is no longer ${o.expected}: another writer moved it; reload the stored offsets`,
  );
}

/** mysql2 puts the statement text on its errors: with inlined values, that is row data (and megabytes). */
function withoutStatementText(err: unknown, what: string): unknown {
  if (typeof err === 'object' && err !== null && 'sql' in err) {
    err.sql = `${what} (statement text not kept: it holds row values)`;
  }
  return err;
}

async function writeTable(conn: PoolConnection, dialect: MysqlDialect, changes: TableChanges): Promise<void> {
  const table = dialect.tableText(changes.table);
  const statements = dialect.tableChangesInline(changes);
  for (const sql of statements) {
    try {
      await conn.query(sql.text);
    } catch (err) {
      throw wrap(dialect, `writing to ${table}: ${statementText(sql)}`, withoutStatementText(err, statementText(sql)), table);
    }
  }
}

async function rollback(conn: PoolConnection, state: ConnectionState): Promise<void> {
  if (state.broken) return;
  try {
    await conn.query('ROLLBACK');
  } catch {
    state.broken = true;
  }
}

export interface WriteBatchOptions {
  /** ROLLBACK instead of COMMIT. */
  readonly dryRun: boolean;
  /** Send the transaction as multi-statement texts (the connection must allow them). */
  readonly together: boolean;
}

export async function writeBatchOn(
  conn: PoolConnection,
  dialect: MysqlDialect,
  batch: WriteBatch,
  state: ConnectionState,
  options: WriteBatchOptions,
): Promise<void> {
  if (options.together && (await writeTogether(conn, dialect, batch, state, options.dryRun))) return;
  await writeInTurn(conn, dialect, batch, state, options.dryRun);
}

/**
 * The batch as multi-statement texts. True when written; false when a text failed and the
 * transaction was rolled back, for the in-turn run to name the failure. Throws when the connection
 * broke (nothing can be rolled back or run again on it) or the error is retriable.
 */
async function writeTogether(conn: PoolConnection, dialect: MysqlDialect, batch: WriteBatch, state: ConnectionState, dryRun: boolean): Promise<boolean> {
  const texts = batchTexts(dialect, batch, dryRun);
  try {
    for (const text of texts) await conn.query(text);
    return true;
  } catch (err) {
    const doing = `writing ${batch.tables.length} tables and ${batch.offsets.length} offsets as ${texts.length === 1 ? 'one multi-statement text' : `${texts.length} multi-statement texts`}`;
    withoutStatementText(err, doing);
    if (isConnectionBroken(err)) {
      state.broken = true;
      throw wrap(dialect, doing, err);
    }
    await rollback(conn, state);
    if (state.broken || dialect.classifyError(err) === 'retriable') throw wrap(dialect, doing, err);
    return false;
  }
}

async function writeInTurn(conn: PoolConnection, dialect: MysqlDialect, batch: WriteBatch, state: ConnectionState, dryRun: boolean): Promise<void> {
  try {
    await conn.query('START TRANSACTION');
  } catch (err) {
    state.broken = isConnectionBroken(err);
    throw wrap(dialect, 'starting a transaction', err);
  }
  try {
    for (const o of batch.offsets) await writeOffset(conn, dialect, batch.groupId, o);
    for (const t of batch.tables) await writeTable(conn, dialect, t);
    try {
      await conn.query(dryRun ? 'ROLLBACK' : 'COMMIT');
    } catch (err) {
      throw wrap(dialect, `committing ${batch.tables.length} tables and ${batch.offsets.length} offsets`, err);
    }
  } catch (err) {
    const cause = err instanceof CdcSinkError ? err.cause : err;
    if (isConnectionBroken(cause)) state.broken = true;
    await rollback(conn, state);
    throw err;
  }
}
