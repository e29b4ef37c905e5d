/**
 * The pg.Pool and its sessions: TLS settings, and the per-session setup every connection gets
 * before its first use (UTC time zone, statement timeout).
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Logger } from 'pino';
import { ErrorCodes, TargetError } from '../core/errors.ts';
import { isConnectionBroken } from './errors.ts';
import type { PostgresOptions, PostgresSslOptions } from './options.ts';

/** node-postgres TLS options for an ssl setting (undefined: follow the url). */
export function sslConfig(ssl: PostgresSslOptions | undefined): boolean | ConnectionOptions | undefined {
  if (ssl === undefined) return undefined;
  if (ssl.mode === 'disable') return false;
  let ca = ssl.ca;
  if (ca === undefined && ssl.caFile !== undefined) {
    try {
      ca = readFileSync(ssl.caFile, 'utf8');
    } catch (err) {
      throw new TargetError(ErrorCodes.TARGET_FATAL, `reading the PostgreSQL CA file ${ssl.caFile}: ${String(err)}`, {
        kind: 'fatal',
        cause: err,
      });
    }
  }
  const base: ConnectionOptions = { ca, cert: ssl.cert, key: ssl.key };
  switch (ssl.mode) {
    case 'require':
      return { ...base, rejectUnauthorized: false };
    case 'verify-ca':
      // The chain must verify, the host name need not match (libpq's verify-ca).
      return { ...base, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...base, rejectUnauthorized: true };
  }
}

export function createPool(options: PostgresOptions, logger: Logger | undefined): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: options.applicationName,
    ssl: sslConfig(options.ssl),
    keepAlive: true,
    idleTimeoutMillis: 30_000,
    pipeline: options.pipeline,
  });
  // An idle connection that dies (server restart, network) emits 'error' on the pool; without a
  // listener that would crash the process. The pool drops the client; the next use reconnects.
  pool.on('error', (err) => {
    logger?.warn({ err }, 'an idle PostgreSQL connection failed; the pool discarded it');
  });
  return pool;
}

/**
 * Hands out pooled clients whose session is set up: UTC (timestamptz text in and out never
 * depends on the server's zone) and the statement timeout. The setup runs once per connection.
 */
export class SessionPool {
  private readonly ready = new WeakSet<pg.PoolClient>();
  /** Clients whose connection failed while checked out (pg-pool listens only to idle clients). */
  private readonly dead = new WeakSet<pg.PoolClient>();
  private readonly setup: string;

  constructor(
    readonly pool: pg.Pool,
    statementTimeoutMs: number,
  ) {
    this.setup = `SET TIME ZONE 'UTC'; SET statement_timeout = ${Math.trunc(statementTimeoutMs)}`;
  }

  async acquire(): Promise<pg.PoolClient> {
    let client = await this.pool.connect();
    while (this.dead.has(client)) {
      client.release(true);
      client = await this.pool.connect();
    }
    if (!this.ready.has(client)) {
      // Without a listener, a session the server ends while the client is checked out (a FATAL
      // arriving between statements) is an uncaught 'error' event that kills the process. Mark the
      // client dead instead: its next query fails (retriable) and it is never handed out again.
      client.on('error', () => this.dead.add(client));
      try {
        await client.query(this.setup);
      } catch (err) {
        client.release(err instanceof Error ? err : true);
        throw err;
      }
      this.ready.add(client);
    }
    return client;
  }

  /** Runs one statement on a pooled client. */
  async query<R extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    const client = await this.acquire();
    let broken: Error | undefined;
    try {
      return await client.query<R>(text, values as unknown[]);
    } catch (err) {
      if (isConnectionBroken(err)) broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
