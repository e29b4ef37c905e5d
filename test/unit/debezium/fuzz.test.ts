/**
 * Deterministic (seeded) fuzz test of the Debezium decoder. Every shared sample is mutated thousands
 * of times: truncations at every cut-point class, byte flips, deleted / duplicated characters,
 * invalid UTF-8, empty buffers, JSON type swaps, removed fields, changed schema names / types /
 * parameters, huge numbers, deep nesting. Each input must either throw a DecodeError (a CDC_DECODE_*
 * code, kind data, a message naming topic[partition]@offset) or return a well-formed result: a skip,
 * or a change whose row / key values have the representation of their declared column types
 * (connectors/core/value.ts). CDC_INTERNAL means an unexpected exception escaped the decoder's own
 * checks (a crash caught by its last-resort handler): it counts as a failure. A fresh decoder and one
 * with warm schema caches must agree, and mutated records must not poison the cache for the original.
 * "No wrong row": whitespace, key-order and string-escape changes of a valid message decode to a
 * result deepStrictEqual to the original's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import type { ColumnSchema, ColumnType } from '../../../connectors/core/column-type.ts';
import { DecodeError, ErrorCodes } from '../../../connectors/core/errors.ts';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import type { Decoded, Decoder, KafkaRecord } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import type { Sample } from './sample-loader.ts';
import { ID, envelopeRecord, pgSource, raw } from './build.ts';
import type { FieldSchema } from './build.ts';
import { loadSample, record, repoRoot, sampleFiles } from './sample-loader.ts';

// ---------------------------------------------------------------- seeded randomness
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)] as T;

// ---------------------------------------------------------------- a lossless, ordered JSON tree
/** A number token kept as its text (integers beyond 2^53 survive). */
class Num {
  constructor(readonly text: string) {}
}
/** An object as ordered entries (duplicate keys allowed). */
class Obj {
  constructor(public entries: [string, J][]) {}
}
/** `inner` wrapped `depth` times (printed without recursion, so any depth prints). */
class Deep {
  constructor(readonly open: string, readonly close: string, readonly depth: number, readonly inner: J) {}
}
type J = null | boolean | string | Num | Obj | Deep | J[];

function parseJ(text: string): J {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \n\r\t'.includes(text[i] as string)) i++;
  };
  const str = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): J => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o = new Obj([]);
      ws();
      if (text[i] === '}') return i++, o;
      for (;;) {
        ws();
        const k = str();
        ws();
        i++; // :
        o.entries.push([k, value()]);
        ws();
        if (text[i++] === '}') return o;
      }
    }
    if (c === '[') {
      i++;
      const a: J[] = [];
      ws();
      if (text[i] === ']') return i++, a;
      for (;;) {
        a.push(value());
        ws();
        if (text[i++] === ']') return a;
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(lit, i)) return (i += lit.length), v;
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) throw new Error(`fuzz parser: bad JSON at ${i}`);
    i += m[0].length;
    return new Num(m[0]);
  };
  return value();
}

interface PrintStyle {
  readonly ws: () => string;
  readonly order: (entries: [string, J][]) => [string, J][];
  readonly str: (s: string) => string;
}
const COMPACT: PrintStyle = { ws: () => '', order: (e) => e, str: (s) => JSON.stringify(s) };

function printJ(j: J, st: PrintStyle = COMPACT): string {
  if (j === null) return 'null';
  if (typeof j === 'boolean') return String(j);
  if (typeof j === 'string') return st.str(j);
  if (j instanceof Num) return j.text;
  if (j instanceof Deep) return j.open.repeat(j.depth) + printJ(j.inner, st) + j.close.repeat(j.depth);
  const w = st.ws;
  if (Array.isArray(j)) return `[${w()}${j.map((x) => printJ(x, st) + w()).join(`,${w()}`)}]`;
  const parts = st.order(j.entries).map(([k, v]) => `${st.str(k)}${w()}:${w()}${printJ(v, st)}${w()}`);
  return `{${w()}${parts.join(`,${w()}`)}}`;
}

/** Every node as a getter/setter pair, with the key it sits under. */
interface Slot {
  readonly key: string | null;
  readonly path: string;
  get(): J;
  set(v: J): void;
  /** Removes the node from its parent (object entry or array element). */
  remove(): void;
}
function slots(root: { v: J }): Slot[] {
  const out: Slot[] = [];
  const walk = (get: () => J, set: (v: J) => void, remove: () => void, key: string | null, path: string) => {
    out.push({ key, path, get, set, remove });
    const node = get();
    if (node instanceof Obj) {
      for (const entry of node.entries) {
        walk(() => entry[1], (v) => (entry[1] = v), () => (node.entries = node.entries.filter((e) => e !== entry)), entry[0], `${path}.${entry[0]}`);
      }
    } else if (Array.isArray(node)) {
      node.forEach((_x, idx) => walk(() => node[idx] as J, (v) => (node[idx] = v), () => node.splice(idx, 1), null, `${path}[${idx}]`));
    }
  };
  walk(() => root.v, (v) => (root.v = v), () => (root.v = null), null, '');
  return out;
}

