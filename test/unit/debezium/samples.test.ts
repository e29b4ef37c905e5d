import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { ChangeEvent } from '../../../connectors/core/change-event.ts';
import type { Row } from '../../../connectors/core/value.ts';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import type { Decoded } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import type { ChangeExpectation } from './expectations.ts';
import { MYSQL_ALL_TYPES, PG_ALL_TYPES, SAMPLE_EXPECTATIONS } from './expectations.ts';
import { loadExpected, loadSample, record, sampleFiles, sampleRecord, samplesDir, topLevelMembers } from './sample-loader.ts';

const plain = (row: Row | null): Record<string, unknown> | null => (row === null ? null : { ...row });

function change(d: Decoded): ChangeEvent {
  if (d.kind !== 'change') assert.fail(`expected a change, got a skip (${d.reason})`);
  return d.event;
}

function decodeSample(file: string): Decoded {
  return createDecoder().decode(sampleRecord(loadSample(file)));
}

describe('shared Debezium samples', () => {
  test('the samples folder exists and every sample has an expectation', () => {
    const files = sampleFiles(); // throws when ../shared/debezium/samples is missing
    assert.equal(files.length, 32);
    assert.deepEqual(new Set(files), new Set(Object.keys(SAMPLE_EXPECTATIONS)));
  });

  for (const [file, expected] of Object.entries(SAMPLE_EXPECTATIONS)) {
    test(`${file} decodes as expected`, () => {
      const decoded = decodeSample(file);
      if ('skip' in expected) {
        assert.deepEqual(decoded, { kind: 'skip', reason: expected.skip });
        return;
      }
      const e = change(decoded);
      const x: ChangeExpectation = expected;
      assert.equal(e.op, x.op);
      assert.deepEqual(e.table, { namespace: x.table[0], name: x.table[1] });
      assert.deepEqual(plain(e.key), x.key);
      if (x.row !== 'all-types') {
        assert.deepEqual(plain(e.row), x.row);
        assert.deepEqual(e.schema.columns.map((c) => c.name), x.columns);
      }
      assert.deepEqual(plain(e.before), x.before);
      assert.deepEqual(e.schema.key, x.keyNames);
      const s = loadSample(file);
      assert.deepEqual(
        { ...e.source },
        {
          topic: s.topic,
          partition: 0,
          offset: e.source.offset,
          kafkaTimestampMs: 1710490832000,
          sourceTimestampMs: x.sourceTimestampMs,
          sourceOp: x.sourceOp,
          snapshot: x.snapshot,
          position: x.position,
          connector: x.connector,
        },
      );
    });
  }

  for (const [file, table] of [
    ['postgresql/09-all-types-insert.json', PG_ALL_TYPES],
    ['mysql/07-all-types-insert.json', MYSQL_ALL_TYPES],
  ] as const) {
    test(`${file}: every column's decoded value and ColumnType`, () => {
      const e = change(decodeSample(file));
      const row = e.row as Row;
      assert.deepEqual(Object.keys(row), Object.keys(table));
      assert.deepEqual(e.schema.columns.map((c) => c.name), Object.keys(table));
      for (const col of e.schema.columns) {
        const [value, type, optional] = table[col.name] as readonly [unknown, unknown, boolean];
        assert.deepEqual(row[col.name], value, `value of ${col.name}`);
        assert.deepEqual(col.type, type, `type of ${col.name}`);
        assert.equal(col.optional, optional, `optional of ${col.name}`);
      }
    });
  }

  test('expected.json: every assertion holds on the wire and in the decoded event', () => {
    const expected = loadExpected();
    assert.deepEqual(new Set(Object.keys(expected)), new Set(sampleFiles()));
    let checked = 0;
    for (const [file, assertions] of Object.entries(expected)) {
      const text = readFileSync(resolve(samplesDir, file), 'utf8');
      const sample = JSON.parse(text) as Record<string, unknown>;
      const decoded = decodeSample(file);
      for (const [rawPath, want] of Object.entries(assertions)) {
        const path = rawPath.replace(/ \(.*\)$/, '');
        // 1. the wire: the sample really holds that value
        const wire = path.split('.').reduce<unknown>((o, seg) => {
          const m = /^(\w+)\[(\d+)\]$/.exec(seg);
          const obj = o as Record<string, unknown> | null;
          return m ? (obj?.[m[1] as string] as unknown[] | undefined)?.[Number(m[2])] : obj?.[seg];
        }, sample);
        const isAllTypes = path === 'value.payload.after' && file.includes('all-types');
        if (!isAllTypes) assert.deepEqual(wire, want, `${file} wire ${path}`);
        // 2. the decoded event
        checkDecoded(file, path, want, decoded);
        checked++;
      }
    }
    assert.equal(checked, 55);
  });

  test('pretty-printed JSON (not JsonConverter layout) decodes the same through the full-parse path', () => {
    for (const file of sampleFiles()) {
      const text = readFileSync(resolve(samplesDir, file), 'utf8');
      // cut key and value out of the file as they are (indented, with newlines)
      const compact = loadSample(file);
      const indentedValue = rawMember(text, 'value');
      const indentedKey = rawMember(text, 'key');
      const fromPretty = createDecoder().decode(
        record(compact.topic, indentedKey === 'null' ? null : indentedKey, indentedValue === 'null' ? null : indentedValue, { offset: '7' }),
      );
      const fromCompact = createDecoder().decode(sampleRecord(compact, { offset: '7' }));
      assert.deepEqual(fromPretty, fromCompact, file);
    }
  });
});

