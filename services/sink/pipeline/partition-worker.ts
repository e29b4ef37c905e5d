/**
 * One topic-partition's path from records to target rows. Records are decoded, transformed, routed
 * and buffered; the buffer is flushed (rows + the partition's next offset in one transaction) when it
 * holds batch.maxRows events, when its oldest record is batch.maxAgeMs old, and on shutdown.
 *
 * Exactly-once: the next offset stored in the target is the truth. Records below it are replays and
 * are skipped; each flush moves the stored offset with a compare-and-set from the value this worker
 * started from, so a second writer (a zombie after a rebalance) can never apply a batch twice.
 *
 * All work on one partition is serialized (a promise chain), so order per key is kept.
 */
import type { ChangeEvent, TableId } from '../../../connectors/core/change-event.ts';
import { tableIdText } from '../../../connectors/core/change-event.ts';
import { CdcSinkError, DecodeError, ErrorCodes, OffsetConflictError, errorText } from '../../../connectors/core/errors.ts';
import type { Row, Value } from '../../../connectors/core/value.ts';
import { isUnchanged, newRow } from '../../../connectors/core/value.ts';
import type { TableChanges, WriteBatch } from '../../../connectors/contract.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import type { TableFlush } from '../telemetry/telemetry.ts';
import { isolateRejected } from './isolate.ts';
import { PartitionBuffer } from './partition-buffer.ts';
import type { BufferedTable } from './partition-buffer.ts';
import { backoffDelay, retrying, sleep } from './retry.ts';
import type { Route } from './router.ts';
import type { BatchHooks, DeadLetter, PipelineDeps, TableTransformChain } from './stages.ts';
import type { BatchEntry } from './table-batch.ts';
import { rowsOf } from './table-batch.ts';

interface Unit {
  readonly table: number;
  readonly entry: BatchEntry;
}

/**
 * Records taken between two turns of the event loop. Taking a record awaits only promises that are
 * already settled, so without a turn a batch of thousands ran as one long chain of microtasks (tens
 * to hundreds of milliseconds with 12 partitions' batches interleaved), while the results of other
 * partitions' flushes, heartbeats and /metrics waited behind it.
 */
export const RECORDS_PER_TURN = 200;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Thrown to stop the service: the record or batch cannot be applied and the policy is to stop. */
export class PipelineStopError extends CdcSinkError {
  constructor(readonly reason: CdcSinkError) {
    super(reason.code, reason.message, { kind: reason.kind, cause: reason, location: undefined, table: reason.table });
    this.name = 'PipelineStopError';
  }
}

function present(row: Row | null, column: string): Value | undefined {
  const v = row?.[column];
  return v !== undefined && v !== null && !isUnchanged(v) ? v : undefined;
}

/** Key values of a delete: from the message key, else from the before image; null when one is missing. */
function deleteKeyRow(event: ChangeEvent, keyColumns: readonly string[]): Row | null {
  const out = newRow();
  for (const c of keyColumns) {
    const v = present(event.key, c) ?? present(event.before, c);
    if (v === undefined) return null;
    out[c] = v;
  }
  return out;
}

/** Whether an upsert has every key column (in its row, else in its message key); allocates nothing. */
function upsertHasKey(event: ChangeEvent, keyColumns: readonly string[]): boolean {
  for (const c of keyColumns) if (present(event.row, c) === undefined && present(event.key, c) === undefined) return false;
  return true;
}