// ---------------------------------------------------------------- the well-formedness oracle
const DECODE_CODES = new Set<string>(Object.values(ErrorCodes).filter((c) => c.startsWith('CDC_DECODE_')));
const SKIP_REASONS = new Set(['heartbeat', 'transaction', 'schema-change', 'message', 'unwrap-dropped']);
const SOURCE_OPS = new Set(['c', 'u', 'd', 'r', 't', 'tombstone']);
const INT_RANGES = { 8: 2 ** 7, 16: 2 ** 15, 32: 2 ** 31 } as const;
const DATE = String.raw`(?:\d{4}|\+\d{5,}|-\d{4,})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])`;
const HMS = String.raw`(?:[01]\d|2[0-4]):[0-5]\d:[0-5]\d`;

/** Why `v` is not a valid value of `type`, or null. */
function badValue(v: unknown, type: ColumnType): string | null {
  if (v === null) return null;
  const shown = typeof v === 'string' ? `'${v.slice(0, 60)}'` : typeof v;
  const need = (ok: boolean, what: string) => (ok ? null : `${what} expected, got ${shown}`);
  switch (type.kind) {
    case 'boolean':
      return need(typeof v === 'boolean', 'boolean');
    case 'int':
      if (type.bits === 64) return need(typeof v === 'bigint' && v >= -(2n ** 63n) && v < 2n ** 63n, 'int64 bigint');
      return need(Number.isInteger(v) && (v as number) >= -INT_RANGES[type.bits] && (v as number) < INT_RANGES[type.bits], `int${type.bits}`);
    case 'float':
      return need(typeof v === 'number', 'float number');
    case 'decimal':
      return need(typeof v === 'string' && /^(-?\d+(\.\d+)?|NaN|-?Infinity)$/.test(v), 'plain decimal text');
    case 'string': case 'enum': case 'set': case 'uuid': case 'xml':
      return need(typeof v === 'string', 'string');
    case 'json':
      return need(typeof v === 'string', 'JSON text');
    case 'bytes':
      return need(Buffer.isBuffer(v), 'Buffer');
    case 'bits':
      return need(typeof v === 'string' && /^[01]*$/.test(v) && v.length === type.length, `bit string of exactly ${type.length} bits`);
    case 'date':
      return need(typeof v === 'string' && new RegExp(`^${DATE}$`).test(v), 'date YYYY-MM-DD');
    case 'time':
      return need(typeof v === 'string' && new RegExp(String.raw`^-?\d{2,}:[0-5]\d:[0-5]\d\.\d{${type.precision}}$`).test(v), `time with ${type.precision} fraction digits`);
    case 'timetz':
      return need(typeof v === 'string' && new RegExp(String.raw`^${HMS}(\.\d+)?Z$`).test(v), 'timetz HH:MM:SS[.f]Z');
    case 'timestamp':
      return need(typeof v === 'string' && new RegExp(String.raw`^${DATE}T${HMS}\.\d{${type.precision}}$`).test(v), `timestamp(${type.precision})`);
    case 'timestamptz':
      return need(typeof v === 'string' && (/^-?infinity$/.test(v) || new RegExp(String.raw`^${DATE}T${HMS}(\.\d+)?Z$`).test(v)), 'timestamptz YYYY-MM-DDTHH:MM:SS[.f]Z');
    case 'interval':
      return need(typeof v === 'string' && /^-?P/.test(v), 'ISO duration');
    case 'year':
      return need(Number.isInteger(v), 'year integer');
    case 'geometry': {
      const g = v as { wkb?: unknown; srid?: unknown };
      return need(typeof v === 'object' && Buffer.isBuffer(g.wkb) && (g.srid === null || Number.isInteger(g.srid)), 'geometry {wkb, srid}');
    }
    case 'array': {
      if (!Array.isArray(v)) return need(false, 'array');
      for (const [i, x] of v.entries()) {
        const bad = badValue(x, type.items);
        if (bad !== null) return `[${i}] ${bad}`;
      }
      return null;
    }
  }
}

/** Keys whose value does not fit the same-named value column (mutated key or value schema): counted, not failed. */
let keyTypeMismatches = 0;

