/**
 * Reading a table's shape from Oracle's catalog (ALL_TAB_COLUMNS, ALL_CONSTRAINTS +
 * ALL_CONS_COLUMNS), and the per-session settings every pooled connection gets.
 *
 * Owner and table name are compared as stored, i.e. folded by identifierCase like everywhere
 * else; a null owner means the session's current schema (the connecting user's by default).
 */
import type { Sql, TargetColumn } from '../contract.ts';

const OWNER = "NVL(:1, SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA'))";

/** Rows: COLUMN_NAME, DATA_TYPE, DATA_PRECISION, DATA_SCALE, DATA_LENGTH, CHAR_LENGTH, CHAR_USED, NULLABLE. */
export function describeColumnsSql(owner: string | null, table: string): Sql {
  return {
    text:
      'SELECT COLUMN_NAME, DATA_TYPE, DATA_PRECISION, DATA_SCALE, DATA_LENGTH, CHAR_LENGTH, CHAR_USED, NULLABLE ' +
      `FROM ALL_TAB_COLUMNS WHERE OWNER = ${OWNER} AND TABLE_NAME = :2 ORDER BY COLUMN_ID`,
    values: [owner, table],
  };
}

/** Rows: COLUMN_NAME of the primary key, in key order. */
export function describePrimaryKeySql(owner: string | null, table: string): Sql {
  return {
    text:
      'SELECT cc.COLUMN_NAME FROM ALL_CONSTRAINTS k JOIN ALL_CONS_COLUMNS cc ' +
      'ON cc.OWNER = k.OWNER AND cc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND cc.TABLE_NAME = k.TABLE_NAME ' +
      `WHERE k.OWNER = ${OWNER} AND k.TABLE_NAME = :2 AND k.CONSTRAINT_TYPE = 'P' ORDER BY cc.POSITION`,
    values: [owner, table],
  };
}

/** One row of describeColumnsSql, as node-oracledb returns it with OUT_FORMAT_OBJECT. */
export interface CatalogColumnRow {
  readonly COLUMN_NAME: string;
  readonly DATA_TYPE: string;
  readonly DATA_PRECISION: number | null;
  readonly DATA_SCALE: number | null;
  readonly DATA_LENGTH: number | null;
  readonly CHAR_LENGTH: number | null;
  readonly CHAR_USED: string | null;
  readonly NULLABLE: string;
}

/** The type as SQL text usable in a cast: NUMBER(10), NUMBER(12,2), VARCHAR2(20 CHAR), RAW(16), CLOB, ... */
export function dataTypeText(row: CatalogColumnRow): string {
  const t = row.DATA_TYPE;
  const p = row.DATA_PRECISION;
  const s = row.DATA_SCALE;
  switch (t) {
    case 'NUMBER':
      if (p === null) return s === null ? 'NUMBER' : `NUMBER(*,${s})`;
      return s === null || s === 0 ? `NUMBER(${p})` : `NUMBER(${p},${s})`;
    case 'FLOAT':
      return p === null ? 'FLOAT' : `FLOAT(${p})`;
    case 'VARCHAR2':
    case 'CHAR':
      return row.CHAR_USED === 'C' ? `${t}(${row.CHAR_LENGTH ?? 0} CHAR)` : `${t}(${row.DATA_LENGTH ?? 0} BYTE)`;
    case 'NVARCHAR2':
    case 'NCHAR':
      return `${t}(${row.CHAR_LENGTH ?? 0})`;
    case 'RAW':
    case 'UROWID':
      return `${t}(${row.DATA_LENGTH ?? 0})`;
    default:
      // DATE, CLOB, BLOB, BINARY_DOUBLE, JSON, and types whose name carries their precision:
      // TIMESTAMP(6) WITH TIME ZONE, INTERVAL DAY(2) TO SECOND(6).
      return t;
  }
}

export function targetColumn(row: CatalogColumnRow): TargetColumn {
  return { name: row.COLUMN_NAME, dataType: dataTypeText(row), nullable: row.NULLABLE !== 'N' };
}

/**
 * Session settings of every pooled connection (one round trip, run by the pool's sessionCallback):
 * UTC, ISO-like datetime formats (only implicit conversions use them: binds are converted with
 * explicit formats), '.' as the decimal separator (TO_NUMBER of decimal text), and binary string
 * comparison so that keys match byte for byte.
 */
export const SESSION_SETUP_SQL =
  "ALTER SESSION SET TIME_ZONE = '+00:00' NLS_DATE_FORMAT = 'YYYY-MM-DD\"T\"HH24:MI:SS' " +
  "NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9' " +
  "NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM' " +
  "NLS_NUMERIC_CHARACTERS = '.,' NLS_COMP = 'BINARY' NLS_SORT = 'BINARY'";

/** The cheapest round trip. */
export const HEALTHCHECK_SQL = 'SELECT 1 FROM dual';
