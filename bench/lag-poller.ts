/**
 * The lag sampler of `--lag`, run in a worker thread so that generating and producing the load on the
 * main thread never delays a poll (a late poll would overstate the lag).
 *
 * Every POLL_MS it reads, per table, the rows whose updated_at is newer than the newest already seen
 * on their partition, and records one sample per new row version: (poll start - updated_at), where
 * updated_at is the record's Kafka timestamp. cdc-sink applies a partition in order, one transaction
 * per flush, so a row of partition p newer than the newest seen on p is new. Each sample is an upper
 * bound of the true lag, by at most POLL_MS.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { sleep } from './result.ts';
import { openTarget } from './targets.ts';
import type { TargetKind } from './targets.ts';
import { PARTITIONS } from './tables.ts';

export const POLL_MS = 50;

interface PollerInput {
  readonly kind: TargetKind;
  readonly space: string;
  readonly tables: readonly string[];
  readonly startUs: number;
}

/** Samples as pairs: observedAtMs, lagMs. */
export type SampleBatch = Float64Array;

async function pollLoop(input: PollerInput, send: (batch: SampleBatch) => void, running: () => boolean): Promise<void> {
  const target = openTarget(input.kind);
  const lastUs = input.tables.map(() => Array.from({ length: PARTITIONS }, () => input.startUs));
  try {
    while (running()) {
      const pollMs = performance.timeOrigin + performance.now();
      const out: number[] = [];
      for (let t = 0; t < input.tables.length; t++) {
        const last = lastUs[t] as number[];
        const rows = await target.updatedSince(input.space, input.tables[t] ?? '', last);
        const seen = [...last];
        for (const r of rows) {
          const p = r.id % PARTITIONS;
          // The sentinel updates at the end carry a far-future updated_at: not samples.
          if (r.us > (seen[p] ?? 0) && r.us / 1000 <= pollMs + 1000) out.push(pollMs, pollMs - r.us / 1000);
          if (r.us > (last[p] ?? 0)) last[p] = r.us;
        }
      }
      if (out.length > 0) send(Float64Array.from(out));
      const spent = performance.timeOrigin + performance.now() - pollMs;
      await sleep(Math.max(0, POLL_MS - spent));
    }
  } finally {
    await target.close();
  }
}

/** The main thread's handle on the sampler worker. */
export class LagPoller {
  private readonly worker: Worker;
  private readonly done: Promise<void>;
  private chunks: SampleBatch[] = [];
  /** Chunks not yet seen by recentLags(). */
  private fresh: SampleBatch[] = [];

  constructor(input: PollerInput) {
    // Node 20 does not carry tsx's loader into workers: register it there, then load this file.
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    this.worker = new Worker(boot, { eval: true, workerData: input });
    this.worker.on('message', (m: SampleBatch) => {
      this.chunks.push(m);
      this.fresh.push(m);
    });
    this.done = new Promise((resolve, reject) => {
      this.worker.once('exit', () => resolve());
      this.worker.once('error', reject);
    });
  }

  /**
   * The lags of the samples received since the previous call (not sorted). Cheap: the progress
   * line once a minute used to merge and scan every sample so far, a CPU burst beside the sink.
   */
  recentLags(): Float64Array {
    const fresh = this.fresh;
    this.fresh = [];
    const out = new Float64Array(fresh.reduce((n, c) => n + c.length / 2, 0));
    let at = 0;
    for (const c of fresh) for (let i = 1; i < c.length; i += 2) out[at++] = c[i] ?? 0;
    return out;
  }

  /** Every sample so far, as pairs (observedAtMs, lagMs). */
  samples(): Float64Array {
    if (this.chunks.length !== 1) {
      const all = new Float64Array(this.chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of this.chunks) {
        all.set(c, at);
        at += c.length;
      }
      this.chunks = [all];
    }
    return this.chunks[0] ?? new Float64Array(0);
  }

  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    await this.done;
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  let running = true;
  port.on('message', (m) => {
    if (m === 'stop') running = false;
  });
  pollLoop(workerData as PollerInput, (b) => port.postMessage(b, [b.buffer as ArrayBuffer]), () => running)
    .catch((err: unknown) => {
      process.stderr.write(`lag poller failed: ${String(err)}\n`);
      process.exitCode = 1;
    })
    .finally(() => port.close());
}