/** Problems of a successful decode (empty when well-formed). */
function problemsOf(d: Decoded, rec: KafkaRecord): string[] {
  if (d.kind === 'skip') return SKIP_REASONS.has(d.reason) ? [] : [`unknown skip reason ${d.reason}`];
  if (d.kind !== 'change') return [`unknown result kind`];
  const e = d.event;
  const p: string[] = [];
  const cols = new Map<string, ColumnSchema>();
  for (const c of e.schema.columns) {
    if (cols.has(c.name)) p.push(`duplicate column ${c.name}`);
    cols.set(c.name, c);
  }
  if (!['upsert', 'delete', 'truncate'].includes(e.op)) p.push(`op ${e.op}`);
  if ((e.op === 'upsert') !== (e.row !== null)) p.push(`op ${e.op} with row ${e.row === null ? 'null' : 'set'}`);
  if (e.op === 'truncate' && e.key !== null) p.push('truncate with a key');
  if (typeof e.table.name !== 'string' || e.table.name === '') p.push('empty table name');
  if (e.table.namespace !== null && (typeof e.table.namespace !== 'string' || e.table.namespace === '')) p.push('bad namespace');
  for (const [what, row] of [['row', e.row], ['before', e.before]] as const) {
    if (row === null) continue;
    for (const [name, v] of Object.entries(row)) {
      const col = cols.get(name);
      if (col === undefined) p.push(`${what}.${name}: no such column`);
      else if (v !== UNCHANGED) {
        const bad = badValue(v, col.type);
        if (bad !== null) p.push(`${what}.${name} (${col.type.kind}): ${bad}`);
      }
    }
  }
  if (e.key !== null) {
    for (const [name, v] of Object.entries(e.key)) {
      // Key values are typed by the KEY schema (or inferred from the key); the decoder does not
      // cross-check them with the value's column types, so only their representation is checked.
      if (v === UNCHANGED || v === undefined) p.push(`key.${name} is ${String(v)}`);
      const col = cols.get(name);
      if (col !== undefined && badValue(v, col.type) !== null) keyTypeMismatches++;
    }
  }
  const s = e.source;
  if (s.topic !== rec.topic || s.partition !== rec.partition || s.offset !== rec.offset) p.push('source location differs from the record');
  if (!SOURCE_OPS.has(s.sourceOp)) p.push(`sourceOp ${s.sourceOp}`);
  if (typeof s.snapshot !== 'boolean') p.push('snapshot not boolean');
  if (s.sourceTimestampMs !== null && !Number.isFinite(s.sourceTimestampMs)) p.push(`sourceTimestampMs ${s.sourceTimestampMs}`);
  if (s.position !== null && typeof s.position !== 'string') p.push('position not a string');
  return p;
}

type Outcome = { ok: true; d: Decoded } | { ok: false; code: string; err: unknown };

function run(decoder: Decoder, rec: KafkaRecord): Outcome {
  try {
    return { ok: true, d: decoder.decode(rec) };
  } catch (err) {
    return { ok: false, code: err instanceof DecodeError ? err.code : `not a DecodeError: ${String(err)}`, err };
  }
}

function outcomeProblems(o: Outcome, rec: KafkaRecord): string[] {
  if (o.ok) return problemsOf(o.d, rec);
  const err = o.err;
  if (!(err instanceof DecodeError)) return [`threw ${err instanceof Error ? err.name : typeof err}: ${String(err).slice(0, 200)}`];
  if (err.code === ErrorCodes.INTERNAL) return [`CDC_INTERNAL: ${String((err.cause as Error | undefined)?.message ?? err.message).slice(0, 120)}`];
  const p: string[] = [];
  if (!DECODE_CODES.has(err.code)) p.push(`code ${err.code} is not a CDC_DECODE_* code`);
  if (err.kind !== 'data') p.push(`kind ${err.kind}`);
  if (!err.message.includes(`${rec.topic}[${rec.partition}]@${rec.offset}`)) p.push('message does not name topic[partition]@offset');
  if (err.location?.offset !== rec.offset || err.location.partition !== rec.partition) p.push('location differs from the record');
  return p;
}

/** Normalises what may legitimately differ between equivalent texts of a schemaless message. */
function comparable(d: Decoded, schemaless: boolean): unknown {
  if (!schemaless || d.kind !== 'change') return d;
  const columns = [...d.event.schema.columns].sort((a, b) => (a.name < b.name ? -1 : 1));
  return { ...d, event: { ...d.event, schema: { ...d.event.schema, columns } } };
}

// ---------------------------------------------------------------- the harness
interface Case {
  readonly sample: Sample;
  readonly schemaless: boolean;
  readonly valueTree: J;
  readonly keyTree: J;
  readonly warm: Decoder;
  readonly original: Decoded;
  readonly rec: (key: Buffer | null, value: Buffer | null) => KafkaRecord;
}

let offset = 1000;
function makeCase(file: string): Case {
  const sample = loadSample(file);
  const partition = file.length % 7;
  const rec = (key: Buffer | null, value: Buffer | null): KafkaRecord => ({ topic: sample.topic, partition, offset: String(offset++), timestamp: '1710490832000', key, value });
  const warm = createDecoder();
  const first = rec(buf(sample.keyText), buf(sample.valueText));
  const original = warm.decode(first);
  return {
    sample,
    schemaless: (sample.meta.converter as Record<string, unknown>)['schemas.enable'] === false,
    valueTree: sample.valueText === null ? null : parseJ(sample.valueText),
    keyTree: sample.keyText === null ? null : parseJ(sample.keyText),
    warm,
    original,
    rec: (key, value) => ({ ...rec(key, value), offset: first.offset }),
  };
}
const buf = (t: string | null) => (t === null ? null : Buffer.from(t, 'utf8'));
const CASES = sampleFiles().map(makeCase);

