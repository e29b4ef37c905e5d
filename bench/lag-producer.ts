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

function lengthPrefixed(data: Buffer | string | null): Buffer[] {
  const len = Buffer.alloc(4);
  if (data === null) {
    len.writeInt32BE(-1);
    return [len];
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  len.writeInt32BE(bytes.length);
  return [len, bytes];
}

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
  /** flush() calls waiting for their acknowledgement, in order (one byte 'F' each). */
  private waiting: (() => void)[] = [];

  /** `topics[i]` is the topic of records with `table` i. */
  constructor(brokers: readonly string[], topics: readonly string[]) {
    const source = join(REPO_ROOT, 'bench', 'producer', 'FrameProducer.java');
    this.child = spawn(JAVA, ['-Xmx512m', '-cp', `${KAFKA_LIBS}/*`, source, brokers.join(','), ...topics], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-8000);
    });
    this.child.stdout.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; i++) this.waiting.shift()?.();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const w of this.waiting.splice(0)) w();
    });
  }

  private async write(parts: Buffer[]): Promise<void> {
    if (this.child.exitCode !== null) throw new Error(`the lag producer exited: ${this.stderr}`);
    if (!this.child.stdin.write(Buffer.concat(parts))) await new Promise<void>((r) => this.child.stdin.once('drain', () => r()));
  }

  /** Queues records; their bytes are copied before send() returns. */
  async send(records: readonly Frame[]): Promise<void> {
    const parts: Buffer[] = [];
    for (const r of records) {
      const head = Buffer.alloc(16);
      head.writeInt32BE(r.table, 0);
      head.writeInt32BE(r.partition, 4);
      head.writeBigInt64BE(BigInt(r.tsMs), 8);
      parts.push(head, ...lengthPrefixed(r.key), ...lengthPrefixed(r.value));
    }
    await this.write(parts);
  }

  /** Resolves once every record sent so far is acknowledged by the broker. */
  async flush(): Promise<void> {
    const flushed = new Promise<void>((r) => this.waiting.push(r));
    const marker = Buffer.alloc(4);
    marker.writeInt32BE(-1);
    await this.write([marker]);
    await flushed;
    if (this.child.exitCode !== null) throw new Error(`the lag producer exited with code ${this.child.exitCode}: ${this.stderr}`);
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    const code = await this.exited;
    if (code !== 0) throw new Error(`the lag producer exited with code ${code}: ${this.stderr}`);
  }
}
