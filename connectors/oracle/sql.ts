/**
 * The statements the Oracle dialect produces: the contract's Sql plus, for executeMany()
 * statements, one bind definition per placeholder. Bind types are named here without importing
 * the driver (the dialect stays pure); client.ts maps them to oracledb.DB_TYPE_* constants.
 *
 * Placeholders are :1, :2, ... in order of appearance, each used exactly once, and values are
 * bound by position.
 */
import type { Sql } from '../contract.ts';

/**
 * How a value travels to the server:
 * - varchar: a JS string (exact text of decimals, bigints, timestamps, ...), converted in SQL
 *   where needed (TO_NUMBER, TO_TIMESTAMP, ...) so nothing is lost on the way.
 * - number: a JS number of a small integer or 1/0 for booleans (DB_TYPE_NUMBER).
 * - binary_double / binary_float: a JS float, NaN and +-Infinity included.
 * - boolean: a JS boolean (BOOLEAN columns, Oracle 23ai).
 * - raw / blob: a Buffer. clob: a JS string of any length (node-oracledb makes the temporary LOB).
 */
export type OracleBindType = 'varchar' | 'number' | 'binary_double' | 'binary_float' | 'boolean' | 'raw' | 'clob' | 'blob';

export interface OracleBindDef {
  readonly type: OracleBindType;
  /** Bytes to allocate per value (varchar and raw): the longest value of the statement, at least 1. */
  readonly maxSize?: number;
}

export type OracleBindValue = string | number | boolean | Buffer | null;

export interface OracleSql extends Sql {
  /** For `batch: true`: one definition per placeholder, so executeMany() never scans the data. */
  readonly bindDefs?: readonly OracleBindDef[];
}

/** The bind definitions of a statement, when it has any. */
export function bindDefsOf(sql: Sql): readonly OracleBindDef[] | undefined {
  const defs = (sql as OracleSql).bindDefs;
  return Array.isArray(defs) ? defs : undefined;
}