interface Failure { count: number; example: string; file: string }
class Tally {
  readonly outcomes = new Map<string, number>();
  readonly failures = new Map<string, Failure>();
  inputs = 0;
  note(sig: string, file: string, input: Buffer | null) {
    const text = input === null ? '<null>' : input.toString('utf8');
    const f = this.failures.get(sig);
    if (f === undefined) this.failures.set(sig, { count: 1, example: text, file });
    else {
      f.count++;
      if (text.length < f.example.length) Object.assign(f, { example: text, file });
    }
  }
  count(o: Outcome) {
    const k = o.ok ? (o.d.kind === 'skip' ? 'skip' : 'change') : o.code;
    this.outcomes.set(k, (this.outcomes.get(k) ?? 0) + 1);
  }
  assertClean(label: string, min: number) {
    const summary = [...this.outcomes].map(([k, n]) => `${k}=${n}`).join(' ');
    console.log(`fuzz ${label}: ${this.inputs} inputs, outcomes: ${summary}`);
    assert.ok(this.inputs >= min, `only ${this.inputs} inputs`);
    const lines = [...this.failures].map(([sig, f]) => `- ${sig} (x${f.count}; ${f.file}; smallest input ${f.example.length} chars: ${f.example.slice(0, 400)})`);
    assert.equal(lines.length, 0, `${label}: ${lines.length} kinds of bad outcome\n${lines.join('\n')}`);
  }
}

/** Decodes a mutated record with a fresh and the warm decoder; checks both and their agreement. */
function check(t: Tally, c: Case, kind: string, key: Buffer | null, value: Buffer | null, mutated: 'key' | 'value' = 'value') {
  t.inputs++;
  const rec = c.rec(key, value);
  const fresh = run(createDecoder(), rec);
  const warm = run(c.warm, { ...rec, offset: rec.offset });
  t.count(fresh);
  const input = mutated === 'key' ? key : value;
  for (const p of outcomeProblems(fresh, rec)) t.note(`${kind}: ${p}`, c.sample.file, input);
  for (const p of outcomeProblems(warm, rec)) t.note(`${kind} (warm cache): ${p}`, c.sample.file, input);
  const same = fresh.ok && warm.ok ? isDeepEqual(fresh.d, warm.d) : !fresh.ok && !warm.ok && fresh.code === warm.code;
  if (!same) t.note(`${kind}: fresh and warm decoders disagree (${fresh.ok ? 'ok' : fresh.code} vs ${warm.ok ? 'ok' : warm.code})`, c.sample.file, input);
}
function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
function checkCacheIntact(t: Tally, c: Case) {
  const again = run(c.warm, c.rec(buf(c.sample.keyText), buf(c.sample.valueText)));
  if (!again.ok || !isDeepEqual(again.d, c.original)) t.note('the original decodes differently after the mutations (schema cache poisoned)', c.sample.file, buf(c.sample.valueText));
}

// ---------------------------------------------------------------- byte / text mutations
type TextMutation = (text: string, r: Rand) => Buffer;
const INVALID_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x00]];

const TEXT_MUTATIONS: Record<string, TextMutation> = {
  'byte flip': (text, r) => {
    const b = Buffer.from(text, 'utf8');
    const i = int(r, b.length);
    b[i] = (b[i] as number) ^ (1 << int(r, 8));
    return b;
  },
  'random byte': (text, r) => {
    const b = Buffer.from(text, 'utf8');
    b[int(r, b.length)] = int(r, 256);
    return b;
  },
  'deleted character': (text, r) => {
    const i = int(r, text.length);
    return Buffer.from(text.slice(0, i) + text.slice(i + 1), 'utf8');
  },
  'duplicated character': (text, r) => {
    const i = int(r, text.length);
    return Buffer.from(text.slice(0, i + 1) + text.slice(i), 'utf8');
  },
  'invalid UTF-8': (text, r) => {
    const b = Buffer.from(text, 'utf8');
    const i = int(r, b.length);
    return Buffer.concat([b.subarray(0, i), Buffer.from(pick(r, INVALID_UTF8)), b.subarray(i)]);
  },
};

