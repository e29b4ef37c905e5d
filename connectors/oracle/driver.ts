/**
 * The glue between the dialect's driver-free statements and node-oracledb (thin mode): pool
 * attributes, bind definitions, and running one Sql on a connection.
 */
import type oracledb from 'oracledb';
import type { Sql } from '../contract.ts';
import { SESSION_SETUP_SQL } from './catalog.ts';
import { oracleDriver } from './driver-module.ts';
import { resolveConnection, type OracleOptions } from './options.ts';
import { bindDefsOf, type OracleBindDef, type OracleBindType } from './sql.ts';

let dbTypes: Readonly<Record<OracleBindType, oracledb.DbType>> | undefined;

function dbType(t: OracleBindType): oracledb.DbType {
  const d = oracleDriver();
  dbTypes ??= {
    varchar: d.DB_TYPE_VARCHAR,
    number: d.DB_TYPE_NUMBER,
    binary_double: d.DB_TYPE_BINARY_DOUBLE,
    binary_float: d.DB_TYPE_BINARY_FLOAT,
    boolean: d.DB_TYPE_BOOLEAN,
    raw: d.DB_TYPE_RAW,
    clob: d.DB_TYPE_CLOB,
    blob: d.DB_TYPE_BLOB,
  };
  return dbTypes[t];
}

export function driverBindDefs(defs: readonly OracleBindDef[]): oracledb.BindDefinition[] {
  return defs.map((d) => {
    const def: oracledb.BindDefinition = { dir: oracleDriver().BIND_IN, type: dbType(d.type) };
    if (d.maxSize !== undefined) def.maxSize = d.maxSize;
    return def;
  });
}

/** Sets up every new session: UTC and explicit NLS formats (catalog.ts SESSION_SETUP_SQL). */
function sessionCallback(
  connection: oracledb.Connection,
  _requestedTag: string,
  done: (error?: unknown) => void,
): void {
  connection.execute(SESSION_SETUP_SQL).then(
    () => done(),
    (err: unknown) => done(err),
  );
}

export function poolAttributes(options: OracleOptions): oracledb.PoolAttributes {
  const c = resolveConnection(options);
  const attrs: oracledb.PoolAttributes = {
    user: c.user,
    password: c.password,
    connectString: c.connectString,
    poolMin: options.poolMin,
    poolMax: options.poolMax,
    poolIncrement: 1,
    connectTimeout: options.connectTimeoutSeconds,
    sessionCallback,
  };
  if (options.configDir !== undefined) attrs.configDir = options.configDir;
  if (options.walletLocation !== undefined) attrs.walletLocation = options.walletLocation;
  if (options.walletPassword !== undefined) attrs.walletPassword = options.walletPassword;
  if (options.sslServerDNMatch !== undefined) attrs.sslServerDNMatch = options.sslServerDNMatch;
  return attrs;
}

/**
 * Runs one statement inside the open transaction (never commits): `batch` statements with
 * executeMany() and batchErrors off, so the first failing row raises its error. batchErrors: true
 * would go on with the other rows and leave a transaction holding part of the batch for us to
 * commit or roll back; the pipeline isolates a bad row by splitting the batch and retrying, so here
 * any error aborts and the whole transaction is rolled back. Returns rows affected.
 */
export async function runSql(connection: oracledb.Connection, sql: Sql): Promise<number> {
  if (sql.batch === true) {
    if (sql.values.length === 0) return 0;
    const defs = bindDefsOf(sql);
    const options: oracledb.ExecuteManyOptions = { autoCommit: false, batchErrors: false };
    if (defs !== undefined) options.bindDefs = driverBindDefs(defs);
    const result = await connection.executeMany(sql.text, sql.values as oracledb.BindParameters[], options);
    return result.rowsAffected ?? 0;
  }
  const result = await connection.execute(sql.text, sql.values as oracledb.BindParameters, { autoCommit: false });
  return result.rowsAffected ?? 0;
}
