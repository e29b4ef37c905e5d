/**
 * Binds as SQL literals, for the data statements the connector formats itself and sends as text
 * (write-batch.ts: no server-side prepared statement per row count). Every Bind values.ts makes:
 *
 * | bind | literal | the server reads |
 * | --- | --- | --- |
 * | null | NULL | NULL (never DEFAULT: an absent column is left out of the statement instead) |
 * | number (finite; int 8/16/32, year, boolean 1/0, float) | String(n): `42`, `-7`, `0.1`, `1e+21`, `5e-324` | an integer, exact decimal or double literal; JavaScript prints the shortest text that reads back as the same double, and the server converts decimal text to double correctly rounded, so a DOUBLE column gets the same bits a DOUBLE bind gave |
 * | string (int64 and decimals as digits, dates and times, JSON, text) | `'...'`, backslash-escaped | a string in the connection's character set (utf8mb4), converted to the column's type as a string bind was |
 * | Buffer (bytes, BINARY(16) uuid, BIT, geometry) | `X'00ff'` (`X''` when empty) | a binary string: no character set conversion, 0x00 and 0x27 bytes stay |
 *
 * The escaping is mysql2's own escape() (sqlstring: NUL, backspace, tab, newline, carriage return,
 * Ctrl-Z, quotes and backslash, the set of mysql_real_escape_string). Those escapes are read as
 * escapes only when the session's sql_mode lacks NO_BACKSLASH_ESCAPES, which the connector
 * guarantees: every connection sets the whole sql_mode (pool-config.ts SESSION_SQL_MODE, which
 * does not contain it), so a server default with NO_BACKSLASH_ESCAPES cannot leak in.
 * Other characters, including every non-ASCII one, go as they are (the connection is utf8mb4).
 */
import { mysql2 } from './driver-module.ts';
import type { Bind } from './values.ts';

/** A string literal: 'it\'s'. */
export function stringLiteral(s: string): string {
  return mysql2().escape(s);
}

/** The literal of one bind. */
export function sqlLiteral(b: Bind): string {
  // values.ts never makes NaN or Infinity (a data error naming the column); this is a guard.
  if (typeof b === 'number' && !Number.isFinite(b)) throw new Error(`${String(b)} has no SQL literal`);
  return mysql2().escape(b);
}

/** '(1, 'a', NULL)' */
export function tupleLiteral(row: readonly Bind[]): string {
  let out = '(';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) out += ', ';
    out += sqlLiteral(row[i] as Bind);
  }
  return out + ')';
}
