/**
 * The offsets table: the next Kafka offset of every (consumer group, topic, partition), written in
 * the same transaction as the rows.
 *
 * Affected rows: mysql2 connects with CLIENT_FOUND_ROWS (its default; the connector sets it
 * explicitly), so an UPDATE reports the rows it MATCHED, not only the rows it changed. That is
 * what the compare-and-set needs: `UPDATE ... WHERE next_offset = :expected` reports 1 whenever
 * the stored offset equals the expected one, even if the new offset is the same value.
 * For the same reason the first insert cannot be INSERT ... ON DUPLICATE KEY UPDATE
 * next_offset = next_offset (with FOUND_ROWS it reports 1 for an existing row, like an insert),
 * nor INSERT IGNORE (which hides data errors): it is INSERT ... SELECT ... WHERE NOT EXISTS, which
 * inserts 0 rows when the row exists. Two writers inserting the same new row at once: one waits
 * for the other's row lock and then fails with a duplicate key (or deadlock); the connector turns
 * that into an OffsetConflictError.
 */
import type { PartitionOffset, Sql } from '../contract.ts';
import { quoteIdentifier } from './identifiers.ts';
import { stringLiteral } from './literal.ts';

export interface OffsetsSqlOptions {
  /** `db`.`table` or `table`, already quoted. */
  readonly sqlName: string;
  readonly collation: string;
}

/** The values of an offset statement as they appear in its text: placeholders, or literals. */
interface OffsetTerms {
  readonly group: string;
  readonly topic: string;
  readonly partition: string;
  readonly next: string;
  readonly expected: string;
}

const PLACEHOLDERS: OffsetTerms = { group: '?', topic: '?', partition: '?', next: '?', expected: '?' };

/** An offset or partition as an integer literal (never a quoted string: BIGINT = '1' compares as doubles). */
function integerLiteral(what: string, value: string | number): string {
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw new Error(`${what} ${text} is not an integer`);
  return text;
}

function literals(groupId: string, offset: PartitionOffset): OffsetTerms {
  return {
    group: stringLiteral(groupId),
    topic: stringLiteral(offset.topic),
    partition: integerLiteral('partition', offset.partition),
    next: integerLiteral('offset', offset.nextOffset),
    expected: offset.expected === null ? 'NULL' : integerLiteral('offset', offset.expected),
  };
}

function keyMatch(t: OffsetTerms): string {
  return `${quoteIdentifier('consumer_group')} = ${t.group} AND ${quoteIdentifier('topic')} = ${t.topic} AND ${quoteIdentifier('kafka_partition')} = ${t.partition}`;
}

export function createOffsetsTableSql(o: OffsetsSqlOptions): Sql[] {
  return [
    {
      text:
        `CREATE TABLE IF NOT EXISTS ${o.sqlName} (` +
        '`consumer_group` VARCHAR(255) NOT NULL, `topic` VARCHAR(255) NOT NULL, `kafka_partition` INT NOT NULL, ' +
        '`next_offset` BIGINT NOT NULL, `updated_at` DATETIME(6) NOT NULL, ' +
        'PRIMARY KEY (`consumer_group`, `topic`, `kafka_partition`)' +
        `) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${o.collation}`,
      values: [],
    },
  ];
}

export function selectOffsetsSql(o: OffsetsSqlOptions, groupId: string): Sql {
  return {
    text:
      `SELECT \`topic\`, \`kafka_partition\`, \`next_offset\` FROM ${o.sqlName} ` +
      'WHERE `consumer_group` = ? ORDER BY `topic`, `kafka_partition`',
    values: [groupId],
  };
}

function insertText(o: OffsetsSqlOptions, t: OffsetTerms): string {
  return (
    `INSERT INTO ${o.sqlName} (\`consumer_group\`, \`topic\`, \`kafka_partition\`, \`next_offset\`, \`updated_at\`) ` +
    `SELECT ${t.group}, ${t.topic}, ${t.partition}, ${t.next}, UTC_TIMESTAMP(6) FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM ${o.sqlName} WHERE ${keyMatch(t)})`
  );
}

function updateText(o: OffsetsSqlOptions, t: OffsetTerms): string {
  return `UPDATE ${o.sqlName} SET \`next_offset\` = ${t.next}, \`updated_at\` = UTC_TIMESTAMP(6) WHERE ${keyMatch(t)} AND \`next_offset\` = ${t.expected}`;
}

export function insertOffsetSql(o: OffsetsSqlOptions, groupId: string, offset: PartitionOffset): Sql {
  return {
    text: insertText(o, PLACEHOLDERS),
    values: [groupId, offset.topic, offset.partition, offset.nextOffset, groupId, offset.topic, offset.partition],
  };
}

export function updateOffsetSql(o: OffsetsSqlOptions, groupId: string, offset: PartitionOffset): Sql {
  return {
    text: updateText(o, PLACEHOLDERS),
    values: [offset.nextOffset, groupId, offset.topic, offset.partition, offset.expected],
  };
}

/**
 * Raises ER_SUBSELECT_NO_1_ROW (1242) unless the statement before it affected exactly one row: a
 * scalar subquery of two rows. Plain SQL that MySQL and MariaDB both run outside a stored program
 * (SIGNAL needs one; DO would only warn), so that a batch sent as one multi-statement text stops
 * before its COMMIT when an offset did not move.
 */
export const RAISE_UNLESS_ONE_ROW = 'SET @cdc_sink_moved = (SELECT 1 UNION ALL SELECT 1 FROM DUAL WHERE ROW_COUNT() <> 1)';

/**
 * The offset's insert (expected null) or compare-and-set, with its values inline, followed by
 * RAISE_UNLESS_ONE_ROW: for a batch sent as one text (write-batch.ts), where no row count can be
 * read before the COMMIT.
 */
export function moveOffsetInline(o: OffsetsSqlOptions, groupId: string, offset: PartitionOffset): [move: string, check: string] {
  const terms = literals(groupId, offset);
  return [offset.expected === null ? insertText(o, terms) : updateText(o, terms), RAISE_UNLESS_ONE_ROW];
}
