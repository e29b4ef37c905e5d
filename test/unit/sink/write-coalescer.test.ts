/**
 * The write coalescer's rules, against a recording writer whose transactions the test settles:
 * batches of one turn go together; batches submitted while the slots are busy wait and go together
 * in the next transaction, within maxRows; a combined transaction that fails on a row or a moved
 * offset is written again batch by batch so that only the guilty batch fails; other retriable
 * errors go to every batch of the transaction.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WriteBatch } from '../../../connectors/contract.ts';
import { CdcSinkError, ErrorCodes, OffsetConflictError, TargetError } from '../../../connectors/core/errors.ts';
import { newRow } from '../../../connectors/core/value.ts';
import { WriteCoalescer, combineBatches, flushWriter, type CoalescerLimits } from '../../../services/sink/pipeline/write-coalescer.ts';

/** A batch of partition p with `rows` upserts into table "t<p>". */
function batchOf(p: number, rows = 1, groupId = 'g'): WriteBatch {
  const upserts = Array.from({ length: rows }, (_v, i) => Object.assign(newRow(), { id: i }));
  const table = { schema: null, name: `t${p}` };
  return {
    groupId,
    tables: [{ table, description: { table, columns: [], primaryKey: ['id'] }, columns: [], keyColumns: ['id'], mode: 'upsert', truncate: false, deletes: [], upserts }],
    offsets: [{ topic: 't', partition: p, nextOffset: String(p + 1), expected: null }],
  };
}

const partitions = (b: WriteBatch) => b.offsets.map((o) => o.partition);

/** A writer whose transactions stay open until the test settles them; the outcome of each by its partitions. */
class Writer {
  readonly transactions: { batch: WriteBatch; settle: (err?: Error) => void }[] = [];
  /** Errors thrown at once for transactions holding a partition (combined or alone), by partition. */
  failFor = new Map<number, Error>();
  autoCommit = false;

  write = (batch: WriteBatch): Promise<void> => {
    for (const p of partitions(batch)) {
      const err = this.failFor.get(p);
      if (err) {
        this.transactions.push({ batch, settle: () => {} });
        return Promise.reject(err);
      }
    }
    return new Promise<void>((resolve, reject) => {
      this.transactions.push({ batch, settle: (err) => (err ? reject(err) : resolve()) });
      if (this.autoCommit) resolve();
    });
  };

  get shapes(): number[][] {
    return this.transactions.map((t) => partitions(t.batch));
  }
}

const turn = () => new Promise<void>((r) => setImmediate(r));

async function settled(promises: Promise<void>[]): Promise<string[]> {
  const out = await Promise.allSettled(promises);
  return out.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).name));
}

function coalescer(writer: Writer, limits: Partial<CoalescerLimits> = {}, sizes: number[] = []) {
  return new WriteCoalescer(writer.write, { writesInFlight: 1, combine: true, maxRows: 100, ...limits }, (n) => sizes.push(n));
}

