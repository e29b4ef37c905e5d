/**
 * Fast Debezium envelopes for the benchmark's millions of records, built by composition over
 * DebeziumTable (test/support/debezium-events.ts): the schema text (most of every envelope) and the
 * key envelope are taken once from DebeziumTable's own output; each record then only renders its
 * payload. `selfCheck` compares the result with DebeziumTable's envelope for the same change, so the
 * format cannot drift from the one the tests use.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DebeziumTable, FieldSpec } from '../test/support/debezium-events.ts';
import type { BenchRow, BenchValue } from './tables.ts';

const KEY_PROBE = 987654321;

/** Two's-complement big-endian bytes of the unscaled value, base64: Connect's Decimal on the wire. */
function decimalBase64(text: string, scale: number): string {
  const negative = text.startsWith('-');
  const [i = '0', frac = ''] = text.replace('-', '').split('.');
  let n = BigInt(i + frac.padEnd(scale, '0').slice(0, scale));
  if (negative) n = -n;
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (!(v === 0n && ((bytes[0] ?? 0) & 0x80) === 0) && !(v === -1n && ((bytes[0] ?? 0) & 0x80) !== 0));
  return Buffer.from(bytes).toString('base64');
}

function wire(f: FieldSpec, v: BenchValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof f.type === 'object') return `"${decimalBase64(String(v), f.type.decimal.scale)}"`;
  return JSON.stringify(v);
}

export class EnvelopeWriter {
  private readonly schemaText: string;
  private readonly keyHead: string;
  private readonly keyTail: string;
  private readonly names: readonly string[];
  private lsn = 23_000_000;

  constructor(
    readonly dbz: DebeziumTable,
    private readonly prefix: string,
  ) {
    const sample = dbz.tombstone({ id: KEY_PROBE }).key ?? '';
    const at = sample.lastIndexOf(String(KEY_PROBE));
    this.keyHead = sample.slice(0, at);
    this.keyTail = sample.slice(at + String(KEY_PROBE).length);
    const envelope = dbz.truncate(0).value ?? '';
    const start = '{"schema":'.length;
    this.schemaText = envelope.slice(start, envelope.indexOf(',"payload":{'));
    this.names = dbz.spec.fields.map((f) => JSON.stringify(f.name));
  }

  key(id: number): string {
    return `${this.keyHead}${id}${this.keyTail}`;
  }

  private row(row: BenchRow | null): string {
    if (row === null) return 'null';
    const fields = this.dbz.spec.fields;
    let out = '{';
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as FieldSpec;
      out += `${i === 0 ? '' : ','}${this.names[i] ?? ''}:${wire(f, row[f.name])}`;
    }
    return `${out}}`;
  }

  envelope(op: 'c' | 'u' | 'd', before: BenchRow | null, after: BenchRow | null, tsMs: number, nowMs = Date.now()): string {
    this.lsn += 8;
    const { schema, table } = this.dbz.spec;
    const source =
      `{"version":"3.3.1.Final","connector":"postgresql","name":${JSON.stringify(this.prefix)},"ts_ms":${tsMs},` +
      `"snapshot":"false","db":"source","sequence":"[null,\\"${this.lsn}\\"]","ts_us":${tsMs}000,"ts_ns":${tsMs}000000,` +
      `"schema":${JSON.stringify(schema)},"table":${JSON.stringify(table)},"txId":1000,"lsn":${this.lsn},"xmin":null}`;
    const payload =
      `{"before":${this.row(before)},"after":${this.row(after)},"source":${source},"transaction":null,` +
      `"op":"${op}","ts_ms":${nowMs},"ts_us":${nowMs}000,"ts_ns":${nowMs}000000}`;
    return `{"schema":${this.schemaText},"payload":${payload}}`;
  }
}

/** Throws unless the writer's envelope equals DebeziumTable's for the same change (clocks aside). */
export function selfCheck(writer: EnvelopeWriter, row: BenchRow, before: BenchRow): void {
  const tsMs = 1_700_000_000_123;
  const strip = (text: string) => {
    const doc = JSON.parse(text) as { payload: Record<string, unknown> & { source: Record<string, unknown> } };
    for (const k of ['ts_ms', 'ts_us', 'ts_ns']) delete doc.payload[k];
    for (const k of ['sequence', 'lsn']) delete doc.payload.source[k];
    return doc;
  };
  const cases: [string, string][] = [
    [writer.envelope('c', null, row, tsMs), writer.dbz.insert(row, tsMs).value ?? ''],
    [writer.envelope('u', null, row, tsMs), writer.dbz.update(row, tsMs).value ?? ''],
    [writer.envelope('d', before, null, tsMs), writer.dbz.delete(before, tsMs).value ?? ''],
  ];
  for (const [ours, theirs] of cases) {
    if (!isDeepStrictEqual(strip(ours), strip(theirs))) {
      throw new Error(`bench envelope differs from DebeziumTable's for ${writer.dbz.topic}:\n${ours.slice(0, 3000)}\n---\n${theirs.slice(0, 3000)}`);
    }
  }
  if (writer.key(Number(row.id)) !== writer.dbz.key(row)) throw new Error(`bench key differs from DebeziumTable's for ${writer.dbz.topic}`);
}
