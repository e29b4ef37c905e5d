/**
 * A batch's whole transaction as multi-statement texts (target.pipeline, write-batch.ts):
 *
 *   START TRANSACTION; <offset move>; <raise unless it moved one row>; ...; <table statements>; COMMIT
 *
 * in the order of the in-turn path (offsets first, then every table's truncate, deletes, upserts),
 * packed greedily into texts of at most `maxBytes` (a statement longer than that goes alone). A
 * small batch is one text, one round trip. The server runs a text's statements in order and stops
 * at the first error, so a batch that fails never reaches its COMMIT: an offset that did not move
 * raises (offsets-sql.ts RAISE_UNLESS_ONE_ROW) instead of being read from a row count.
 * `dryRun` ends the transaction with ROLLBACK instead.
 */
import type { WriteBatch } from '../contract.ts';
import type { MysqlDialect } from './dialect.ts';

/** Most bytes of one packed text: enough for a steady-traffic batch, small beside a drain's statements. */
export const PACKED_TEXT_BYTES = 1024 * 1024;

const SEPARATOR = ';\n';

/** Statements joined by ';' into texts of at most maxBytes (UTF-8), in order. */
export function packStatements(statements: readonly string[], maxBytes: number): string[] {
  const texts: string[] = [];
  let parts: string[] = [];
  let bytes = 0;
  for (const statement of statements) {
    const size = Buffer.byteLength(statement, 'utf8');
    if (parts.length > 0 && bytes + SEPARATOR.length + size > maxBytes) {
      texts.push(parts.join(SEPARATOR));
      parts = [];
      bytes = 0;
    }
    bytes += (parts.length > 0 ? SEPARATOR.length : 0) + size;
    parts.push(statement);
  }
  if (parts.length > 0) texts.push(parts.join(SEPARATOR));
  return texts;
}

export function batchTexts(dialect: MysqlDialect, batch: WriteBatch, dryRun: boolean): string[] {
  // An offset's move and its check stay in one text: the check reads the move's ROW_COUNT().
  const statements = ['START TRANSACTION'];
  for (const o of batch.offsets) statements.push(dialect.moveOffsetInline(batch.groupId, o).join(SEPARATOR));
  for (const t of batch.tables) for (const sql of dialect.tableChangesInline(t)) statements.push(sql.text);
  statements.push(dryRun ? 'ROLLBACK' : 'COMMIT');
  return packStatements(statements, Math.min(PACKED_TEXT_BYTES, dialect.maxStatementBytes));
}
