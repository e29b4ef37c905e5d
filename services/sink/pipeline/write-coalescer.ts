/**
 * Puts the flushes of several partitions into one target transaction.
 *
 * At steady traffic every caught-up partition flushes on its own every caughtUpFlushIntervalMs: with
 * a dozen partitions that was a few hundred small transactions a second, each costing the database
 * a commit and the sink a round trip. Here at most `writesInFlight` transactions run at once; batches
 * submitted meanwhile wait, and the next transaction takes as many of them as fit in `maxRows` (their
 * tables in order, their offsets together: one WriteBatch, which the connector contract allows).
 * Nothing waits for company: batches submitted while a slot is free go out at the next turn of the
 * event loop, together with whatever else was submitted in the same turn (the pipeline's timer flushes
 * every due partition in one turn); batches that waited go as soon as a slot frees.
 *
 * A combined transaction that fails is rolled back as a whole; its batches are then written one by
 * one, so that a rejected row or a moved offset (OffsetConflictError) stays with its own partition,
 * exactly as if the batches had never met. Other retriable errors (a lost connection, a deadlock)
 * are handed to every batch of the transaction: each partition retries on its own.
 *
 * Off by default (batch.combineWrites): on a local MariaDB it cut the commits 4-5x but not the lag,
 * and slowed drains and catch-ups, since one transaction runs on one database thread (BENCHMARKS.md,
 * ninth session). It is for targets whose commits are expensive.
 */
import type { Connector, WriteBatch } from '../../../connectors/contract.ts';
import { CdcSinkError, OffsetConflictError } from '../../../connectors/core/errors.ts';

export interface CoalescerLimits {
  /** Most transactions at once (>= 1; Infinity: no limit but the target pool's). */
  readonly writesInFlight: number;
  /** False: every batch is a transaction of its own (still at most writesInFlight at once). */
  readonly combine: boolean;
  /** A combined transaction takes waiting batches while their rows together stay within this (one batch always). */
  readonly maxRows: number;
}

interface Waiting {
  readonly batch: WriteBatch;
  readonly rows: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

const rowsIn = (batch: WriteBatch) => batch.tables.reduce((n, t) => n + t.upserts.length + t.deletes.length + (t.truncate ? 1 : 0), 0);

/** One WriteBatch of several: tables in order, offsets together. */
export function combineBatches(batches: readonly WriteBatch[]): WriteBatch {
  return {
    groupId: (batches[0] as WriteBatch).groupId,
    tables: batches.flatMap((b) => b.tables),
    offsets: batches.flatMap((b) => b.offsets),
  };
}

/** Whether a failed combined transaction is retried batch by batch (rather than handed to each batch). */
function splitsOn(err: unknown): boolean {
  return err instanceof OffsetConflictError || !(err instanceof CdcSinkError && err.retriable);
}

export class WriteCoalescer {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly writeOne: (batch: WriteBatch) => Promise<void>,
    private readonly limits: CoalescerLimits,
    /** Called before every transaction with the number of batches in it. */
    private readonly onTransaction: (batches: number) => void = () => {},
  ) {
    if (!(limits.writesInFlight >= 1)) throw new RangeError(`writesInFlight must be at least 1, got ${limits.writesInFlight}`);
  }

  /** Resolves once the batch is committed; rejects with the error of the transaction that carried it alone (or the retriable error of a combined one). */
  write(batch: WriteBatch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ batch, rows: rowsIn(batch), resolve, reject });
      this.schedule();
    });
  }

  /** Batches waiting for a transaction (for tests and diagnostics). */
  get queued(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.limits.writesInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    while (this.inFlight < this.limits.writesInFlight && this.waiting.length > 0) {
      const group = this.take();
      this.inFlight++;
      void this.run(group).finally(() => {
        this.inFlight--;
        this.start(); // what waited meanwhile goes now
      });
    }
  }

  /** The first waiting batch and, when combining, every later one that still fits in maxRows. */
  private take(): Waiting[] {
    const first = this.waiting.shift() as Waiting;
    const group = [first];
    if (!this.limits.combine) return group;
    let rows = first.rows;
    for (let i = 0; i < this.waiting.length; ) {
      const next = this.waiting[i] as Waiting;
      if (next.batch.groupId === first.batch.groupId && rows + next.rows <= this.limits.maxRows) {
        group.push(next);
        rows += next.rows;
        this.waiting.splice(i, 1);
      } else {
        i++;
      }
    }
    return group;
  }

  private async run(group: readonly Waiting[]): Promise<void> {
    if (group.length === 1) return this.alone(group[0] as Waiting);
    try {
      this.onTransaction(group.length);
      await this.writeOne(combineBatches(group.map((w) => w.batch)));
    } catch (err) {
      if (!splitsOn(err)) {
        for (const w of group) w.reject(err);
        return;
      }
      for (const w of group) await this.alone(w);
      return;
    }
    for (const w of group) w.resolve();
  }

  private async alone(w: Waiting): Promise<void> {
    try {
      this.onTransaction(1);
      await this.writeOne(w.batch);
    } catch (err) {
      w.reject(err);
      return;
    }
    w.resolve();
  }
}

/**
 * How the pipeline writes a flush's batch (batch.combineWrites, batch.writesInFlight): through a
 * coalescer, or straight to the connector when neither asks for one. Every transaction is counted
 * (cdc_sink_batches_per_transaction).
 */
export function flushWriter(
  connector: Pick<Connector, 'write'>,
  batch: { readonly combineWrites: boolean; readonly writesInFlight: number | null; readonly maxRows: number },
  telemetry: { transaction(batches: number): void },
): (batch: WriteBatch) => Promise<void> {
  if (!batch.combineWrites && batch.writesInFlight === null) {
    return (b) => {
      telemetry.transaction(1);
      return connector.write(b);
    };
  }
  const coalescer = new WriteCoalescer(
    (b) => connector.write(b),
    { writesInFlight: batch.writesInFlight ?? Number.POSITIVE_INFINITY, combine: batch.combineWrites, maxRows: batch.maxRows },
    (batches) => telemetry.transaction(batches),
  );
  return (b) => coalescer.write(b);
}