export class PartitionWorker {
  private buffer = new PartitionBuffer();
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** Set while paused after a data error: the offset to fetch again from on resume. */
  private pausedAt: string | null = null;
  /**
   * Counts this worker's seeks (resync, resume). Records handed over before a seek are from the old
   * position: with prefetch, kafkajs may already fetch the next batch while one is processed, so
   * Kafka's pending-seek flag alone does not cover them.
   */
  private seeks = 0;
  private readonly chains = new Map<string, TableTransformChain>();
  private readonly now: () => number;
  private readonly write: (batch: WriteBatch) => Promise<void>;
  /**
   * Records consumed and events and bytes buffered, not yet counted in the metrics: counted at every
   * turn of the event loop and at the end of a batch (a prom-client call per record and event was ~2%
   * of a drain's CPU).
   */
  private readonly unreported = { consumed: 0, events: 0, bytes: 0 };
  /** When the last flush of this partition ended (null: none yet). */
  private lastFlushAt: number | null = null;
  /** Set while a caught-up buffer waits out batch.caughtUpFlushIntervalMs: when it is due. */
  private flushAt: number | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
    /** The next offset stored in the target when this worker started (null: none stored). */
    private expected: string | null,
    private readonly deps: PipelineDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.write = deps.write ?? ((batch) => deps.connector.write(batch));
  }

  private note(record: KafkaRecord): void {
    const bytes = (record.value?.length ?? 0) + (record.key?.length ?? 0);
    this.buffer.noteRecord(record.offset, this.now(), bytes);
    this.unreported.bytes += bytes;
  }

  /** Hands the counts gathered since the last call to telemetry. */
  private report(): void {
    const u = this.unreported;
    if (u.consumed > 0) this.deps.telemetry.consumed(this.topic, u.consumed);
    this.deps.telemetry.buffered(u.events, u.bytes);
    u.consumed = u.events = u.bytes = 0;
  }

  private resetBuffer(): void {
    this.report();
    this.deps.telemetry.buffered(-this.buffer.events, -this.buffer.bytes);
    this.buffer = new PartitionBuffer();
    this.flushAt = null;
  }

  get bufferedEvents(): number {
    return this.buffer.events;
  }

  /** Serializes work on this partition. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops taking records (after a stop error or a revocation); buffered records are dropped. */
  discard(): void {
    this.stopped = true;
    this.resetBuffer();
  }

  process(records: readonly KafkaRecord[], hooks: BatchHooks): Promise<void> {
    const seeks = this.seeks;
    return this.serial(() => this.processNow(records, hooks, seeks));
  }

  /** Flushes a buffer that is due by age, or a caught-up one whose wait (caughtUpFlushIntervalMs) is over. */
  flushIfDue(): Promise<void> {
    if (!this.due()) return Promise.resolve(); // most ticks: nothing to queue behind the partition's work
    return this.serial(async () => {
      if (this.due()) await this.flushNow(async () => {});
    });
  }

  private due(): boolean {
    if (!this.active || this.buffer.records === 0) return false;
    const now = this.now();
    return this.buffer.ageMs(now) >= this.deps.batch.maxAgeMs || (this.flushAt !== null && now >= this.flushAt);
  }

  flush(): Promise<void> {
    return this.serial(async () => {
      if (this.active) await this.flushNow(async () => {});
    });
  }

  private async processNow(records: readonly KafkaRecord[], hooks: BatchHooks, seeks: number): Promise<void> {
    const skipBelow = this.expected === null ? null : BigInt(this.expected);
    const end = this.deps.endOffsets?.get(`${this.topic}:${this.partition}`);
    if (this.seeks !== seeks || !(await this.prepareDecoding(records, hooks, skipBelow, end))) return;
    try {
      await this.takeAll(records, hooks, seeks, skipBelow, end);
    } finally {
      this.report();
    }
  }

  private async takeAll(records: readonly KafkaRecord[], hooks: BatchHooks, seeks: number, skipBelow: bigint | null, end: bigint | undefined): Promise<void> {
    const { telemetry, batch } = this.deps;
    // Offsets ascend within a batch: the replays are a prefix and the records past `end` a suffix.
    const from = skipBelow === null ? 0 : indexOfOffset(records, skipBelow);
    const to = end === undefined ? records.length : indexOfOffset(records, end);
    let replays = 0;
    let taken = 0;
    // Whether the batch is still the partition's can only change while this loop awaits something:
    // kafkajs is asked again after each wait, not per record (its answer builds a string per call).
    let active = hooks.isActive();
    for (let i = 0; i < to; i++) {
      const record = records[i] as KafkaRecord;
      if (++taken % RECORDS_PER_TURN === 0) {
        this.report();
        await nextTurn();
        active = hooks.isActive();
      }
      if (this.stopped || this.pausedAt !== null || this.seeks !== seeks || !active) break;
      if (i < from) {
        replays++;
        hooks.resolveOffset(record.offset);
        continue;
      }
      const waiting = this.take(record, hooks);
      if (waiting !== undefined) {
        await waiting;
        active = hooks.isActive();
      }
      hooks.resolveOffset(record.offset);
      if (this.buffer.events >= batch.maxRows || this.buffer.bytes >= batch.maxBytes) {
        await this.flushNow(() => hooks.heartbeat());
        await hooks.heartbeat();
        active = hooks.isActive();
      }
    }
    if (replays > 0) telemetry.skipped(this.topic, 'already-applied', replays);
    // At the head of the partition nothing more is coming to batch with: write now instead of
    // waiting out maxAgeMs. Near it, what is left cannot fill the batch either (a fetch of 4 MB holds
    // ~700 wide Debezium JSON records, so at a few thousand changes a second a partition is often a
    // fetch or two behind, and it waited maxAgeMs). Under a backlog batches still fill by rows or bytes.
    // A caught-up partition that flushed less than caughtUpFlushIntervalMs ago waits out the rest
    // (the pipeline's timer flushes it, and records that come meanwhile join it): at steady traffic
    // each fetch brings a partition a few records, and a transaction for each was most of the
    // target's work.
    if (!this.active || this.buffer.records === 0) return;
    if (batch.flushWhenCaughtUp && this.buffer.events + hooks.remaining() < batch.maxRows) {
      this.flushAt ??= this.lastFlushAt === null ? this.now() : this.lastFlushAt + batch.caughtUpFlushIntervalMs;
    }
    if (this.due()) await this.flushNow(() => hooks.heartbeat());
  }

  /**
   * Fetches what decoding the records to take needs (Avro: their schemas, from the registry), once per
   * batch, retrying while the registry is unreachable; an error no retry fixes stops the service.
   * False when the records must not be taken (shutting down, or the partition was revoked meanwhile).
   */
  private async prepareDecoding(records: readonly KafkaRecord[], hooks: BatchHooks, skipBelow: bigint | null, end: bigint | undefined): Promise<boolean> {
    const prepare = this.deps.decodePrepare;
    if (prepare === undefined || !this.active || !hooks.isActive()) return true;
    const pending = records.filter((r) => (end === undefined || BigInt(r.offset) < end) && (skipBelow === null || BigInt(r.offset) >= skipBelow));
    if (pending.length === 0) return true;
    const { retry, signal, telemetry } = this.deps;
    let attempt = 0;
    try {
      await retrying(
        async () => {
          if (attempt++ > 0) await hooks.heartbeat().catch(() => undefined);
          if (hooks.isActive()) await prepare(pending); // else revoked meanwhile: stop retrying
        },
        {
          policy: retry,
          signal,
          onRetry: (err, n, delay) => {
            telemetry.readiness.notReady('schema-registry', `${err.message}; retrying (attempt ${n})`);
            telemetry.retry('decode', err, n, delay);
          },
        },
      );
      if (attempt > 1) telemetry.readiness.ok('schema-registry');
      return hooks.isActive();
    } catch (err) {
      if (signal.aborted) return false; // shutting down: nothing was taken, the stored offset stays
      const e = err instanceof CdcSinkError ? err : new CdcSinkError(ErrorCodes.INTERNAL, `preparing to decode: ${errorText(err)}`, { kind: 'fatal', cause: err });
      const offset = (pending[0] as KafkaRecord).offset;
      telemetry.error('decode', e, { topic: this.topic, partition: this.partition, offset });
      await this.flushNow(() => hooks.heartbeat());
      this.failed(e, offset);
      return false;
    }
  }

  private get active(): boolean {
    return !this.stopped && this.pausedAt === null;
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  private async chainFor(table: TableId): Promise<TableTransformChain> {
    const k = tableIdText(table);
    let c = this.chains.get(k);
    if (!c) {
      c = await this.deps.transforms.forTable(table);
      this.chains.set(k, c);
    }
    return c;
  }

  /**
   * Decode, transform, route and buffer one record. Returns a promise only when a step has to wait
   * (a transform chain or route not known yet, a transform, a flush, an error's dead letter): most
   * records are taken synchronously, without a promise and a microtask each.
   */
  private take(record: KafkaRecord, hooks: BatchHooks): Promise<void> | undefined {
    const { telemetry } = this.deps;
    let decoded;
    try {
      decoded = this.deps.decode(record);
    } catch (err) {
      const e = err instanceof CdcSinkError ? err : new DecodeError(ErrorCodes.DECODE_BAD_ENVELOPE, errorText(err), location(record), err);
      telemetry.error('decode', e, { topic: record.topic, partition: record.partition, offset: record.offset });
      return this.recordFailed(e, record, 'decode', null, hooks);
    }
    this.unreported.consumed++;
    if (decoded.kind === 'skip') {
      telemetry.skipped(record.topic, decoded.reason);
      this.note(record);
      return undefined;
    }
    const event = decoded.event;
    // Buffered entries keep their record for the dead-letter topic: a copy, not the Kafka client's
    // fetch buffer (taken right after decode, when the decoder still knows the record's schema prefix).
    // Without a dead-letter topic nothing reads the bytes again: the position is all that is kept.
    const kept = this.deps.deadLetter ? (this.deps.retain?.(record) ?? record) : positionOf(record);
    const chain = this.chains.get(tableIdText(event.table));
    const decision = chain?.isIdentity === true ? this.deps.router.cachedRoute(event.table, event) : undefined;
    if (decision === undefined || (decision.kind === 'route' && this.buffer.conflicts(decision.route))) {
      return this.transformAndRoute(record, event, kept, hooks);
    }
    if (decision.kind === 'skip') {
      telemetry.skipped(record.topic, 'unmapped-table');
    } else {
      try {
        this.add(decision.route, event, kept);
      } catch (err) {
        return this.routeFailed(err, record, event, hooks);
      }
    }
    this.note(record);
    return undefined;
  }

  /** The general path of take() after decoding: a chain to load or run, a route to find, a flush first. */
  private async transformAndRoute(record: KafkaRecord, event: ChangeEvent, kept: KafkaRecord, hooks: BatchHooks): Promise<void> {
    const { telemetry } = this.deps;
    const chain = await this.chainFor(event.table);
    let out: ChangeEvent[];
    try {
      out = chain.isIdentity ? [event] : await chain.apply(event);
    } catch (err) {
      const e = err instanceof CdcSinkError ? err : new CdcSinkError(ErrorCodes.TRANSFORM_FAILED, errorText(err), { kind: 'data', cause: err, location: location(record) });
      telemetry.error('transform', e, { topic: record.topic, partition: record.partition, offset: record.offset });
      if (chain.onError === 'skip') {
        telemetry.skipped(record.topic, 'transform-error');
        this.note(record);
        return;
      }
      // 'fail' stops (or pauses) even when a dead-letter topic exists; 'dead-letter' sends it there.
      await this.recordFailed(e, record, 'transform', tableIdText(event.table), hooks, chain.onError === 'dead-letter');
      return;
    }
    for (const e of out) {
      try {
        const decision = await this.deps.router.route(event.table, e);
        if (decision.kind === 'skip') {
          telemetry.skipped(record.topic, 'unmapped-table');
          continue;
        }
        if (this.buffer.conflicts(decision.route)) await this.flushNow(() => hooks.heartbeat());
        this.add(decision.route, e, kept);
      } catch (err) {
        // Events of this record already buffered stay: the record's other rows are written.
        await this.routeFailed(err, record, e, hooks);
        return;
      }
    }
    this.note(record);
  }

  private routeFailed(err: unknown, record: KafkaRecord, event: ChangeEvent, hooks: BatchHooks): Promise<void> {
    const ce = err instanceof CdcSinkError ? err : new CdcSinkError(ErrorCodes.INTERNAL, errorText(err), { kind: 'fatal', cause: err });
    this.deps.telemetry.error('route', ce, { topic: record.topic, partition: record.partition, offset: record.offset });
    return this.recordFailed(ce, record, 'route', tableIdText(event.table), hooks);
  }

  private add(route: Route, event: ChangeEvent, record: KafkaRecord): void {
    const batch = this.buffer.table(route);
    batch.noteSourceTimestamp(event.source.sourceTimestampMs);
    if (event.op === 'truncate') {
      batch.addTruncate();
    } else if (event.op === 'upsert') {
      if (event.row === null) throw new CdcSinkError(ErrorCodes.DECODE_BAD_ENVELOPE, `upsert for ${route.targetText} has no row`, { kind: 'data', location: location(record) });
      if (route.mode === 'upsert' && !upsertHasKey(event, route.keyColumns)) {
        throw new CdcSinkError(ErrorCodes.ROUTE_NO_KEY, `upsert for ${route.targetText} lacks a value for key column(s) ${route.keyColumns.join(', ')}`, {
          kind: 'data',
          location: location(record),
          table: route.targetText,
        });
      }
      batch.addColumns(event.schema.columns);
      batch.addUpsert(event.row, record);
    } else {
      if (route.mode === 'upsert') {
        const keyRow = deleteKeyRow(event, route.keyColumns);
        if (keyRow === null) {
          throw new CdcSinkError(ErrorCodes.ROUTE_NO_KEY, `delete for ${route.targetText} lacks a value for key column(s) ${route.keyColumns.join(', ')}`, {
            kind: 'data',
            location: location(record),
            table: route.targetText,
          });
        }
        batch.addDelete(keyRow, record);
      }
    }
    this.buffer.events++;
    this.unreported.events++;
  }

  /**
   * A record that cannot be decoded, transformed or routed. A data error goes to the dead-letter topic
   * when there is one (and the policy allows); otherwise what came before the record is applied and
   * the partition pauses at the record, or the service stops, without committing past it.
   */
  private async recordFailed(
    e: CdcSinkError,
    record: KafkaRecord,
    stage: DeadLetter['stage'],
    table: string | null,
    hooks: BatchHooks,
    deadLetterAllowed = true,
  ): Promise<void> {
    const dlq = this.deps.deadLetter;
    if (e.kind === 'data' && dlq && deadLetterAllowed) {
      await this.sendDeadLetters([{ record, stage, error: e, table }], () => hooks.heartbeat());
      this.note(record);
      return;
    }
    await this.flushNow(() => hooks.heartbeat());
    this.failed(e, record.offset);
  }

  /** Pause at `offset` (a data error and errors.onTableFailure: pause), else stop the service. */
  private failed(e: CdcSinkError, offset: string): void {
    if (e.kind === 'data' && this.deps.onTableFailure === 'pause') {
      this.resetBuffer();
      this.pausedAt = offset;
      this.deps.kafka.pause(this.topic, this.partition);
      this.deps.telemetry.paused(this.topic, this.partition, true, `${e.code}: ${e.message}`);
      return;
    }
    this.stopped = true;
    throw new PipelineStopError(e);
  }

  /** Fetch again from where the partition paused (POST /resume). */
  resume(): Promise<boolean> {
    return this.serial(() => {
      const at = this.pausedAt;
      if (at === null) return Promise.resolve(false);
      this.pausedAt = null;
      this.seeks++;
      this.deps.kafka.seek(this.topic, this.partition, at);
      this.deps.kafka.resume(this.topic, this.partition);
      this.deps.telemetry.paused(this.topic, this.partition, false, '');
      return Promise.resolve(true);
    });
  }

  /** Dead-letter sends are retried like writes: a record is never dropped because Kafka was away. */
  private async sendDeadLetters(letters: readonly DeadLetter[], heartbeat: () => Promise<void>): Promise<void> {
    const dlq = this.deps.deadLetter;
    if (!dlq) throw new Error('no dead-letter topic');
    for (let attempt = 0; ; attempt++) {
      try {
        await dlq.send(letters);
        return;
      } catch (err) {
        if (this.deps.signal.aborted) throw err;
        const delay = backoffDelay(this.deps.retry, attempt);
        this.deps.telemetry.retry('dead-letter', err as Error, attempt + 1, delay);
        await sleep(delay, this.deps.signal);
        await heartbeat().catch(() => undefined);
      }
    }
  }

  private async tableChanges(): Promise<{ changes: TableChanges[]; sources: BufferedTable[]; flushes: TableFlush[] }> {
    const changes: TableChanges[] = [];
    const sources: BufferedTable[] = [];
    const flushes: TableFlush[] = [];
    for (const source of this.buffer.tables.values()) {
      const { route, batch } = source;
      const upserts = batch.upserts();
      const deletes = batch.deletes();
      const description = await this.deps.schemaSync.ensure(route.target, [...batch.columns.values()], route.keyColumns, upserts.length > 0);
      if (description === null) continue; // deletes/truncate on a table that does not exist: nothing to do
      sources.push(source);
      changes.push({
        table: route.target,
        description,
        columns: [...batch.columns.values()],
        keyColumns: route.keyColumns,
        mode: route.mode,
        truncate: batch.truncate,
        deletes,
        upserts,
      });
      flushes.push({
        table: route.targetText,
        upserts: upserts.length,
        deletes: deletes.length,
        truncate: batch.truncate,
        maxSourceTimestampMs: batch.maxSourceTimestampMs,
      });
    }
    return { changes, sources, flushes };
  }

  /**
   * Writes the buffer with retries of retriable errors. Rows the database rejects go to the
   * dead-letter topic when there is one (found by splitting the batch); otherwise the partition
   * pauses or the service stops. Must run inside serial().
   */
  private async flushNow(heartbeat: () => Promise<void>): Promise<void> {
    const buf = this.buffer;
    if (buf.records === 0 || buf.nextOffset === null) return;
    const { telemetry, retry, signal, groupId } = this.deps;
    const nextOffset = buf.nextOffset;
    for (let attempt = 0; ; attempt++) {
      const started = this.now();
      let prepared: Awaited<ReturnType<PartitionWorker['tableChanges']>> | null = null;
      try {
        prepared = await this.tableChanges();
        await this.write({
          groupId,
          tables: prepared.changes,
          offsets: [{ topic: this.topic, partition: this.partition, nextOffset, expected: this.expected }],
        });
        const seconds = (this.now() - started) / 1000;
        telemetry.readiness.ok('target');
        telemetry.flushed(this.topic, this.partition, nextOffset, prepared.flushes, seconds);
        this.expected = nextOffset;
        this.resetBuffer();
        this.lastFlushAt = this.now();
        this.deps.kafka.commit(this.topic, this.partition, nextOffset);
        return;
      } catch (err) {
        if (err instanceof OffsetConflictError) {
          await this.resync(err);
          return;
        }
        const e = err instanceof CdcSinkError ? err : new CdcSinkError(ErrorCodes.INTERNAL, `writing a batch of ${this.topic}[${this.partition}]: ${errorText(err)}`, { kind: 'fatal', cause: err });
        if (e.kind === 'data' && this.deps.deadLetter && prepared && (await this.deadLetterRejected(prepared, heartbeat)) > 0) {
          continue; // write the rest
        }
        if (!e.retriable || signal.aborted || (retry.maxAttempts > 0 && attempt + 1 >= retry.maxAttempts)) {
          telemetry.error('write', e, { topic: this.topic, partition: this.partition, nextOffset });
          this.failed(e, this.expected ?? buf.firstOffset ?? nextOffset);
          return;
        }
        const delay = backoffDelay(retry, attempt);
        telemetry.readiness.notReady('target', `${e.message}; retrying (attempt ${attempt + 1})`);
        telemetry.retry('write', e, attempt + 1, delay);
        await sleep(delay, signal);
        await heartbeat().catch(() => undefined);
      }
    }
  }

  /**
   * Splits the failed batch to find the rows the database rejects (trial transactions, rolled back),
   * sends their records to the dead-letter topic and takes them out of the buffer. Truncates are
   * probed first on their own: a rejected truncate is not a row's fault and is never dead-lettered.
   */
  private async deadLetterRejected(prepared: { changes: TableChanges[]; sources: BufferedTable[] }, heartbeat: () => Promise<void>): Promise<number> {
    const { connector, groupId } = this.deps;
    const probe = async (units: readonly Unit[], truncates: boolean): Promise<CdcSinkError | null> => {
      await heartbeat().catch(() => undefined);
      const tables = prepared.changes.map((c, i) => {
        const mine = units.filter((u) => u.table === i).map((u) => u.entry);
        return { ...c, truncate: truncates && c.truncate, deletes: rowsOf(mine, 'delete'), upserts: rowsOf(mine, 'upsert') };
      });
      try {
        await connector.write({ groupId, tables: tables.filter((t) => t.truncate || t.deletes.length + t.upserts.length > 0), offsets: [] }, { dryRun: true });
        return null;
      } catch (err) {
        if (err instanceof CdcSinkError && err.kind === 'data') return err;
        throw err;
      }
    };
    if (prepared.changes.some((c) => c.truncate) && (await probe([], true)) !== null) return 0;
    const units: Unit[] = prepared.sources.flatMap((s, table) => s.batch.entries().map((entry) => ({ table, entry })));
    const rejected = await isolateRejected(units, (part) => probe(part, false));
    if (rejected.length === 0) return 0;
    await this.sendDeadLetters(
      rejected.map(({ unit, error }) => ({ record: unit.entry.ref, stage: 'write' as const, error, table: prepared.sources[unit.table]!.route.targetText })),
      heartbeat,
    );
    prepared.sources.forEach((s, table) => s.batch.remove(new Set(rejected.filter((r) => r.unit.table === table).map((r) => r.unit.entry))));
    this.buffer.events -= rejected.length;
    this.deps.telemetry.buffered(-rejected.length, 0);
    return rejected.length;
  }

  /** Another writer moved this partition's offset: drop the buffer and read again from the stored offset. */
  private async resync(err: OffsetConflictError): Promise<void> {
    const { connector, groupId, retry, signal, telemetry } = this.deps;
    const all = await retrying(() => connector.readOffsets(groupId), {
      policy: retry,
      signal,
      onRetry: (e, attempt, delay) => telemetry.retry('write', e, attempt, delay),
    });
    const stored = all.find((o) => o.topic === this.topic && o.partition === this.partition);
    this.deps.telemetry.logger.warn(
      { topic: this.topic, partition: this.partition, expected: this.expected, stored: stored?.nextOffset ?? null, err: err.message },
      'stored offset moved under this worker (another instance wrote this partition): dropping the buffer and re-reading',
    );
    this.resetBuffer();
    this.expected = stored?.nextOffset ?? null;
    this.seeks++;
    if (stored) this.deps.kafka.seek(this.topic, this.partition, stored.nextOffset);
  }
}

/** Index of the first record at or above `offset` (records ascend by offset), or records.length. */
function indexOfOffset(records: readonly KafkaRecord[], offset: bigint): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (BigInt((records[mid] as KafkaRecord).offset) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The record without its bytes (what an error names), so that it pins no fetch response. */
function positionOf(record: KafkaRecord): KafkaRecord {
  return { topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp, key: null, value: null };
}

function location(record: KafkaRecord) {
  return { topic: record.topic, partition: record.partition, offset: record.offset };
}
