/** Starts cdc-sink in-process (buildApp) or as a child process, against the real broker and databases. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import { buildApp } from '../../services/sink/app.ts';
import type { App } from '../../services/sink/app.ts';
import { parseConfig } from '../../services/sink/config/load.ts';
import { KAFKA_BROKERS } from './kafka.ts';
import { PG_URL } from './postgres.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SinkConfigInput {
  topics: string[];
  groupId: string;
  schema: string;
  extra?: Record<string, unknown>;
}

export function sinkConfigDoc(input: SinkConfigInput): Record<string, unknown> {
  const { topics, groupId, schema, extra = {} } = input;
  const base: Record<string, unknown> = {
    kafka: { brokers: KAFKA_BROKERS, groupId, topics, maxWaitTimeMs: 100 },
    target: { type: 'postgres', url: PG_URL, schema },
    batch: { maxRows: 500, maxAgeMs: 100 },
    tables: { defaultSchema: schema },
    http: { port: 0, host: '127.0.0.1' },
    log: { level: 'warn' },
  };
  for (const [k, v] of Object.entries(extra)) {
    // Sections merge key by key, except the target, which a test replaces whole (another database).
    base[k] = k !== 'target' && typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(base[k] as object), ...v } : v;
  }
  return base;
}

/** Log lines captured in memory, so tests can assert on what was logged. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger;
  constructor(level = 'info') {
    this.logger = pino({ level }, { write: (s: string) => void this.lines.push(s) });
  }
  find(re: RegExp): Record<string, unknown> | undefined {
    const line = this.lines.find((l) => re.test(l));
    return line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>);
  }
}

export async function startSink(input: SinkConfigInput, logs = new LogCapture()): Promise<{ app: App; logs: LogCapture }> {
  const config = parseConfig(sinkConfigDoc(input), { env: {}, baseDir: REPO_ROOT });
  const app = buildApp(config, { logger: logs.logger });
  await app.start();
  return { app, logs };
}

/** Writes a config file and spawns `cdc-sink run` as a separate process (for kill -9 tests). */
export function spawnSink(input: SinkConfigInput): { child: ChildProcess; output: () => string; exited: Promise<number | null>; url: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cdc-sink-it-'));
  const file = join(dir, 'cdc-sink.yaml');
  // Below Linux's ephemeral range (32768+), where outgoing connections take their local ports, and
  // above this machine's listening services (RabbitMQ's 25672 included): a port taken at random
  // there made the child fail to listen and a test wait out its timeout.
  const port = 26000 + Math.floor(Math.random() * 6000);
  const doc = sinkConfigDoc(input);
  doc.http = { port, host: '127.0.0.1' };
  writeFileSync(file, stringify(doc));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'cdc-sink.mjs'), 'run', '--config', file], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited, url: `http://127.0.0.1:${port}` };
}

/** Flushes (transactions) a running sink made so far: the count of its batch-duration histogram over all tables. */
export async function flushCount(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return [...text.matchAll(/^cdc_sink_batch_duration_seconds_count\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}
