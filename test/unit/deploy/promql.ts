/**
 * Extracts the metric names a PromQL expression selects, so the dashboard and alert checks can
 * prove they only use metrics cdc-sink exports. A small lexer, not a parser: it drops strings,
 * label matchers, ranges, grouping clauses, numbers, durations, functions and keywords, and what
 * is left are metric names. Grafana variables ($job, ${datasource}, $__rate_interval) are removed.
 */

const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right',
  'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan',
]);

export function metricNames(expr: string): string[] {
  let s = expr;
  s = s.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, ' '); // Grafana variables
  s = s.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' '); // string literals
  s = s.replace(/#.*$/gm, ' '); // comments
  s = s.replace(/\{[^}]*\}/g, ' '); // label matchers
  s = s.replace(/\[[^\]]*\]/g, ' '); // ranges and subqueries
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' $1 '); // label lists
  s = s.replace(/(^|[^A-Za-z0-9_:])\d[\w.]*(?:[eE][+-]?\d+)?/g, '$1 '); // numbers and durations (0.99, 1e3, 5m)
  const names = new Set<string>();
  const token = /[A-Za-z_:][A-Za-z0-9_:]*/g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(s)) !== null) {
    const word = m[0];
    const rest = s.slice(m.index + word.length);
    if (/^\s*(\(|(by|without)\b)/i.test(rest)) continue; // function call, or aggregation before its clause
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}
