import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mariadb, mysql8020 } from './fixtures.ts';

describe('mysql offsets SQL', () => {
  const o = { topic: 'db.public.orders', partition: 3, nextOffset: '120', expected: '100' };

  test('create: one table keyed by group, topic and partition, binary collation', () => {
    assert.deepEqual(mysql8020({ offsetsTable: 'offs' }).createOffsetsTable(), [
      {
        text:
          'CREATE TABLE IF NOT EXISTS `app`.`offs` (`consumer_group` VARCHAR(255) NOT NULL, `topic` VARCHAR(255) NOT NULL, ' +
          '`kafka_partition` INT NOT NULL, `next_offset` BIGINT NOT NULL, `updated_at` DATETIME(6) NOT NULL, ' +
          'PRIMARY KEY (`consumer_group`, `topic`, `kafka_partition`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin',
        values: [],
      },
    ]);
  });

  test('select', () => {
    assert.deepEqual(mariadb().selectOffsets('g1'), {
      text:
        'SELECT `topic`, `kafka_partition`, `next_offset` FROM `app`.`cdc_sink_offsets` WHERE `consumer_group` = ? ' +
        'ORDER BY `topic`, `kafka_partition`',
      values: ['g1'],
    });
  });

  test('insert affects 0 rows when the row exists (INSERT ... SELECT ... WHERE NOT EXISTS)', () => {
    assert.deepEqual(mariadb().insertOffset('g1', { ...o, expected: null }), {
      text:
        'INSERT INTO `app`.`cdc_sink_offsets` (`consumer_group`, `topic`, `kafka_partition`, `next_offset`, `updated_at`) ' +
        'SELECT ?, ?, ?, ?, UTC_TIMESTAMP(6) FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM `app`.`cdc_sink_offsets` ' +
        'WHERE `consumer_group` = ? AND `topic` = ? AND `kafka_partition` = ?)',
      values: ['g1', 'db.public.orders', 3, '120', 'g1', 'db.public.orders', 3],
    });
  });

  test('update is a compare-and-set on the expected offset', () => {
    assert.deepEqual(mariadb().updateOffset('g1', o), {
      text:
        'UPDATE `app`.`cdc_sink_offsets` SET `next_offset` = ?, `updated_at` = UTC_TIMESTAMP(6) ' +
        'WHERE `consumer_group` = ? AND `topic` = ? AND `kafka_partition` = ? AND `next_offset` = ?',
      values: ['120', 'g1', 'db.public.orders', 3, '100'],
    });
  });

  test('inline move: the same statements with literals, then a check that raises unless one row moved', () => {
    const check = 'SET @cdc_sink_moved = (SELECT 1 UNION ALL SELECT 1 FROM DUAL WHERE ROW_COUNT() <> 1)';
    assert.deepEqual(mariadb().moveOffsetInline('g1', o), [
      "UPDATE `app`.`cdc_sink_offsets` SET `next_offset` = 120, `updated_at` = UTC_TIMESTAMP(6) " +
        "WHERE `consumer_group` = 'g1' AND `topic` = 'db.public.orders' AND `kafka_partition` = 3 AND `next_offset` = 100",
      check,
    ]);
    assert.deepEqual(mariadb().moveOffsetInline("it's", { ...o, topic: 'a\\b', expected: null }), [
      'INSERT INTO `app`.`cdc_sink_offsets` (`consumer_group`, `topic`, `kafka_partition`, `next_offset`, `updated_at`) ' +
        "SELECT 'it\\'s', 'a\\\\b', 3, 120, UTC_TIMESTAMP(6) FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM `app`.`cdc_sink_offsets` " +
        "WHERE `consumer_group` = 'it\\'s' AND `topic` = 'a\\\\b' AND `kafka_partition` = 3)",
      check,
    ]);
  });

  test('inline move: offsets that are not integers are refused, never quoted', () => {
    assert.throws(() => mariadb().moveOffsetInline('g', { ...o, nextOffset: '1; DROP TABLE x' }), /offset 1; DROP TABLE x is not an integer/);
    assert.throws(() => mariadb().moveOffsetInline('g', { ...o, expected: '' }), /offset {2}is not an integer/);
  });

  test('without a default database the offsets table is unqualified', () => {
    assert.match(mariadb({ defaultDatabase: null }).selectOffsets('g').text, /FROM `cdc_sink_offsets` WHERE/);
  });
});
