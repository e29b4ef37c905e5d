/**
 * buildTransformRegistry: starts loading every plugin of the `transforms:` config and validating its
 * options at once (await ready() at startup so a bad config fails before any I/O), then builds one
 * chain per source table on demand.
 */
import type { TableId } from '../../connectors/core/change-event.ts';
import { tableIdText } from '../../connectors/core/change-event.ts';
import { CdcSinkError, ErrorCodes } from '../../connectors/core/errors.ts';
import type { TransformDefinition, TransformLogger } from '../sdk/types.ts';
import { NOOP_OBSERVER, createChain, identityChain } from './chain.ts';
import type { ChainStep, TableTransforms, TransformObserver } from './chain.ts';
import { transformsConfigSchema } from './config.ts';
import type { OnErrorPolicy, TransformsConfig } from './config.ts';
import { instantiate, validateOptions } from './definition.ts';
import { TransformLoader } from './load.ts';
import { compileMatch, matchText } from './match.ts';
import type { TableMatcher } from './match.ts';

/** A pino logger fits; child() is used when present to bind transform and table. */
export interface RuntimeLogger extends TransformLogger {
  child?(bindings: Record<string, unknown>): TransformLogger;
}

export interface TransformRegistryOptions {
  /** Directory that relative plugin paths are resolved from (the config file's directory). */
  readonly baseDir: string;
  readonly logger?: RuntimeLogger;
  readonly observer?: TransformObserver;
}

export interface TransformRegistry {
  /** Resolves once every plugin is loaded and its options validated; rejects with the first TRANSFORM_LOAD error. */
  ready(): Promise<void>;
  /** Cheap check: does any entry match this source table? */
  hasTransforms(table: TableId): boolean;
  /** The table's chain (cached; plugin instances are created on the first call). Waits for ready(). */
  forTable(table: TableId): Promise<TableTransforms>;
  /** Closes every chain created so far. */
  close(): Promise<void>;
}

interface PreparedStep {
  readonly use: string;
  readonly def: TransformDefinition;
  readonly rawOptions: unknown;
}

interface PreparedEntry {
  readonly onError: OnErrorPolicy;
  readonly steps: readonly PreparedStep[];
}

const SILENT: TransformLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const STRICTNESS: Record<OnErrorPolicy, number> = { skip: 0, 'dead-letter': 1, fail: 2 };

/**
 * Validates the config section (throws CONFIG_INVALID synchronously) and starts loading the plugins.
 * Tables that no entry matches get an identity chain without waiting for the plugins.
 */
export function buildTransformRegistry(config: unknown, options: TransformRegistryOptions): TransformRegistry {
  const parsed = transformsConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, `invalid transforms config: ${parsed.error.message}`, {
      kind: 'fatal',
      cause: parsed.error,
    });
  }
  const logger: RuntimeLogger = options.logger ?? SILENT;
  const observer = options.observer ?? NOOP_OBSERVER;
  const section = parsed.data;
  const matchers = section.map((e) => compileMatch(e.match));
  const prepared = prepare(section, new TransformLoader(options.baseDir));
  // Surfaced through ready() and forTable(); never an unhandled rejection.
  prepared.catch(() => {});
  const matchingEntries = async (table: TableId): Promise<PreparedEntry[]> => {
    const entries = await prepared;
    return entries.filter((_, i) => (matchers[i] as TableMatcher)(table));
  };
  const chains = new Map<string, Promise<TableTransforms>>();
  // Decoders usually reuse one TableId object per table: look it up by identity first.
  const byIdentity = new WeakMap<TableId, Promise<TableTransforms>>();
  let closed = false;

  const build = async (table: TableId): Promise<TableTransforms> => {
    if (!matchers.some((m) => m(table))) return identityChain(table);
    const matching = await matchingEntries(table);
    const onError = matching.reduce<OnErrorPolicy>((p, e) => (STRICTNESS[e.onError] > STRICTNESS[p] ? e.onError : p), 'skip');
    const steps: ChainStep[] = [];
    try {
      for (const step of matching.flatMap((e) => e.steps)) {
        const name = step.def.meta.name;
        const opts = validateOptions(step.def, step.rawOptions, step.use, `table ${tableIdText(table)}`);
        const childLogger = logger.child ? logger.child({ transform: name, table: tableIdText(table) }) : logger;
        const transform = await instantiate(step.def, opts, { table, logger: childLogger, use: step.use });
        steps.push({ label: { name, use: step.use, index: steps.length, table }, transform });
      }
    } catch (err) {
      await createChain(table, steps, onError, observer, logger).close();
      throw err;
    }
    return createChain(table, steps, onError, observer, logger);
  };

  return {
    ready: () => prepared.then(() => undefined),
    hasTransforms: (table) => matchers.some((m) => m(table)),
    forTable: (table) => {
      if (closed) return Promise.reject(new CdcSinkError(ErrorCodes.INTERNAL, 'the transform registry is closed', { kind: 'fatal' }));
      const known = byIdentity.get(table);
      if (known) return known;
      const key = JSON.stringify([table.namespace, table.name]);
      let chain = chains.get(key);
      if (!chain) {
        chain = build({ namespace: table.namespace, name: table.name });
        chains.set(key, chain);
        chain.then(
          (c) => byIdentity.set(table, Promise.resolve(c)),
          () => chains.delete(key),
        );
      }
      return chain;
    },
    close: async () => {
      closed = true;
      const all = await Promise.allSettled(chains.values());
      for (const r of all) if (r.status === 'fulfilled') await r.value.close();
    },
  };
}

async function prepare(config: TransformsConfig, loader: TransformLoader): Promise<PreparedEntry[]> {
  const out: PreparedEntry[] = [];
  for (const [i, entry] of config.entries()) {
    const steps: PreparedStep[] = [];
    for (const [j, spec] of entry.chain.entries()) {
      const def = await loader.load(spec.use);
      const where = `transforms[${i}].chain[${j}] (match "${matchText(entry.match)}")`;
      validateOptions(def, spec.options, spec.use, where);
      steps.push({ use: spec.use, def, rawOptions: spec.options });
    }
    out.push({ onError: entry.onError, steps });
  }
  return out;
}
