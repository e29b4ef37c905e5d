/**
 * route-table: change the target table and/or namespace (schema or database) of events.
 *   - use: route-table
 *     options: { name: customers_v2, namespace: crm }         # fixed target
 *   - use: route-table
 *     options: { from: legacy_orders, name: orders }          # only this source table
 *   - use: route-table
 *     options: { pattern: '^legacy_(.*)$', name: '$1' }       # regex on the table name
 *   - use: route-table
 *     options: { pattern: '^(\w+)\.(\w+)$', on: qualified, namespace: '$1_v2', name: '$2' }
 * With `from` (an exact name) or `pattern`, events whose table does not match pass unchanged; name and namespace may use
 * $1..$9, $<group> and $& (the match), $$ for a dollar. Without a pattern they are literal. The
 * namespace may be null (the connection's default schema). Truncates are routed too.
 */
import { z } from 'zod';
import type { TableId } from '../sdk/index.ts';
import { defineTransform, tableIdText } from '../sdk/index.ts';
import { regexSchema } from './lib/common.ts';

const options = z
  .object({
    name: z.string().min(1).optional().describe('target table name (a template when pattern is set)'),
    namespace: z.string().min(1).nullable().optional().describe('target namespace; null for the default schema'),
    from: z.string().min(1).optional().describe('route only the table of this exact name'),
    pattern: regexSchema('pattern').optional().describe('regular expression the table must match'),
    on: z.enum(['name', 'qualified']).default('name').describe('what from/pattern is compared with: the name or "namespace.name"'),
  })
  .strict()
  .refine((o) => o.name !== undefined || o.namespace !== undefined, { message: 'give name and/or namespace' })
  .refine((o) => o.from === undefined || o.pattern === undefined, { message: 'give from or pattern, not both' });

export default defineTransform({
  meta: { name: 'route-table', version: '1.0.0', apiVersion: 1, description: 'Rename the target table and/or namespace' },
  options,
  create(opts) {
    const re =
      opts.pattern !== undefined ? new RegExp(opts.pattern) : opts.from !== undefined ? new RegExp(`^${escapeRegex(opts.from)}$`) : null;
    const cache = new Map<string, TableId>();
    const route = (table: TableId): TableId => {
      const key = JSON.stringify([table.namespace, table.name]);
      let out = cache.get(key);
      if (out === undefined) {
        out = computeRoute(table, re, opts);
        cache.set(key, out);
      }
      return out;
    };
    return {
      mapSchema: ({ table, schema }) => ({ table: route(table), schema }),
      apply(event) {
        const table = route(event.table);
        return table === event.table ? event : { ...event, table };
      },
    };
  },
});

interface RouteOptions {
  readonly name?: string;
  readonly namespace?: string | null;
  readonly on: 'name' | 'qualified';
}

function computeRoute(table: TableId, re: RegExp | null, opts: RouteOptions): TableId {
  if (re === null) {
    return { namespace: opts.namespace === undefined ? table.namespace : opts.namespace, name: opts.name ?? table.name };
  }
  const subject = opts.on === 'name' ? table.name : tableIdText(table);
  const match = re.exec(subject);
  if (!match) return table;
  const name = opts.name === undefined ? table.name : expand(opts.name, match);
  const namespace = opts.namespace === undefined ? table.namespace : opts.namespace === null ? null : expand(opts.namespace, match);
  if (name === '') throw new Error(`routing ${tableIdText(table)}: the name template "${opts.name}" gives an empty name`);
  return { namespace: namespace === '' ? null : namespace, name };
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Expands $1..$99, $<name>, $& and $$ from a regex match. */
export function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(\$|&|\d{1,2}|<([^>]+)>)/g, (all, token: string, group: string | undefined) => {
    if (token === '$') return '$';
    if (token === '&') return match[0];
    if (group !== undefined) return match.groups?.[group] ?? '';
    const index = Number(token);
    return index < match.length ? (match[index] ?? '') : all;
  });
}