/** Cut-point class of position i (the text is cut just before it): structural, in strings / numbers / literals. */
function cutClasses(text: string): Map<string, number[]> {
  const classes = new Map<string, number[]>();
  const payloadAt = text.indexOf('"payload":');
  const add = (i: number, cls: string) => {
    const k = (payloadAt === -1 ? '' : i < payloadAt ? 'schema:' : 'payload:') + cls;
    let list = classes.get(k);
    if (list === undefined) classes.set(k, (list = []));
    list.push(i);
  };
  let inString = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      if (c === '\\') {
        add(i, 'escape');
        add(++i, 'escaped-char');
        continue;
      }
      if (c === '"') inString = false;
      add(i, c === '"' ? 'string-end' : 'in-string');
    } else if (c === '"') {
      inString = true;
      add(i, 'string-start');
    } else add(i, '{}[]:,'.includes(c) ? c : /[-\d.eE+]/.test(c) ? 'number' : 'literal');
  }
  return classes;
}

// ---------------------------------------------------------------- structural (JSON tree) mutations
const LOGICAL_NAMES = [
  'io.debezium.time.Date', 'io.debezium.time.MicroTimestamp', 'io.debezium.time.NanoTime', 'io.debezium.time.ZonedTimestamp',
  'io.debezium.time.MicroDuration', 'io.debezium.time.IsoTimestamp', 'org.apache.kafka.connect.data.Decimal',
  'io.debezium.data.VariableScaleDecimal', 'io.debezium.data.Bits', 'io.debezium.data.Json', 'io.debezium.data.Enum',
  'io.debezium.data.geometry.Point', 'io.debezium.data.geometry.Geometry', 'io.debezium.data.Uuid', 'io.debezium.time.Year',
  'io.debezium.data.Nope', 'org.apache.kafka.connect.data.Timestamp', 'io.debezium.connector.postgresql.Source',
  'io.debezium.connector.common.Heartbeat', 'io.debezium.connector.mysql.SchemaChangeValue', 'x.y.z.Value', 'x.Key', '',
];
const CONNECT_TYPES = ['boolean', 'int8', 'int16', 'int32', 'int64', 'float', 'double', 'bytes', 'string', 'array', 'map', 'struct', 'int128'];
const PARAM_NAMES = ['scale', 'connect.decimal.precision', 'length', 'allowed', '__debezium.source.column.type', '__debezium.source.column.length', '__debezium.source.column.scale'];
const PARAM_VALUES = ['-1', '0', '1', '2', '38', '1000', '100000', '1000000000', '-1000000000', '2147483647', '2147483648', '1.5', 'abc', '', 'NaN', '1e3', 'BYTEA', 'NUMERIC', 'VARCHAR', 'a,b\\,c'];
const HUGE_NUMBERS = [
  '1e400', '-1e400', '9'.repeat(40), '-9223372036854775809', '9223372036854775808', '18446744073709551616', '2147483648',
  '-2147483649', '2147483647', '-2147483648', '1.7976931348623157e308', '5e-324', '-0', '0.000000000000000000001',
  `1${'0'.repeat(5000)}`, '123456789012345678901234567890.123456789', '1e-999999999', '1e999999999', '32768', '-129',
];
const OPS = ['c', 'u', 'd', 'r', 't', 'm', 'x', '', 'C'];

type TreeMutation = (root: { v: J }, r: Rand) => boolean;
function swapValue(v: J, r: Rand): J {
  const choices: J[] = [null, new Num('0'), new Num('-1'), new Num('1.5'), '', 'x', new Obj([]), new Obj([['a', new Num('1')]]), [], [null], true, false];
  if (typeof v === 'string') choices.push(new Num(/^-?\d+(\.\d+)?$/.test(v) ? v : '12'), [v], new Obj([['value', v]]));
  if (v instanceof Num) choices.push(v.text, `${v.text}x`, [v]);
  if (v instanceof Obj) choices.push(printJ(v), [v]);
  if (Array.isArray(v)) choices.push(printJ(v), new Obj(v.map((x, i) => [String(i), x] as [string, J])));
  return pick(r, choices);
}
const anySlot = (root: { v: J }, r: Rand, filter: (s: Slot) => boolean = () => true): Slot | undefined => {
  const all = slots(root).filter(filter);
  return all.length === 0 ? undefined : pick(r, all);
};

