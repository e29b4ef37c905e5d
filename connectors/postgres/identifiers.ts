/**
 * PostgreSQL identifier quoting. Every identifier is double-quoted, so reserved words ("order"),
 * mixed case ("OrderLines") and any character are taken literally. PostgreSQL silently truncates
 * identifiers longer than NAMEDATALEN-1 = 63 bytes, which could make two source columns collide:
 * those are rejected instead.
 */
import type { TargetTableRef } from '../contract.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';

export const PG_MAX_IDENTIFIER_BYTES = 63;

export function quoteIdentifier(name: string): string {
  if (name.length === 0) {
    throw new TargetError(ErrorCodes.TARGET_SCHEMA, 'PostgreSQL identifiers cannot be empty', { kind: 'fatal' });
  }
  if (name.includes('\u0000')) {
    throw new TargetError(ErrorCodes.TARGET_SCHEMA, `PostgreSQL identifier ${JSON.stringify(name)} contains a NUL byte`, {
      kind: 'fatal',
    });
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > PG_MAX_IDENTIFIER_BYTES) {
    throw new TargetError(
      ErrorCodes.TARGET_SCHEMA,
      `PostgreSQL identifier ${JSON.stringify(name)} is ${bytes} bytes long; at most ${PG_MAX_IDENTIFIER_BYTES} ` +
        'are allowed (PostgreSQL would silently truncate it): rename it with a transform',
      { kind: 'fatal' },
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** The schema a table lives in: its own, or the connector's default schema. */
export function tableSchema(table: TargetTableRef, defaultSchema: string): string {
  return table.schema ?? defaultSchema;
}

export function qualifiedName(table: TargetTableRef, defaultSchema: string): string {
  return `${quoteIdentifier(tableSchema(table, defaultSchema))}.${quoteIdentifier(table.name)}`;
}

/** schema.table, unquoted, for messages. */
export function tableText(table: TargetTableRef, defaultSchema: string): string {
  return `${tableSchema(table, defaultSchema)}.${table.name}`;
}
