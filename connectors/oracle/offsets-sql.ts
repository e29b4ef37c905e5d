/**
 * The offsets table: the next Kafka offset of every (consumer group, topic, partition), written
 * in the same transaction as the rows it covers. Moves are compare-and-set: an insert that finds
 * a row, or an update that finds another value than expected, affects 0 rows and the connector
 * raises OffsetConflictError (another writer moved the partition).
 *
 * Column names are fixed upper-case (Oracle's unquoted style) and mirror the other targets'
 * consumer_group / topic / kafka_partition / next_offset / updated_at. Offsets are bound as
 * exact strings and stored as NUMBER(19) (Kafka offsets are int64); they are read back with
 * TO_CHAR so no offset passes through a JS number.
 *
 * Values are bound by position, and Oracle binds by order of appearance whatever the names: the
 * placeholders are numbered in the order they appear.
 */
import type { PartitionOffset, Sql } from '../contract.ts';
import { ignoringErrors, ORA_NAME_ALREADY_USED } from './ddl.ts';

export function createOffsetsTableSql(table: string): Sql {
  const ddl =
    `CREATE TABLE ${table} ("CONSUMER_GROUP" VARCHAR2(255 CHAR) NOT NULL, "TOPIC" VARCHAR2(255 CHAR) NOT NULL, ` +
    '"KAFKA_PARTITION" NUMBER(10) NOT NULL, "NEXT_OFFSET" NUMBER(19) NOT NULL, ' +
    '"UPDATED_AT" TIMESTAMP(6) WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL, ' +
    'PRIMARY KEY ("CONSUMER_GROUP", "TOPIC", "KAFKA_PARTITION"))';
  return { text: ignoringErrors(ddl, [ORA_NAME_ALREADY_USED]), values: [] };
}

/** Rows: TOPIC, KAFKA_PARTITION (number), NEXT_OFFSET (text). */
export function selectOffsetsSql(table: string, groupId: string): Sql {
  return {
    text:
      `SELECT "TOPIC", "KAFKA_PARTITION", TO_CHAR("NEXT_OFFSET") AS "NEXT_OFFSET" FROM ${table} ` +
      'WHERE "CONSUMER_GROUP" = :1 ORDER BY "TOPIC", "KAFKA_PARTITION"',
    values: [groupId],
  };
}

/** Inserts the partition's first offset; 0 rows when a row exists (NOT EXISTS, Oracle has no ON CONFLICT). */
export function insertOffsetSql(table: string, groupId: string, offset: PartitionOffset): Sql {
  return {
    text:
      `INSERT INTO ${table} ("CONSUMER_GROUP", "TOPIC", "KAFKA_PARTITION", "NEXT_OFFSET") ` +
      `SELECT :1, :2, :3, TO_NUMBER(:4) FROM dual WHERE NOT EXISTS (SELECT 1 FROM ${table} ` +
      'WHERE "CONSUMER_GROUP" = :5 AND "TOPIC" = :6 AND "KAFKA_PARTITION" = :7)',
    values: [groupId, offset.topic, offset.partition, offset.nextOffset, groupId, offset.topic, offset.partition],
  };
}

/** Moves the offset; 0 rows unless the stored value equals offset.expected (null never matches). */
export function updateOffsetSql(table: string, groupId: string, offset: PartitionOffset): Sql {
  return {
    text:
      `UPDATE ${table} SET "NEXT_OFFSET" = TO_NUMBER(:1), "UPDATED_AT" = SYSTIMESTAMP ` +
      'WHERE "CONSUMER_GROUP" = :2 AND "TOPIC" = :3 AND "KAFKA_PARTITION" = :4 AND "NEXT_OFFSET" = TO_NUMBER(:5)',
    values: [offset.nextOffset, groupId, offset.topic, offset.partition, offset.expected],
  };
}