const TREE_MUTATIONS: Record<string, TreeMutation> = {
  'type swap': (root, r) => {
    const s = anySlot(root, r, (x) => x.path !== '');
    if (!s) return false;
    s.set(swapValue(s.get(), r));
    return true;
  },
  'removed field': (root, r) => {
    const s = anySlot(root, r, (x) => x.key !== null);
    return s ? (s.remove(), true) : false;
  },
  'removed array element': (root, r) => {
    const s = anySlot(root, r, (x) => x.key === null && x.path !== '');
    return s ? (s.remove(), true) : false;
  },
  'changed schema name': (root, r) => {
    const s = anySlot(root, r, (x) => x.key === 'name' && x.path.startsWith('.schema'));
    return s ? (s.set(pick(r, LOGICAL_NAMES)), true) : false;
  },
  'changed schema type': (root, r) => {
    const s = anySlot(root, r, (x) => x.key === 'type' && typeof x.get() === 'string');
    return s ? (s.set(pick(r, CONNECT_TYPES)), true) : false;
  },
  'changed schema parameter': (root, r) => {
    // a field schema (an object with a "type" string): add or change a parameter, mostly one its
    // logical type reads (Decimal scale, Bits length, Enum allowed, source column type / length)
    const logical = r() < 0.7;
    const s = anySlot(root, r, (x) => x.get() instanceof Obj && (x.get() as Obj).entries.some((e) => (logical ? e[0] === 'name' : e[0] === 'type') && typeof e[1] === 'string'));
    const o = s?.get();
    if (!(o instanceof Obj)) return false;
    const nameEntry = o.entries.find((e) => e[0] === 'name')?.[1];
    const typeName = typeof nameEntry === 'string' ? nameEntry : '';
    const relevant = /Decimal/.test(typeName) ? ['scale', 'connect.decimal.precision'] : /Bits/.test(typeName) ? ['length'] : /Enum/.test(typeName) ? ['allowed'] : PARAM_NAMES;
    let params = o.entries.find((e) => e[0] === 'parameters');
    if (!params || !(params[1] instanceof Obj)) o.entries.push((params = ['parameters', new Obj([])]));
    const p = params[1] as Obj;
    const name = pick(r, r() < 0.8 ? relevant : PARAM_NAMES);
    let value: J = r() < 0.1 ? new Num('7') : pick(r, PARAM_VALUES);
    // a huge Bits length runs the process out of memory (see the regression test below): kept out
    // of the in-process fuzz so that the other findings stay visible
    if (name === 'length' && typeof value === 'string' && Number(value) > 1e6) value = '100000';
    p.entries = [...p.entries.filter((e) => e[0] !== name), [name, value]];
    return true;
  },
  'huge number': (root, r) => {
    const inPayload = r() < 0.8;
    const s = anySlot(root, r, (x) => x.get() instanceof Num && (!inPayload || !x.path.startsWith('.schema')));
    return s ? (s.set(new Num(pick(r, HUGE_NUMBERS))), true) : false;
  },
  'changed op': (root, r) => {
    const s = anySlot(root, r, (x) => x.key === 'op' || x.key === '__op' || x.key === '__deleted');
    return s ? (s.set(pick(r, OPS)), true) : false;
  },
  'deep nesting': (root, r) => {
    const s = anySlot(root, r, (x) => x.path !== '');
    if (!s) return false;
    const depth = pick(r, [64, 1000, 20000]);
    s.set(r() < 0.5 ? new Deep('[', ']', depth, s.get()) : new Deep('{"a":', '}', depth, s.get()));
    return true;
  },
  'deep schema nesting': (root, r) => {
    // a field schema becomes array<array<...<field>>> nested `depth` times
    const s = anySlot(root, r, (x) => x.key === null && x.get() instanceof Obj && (x.get() as Obj).entries.some((e) => e[0] === 'field'));
    if (!s) return false;
    s.set(new Deep('{"type":"array","optional":true,"items":', ',"field":"deep"}', pick(r, [64, 1000, 20000]), s.get()));
    return true;
  },
};

// ---------------------------------------------------------------- equivalent rewrites (no wrong row)
function equivalentStyle(r: Rand): PrintStyle {
  const space = r() < 0.7;
  const shuffle = r() < 0.7;
  const escape = r() < 0.4;
  return {
    ws: space ? () => (r() < 0.3 ? pick(r, [' ', '\n', '\t', '\r\n', '  ']) : '') : () => '',
    order: shuffle ? (e) => [...e].map((x) => [r(), x] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]) : (e) => e,
    str: escape
      ? (s) => {
          let out = '"';
          for (const ch of s) {
            if (/[A-Za-z0-9_.]/.test(ch) && r() < 0.25) out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
            else if (ch === '/') out += '\\/';
            else out += JSON.stringify(ch).slice(1, -1);
          }
          return `${out}"`;
        }
      : (s) => JSON.stringify(s),
  };
}

