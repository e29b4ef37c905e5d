/** Command line of `npm run bench` (see BENCHMARKS.md for what each mode measures). */
import { parseArgs } from 'node:util';
import type { SystemName } from './result.ts';
import type { TargetKind } from './targets.ts';

export interface BenchOptions {
  readonly changes: number;
  readonly repeats: number;
  readonly targets: readonly TargetKind[];
  readonly systems: readonly SystemName[];
  readonly seed: number;
  readonly profile: boolean;
  readonly sinkOverrides: Readonly<Record<string, unknown>>;
  /** Extra node flags for the cdc-sink child, e.g. --max-old-space-size=160. */
  readonly sinkNodeOptions: readonly string[];
  /** Run cdc-sink from the TypeScript sources through tsx instead of the compiled build (dist/). */
  readonly sources: boolean;
  readonly jdbcTasks: number;
  readonly jdbcBatch: number;
  readonly lag: boolean;
  readonly lagMinutes: number;
  readonly lagRate: number | null;
  readonly lagPrimeSeconds: number;
  readonly lagLoads: readonly number[];
  readonly keep: boolean;
  readonly timeoutMinutes: number;
}

export const USAGE = `npm run bench -- [options]
  --quick                 100,000 changes (smoke run)
  --changes N             changes in the backlog (default 1,000,000)
  --repeats N             runs of every system per target; medians are reported (default 1)
  --targets LIST          postgres,mariadb (default postgres)
  --systems LIST          cdc-sink,debezium-jdbc,ceiling,kafka-read,kafka-parse (default the first four;
                          kafka-read: kafkajs reading the backlog with cdc-sink's consumer settings, no
                          decoding or writes; kafka-parse: the same plus cdc-sink's JSON read of every
                          key and value, the floor of a kafkajs sink of Debezium JSON)
  --seed N                workload seed (default 42)
  --profile               run cdc-sink under node --cpu-prof (profile in .cache/bench/)
  --sink PATH=VALUE       override a cdc-sink config key, e.g. --sink kafka.partitionsConsumedConcurrently=12
  --sink-node FLAG        extra node flag for the cdc-sink process, e.g. --sink-node=--max-old-space-size=128
  --sources               run cdc-sink from the TypeScript sources through tsx (default: the compiled
                          build, npm run build, as the container image runs it)
  --jdbc-tasks N          tasks.max of the Debezium JDBC sink (default 3)
  --jdbc-batch N          batch.size = max.poll.records of the JDBC sink (default 5000)
  --timeout-minutes N     give up on one system's drain after N minutes (default 40)
  --lag                   replication lag under steady load instead of the backlog drain
  --lag-minutes N         minutes per load level (default 10)
  --lag-prime-seconds N   before each level, send its load for N seconds to topics nothing reads, so
                          that the broker and the load producer (JVMs) are warm when the clock
                          starts; cdc-sink is not (default 20; 0: no priming)
  --lag-rate N            100% load in changes/s (default: the cdc-sink median of the last backlog run of --changes)
  --lag-loads LIST        load levels in percent (default 50,80)
  --keep                  keep the target schemas/databases after the run`;

function list<T extends string>(text: string, allowed: readonly T[], what: string): T[] {
  const out = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const s of out) if (!allowed.includes(s as T)) throw new Error(`unknown ${what} "${s}" (one of ${allowed.join(', ')})`);
  return out as T[];
}

function int(text: string | undefined, fallback: number, what: string, zeroAllowed = false): number {
  if (text === undefined) return fallback;
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) throw new Error(`${what} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number, not "${text}"`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      help: { type: 'boolean' },
      quick: { type: 'boolean' },
      changes: { type: 'string' },
      repeats: { type: 'string' },
      targets: { type: 'string' },
      systems: { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'boolean' },
      sink: { type: 'string', multiple: true },
      'sink-node': { type: 'string', multiple: true },
      sources: { type: 'boolean' },
      'jdbc-tasks': { type: 'string' },
      'jdbc-batch': { type: 'string' },
      'timeout-minutes': { type: 'string' },
      lag: { type: 'boolean' },
      'lag-minutes': { type: 'string' },
      'lag-prime-seconds': { type: 'string' },
      'lag-rate': { type: 'string' },
      'lag-loads': { type: 'string' },
      keep: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const sinkOverrides: Record<string, unknown> = {};
  for (const kv of values.sink ?? []) {
    const eq = kv.indexOf('=');
    if (eq < 1) throw new Error(`--sink wants PATH=VALUE, not "${kv}"`);
    const raw = kv.slice(eq + 1);
    let v: unknown = raw;
    try {
      v = JSON.parse(raw);
    } catch {
      // plain text
    }
    sinkOverrides[kv.slice(0, eq)] = v;
  }
  return {
    changes: values.quick ? 100_000 : int(values.changes, 1_000_000, '--changes'),
    repeats: int(values.repeats, 1, '--repeats'),
    targets: list(values.targets ?? 'postgres', ['postgres', 'mariadb'] as const, 'target'),
    systems: list(values.systems ?? 'cdc-sink,debezium-jdbc,ceiling,kafka-read', ['cdc-sink', 'debezium-jdbc', 'ceiling', 'kafka-read', 'kafka-parse'] as const, 'system'),
    seed: int(values.seed, 42, '--seed'),
    profile: values.profile ?? false,
    sinkOverrides,
    sinkNodeOptions: values['sink-node'] ?? [],
    sources: values.sources ?? false,
    jdbcTasks: int(values['jdbc-tasks'], 3, '--jdbc-tasks'),
    jdbcBatch: int(values['jdbc-batch'], 5000, '--jdbc-batch'),
    lag: values.lag ?? false,
    lagMinutes: int(values['lag-minutes'], 10, '--lag-minutes'),
    lagPrimeSeconds: int(values['lag-prime-seconds'], 20, '--lag-prime-seconds', true),
    lagRate: values['lag-rate'] === undefined ? null : int(values['lag-rate'], 0, '--lag-rate'),
    lagLoads: (values['lag-loads'] ?? '50,80').split(',').map((s) => int(s, 50, '--lag-loads')),
    keep: values.keep ?? false,
    timeoutMinutes: int(values['timeout-minutes'], 40, '--timeout-minutes'),
  };
}