describe('write coalescer', () => {
  test('batches submitted in one turn go out in one transaction: tables in order, offsets together', async () => {
    const writer = new Writer();
    writer.autoCommit = true;
    const sizes: number[] = [];
    const c = coalescer(writer, {}, sizes);
    const results = [0, 1, 2].map((p) => c.write(batchOf(p)));
    assert.deepEqual(await settled(results), ['ok', 'ok', 'ok']);
    assert.deepEqual(writer.shapes, [[0, 1, 2]]);
    assert.deepEqual(
      writer.transactions[0]!.batch.tables.map((t) => t.table.name),
      ['t0', 't1', 't2'],
    );
    assert.deepEqual(sizes, [3]);
  });

  test('batches submitted while the write slot is busy wait, then go together', async () => {
    const writer = new Writer();
    const c = coalescer(writer);
    const first = c.write(batchOf(0));
    await turn();
    assert.deepEqual(writer.shapes, [[0]]);
    const later = [1, 2, 3].map((p) => c.write(batchOf(p)));
    await turn();
    assert.deepEqual(writer.shapes, [[0]], 'nothing starts while the one slot is busy');
    assert.equal(c.queued, 3);
    writer.transactions[0]!.settle();
    await first;
    await turn();
    assert.deepEqual(writer.shapes, [[0], [1, 2, 3]]);
    writer.transactions[1]!.settle();
    assert.deepEqual(await settled(later), ['ok', 'ok', 'ok']);
  });

  test('writesInFlight transactions run at once; the rest wait for a free slot', async () => {
    const writer = new Writer();
    const c = coalescer(writer, { writesInFlight: 2, maxRows: 1 });
    const results = [0, 1, 2].map((p) => c.write(batchOf(p)));
    await turn();
    assert.deepEqual(writer.shapes, [[0], [1]]);
    writer.transactions[1]!.settle();
    await turn();
    await turn();
    assert.deepEqual(writer.shapes, [[0], [1], [2]]);
    writer.transactions[0]!.settle();
    writer.transactions[2]!.settle();
    assert.deepEqual(await settled(results), ['ok', 'ok', 'ok']);
  });

  test('a combined transaction takes waiting batches only while their rows fit in maxRows; the first always goes', async () => {
    const writer = new Writer();
    writer.autoCommit = true;
    const c = coalescer(writer, { maxRows: 10 });
    const results = [
      c.write(batchOf(0, 12)), // over maxRows on its own: alone
      c.write(batchOf(1, 6)),
      c.write(batchOf(2, 6)), // does not fit with 1
      c.write(batchOf(3, 4)), // fits with 1
    ];
    assert.deepEqual(await settled(results), ['ok', 'ok', 'ok', 'ok']);
    assert.deepEqual(writer.shapes, [[0], [1, 3], [2]]);
  });

  test('combine false: every batch is its own transaction', async () => {
    const writer = new Writer();
    writer.autoCommit = true;
    const c = coalescer(writer, { combine: false });
    assert.deepEqual(await settled([0, 1, 2].map((p) => c.write(batchOf(p)))), ['ok', 'ok', 'ok']);
    assert.deepEqual(writer.shapes, [[0], [1], [2]]);
  });

  test('batches of different consumer groups are never combined', async () => {
    const writer = new Writer();
    writer.autoCommit = true;
    const c = coalescer(writer);
    await Promise.all([c.write(batchOf(0, 1, 'a')), c.write(batchOf(1, 1, 'b')), c.write(batchOf(2, 1, 'a'))]);
    assert.deepEqual(writer.shapes, [[0, 2], [1]]);
  });

  test('a row the database rejects in a combined transaction fails only its own batch: the others are written alone', async () => {
    const writer = new Writer();
    writer.autoCommit = true;
    const rejected = new TargetError(ErrorCodes.TARGET_DATA, 'value too long for t1', { kind: 'data' });
    writer.failFor.set(1, rejected);
    const sizes: number[] = [];
    const c = coalescer(writer, {}, sizes);
    const results = [0, 1, 2].map((p) => c.write(batchOf(p)));
    assert.deepEqual(await settled(results), ['ok', 'TargetError', 'ok']);
    await assert.rejects(results[1]!, (err) => err === rejected);
    assert.deepEqual(writer.shapes, [[0, 1, 2], [0], [1], [2]]);
    assert.deepEqual(sizes, [3, 1, 1, 1]);
  });

  test('a moved offset in a combined transaction fails only the batch of that partition (OffsetConflictError)', async () => {
    const writer = new Writer();
    writer.autoCommit = true;
    writer.failFor.set(2, new OffsetConflictError('offset of t[2] moved'));
    const c = coalescer(writer);
    const results = [0, 1, 2].map((p) => c.write(batchOf(p)));
    assert.deepEqual(await settled(results), ['ok', 'ok', 'OffsetConflictError']);
    assert.deepEqual(writer.shapes, [[0, 1, 2], [0], [1], [2]]);
  });

  test('a lost connection fails every batch of the combined transaction with that error, without writing them one by one', async () => {
    const writer = new Writer();
    const lost = new CdcSinkError(ErrorCodes.TARGET_CONNECTION, 'connection terminated', { kind: 'retriable' });
    const c = coalescer(writer);
    const results = [0, 1].map((p) => c.write(batchOf(p)));
    await turn();
    writer.transactions[0]!.settle(lost);
    const outcomes = await Promise.allSettled(results);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'rejected' ? (o.reason as unknown) : null)),
      [lost, lost],
    );
    assert.deepEqual(writer.shapes, [[0, 1]]);
    // The slot is free again: the retries are written.
    writer.autoCommit = true;
    assert.deepEqual(await settled([c.write(batchOf(0)), c.write(batchOf(1))]), ['ok', 'ok']);
    assert.deepEqual(writer.shapes, [[0, 1], [0, 1]]);
  });

  test('flushWriter: without combineWrites and writesInFlight every batch goes straight to the connector; with them, through the coalescer', async () => {
    const settings = (combineWrites: boolean, writesInFlight: number | null) => ({ combineWrites, writesInFlight, maxRows: 100 });
    for (const [combine, inFlight, shapes, counted] of [
      [false, null, [[0], [1], [2]], [1, 1, 1]],
      [true, null, [[0, 1, 2]], [3]],
      [false, 1, [[0], [1], [2]], [1, 1, 1]],
    ] as const) {
      const writer = new Writer();
      writer.autoCommit = true;
      const transactions: number[] = [];
      const write = flushWriter(writer, settings(combine, inFlight), { transaction: (n) => transactions.push(n) });
      const results = [0, 1, 2].map((p) => write(batchOf(p)));
      // Straight to the connector means before any turn of the event loop; a coalescer waits for one.
      assert.equal(writer.transactions.length, combine || inFlight !== null ? 0 : 3, `combine ${combine}, writesInFlight ${inFlight}`);
      assert.deepEqual(await settled(results), ['ok', 'ok', 'ok']);
      assert.deepEqual(writer.shapes, shapes);
      assert.deepEqual(transactions, counted);
    }
  });

  test('combineBatches keeps every table and offset in order; writesInFlight below 1 is refused', () => {
    const combined = combineBatches([batchOf(3), batchOf(1)]);
    assert.deepEqual(partitions(combined), [3, 1]);
    assert.deepEqual(
      combined.tables.map((t) => t.table.name),
      ['t3', 't1'],
    );
    assert.throws(() => coalescer(new Writer(), { writesInFlight: 0 }), RangeError);
  });
});
