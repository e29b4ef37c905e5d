import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPostgresDialect } from '../../../connectors/postgres/dialect.ts';
import { failUnlessMoved, NOT_MOVED_SQLSTATE } from '../../../connectors/postgres/offsets-sql.ts';

const dialect = createPostgresDialect({ schema: 'Sink', offsetsTable: 'cdc_sink_offsets', rowsPerStatement: 2000 });

void describe('postgres offsets SQL', () => {
  void test('createOffsetsTable', () => {
    assert.deepEqual(dialect.createOffsetsTable(), [
      {
        text:
          'CREATE TABLE IF NOT EXISTS "Sink"."cdc_sink_offsets" (consumer_group text NOT NULL, topic text NOT NULL, ' +
          'kafka_partition integer NOT NULL, next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), ' +
          'PRIMARY KEY (consumer_group, topic, kafka_partition))',
        values: [],
      },
    ]);
    assert.deepEqual(dialect.createSchema(), { text: 'CREATE SCHEMA IF NOT EXISTS "Sink"', values: [] });
  });

  void test('selectOffsets', () => {
    assert.deepEqual(dialect.selectOffsets('group-1'), {
      text:
        'SELECT topic, kafka_partition, next_offset::text AS next_offset FROM "Sink"."cdc_sink_offsets" ' +
        'WHERE consumer_group = $1 ORDER BY topic, kafka_partition',
      values: ['group-1'],
    });
  });

  void test('insertOffset affects no row when one exists (ON CONFLICT DO NOTHING)', () => {
    assert.deepEqual(dialect.insertOffset('g', { topic: 'db.public.t', partition: 3, nextOffset: '42', expected: null }), {
      text:
        'INSERT INTO "Sink"."cdc_sink_offsets" (consumer_group, topic, kafka_partition, next_offset) ' +
        'VALUES ($1, $2, $3, $4::bigint) ON CONFLICT (consumer_group, topic, kafka_partition) DO NOTHING',
      values: ['g', 'db.public.t', 3, '42'],
    });
  });

  void test('updateOffset is a compare-and-set on the expected value', () => {
    assert.deepEqual(
      dialect.updateOffset('g', { topic: 't', partition: 0, nextOffset: '9223372036854775807', expected: '100' }),
      {
        text:
          'UPDATE "Sink"."cdc_sink_offsets" SET next_offset = $4::bigint, updated_at = now() ' +
          'WHERE consumer_group = $1 AND topic = $2 AND kafka_partition = $3 AND next_offset = $5::bigint',
        values: ['g', 't', 0, '9223372036854775807', '100'],
      },
    );
  });

  void test('failUnlessMoved turns a move of no row into a division by zero, keeping the values', () => {
    const move = dialect.updateOffset('g', { topic: 't', partition: 0, nextOffset: '9', expected: '8' });
    assert.deepEqual(failUnlessMoved(move), {
      text: `WITH moved AS (${move.text} RETURNING 1) SELECT 1 / count(*) AS moved FROM moved`,
      values: move.values,
    });
    assert.equal(NOT_MOVED_SQLSTATE, '22012');
  });
});
