/**
 * Sends the lag runs' records through Apache Kafka's Java producer (bench/producer/FrameProducer.java,
 * run from source by `java` with the broker's own jars): the benchmark renders each record and writes
 * it as a frame to the producer's stdin. See FrameProducer.java for why not kafkajs, and the frames.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { REPO_ROOT } from './cdc-sink-runner.ts';

const KAFKA_LIBS = join(process.env.CDC_SINK_HOME ?? join(REPO_ROOT, '.cache'), 'kafka', 'libs');
const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';

const bytesOf = (data: Buffer | string | null): Buffer | null => (data === null || Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'));

/** One record to send: the topic is the workload's topic of `table`; its Kafka timestamp is `tsMs`. */
export interface Frame {
  readonly table: number;
  readonly partition: number;
  readonly tsMs: number;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
}

export class LagProducer {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly exited: Promise<number | null>;
  private stderr = '';
  private stderrLine = '';
  /** From the producer's `ack` lines: per 5 s of record timestamps (start ms), the longest timestamp-to-acknowledgement (ms). */
  readonly ackDelays = new Map<number, number>();
  /** flush() calls waiting for their acknowledgement, in order (one byte 'F' each). */
  private waiting: (() => void)[] = [];

  /** `topics[i]` is the topic of records with `table` i. */
  constructor(brokers: readonly string[], topics: readonly string[]) {
    const source = join(REPO_ROOT, 'bench', 'producer', 'FrameProducer.java');
    // 1 GB: with 512 MB the producer ran out of heap at 24,000 changes/s once the broker took produce
    // requests slower than that and its 256 MB buffer filled (probably with 512 KB batches, which G1
    // allocates as humongous objects at that heap size: not dug into), and the lag run ended with it.
    this.child = spawn(JAVA, ['-Xmx1g', '-cp', `${KAFKA_LIBS}/*`, source, brokers.join(','), ...topics], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => {
      const lines = (this.stderrLine + d.toString()).split('\n');
      this.stderrLine = lines.pop() ?? '';
      for (const line of lines) {
        const ack = /^ack (\d+) (-?\d+)$/.exec(line);
        if (ack) this.ackDelays.set(Number(ack[1]), Number(ack[2]));
        else this.stderr = (this.stderr + line + '\n').slice(-8000);
      }
    });
    this.child.stdout.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; i++) this.waiting.shift()?.();
    });
    // A producer that died is reported with its stderr by write() and close(), not as an EPIPE crash.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const w of this.waiting.splice(0)) w();
    });
  }

  /** `written` runs once the pipe has taken the bytes (or failed to). */
  private async write(frames: Buffer, written: () => void = () => undefined): Promise<void> {
    const died = () => new Error(`the lag producer exited with code ${this.child.exitCode}: ${this.stderr}${this.stderrLine}`);
    if (this.child.exitCode !== null) throw died();
    if (!this.child.stdin.write(frames, written)) await Promise.race([new Promise<void>((r) => this.child.stdin.once('drain', () => r())), this.exited]);
    if (this.child.exitCode !== null) throw died();
  }

  /**
   * Send buffers the pipe has taken, for the next sends. A new buffer per send (~0.6 MB for 100 wide
   * records, ~70 MB/s at 12,000 changes/s) is memory outside V8's heap, and V8 answers that much of
   * it with a full garbage collection about every second: 0.3-0.6 cores of the benchmark process.
   */
  private readonly spare: Buffer[] = [];

  private sendBuffer(size: number): Buffer {
    const fit = this.spare.findIndex((b) => b.length >= size);
    return fit >= 0 ? (this.spare.splice(fit, 1)[0] as Buffer) : Buffer.allocUnsafe(Math.max(size, 1 << 20));
  }

  /** Queues records, as one buffer of frames (a reused one); their bytes are copied before send() returns. */
  async send(records: readonly Frame[]): Promise<void> {
    const keys = records.map((r) => bytesOf(r.key));
    const values = records.map((r) => bytesOf(r.value));
    let size = 0;
    for (let i = 0; i < records.length; i++) size += 24 + (keys[i]?.length ?? 0) + (values[i]?.length ?? 0);
    const out = this.sendBuffer(size);
    let at = 0;
    const chunk = (data: Buffer | null | undefined) => {
      at = out.writeInt32BE(data ? data.length : -1, at);
      if (data) at += data.copy(out, at);
    };
    records.forEach((r, i) => {
      at = out.writeInt32BE(r.table, at);
      at = out.writeInt32BE(r.partition, at);
      at = out.writeBigInt64BE(BigInt(r.tsMs), at);
      chunk(keys[i]);
      chunk(values[i]);
    });
    await this.write(out.subarray(0, at), () => this.spare.push(out));
  }

  /** Resolves once every record sent so far is acknowledged by the broker. */
  async flush(): Promise<void> {
    const flushed = new Promise<void>((r) => this.waiting.push(r));
    const marker = Buffer.alloc(4);
    marker.writeInt32BE(-1);
    await this.write(marker);
    await flushed;
    if (this.child.exitCode !== null) throw new Error(`the lag producer exited with code ${this.child.exitCode}: ${this.stderr}${this.stderrLine}`);
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    const code = await this.exited;
    if (code !== 0) throw new Error(`the lag producer exited with code ${code}: ${this.stderr}${this.stderrLine}`);
  }
}
