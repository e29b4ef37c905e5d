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

export interface OffsetsSqlOptions {
  /** `db`.`table` or `table`, already quoted. */
  readonly sqlName: string;
  readonly collation: string;
}

const KEY_MATCH = `${quoteIdentifier('consumer_group')} = ? AND ${quoteIdentifier('topic')} = ? AND ${quoteIdentifier('kafka_partition')} = ?`;

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

export function insertOffsetSql(o: OffsetsSqlOptions, groupId: string, offset: PartitionOffset): Sql {
  return {
    text:
      `INSERT INTO ${o.sqlName} (\`consumer_group\`, \`topic\`, \`kafka_partition\`, \`next_offset\`, \`updated_at\`) ` +
      `SELECT ?, ?, ?, ?, UTC_TIMESTAMP(6) FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM ${o.sqlName} WHERE ${KEY_MATCH})`,
    values: [groupId, offset.topic, offset.partition, offset.nextOffset, groupId, offset.topic, offset.partition],
  };
}

export function updateOffsetSql(o: OffsetsSqlOptions, groupId: string, offset: PartitionOffset): Sql {
  return {
    text:
      `UPDATE ${o.sqlName} SET \`next_offset\` = ?, \`updated_at\` = UTC_TIMESTAMP(6) ` +
      `WHERE ${KEY_MATCH} AND \`next_offset\` = ?`,
    values: [offset.nextOffset, groupId, offset.topic, offset.partition, offset.expected],
  };
}
