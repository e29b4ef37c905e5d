/**
 * MySQL / MariaDB identifier quoting. Every identifier is back-quoted (embedded backticks doubled),
 * so reserved words (`order`), mixed case and any permitted character are taken literally.
 *
 * Limits, checked here so the error names the identifier instead of a server syntax error:
 * - at most 64 CHARACTERS (MySQL counts characters, not bytes: `café` is 4; the contract's
 *   maxIdentifierLength is therefore a character count for this dialect);
 * - not empty, no NUL (U+0000), no characters outside the Basic Multilingual Plane (MySQL rejects
 *   supplementary characters such as emoji in identifiers), no trailing space (the server rejects
 *   names ending with a space).
 *
 * Note that MySQL column names are case-insensitive, and table names are case-sensitive or not
 * depending on lower_case_table_names (case-sensitive on Linux by default).
 */
import type { TargetTableRef } from '../contract.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';

export const MYSQL_MAX_IDENTIFIER_CHARS = 64;

function invalid(name: string, why: string): TargetError {
  return new TargetError(ErrorCodes.TARGET_SCHEMA, `MySQL identifier ${JSON.stringify(name)} ${why}`, {
    kind: 'fatal',
  });
}

/** Throws a fatal TargetError when MySQL cannot take `name` as an identifier. */
export function checkIdentifier(name: string): void {
  if (name.length === 0) {
    throw new TargetError(ErrorCodes.TARGET_SCHEMA, 'MySQL identifiers cannot be empty', { kind: 'fatal' });
  }
  if (name.includes('\u0000')) throw invalid(name, 'contains a NUL character');
  if (/[\uD800-\uDFFF]/.test(name)) {
    throw invalid(name, 'contains a character outside the Basic Multilingual Plane (such as an emoji), which MySQL does not allow in identifiers: rename it with a transform');
  }
  if (name.endsWith(' ')) throw invalid(name, 'ends with a space, which MySQL does not allow: rename it with a transform');
  if (name.length > MYSQL_MAX_IDENTIFIER_CHARS) {
    throw invalid(
      name,
      `is ${name.length} characters long; MySQL allows at most ${MYSQL_MAX_IDENTIFIER_CHARS}: rename it with a transform`,
    );
  }
}

export function quoteIdentifier(name: string): string {
  checkIdentifier(name);
  return `\`${name.replaceAll('`', '``')}\``;
}

/** The database a table lives in: its own, else the connector's default (null: the session's). */
export function tableDatabase(table: TargetTableRef, defaultDatabase: string | null): string | null {
  return table.schema ?? defaultDatabase;
}

/** `db`.`table`, or `table` alone when neither the ref nor the connector names a database. */
export function qualifiedName(table: TargetTableRef, defaultDatabase: string | null): string {
  const db = tableDatabase(table, defaultDatabase);
  const name = quoteIdentifier(table.name);
  return db === null ? name : `${quoteIdentifier(db)}.${name}`;
}

/** db.table (or table), unquoted, for messages. */
export function tableText(table: TargetTableRef, defaultDatabase: string | null): string {
  const db = tableDatabase(table, defaultDatabase);
  return db === null ? table.name : `${db}.${table.name}`;
}
