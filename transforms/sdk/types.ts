/**
 * The plugin contract: what a transform module default-exports and what its runtime object does.
 * Plugin authors import these through transforms/sdk/index.ts only.
 */
import type { z } from 'zod';
import type { ChangeEvent, TableId } from '../../connectors/core/change-event.ts';
import type { TableSchema } from '../../connectors/core/column-type.ts';

/** The plugin API version this runtime implements. A plugin declares the one it was written for. */
export const API_VERSION = 1;

export interface TransformMeta {
  /** Stable, low-cardinality name: used in errors, logs and the {transform} metric label. */
  readonly name: string;
  /** The plugin's own version (semver text), for logs. */
  readonly version: string;
  /** The plugin API version the plugin was written for; must equal API_VERSION. */
  readonly apiVersion: number;
  readonly description?: string;
}

/** pino-compatible logger (a pino Logger satisfies it). */
export interface TransformLogger {
  debug(obj: unknown, msg?: string, ...args: unknown[]): void;
  info(obj: unknown, msg?: string, ...args: unknown[]): void;
  warn(obj: unknown, msg?: string, ...args: unknown[]): void;
  error(obj: unknown, msg?: string, ...args: unknown[]): void;
}

/** What create() receives besides its validated options. */
export interface TransformContext {
  /** The source table this plugin instance serves (one instance per matched table). */
  readonly table: TableId;
  /** A child logger bound to this transform and table. */
  readonly logger: TransformLogger;
  /** The plugin's meta.name. */
  readonly name: string;
}

/** A table and its schema, before or after a transform (what auto-create and verify need). */
export interface SchemaMapping {
  readonly table: TableId;
  readonly schema: TableSchema;
}

/** What apply may return: one event, several (a split), or null (the event is dropped). */
export type ApplyResult = ChangeEvent | readonly ChangeEvent[] | null;

/** The runtime object create() returns: one per (plugin, source table). */
export interface Transform {
  /**
   * Reshape one event. Never mutate `event` (it is shared): build new objects with the SDK helpers.
   * Throw to reject the event; the table's onError policy then applies.
   */
  apply(event: ChangeEvent): ApplyResult | Promise<ApplyResult>;
  /**
   * The target table and schema that apply produces for events of `input`. Without it the runtime
   * assumes the table and schema are left as they are. A plugin that fans one table out into several
   * may return one mapping per output table (the first is the primary one).
   */
  mapSchema?(input: SchemaMapping): SchemaMapping | readonly SchemaMapping[];
  /** Release resources; called once at shutdown. */
  close?(): void | Promise<void>;
}

/**
 * What a plugin module default-exports. `options` is a zod schema: the runtime validates the
 * YAML options with it before calling create(options, ctx).
 */
export interface TransformDefinition<O = unknown> {
  readonly meta: TransformMeta;
  readonly options: z.ZodType<O>;
  create(options: O, ctx: TransformContext): Transform | Promise<Transform>;
}