// ---------------------------------------------------------------- the tests
describe('decoder fuzz (seeded)', () => {
  test('the fuzz JSON printer reproduces every sample byte for byte (mutations start from the real text)', () => {
    assert.equal(CASES.length, 32);
    for (const c of CASES) {
      if (c.sample.valueText !== null) assert.equal(printJ(c.valueTree), c.sample.valueText, c.sample.file);
      if (c.sample.keyText !== null) assert.equal(printJ(c.keyTree), c.sample.keyText, c.sample.file);
    }
  });

  test('truncations at every cut-point class, and empty buffers', () => {
    const t = new Tally();
    const r = rng(1);
    for (const c of CASES) {
      for (const [side, text] of [['value', c.sample.valueText], ['key', c.sample.keyText]] as const) {
        if (text === null) continue;
        for (const positions of cutClasses(text).values()) {
          const chosen = positions.length <= 6 ? positions : Array.from({ length: 6 }, () => pick(r, positions));
          for (const cut of chosen) {
            const b = Buffer.from(text.slice(0, cut), 'utf8');
            if (side === 'value') check(t, c, 'truncated value', buf(c.sample.keyText), b);
            else check(t, c, 'truncated key', b, buf(c.sample.valueText), 'key');
          }
        }
      }
      check(t, c, 'empty value', buf(c.sample.keyText), Buffer.alloc(0));
      check(t, c, 'empty key', Buffer.alloc(0), buf(c.sample.valueText), 'key');
      check(t, c, 'empty key and value', Buffer.alloc(0), Buffer.alloc(0), 'key');
      checkCacheIntact(t, c);
    }
    t.assertClean('truncation', 1500);
  });

  test('byte flips, random bytes, deleted / duplicated characters, invalid UTF-8', () => {
    const t = new Tally();
    const r = rng(2);
    for (const c of CASES) {
      for (const [name, mutate] of Object.entries(TEXT_MUTATIONS)) {
        for (let i = 0; i < 20; i++) {
          if (c.sample.valueText !== null) check(t, c, name, buf(c.sample.keyText), mutate(c.sample.valueText, r));
          if (c.sample.keyText !== null && i < 4) check(t, c, `${name} in key`, mutate(c.sample.keyText, r), buf(c.sample.valueText), 'key');
        }
      }
      checkCacheIntact(t, c);
    }
    t.assertClean('bytes', 3000);
  });

  test('JSON type swaps, removed fields, schema names / types / parameters, huge numbers, deep nesting', { timeout: 600_000 }, () => {
    const t = new Tally();
    const r = rng(3);
    for (const c of CASES) {
      for (const [name, mutate] of Object.entries(TREE_MUTATIONS)) {
        const rounds = name.startsWith('deep') ? 4 : /all-types/.test(c.sample.file) ? 120 : 24;
        for (let i = 0; i < rounds; i++) {
          for (const side of ['value', 'key'] as const) {
            const tree = side === 'value' ? c.valueTree : c.keyTree;
            if (tree === null || (side === 'key' && i % 4 !== 0)) continue;
            const root = { v: parseJ(printJ(tree)) };
            if (!mutate(root, r)) continue;
            const b = Buffer.from(printJ(root.v), 'utf8');
            if (side === 'value') check(t, c, name, buf(c.sample.keyText), b);
            else check(t, c, `${name} in key`, b, buf(c.sample.valueText), 'key');
          }
        }
      }
      checkCacheIntact(t, c);
    }
    console.log(`fuzz structure: ${keyTypeMismatches} decoded keys whose value does not fit the value column of the same name (not checked)`);
    t.assertClean('structure', 5000);
  });

  test('no wrong row: whitespace, key order and string escapes never change the decoded event', () => {
    const r = rng(4);
    let n = 0;
    const wrong: string[] = [];
    for (const c of CASES) {
      const want = comparable(c.original, c.schemaless);
      for (let i = 0; i < 30; i++) {
        const style = equivalentStyle(r);
        const value = c.valueTree === null ? null : Buffer.from(`${style.ws()}${printJ(c.valueTree, style)}${style.ws()}`, 'utf8');
        const key = c.keyTree === null || i % 2 === 0 ? buf(c.sample.keyText) : Buffer.from(printJ(c.keyTree, style), 'utf8');
        const rec = c.rec(key, value);
        for (const [which, decoder] of [['fresh', createDecoder()], ['warm', c.warm]] as const) {
          n++;
          const got = run(decoder, rec);
          if (!got.ok) wrong.push(`${c.sample.file} (${which}): ${got.code} ${String(got.err).slice(0, 200)}\n  input: ${value?.toString().slice(0, 300)}`);
          else if (!isDeepEqual(comparable(got.d, c.schemaless), want)) wrong.push(`${c.sample.file} (${which}): a different event\n  input: ${value?.toString().slice(0, 300)}`);
        }
      }
    }
    console.log(`fuzz equivalence: ${n} decodes of equivalent texts`);
    assert.ok(n >= 1900);
    assert.deepEqual(wrong.slice(0, 10), []);
  });
});

// ---------------------------------------------------------------- minimal repros of what the fuzz found
/** Decodes a one-column insert (id + column c). */
function decodeColumn(schema: Omit<FieldSchema, 'field'>, wire: unknown): Outcome {
  return run(createDecoder(), envelopeRecord({ columns: [ID, { ...schema, field: 'c' }], op: 'c', after: { id: 1, c: wire } }));
}
/** A DecodeError with a CDC_DECODE_* code (not the CDC_INTERNAL of an unexpected exception), or a well-formed result. */
function assertHandled(o: Outcome, rec?: KafkaRecord) {
  if (o.ok) {
    if (rec) assert.deepEqual(problemsOf(o.d, rec), []);
    return;
  }
  assert.ok(o.err instanceof DecodeError, String(o.err));
  assert.match(o.code, /^CDC_DECODE_/, (o.err as Error).message);
}
const onlyChange = (o: Outcome) => {
  if (!o.ok) assert.fail(`decode failed: ${String(o.err)}`);
  if (o.d.kind !== 'change') assert.fail(`skipped: ${o.d.reason}`);
  return o.d.event;
};