/** Raw (indented) text of a top-level member of a pretty-printed sample file. */
function rawMember(text: string, name: string): string {
  const start = text.indexOf(`\n  "${name}": `);
  assert.ok(start >= 0, name);
  const from = start + name.length + 7;
  // the member ends where the next top-level member (two-space indent) starts, or at the final brace
  const next = text.slice(from).search(/,\n {2}"\w+": |\n}\s*$/);
  return text.slice(from, from + next);
}

const PLACEHOLDER_FORMS = new Set(['__debezium_unavailable_value', 'X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==']);

/** Maps an expected.json path to the ChangeEvent (or skip) and checks it. */
function checkDecoded(file: string, path: string, want: unknown, decoded: Decoded): void {
  const label = `${file} decoded ${path}`;
  if (decoded.kind === 'skip') {
    // non-row records: the assertion is about the wire only; the decoder must skip them
    assert.ok(['transaction', 'heartbeat', 'message', 'schema-change'].includes(decoded.reason), label);
    return;
  }
  const e = decoded.event;
  const m = /^(key|value)(?:\.payload)?(?:\.(.*))?$/.exec(path);
  assert.ok(m, label);
  const [, part, rest = ''] = m;
  if (part === 'key') {
    if (rest === '') return assert.equal(e.key, null, label);
    return assert.deepEqual((e.key as Row)[rest], want, label);
  }
  if (rest === '' && want !== null) {
    // an unwrapped record: the payload is the row itself
    return assert.deepEqual(plain(e.row), want, label);
  }
  if (rest === '') {
    // value: null / payload: null -> a delete by key
    assert.equal(want, null, label);
    assert.equal(e.op, 'delete', label);
    return assert.equal(e.source.sourceOp, 'tombstone', label);
  }
  if (rest === 'op' || rest === '__op') return assert.equal(e.source.sourceOp, want, label);
  if (rest === '__deleted') return assert.equal(e.op, want === 'true' ? 'delete' : 'upsert', label);
  if (rest === '__lsn') return assert.equal(e.source.position, `lsn=${String(want)}`, label);
  if (rest === 'source.snapshot') return assert.equal(e.source.snapshot, want !== 'false', label);
  if (rest === 'source.ts_ms') return assert.equal(e.source.sourceTimestampMs, want, label);
  if (rest === 'source.gtid') return assert.equal(e.source.position, want, label);
  if (rest === 'transaction.total_order') return assert.equal(e.op, 'upsert', label); // not part of a ChangeEvent
  const img = /^(after|before)(?:\.(\w+))?$/.exec(rest) ?? (/^(\w+)$/.exec(rest) ? [rest, 'flat', rest] : null);
  assert.ok(img, `unmapped path ${label}`);
  const [, which, column] = img;
  const image = which === 'before' ? e.before : which === 'after' ? e.row : (e.row ?? e.before);
  if (column === undefined) {
    if (want === null) return assert.equal(image, null, label);
    const wantRow = want as Record<string, unknown>;
    if (file.includes('all-types')) {
      // {wire, decoded} per column: the decoded values are checked exactly in the all-types test
      return assert.deepEqual(Object.keys(image as Row), Object.keys(wantRow), label);
    }
    return assert.deepEqual(plain(image), wantRow, label);
  }
  const got = (image as Row)[column];
  const isPlaceholder = typeof want === 'string' ? PLACEHOLDER_FORMS.has(want) : Array.isArray(want) && want.length === 1 && PLACEHOLDER_FORMS.has(want[0] as string);
  if (isPlaceholder) return assert.equal(got, UNCHANGED, label);
  assert.deepEqual(got, want, label);
}

test('sample loader keeps integers beyond 2^53 exactly', () => {
  const s = loadSample('postgresql/09-all-types-insert.json');
  assert.match(s.valueText ?? '', /"big":9007199254740993,/);
  assert.equal(topLevelMembers('{"a":1,"b":{"c":[1,2]},"d":null}').get('b'), '{"c":[1,2]}');
});
