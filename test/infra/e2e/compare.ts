/**
 * Row-by-row comparison of a source table and its target table, on normalized values: each side is
 * read with SQL that renders every column as text in a canonical form for its engine (timestamps at
 * 6 digits in UTC, bytes as hex, ...), then small engine differences are ironed out in JS (numeric
 * trailing zeros, booleans as true/false, JSON parsed with sorted keys, ISO intervals). Rows are
 * matched by key and compared column by column; the result lists every difference.
 */
import { createHash } from 'node:crypto';

export type Engine = 'postgres' | 'mysql';

export type Kind =
  | 'int'
  | 'dec'
  | 'float4'
  | 'float8'
  | 'bool'
  | 'text'
  | 'char'
  | 'bytes'
  | 'date'
  | 'time'
  | 'ts'
  | 'tstz'
  | 'interval'
  | 'json'
  | 'array'
  | 'uuid'
  | 'bits';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: Kind;
  /** Bit length of a 'bits' column. */
  readonly length?: number;
}

export interface TableSpec {
  readonly name: string;
  readonly key: readonly string[];
  readonly columns: readonly ColumnSpec[];
}

/** Runs a query and returns rows of text (or null) values, whatever the driver. */
export type TextQuery = (sql: string) => Promise<Record<string, string | null>[]>;

export interface Side {
  readonly engine: Engine;
  /** Schema (PostgreSQL) or database (MySQL) holding the tables. */
  readonly namespace: string;
  readonly query: TextQuery;
}

function quote(engine: Engine, ident: string): string {
  return engine === 'postgres' ? `"${ident.replaceAll('"', '""')}"` : `\`${ident.replaceAll('`', '``')}\``;
}

function pgExpr(c: ColumnSpec, q: string): string {
  switch (c.kind) {
    case 'bytes':
      return `encode(${q}, 'hex')`;
    case 'date':
      return `to_char(${q}, 'YYYY-MM-DD')`;
    case 'time':
      return `to_char(timestamp '2000-01-01' + ${q}, 'HH24:MI:SS.US')`;
    case 'ts':
      return `to_char(${q}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
    case 'tstz':
      return `to_char(${q} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
    case 'array':
      return `array_to_json(${q})::text`;
    default:
      return `${q}::text`;
  }
}

function mysqlExpr(c: ColumnSpec, q: string): string {
  switch (c.kind) {
    case 'bytes':
      return `LOWER(HEX(${q}))`;
    case 'date':
      return `DATE_FORMAT(${q}, '%Y-%m-%d')`;
    case 'time':
      return `TIME_FORMAT(${q}, '%H:%i:%s.%f')`;
    case 'ts':
    case 'tstz':
      return `DATE_FORMAT(${q}, '%Y-%m-%dT%H:%i:%s.%f')`;
    case 'bits':
      return `LPAD(BIN(${q}), ${c.length ?? 1}, '0')`;
    case 'float4':
    case 'float8':
      // FLOAT to text keeps 6 significant digits only: go through DOUBLE, exact for both.
      return `CAST(CAST(${q} AS DOUBLE) AS CHAR)`;
    default:
      return `CAST(${q} AS CHAR)`;
  }
}

/** The SELECT that reads a table as text, one alias per column (c0, c1, ...). */
export function selectSql(engine: Engine, namespace: string, table: TableSpec): string {
  const cols = table.columns.map((c, i) => {
    const q = quote(engine, c.name);
    const e = engine === 'postgres' ? pgExpr(c, q) : mysqlExpr(c, q);
    return `${e} AS c${i}`;
  });
  return `SELECT ${cols.join(', ')} FROM ${quote(engine, namespace)}.${quote(engine, table.name)}`;
}

function canonicalDecimal(t: string): string {
  let s = t.trim();
  let neg = false;
  if (s.startsWith('-')) {
    neg = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  if (!/^\d*(\.\d*)?$/.test(s)) return t;
  let [int = '', frac = ''] = s.split('.');
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return neg && body !== '0' ? `-${body}` : body;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function canonicalJson(t: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(t)));
  } catch {
    return `INVALID JSON: ${t}`;
  }
}

/**
 * ISO-8601 duration (PostgreSQL's IntervalStyle iso_8601, or Debezium's Interval text) ->
 * "<months> months <days> days <microseconds> us". Each part may carry its own sign.
 */
export function canonicalInterval(t: string): string {
  const m = /^(-)?P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?[\d.]+)S)?)?$/.exec(t.trim());
  if (!m) return `BAD INTERVAL: ${t}`;
  const n = (s: string | undefined): bigint => (s === undefined ? 0n : BigInt(s));
  const sign = m[1] ? -1n : 1n;
  const months = sign * (n(m[2]) * 12n + n(m[3]));
  const days = sign * (n(m[4]) * 7n + n(m[5]));
  let micros = (n(m[6]) * 3600n + n(m[7]) * 60n) * 1_000_000n;
  if (m[8] !== undefined) {
    const neg = m[8].startsWith('-');
    const [i = '0', f = ''] = m[8].replace('-', '').split('.');
    const us = BigInt(i) * 1_000_000n + BigInt((f + '000000').slice(0, 6));
    micros += neg ? -us : us;
  }
  return `${months} months ${days} days ${sign * micros} us`;
}

