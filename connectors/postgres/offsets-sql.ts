/**
 * The offsets table: the next Kafka offset of every (consumer group, topic, partition), written
 * in the same transaction as the rows it covers. Moves are compare-and-set: an insert that finds
 * a row, or an update that finds another value than expected, affects 0 rows; the connector sends
 * them wrapped by failUnlessMoved, so such a move fails inside the transaction and the connector
 * raises OffsetConflictError (another writer moved the partition).
 */
import type { PartitionOffset, Sql } from '../contract.ts';
import { quoteIdentifier } from './identifiers.ts';

export function createSchemaSql(schema: string): Sql {
  return { text: `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`, values: [] };
}

export function createOffsetsTableSql(table: string): Sql {
  return {
    text:
      `CREATE TABLE IF NOT EXISTS ${table} (consumer_group text NOT NULL, topic text NOT NULL, ` +
      'kafka_partition integer NOT NULL, next_offset bigint NOT NULL, ' +
      'updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer_group, topic, kafka_partition))',
    values: [],
  };
}

/** Rows: topic, kafka_partition (number), next_offset (text). */
export function selectOffsetsSql(table: string, groupId: string): Sql {
  return {
    text:
      `SELECT topic, kafka_partition, next_offset::text AS next_offset FROM ${table} ` +
      'WHERE consumer_group = $1 ORDER BY topic, kafka_partition',
    values: [groupId],
  };
}

export function insertOffsetSql(table: string, groupId: string, offset: PartitionOffset): Sql {
  return {
    text:
      `INSERT INTO ${table} (consumer_group, topic, kafka_partition, next_offset) ` +
      'VALUES ($1, $2, $3, $4::bigint) ON CONFLICT (consumer_group, topic, kafka_partition) DO NOTHING',
    values: [groupId, offset.topic, offset.partition, offset.nextOffset],
  };
}

export function updateOffsetSql(table: string, groupId: string, offset: PartitionOffset): Sql {
  return {
    text:
      `UPDATE ${table} SET next_offset = $4::bigint, updated_at = now() ` +
      'WHERE consumer_group = $1 AND topic = $2 AND kafka_partition = $3 AND next_offset = $5::bigint',
    values: [groupId, offset.topic, offset.partition, offset.nextOffset, offset.expected],
  };
}

/** SQLSTATE of the error a failUnlessMoved statement raises when it moved no row (division_by_zero). */
export const NOT_MOVED_SQLSTATE = '22012';

/**
 * An insert or update that fails (SQLSTATE 22012) when it affects no row, instead of reporting 0
 * rows. The statements of a batch travel in one pipeline with the COMMIT right behind them, so a
 * row count read afterwards would come too late: the conflict must abort the transaction itself.
 * count(*) is not a constant, so the division is evaluated at execution, never folded at planning.
 */
export function failUnlessMoved(sql: Sql): Sql {
  return { text: `WITH moved AS (${sql.text} RETURNING 1) SELECT 1 / count(*) AS moved FROM moved`, values: sql.values };
}