describe('decoder fuzz findings (minimal inputs)', () => {
  test('a Bits column whose length parameter is 1000000000 does not run the process out of memory', () => {
    // Run in a child with a small heap: the current code builds a 10^9-character string bit by bit.
    const script = `
      import { createDecoder } from './connectors/debezium/index.ts';
      import { envelopeRecord, ID } from './test/unit/debezium/build.ts';
      try {
        createDecoder().decode(envelopeRecord({ columns: [ID, { type: 'bytes', name: 'io.debezium.data.Bits', parameters: { length: '1000000000' }, field: 'c' }], op: 'c', after: { id: 1, c: 'AQ==' } }));
        console.log('decoded');
      } catch (err) { console.log('threw', err.code); }`;
    const child = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    assert.equal(child.signal, null, `the decoder process died (${child.signal}): ${child.stderr.slice(0, 300)}`);
    assert.equal(child.status, 0, child.stderr.slice(0, 500));
    assert.match(child.stdout, /threw CDC_DECODE_BAD_VALUE|decoded/);
  });

  test('a Bits column without a length parameter is a clear decode error (Debezium always sends it)', () => {
    const o = decodeColumn({ type: 'bytes', name: 'io.debezium.data.Bits' }, 'oQ==');
    assertHandled(o);
    assert.ok(!o.ok);
    assert.equal(o.code, 'CDC_DECODE_BAD_VALUE');
    assert.match((o.err as Error).message, /column c: Bits schema has no length parameter/);
  });

  test('huge scales and exponents are decode errors, not CDC_INTERNAL (Invalid string length)', () => {
    const vsd = { type: 'struct', name: 'io.debezium.data.VariableScaleDecimal', fields: [{ type: 'int32', field: 'scale' }, { type: 'bytes', field: 'value' }] };
    assertHandled(decodeColumn(vsd, { scale: 2147483647, value: 'AQ==' }));
    assertHandled(decodeColumn(vsd, { scale: -2147483648, value: 'AQ==' }));
    assertHandled(decodeColumn({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '1000000000' } }, 'AQ=='));
    assertHandled(decodeColumn({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '-1000000000' } }, 'AQ=='));
    assertHandled(decodeColumn({ type: 'string', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, '1e999999999'));
    assertHandled(decodeColumn({ type: 'string', parameters: { '__debezium.source.column.type': 'NUMERIC' } }, '1e999999999'));
  });

  test('deeply nested values and schemas are decode errors, not CDC_INTERNAL (stack overflow)', () => {
    const nested = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    assertHandled(run(createDecoder(), record('srv.public.items', '{"id":1}', `{"id":1,"c":${nested}}`)));
    const schema = `${'{"type":"array","items":'.repeat(5000)}{"type":"int32"}${'}'.repeat(5000)}`;
    const value = `{"schema":{"type":"struct","fields":[${schema.slice(0, -1)},"field":"c"}],"name":"srv.public.items.Value"},"payload":{"c":null}}`;
    assertHandled(run(createDecoder(), record('srv.public.items', '{"id":1}', value)));
  });

  test('a source ts_ms beyond the double range gives sourceTimestampMs null, not Infinity', () => {
    const big = raw(`1${'0'.repeat(400)}`);
    const e = onlyChange(run(createDecoder(), envelopeRecord({ columns: [ID], op: 'c', after: { id: 1 }, source: { ...pgSource(), ts_ms: big } })));
    assert.ok(e.source.sourceTimestampMs === null || Number.isFinite(e.source.sourceTimestampMs), String(e.source.sourceTimestampMs));
  });

  test('schemaless integers beyond int64 are not typed int64 (and 1e30 keeps its digits)', () => {
    for (const text of ['9223372036854775808', '1e30']) {
      const rec = record('srv.public.items', '{"id":1}', `{"id":1,"n":${text}}`);
      const o = run(createDecoder(), rec);
      assertHandled(o, rec);
      if (o.ok && o.d.kind === 'change') assert.notEqual(o.d.event.row?.n, 1000000000000000019884624838656n, `${text} decoded with wrong digits`);
    }
  });

  test('a column named like an Object.prototype member ("constructor") that is missing from the payload reads as null', () => {
    const o = run(createDecoder(), envelopeRecord({ columns: [ID, { type: 'string', optional: true, field: 'constructor' }], op: 'c', after: { id: 1 } }));
    assert.equal(onlyChange(o).row?.constructor, null);
  });
});
