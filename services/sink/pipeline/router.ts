/**
 * Decides where an event's rows go: the target table, its key columns and its write mode.
 *
 * - Mappings (tables.map) match the SOURCE table ("namespace.table", '*' wildcards), first match wins.
 * - When a transform moved the event to another table (route-table, a split), the event's table is the
 *   target: its name becomes the target table, and its namespace the target schema when the transform
 *   changed it (else tables.defaultSchema applies, as for every other table).
 * - Key columns: the mapping's keyColumns, else the event's key, else the target table's primary key;
 *   a table with none is an error, or append-only when tables.keyless is 'append'.
 */
import type { ChangeEvent, TableId } from '../../../connectors/core/change-event.ts';
import { tableIdText } from '../../../connectors/core/change-event.ts';
import { CdcSinkError, ErrorCodes } from '../../../connectors/core/errors.ts';
import type { Connector, TargetTableRef } from '../../../connectors/contract.ts';
import { targetTableText } from '../../../connectors/contract.ts';
import type { TableMapping, TablesConfig } from '../config/schema.ts';

export interface Route {
  readonly target: TargetTableRef;
  /** "schema.table" text: the identity used for batching, metrics and logs. */
  readonly targetText: string;
  readonly keyColumns: readonly string[];
  readonly mode: 'upsert' | 'append';
}

export type RouteDecision = { kind: 'route'; route: Route } | { kind: 'skip' };

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export function parseTableRef(text: string, defaultSchema: string | null): TargetTableRef {
  const dot = text.indexOf('.');
  return dot < 0 ? { schema: defaultSchema, name: text } : { schema: text.slice(0, dot), name: text.slice(dot + 1) };
}

function sameTable(a: TableId, b: TableId): boolean {
  return a.name === b.name && (a.namespace ?? null) === (b.namespace ?? null);
}

export class Router {
  private readonly matchers: { re: RegExp; mapping: TableMapping }[];
  private readonly mappingCache = new Map<string, TableMapping | null>();
  private readonly routeCache = new Map<string, Route>();
  private readonly pkCache = new Map<string, readonly string[]>();
  /**
   * The last decision per decoded table, for events that the transforms left on that table, with
   * that key (compared by identity: decoders intern table ids and share a schema's key array), so
   * that the common case builds no texts.
   */
  private readonly lastDecisions = new WeakMap<TableId, { key: readonly string[]; decision: RouteDecision }>();

  constructor(
    private readonly config: TablesConfig,
    private readonly connector: Connector,
  ) {
    this.matchers = config.map.map((mapping) => ({ re: globToRegExp(mapping.source), mapping }));
  }

  mappingFor(source: TableId): TableMapping | null {
    const text = tableIdText(source);
    let m = this.mappingCache.get(text);
    if (m === undefined) {
      m = this.matchers.find((x) => x.re.test(text) || x.re.test(source.name))?.mapping ?? null;
      this.mappingCache.set(text, m);
    }
    return m;
  }

  /** The decision route() made last for this table and key, if the event is still on its decoded table. */
  cachedRoute(source: TableId, event: ChangeEvent): RouteDecision | undefined {
    if (event.table !== source) return undefined;
    const last = this.lastDecisions.get(source);
    return last !== undefined && last.key === event.schema.key ? last.decision : undefined;
  }

  private remember(source: TableId, event: ChangeEvent, decision: RouteDecision): RouteDecision {
    if (event.table === source) this.lastDecisions.set(source, { key: event.schema.key, decision });
    return decision;
  }

  /** source: the table as decoded; event: after transforms. */
  async route(source: TableId, event: ChangeEvent): Promise<RouteDecision> {
    const mapping = this.mappingFor(source);
    if (mapping === null && this.config.unmapped !== 'replicate') {
      if (this.config.unmapped === 'skip') return this.remember(source, event, { kind: 'skip' });
      throw new CdcSinkError(ErrorCodes.ROUTE_UNMAPPED_TABLE, `table ${tableIdText(source)} is not in tables.map and tables.unmapped is 'fail'`, {
        kind: 'data',
        table: tableIdText(source),
      });
    }
    const moved = !sameTable(source, event.table);
    const ownSchema = (event.table.namespace ?? null) !== (source.namespace ?? null) ? event.table.namespace : null;
    const target: TargetTableRef =
      !moved && mapping?.target !== undefined
        ? parseTableRef(mapping.target, this.config.defaultSchema)
        : { schema: ownSchema ?? this.config.defaultSchema, name: event.table.name };
    const targetText = targetTableText(target);
    const eventKey = event.schema.key;
    const cacheKey = `${targetText}\u0000${eventKey.join('\u0001')}`;
    const cached = this.routeCache.get(cacheKey);
    if (cached) return this.remember(source, event, { kind: 'route', route: cached });

    let keyColumns: readonly string[] = (!moved ? mapping?.keyColumns : undefined) ?? eventKey;
    let mode = (!moved ? mapping?.mode : undefined) ?? 'upsert';
    // A truncate needs no key: it must route even before the table exists (its rows may still be buffered).
    if (event.op === 'truncate' && keyColumns.length === 0) return { kind: 'route', route: { target, targetText, keyColumns, mode } };
    if (mode === 'upsert' && keyColumns.length === 0) keyColumns = await this.primaryKey(target, targetText);
    if (mode === 'upsert' && keyColumns.length === 0) {
      if (this.config.keyless === 'append') mode = 'append';
      else
        throw new CdcSinkError(
          ErrorCodes.ROUTE_NO_KEY,
          `table ${targetText} has no key: the events carry none, tables.map gives no keyColumns and the target has no primary key; ` +
            `set keyColumns for it, or tables.keyless: append`,
          { kind: 'fatal', table: targetText },
        );
    }
    const route: Route = { target, targetText, keyColumns, mode };
    this.routeCache.set(cacheKey, route);
    return this.remember(source, event, { kind: 'route', route });
  }

  private async primaryKey(target: TargetTableRef, text: string): Promise<readonly string[]> {
    let pk = this.pkCache.get(text);
    if (pk === undefined) {
      const desc = await this.connector.describeTable(target);
      pk = desc?.primaryKey ?? [];
      if (desc !== null) this.pkCache.set(text, pk); // a table that does not exist yet may be created with a key
    }
    return pk;
  }
}
