import type { TableId } from '../../connectors/core/change-event.ts';
import { tableIdText } from '../../connectors/core/change-event.ts';
import type { TableMatch } from './config.ts';

export type TableMatcher = (table: TableId) => boolean;

/**
 * Compiles a `match` value. A string is the table's "namespace.name" (or just "name" for tables
 * without a namespace), where * matches any run of characters (dots included) and ? one character;
 * matching is exact and case-sensitive. The object form ANDs its fields; `pattern` is anchored.
 */
export function compileMatch(match: TableMatch): TableMatcher {
  if (typeof match === 'string') {
    if (!/[*?]/.test(match)) return (t) => tableIdText(t) === match;
    const re = globToRegex(match);
    return (t) => re.test(tableIdText(t));
  }
  const re = match.pattern === undefined ? null : new RegExp(`^(?:${match.pattern})$`);
  return (t) =>
    (match.namespace === undefined || t.namespace === match.namespace) &&
    (match.name === undefined || t.name === match.name) &&
    (re === null || re.test(tableIdText(t)));
}

export function globToRegex(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** Printable form of a match, for messages. */
export function matchText(match: TableMatch): string {
  if (typeof match === 'string') return match;
  const parts: string[] = [];
  if (match.namespace !== undefined) parts.push(`namespace=${match.namespace}`);
  if (match.name !== undefined) parts.push(`name=${match.name}`);
  if (match.pattern !== undefined) parts.push(`pattern=/${match.pattern}/`);
  return `{${parts.join(', ')}}`;
}