/** The canonical text of one value read as text. */
export function canonical(kind: Kind, t: string | null): string | null {
  if (t === null) return null;
  switch (kind) {
    case 'int':
      return /^[+-]?\d+$/.test(t.trim()) ? BigInt(t.trim()).toString() : t;
    case 'dec':
      return canonicalDecimal(t);
    case 'float4':
      return String(Math.fround(Number(t)));
    case 'float8':
      return String(Number(t));
    case 'bool':
      return ['true', 't', '1'].includes(t) ? 'true' : ['false', 'f', '0'].includes(t) ? 'false' : `BAD BOOL: ${t}`;
    case 'char':
      return t.replace(/ +$/, '');
    case 'interval':
      return canonicalInterval(t);
    case 'json':
    case 'array':
      return canonicalJson(t);
    case 'uuid':
    case 'bytes':
      return t.toLowerCase();
    default:
      return t;
  }
}

export type CanonicalRow = readonly (string | null)[];

/** Reads a table through `side`, canonical values in spec column order, sorted by key. */
export async function readCanonical(side: Side, table: TableSpec): Promise<Map<string, CanonicalRow>> {
  let rows: Record<string, string | null>[];
  try {
    rows = await side.query(selectSql(side.engine, side.namespace, table));
  } catch (err) {
    // A table the sink has not created yet (no row ever reached it) reads as empty.
    const code = (err as { code?: unknown }).code;
    if (code === '42P01' || code === 'ER_NO_SUCH_TABLE') return new Map();
    throw err;
  }
  const keyIdx = table.key.map((k) => {
    const i = table.columns.findIndex((c) => c.name === k);
    if (i < 0) throw new Error(`key column ${k} is not among the columns of ${table.name}`);
    return i;
  });
  const out = new Map<string, CanonicalRow>();
  for (const r of rows) {
    const values = table.columns.map((c, i) => canonical(c.kind, r[`c${i}`] ?? null));
    out.set(JSON.stringify(keyIdx.map((i) => values[i])), values);
  }
  return new Map([...out.entries()].sort(([a], [b]) => compareKeys(a, b)));
}

function compareKeys(a: string, b: string): number {
  const x = JSON.parse(a) as (string | null)[];
  const y = JSON.parse(b) as (string | null)[];
  for (let i = 0; i < x.length; i++) {
    const p = x[i] ?? '';
    const q = y[i] ?? '';
    if (p === q) continue;
    if (/^-?\d+$/.test(p) && /^-?\d+$/.test(q)) return BigInt(p) < BigInt(q) ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

function show(v: string | null): string {
  if (v === null) return 'NULL';
  if (v.length <= 80) return JSON.stringify(v);
  return `<${v.length} chars, sha1 ${createHash('sha1').update(v).digest('hex').slice(0, 12)}, starts ${JSON.stringify(v.slice(0, 24))}>`;
}

export interface TableDiff {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  /** One line per difference (missing row, extra row, differing column), at most `limit`. */
  readonly problems: readonly string[];
  readonly problemCount: number;
}

/** Compares one table on both sides. */
export async function diffTable(source: Side, target: Side, table: TableSpec, limit = 15): Promise<TableDiff> {
  const [src, dst] = await Promise.all([readCanonical(source, table), readCanonical(target, table)]);
  const problems: string[] = [];
  let count = 0;
  const note = (p: string): void => {
    count++;
    if (problems.length < limit) problems.push(p);
  };
  for (const [key, row] of src) {
    const other = dst.get(key);
    if (other === undefined) {
      note(`key ${key}: missing in the target`);
      continue;
    }
    table.columns.forEach((c, i) => {
      if (row[i] !== other[i]) note(`key ${key} column ${c.name} (${c.kind}): source ${show(row[i] ?? null)} target ${show(other[i] ?? null)}`);
    });
  }
  for (const key of dst.keys()) if (!src.has(key)) note(`key ${key}: in the target but not in the source`);
  return { table: table.name, sourceRows: src.size, targetRows: dst.size, problems, problemCount: count };
}

/** Compares every table; the text report is empty when they are all equal. */
export async function diffTables(source: Side, target: Side, tables: readonly TableSpec[]): Promise<{ report: string; diffs: TableDiff[] }> {
  const diffs: TableDiff[] = [];
  for (const t of tables) diffs.push(await diffTable(source, target, t));
  const bad = diffs.filter((d) => d.problemCount > 0);
  const report = bad
    .map((d) => `${d.table}: ${d.problemCount} difference(s) (source ${d.sourceRows} rows, target ${d.targetRows} rows)\n    ${d.problems.join('\n    ')}`)
    .join('\n');
  return { report, diffs };
}
