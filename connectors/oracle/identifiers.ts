/**
 * Oracle identifiers. THE ONE RULE for Oracle's upper-case folding (option identifierCase):
 *
 * - 'upper' (default): every name that comes from events or config (schema, table, column) is
 *   upper-cased, then double-quoted. Oracle folds unquoted names to upper case, so humans can
 *   write `SELECT customer_id FROM orders` and find the column cdc-sink created as "CUSTOMER_ID".
 *   Upper-casing is per character and locale-independent; a character whose upper case is more
 *   than one character (German ß, ligatures) is kept as it is, as Oracle's UPPER() does.
 * - 'preserve': names are quoted exactly as given ("customer_id"); queries must then quote them.
 *
 * Every identifier is quoted, so reserved words ("ORDER", "USER") and any character work. Oracle
 * cannot escape a double quote inside a quoted identifier, and rejects NUL and empty names; names
 * longer than 128 bytes (Oracle 12.2+) fail. All of those are rejected here with a message that
 * points at the rename-columns / route-table transforms.
 */
import type { TargetTableRef } from '../contract.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';

export const ORACLE_MAX_IDENTIFIER_BYTES = 128;

export type IdentifierCase = 'upper' | 'preserve';

/** Upper-cases one character at a time, keeping characters whose upper case is longer. */
export function upperIdentifier(name: string): string {
  let out = '';
  for (const ch of name) {
    const up = ch.toUpperCase();
    out += [...up].length === 1 ? up : ch;
  }
  return out;
}

/** The name as it is stored in Oracle's catalog (what ALL_TAB_COLUMNS shows) under the rule. */
export function foldIdentifier(name: string, rule: IdentifierCase): string {
  return rule === 'upper' ? upperIdentifier(name) : name;
}

function invalid(message: string): TargetError {
  return new TargetError(ErrorCodes.TARGET_SCHEMA, message, { kind: 'fatal' });
}

/** Checks a folded name; throws TargetError (fatal) when Oracle cannot take it. */
export function checkIdentifier(folded: string, original: string = folded): void {
  const shown = JSON.stringify(original);
  if (folded.length === 0) throw invalid('Oracle identifiers cannot be empty');
  if (folded.includes('\u0000')) throw invalid(`Oracle identifier ${shown} contains a NUL character`);
  if (folded.includes('"')) {
    throw invalid(
      `Oracle identifier ${shown} contains a double quote, which Oracle cannot escape: rename it with a transform`,
    );
  }
  const bytes = Buffer.byteLength(folded, 'utf8');
  if (bytes > ORACLE_MAX_IDENTIFIER_BYTES) {
    throw invalid(
      `Oracle identifier ${shown} is ${bytes} bytes long; Oracle allows at most ${ORACLE_MAX_IDENTIFIER_BYTES}: ` +
        'rename it with a transform',
    );
  }
}

export function quoteIdentifier(name: string, rule: IdentifierCase): string {
  const folded = foldIdentifier(name, rule);
  checkIdentifier(folded, name);
  return `"${folded}"`;
}

/** The schema a table lives in: its own, else the configured schema, else null (the user's schema). */
export function tableSchema(table: TargetTableRef, defaultSchema: string | null): string | null {
  return table.schema ?? defaultSchema;
}

export function qualifiedName(table: TargetTableRef, defaultSchema: string | null, rule: IdentifierCase): string {
  const schema = tableSchema(table, defaultSchema);
  const name = quoteIdentifier(table.name, rule);
  return schema === null ? name : `${quoteIdentifier(schema, rule)}.${name}`;
}

/** SCHEMA.TABLE as stored (folded), unquoted, for messages. */
export function tableText(table: TargetTableRef, defaultSchema: string | null, rule: IdentifierCase): string {
  const schema = tableSchema(table, defaultSchema);
  const name = foldIdentifier(table.name, rule);
  return schema === null ? name : `${foldIdentifier(schema, rule)}.${name}`;
}
