/**
 * Offsets stored in the same transaction as the rows, the compare-and-set that guards them, and
 * statements chunked past the bind-parameter limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OffsetConflictError } from '../../../connectors/core/errors.ts';
import type { PartitionOffset } from '../../../connectors/contract.ts';
import { col, rejection, row, str, T, type Harness } from '../harness.ts';

const COLS = [col('id', T.i64, false), col('code', str(3))];

function offset(topic: string, partition: number, nextOffset: string, expected: string | null): PartitionOffset {
  return { topic, partition, nextOffset, expected };
}

/** Row by row, reporting the first differing row only (the tables are large). */
function assertSameRows(got: readonly (readonly unknown[])[], want: readonly (readonly unknown[])[]): void {
  const bad = want.findIndex((w, i) => JSON.stringify(w) !== JSON.stringify(got[i]));
  assert.equal(bad, -1, `row ${bad} differs: got ${JSON.stringify(got[bad])}, want ${JSON.stringify(want[bad])}`);
  assert.equal(got.length, want.length);
}

export function offsetBehaviours(h: Harness): void {
  test('offsets move with the rows: a failing statement leaves both unchanged, a later write moves both', async () => {
    await h.create('ct_offsets', COLS, ['id']);
    await h.create('ct_offsets_other', COLS, ['id']);
    const topic = 'contract.offsets';
    await h.write([await h.changes('ct_offsets', COLS, ['id'], { upserts: [row({ id: 1n, code: 'a' })] })], [offset(topic, 0, '10', null)]);
    assert.deepEqual(await h.offsets(topic), [`${topic}[0]=10`]);

    // A good table first, then a row that is too long for code varchar(3): nothing of it may stay.
    const failing = await rejection(async () =>
      h.write(
        [
          await h.changes('ct_offsets_other', COLS, ['id'], { upserts: [row({ id: 7n, code: 'ok' })] }),
          await h.changes('ct_offsets', COLS, ['id'], { upserts: [row({ id: 2n, code: 'b' }), row({ id: 3n, code: 'toolong' })] }),
        ],
        [offset(topic, 0, '20', '10')],
      ),
    );
    assert.equal(failing.kind, 'data', failing.message);
    assert.deepEqual(await h.offsets(topic), [`${topic}[0]=10`]);
    assert.equal(await h.reader.count('ct_offsets_other'), 0);
    assert.deepEqual(await h.read('ct_offsets', { id: 'int', code: 'text' }, ['id']), [['1', 'a']]);

    await h.write(
      [await h.changes('ct_offsets', COLS, ['id'], { upserts: [row({ id: 2n, code: 'b' }), row({ id: 3n, code: 'c' })] })],
      [offset(topic, 0, '20', '10'), offset(topic, 1, '5', null)],
    );
    assert.deepEqual(await h.offsets(topic), [`${topic}[0]=20`, `${topic}[1]=5`]);
    assert.deepEqual(await h.read('ct_offsets', { id: 'int', code: 'text' }, ['id']), [
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ]);
  });

  test('a wrong expected offset fails with OffsetConflictError and writes nothing', async () => {
    await h.create('ct_conflict', COLS, ['id']);
    const topic = 'contract.conflict';
    await h.write([], [offset(topic, 0, '100', null), offset(topic, 1, '50', null)]);

    const stale = await rejection(async () =>
      h.write([await h.changes('ct_conflict', COLS, ['id'], { upserts: [row({ id: 1n, code: 'x' })] })], [offset(topic, 0, '150', '90')]),
    );
    assert.ok(stale instanceof OffsetConflictError, `${stale.name}: ${stale.message}`);

    const again = await rejection(async () =>
      h.write([await h.changes('ct_conflict', COLS, ['id'], { upserts: [row({ id: 2n, code: 'y' })] })], [offset(topic, 1, '60', null)]),
    );
    assert.ok(again instanceof OffsetConflictError, `expected null while one is stored: ${again.name}: ${again.message}`);

    // One good and one stale partition in one batch: neither moves.
    const mixed = await rejection(async () =>
      h.write(
        [await h.changes('ct_conflict', COLS, ['id'], { upserts: [row({ id: 3n, code: 'z' })] })],
        [offset(topic, 0, '150', '100'), offset(topic, 1, '60', '49')],
      ),
    );
    assert.ok(mixed instanceof OffsetConflictError, `${mixed.name}: ${mixed.message}`);
    assert.deepEqual(await h.offsets(topic), [`${topic}[0]=100`, `${topic}[1]=50`]);
    assert.equal(await h.reader.count('ct_conflict'), 0);

    // The same offset again (an empty batch of skipped records) is still a valid compare-and-set.
    await h.write([], [offset(topic, 0, '100', '100')]);
    await h.write([], [offset(topic, 0, '101', '100')]);
    assert.deepEqual(await h.offsets(topic), [`${topic}[0]=101`, `${topic}[1]=50`]);

    // Another consumer group has offsets of its own for the same partitions.
    const other = `${h.group}-other`;
    await h.connector.write({ groupId: other, tables: [], offsets: [offset(topic, 0, '7', null)] });
    assert.deepEqual(await h.connector.readOffsets(other), [{ topic, partition: 0, nextOffset: '7' }]);
    assert.deepEqual(await h.offsets(topic), [`${topic}[0]=101`, `${topic}[1]=50`]);
  });

  test('offsets beyond 2^53 are stored and compared exactly', async () => {
    const topic = 'contract.bigoffsets';
    const big = '9007199254740993'; // 2^53 + 1: a JS number would read it as ...992
    await h.write([], [offset(topic, 3, big, null)]);
    const stored = (await h.connector.readOffsets(h.group)).filter((o) => o.topic === topic);
    assert.deepEqual(stored, [{ topic, partition: 3, nextOffset: big }]);
    const near = await rejection(() => h.write([], [offset(topic, 3, '9223372036854775807', '9007199254740992')]));
    assert.ok(near instanceof OffsetConflictError, `a compare-and-set against ${big} with ...992 must fail: ${near.message}`);
    await h.write([], [offset(topic, 3, '9223372036854775807', big)]);
    assert.deepEqual(await h.offsets(topic), [`${topic}[3]=9223372036854775807`]);
  });

  test('chunking: 1,000 rows x 81 columns (81,000 values, past 65,535 binds) are all written, then all updated', async () => {
    const names = Array.from({ length: 80 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const cols = [col('id', T.i64, false), ...names.map((n) => col(n, T.i32))];
    await h.create('ct_chunks', cols, ['id']);
    const rows = (bump: number) =>
      Array.from({ length: 1000 }, (_, r) => row({ id: BigInt(r), ...Object.fromEntries(names.map((n, c) => [n, r * 100 + c + bump])) }));
    const expected = (bump: number) =>
      Array.from({ length: 1000 }, (_, r) => [String(r), ...names.map((_n, c) => String(r * 100 + c + bump))]);
    const spec = Object.fromEntries([['id', 'int'], ...names.map((n) => [n, 'int'])]) as Record<string, 'int'>;

    const changes = await h.changes('ct_chunks', cols, ['id'], { upserts: rows(0) });
    const statements = h.connector.dialect.tableChanges(changes);
    // Oracle's executeMany() binds one row at a time (batch statements): no statement limit to split for.
    const single = statements.filter((s) => s.batch !== true);
    if (single.length > 0) assert.ok(single.length >= 2, `expected the rows split over several statements, got ${single.length}`);
    for (const s of single) {
      assert.ok(s.values.length <= h.connector.dialect.maxBindParameters, `a statement carries ${s.values.length} binds`);
    }
    await h.write([changes]);
    assertSameRows(await h.read('ct_chunks', spec, ['id']), expected(0));
    await h.apply('ct_chunks', cols, ['id'], { upserts: rows(7) });
    assertSameRows(await h.read('ct_chunks', spec, ['id']), expected(7));
  });

  test('chunking by size: 120 rows of 200 KB (24 MB in one batch, more than a 16 MB packet) are all written', async () => {
    const cols = [col('id', T.i64, false), col('body', T.text)];
    await h.create('ct_big_rows', cols, ['id']);
    const body = (r: number) => `${String(r).padStart(4, '0')}:${'é'.repeat(50_000)}${'x'.repeat(100_000)}`;
    const rows = Array.from({ length: 120 }, (_, r) => row({ id: BigInt(r), body: body(r) }));
    await h.apply('ct_big_rows', cols, ['id'], { upserts: rows });
    const got = await h.read('ct_big_rows', { id: 'int', body: 'text' }, ['id']);
    assert.equal(got.length, 120);
    got.forEach(([id, text], r) => {
      assert.equal(id, String(r));
      assert.ok(text === body(r), `row ${r}: ${text?.length ?? 'null'} characters, starting ${text?.slice(0, 10) ?? ''}`);
    });
  });
}
