/**
 * The text[] literals the PostgreSQL data statements bind (connectors/postgres/array-literal.ts,
 * built inline by changes.ts) are byte-for-byte what node-postgres makes of the same
 * (string | null)[] (prepareValue -> arrayString in pg/lib/utils.js), which is what the sink used
 * to bind. Checked on many generated values, then parsed back with PostgreSQL's array input rules
 * (a behavioural check that does not rely on node-postgres being right).
 * test/integration/postgres-array-literal.test.ts does the round trip through the real server.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type { TableChanges } from '../../../connectors/contract.ts';
import type { ColumnSchema, ColumnType } from '../../../connectors/core/column-type.ts';
import { newRow, type Row, type Value } from '../../../connectors/core/value.ts';
import { quoteArrayElement, textArrayLiteral } from '../../../connectors/postgres/array-literal.ts';
import { createPostgresDialect } from '../../../connectors/postgres/dialect.ts';
import { castType } from '../../../connectors/postgres/types.ts';
import { valueToText } from '../../../connectors/postgres/values.ts';
import { Rng } from '../../infra/e2e/random.ts';

// pg ships no types for its lib/ files; prepareValue is the conversion it applies to every parameter.
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };

/** What node-postgres sends for a (string | null)[] parameter. */
function pgText(elements: readonly (string | null)[]): string {
  const text = prepareValue(elements);
  assert.equal(typeof text, 'string');
  return text as string;
}

/** Equal as strings and as the UTF-8 bytes that go on the wire. */
function assertSameBytes(actual: string, expected: string, what: string): void {
  if (actual === expected) {
    assert.ok(Buffer.from(actual, 'utf8').equals(Buffer.from(expected, 'utf8')), what);
    return;
  }
  // Show where they differ rather than two huge strings.
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  assert.fail(`${what}: differs at ${i}: ${JSON.stringify(actual.slice(i, i + 40))} vs ${JSON.stringify(expected.slice(i, i + 40))}`);
}

/**
 * A one-dimensional array literal parsed the way PostgreSQL's array_in does: quoted elements with
 * backslash escapes, unquoted elements trimmed of whitespace, an unquoted NULL (any case) is null.
 */
function parseTextArray(literal: string): (string | null)[] {
  assert.ok(literal.startsWith('{') && literal.endsWith('}'), `not an array literal: ${literal.slice(0, 40)}`);
  const out: (string | null)[] = [];
  const body = literal.slice(1, -1);
  if (body.trim() === '') return out;
  let i = 0;
  for (;;) {
    while (/\s/.test(body[i] ?? '')) i++;
    let element = '';
    let quoted = false;
    if (body[i] === '"') {
      quoted = true;
      i++;
      while (body[i] !== '"') {
        assert.ok(i < body.length, 'unterminated quoted element');
        if (body[i] === '\\') i++;
        element += body[i];
        i++;
      }
      i++;
      while (/\s/.test(body[i] ?? '')) i++;
    } else {
      while (i < body.length && body[i] !== ',') {
        assert.ok(!'{}"\\'.includes(body[i] ?? ''), `unexpected ${body[i]} in an unquoted element`);
        element += body[i];
        i++;
      }
      element = element.trim();
    }
    out.push(!quoted && element.toUpperCase() === 'NULL' ? null : element);
    if (i >= body.length) return out;
    assert.equal(body[i], ',', `expected a comma at ${i}`);
    i++;
  }
}

/** Pieces that matter to array syntax or to encodings, mixed with ordinary text. */
const PIECES = [
  '"', '\\', '\\\\', '\\"', '{', '}', '{}', ',', ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', "'", "''",
  'NULL', 'null', 'Null', ' NULL ', '""', '{"a",NULL}', 'a,b', 'x', 'hello', '42', '-0', '1e10', 'é', 'ß',
  '日本語', '🙂', '👩‍👩‍👧', '\u00a0', '\u2028', '\u2029', '\ufeff', '\ud800', '\udfff', '\\x00ff', '$1', '::text', ';', '--', '/*',
  '\u0001', '\b', '\u001f', '\u007f', '\u0080', '\uffff', '{"k":"v"}', '[1,"2"]', '\\u0041', '\\n', '\\t', '</script>',
];

function generatedString(next: () => number): string {
  const parts = Math.floor(next() * 8);
  let s = '';
  for (let p = 0; p < parts; p++) {
    s += next() < 0.7 ? (PIECES[Math.floor(next() * PIECES.length)] ?? '') : String.fromCharCode(32 + Math.floor(next() * 95));
  }
  return s;
}

/** Hand-picked elements, then many generated ones (a tenth of them null). */
function generatedElements(seed: number, count: number): (string | null)[] {
  const rng = new Rng(seed); // seeded, so a failure reproduces
  const next = () => rng.next();
  const out: (string | null)[] = [...PIECES, '', null, 'NULL', '"NULL"', ' ', '\\N', 'a"b\\c'];
  for (let i = 0; i < count; i++) out.push(next() < 0.1 ? null : generatedString(next));
  return out;
}

void describe('postgres text[] literal', () => {
  void test('small cases, spelled out', () => {
    assert.equal(textArrayLiteral([]), '{}');
    assert.equal(textArrayLiteral([null]), '{NULL}');
    assert.equal(textArrayLiteral(['']), '{""}');
    assert.equal(textArrayLiteral(['NULL', null]), '{"NULL",NULL}');
    assert.equal(textArrayLiteral(['a"b', 'c\\d', 'e,f', '{g}', ' h ']), '{"a\\"b","c\\\\d","e,f","{g}"," h "}');
    // The three ways quoteArrayElement takes: nothing to escape; escapes (JSON.stringify); escapes
    // next to characters JSON.stringify would escape its own way (the regex).
    assert.equal(quoteArrayElement('plain'), '"plain"');
    assert.equal(quoteArrayElement('\\"'), '"\\\\\\""');
    assert.equal(quoteArrayElement('{"k":"v\\n"}'), '"{\\"k\\":\\"v\\\\n\\"}"');
    assert.equal(quoteArrayElement('a"\nb'), '"a\\"\nb"');
    assert.equal(quoteArrayElement('"\u0000\t\u001f'), '"\\"\u0000\t\u001f"');
    assert.equal(quoteArrayElement('"🙂\ud800'), '"\\"🙂\ud800"');
    assert.equal(quoteArrayElement('"\u2028\u007f'), '"\\"\u2028\u007f"');
    for (const elements of [[], [null], [''], ['NULL', null], ['a"b', 'c\\d', 'e,f', '{g}', ' h ']]) {
      assert.equal(textArrayLiteral(elements), pgText(elements));
    }
  });

  void test("thousands of generated elements: the same text as node-postgres's arrayString, and they parse back", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const elements = generatedElements(seed, 500);
      const literal = textArrayLiteral(elements);
      assertSameBytes(literal, pgText(elements), `seed ${seed}`);
      assert.deepEqual(parseTextArray(literal), elements, `seed ${seed} parses back`);
      // One element per array too: no separator involved.
      for (const e of elements) assert.equal(textArrayLiteral([e]), pgText([e]));
    }
  });

  void test('very long strings (1 MB and more), with and without characters to escape', () => {
    const long = [
      'x'.repeat(1 << 20),
      '"'.repeat(300_000),
      '\\'.repeat(300_000),
      `${'é'.repeat(200_000)}"${'日'.repeat(200_000)}\\`,
      'ab"cd\\ef\n'.repeat(100_000),
    ];
    const elements = [...long, null, ...long];
    const literal = textArrayLiteral(elements);
    assertSameBytes(literal, pgText(elements), 'long strings');
    assert.deepEqual(parseTextArray(literal), elements);
  });

  void test('a NUL character is kept as it is (PostgreSQL rejects it, as it did before)', () => {
    const elements = ['a\u0000b', '\u0000', 'c'];
    const literal = textArrayLiteral(elements);
    assert.equal(literal, '{"a\u0000b","\u0000","c"}');
    assertSameBytes(literal, pgText(elements), 'NUL');
  });
});

void describe('postgres statements bind text[] literals (changes.ts)', () => {
  const dialect = createPostgresDialect({ schema: 'public', offsetsTable: 'o', rowsPerStatement: 700 });

  /** Every column's parameter against node-postgres's text for the column's encoded values. */
  function assertBindsLikePg(changes: TableChanges): number {
    // The cast of each target column, as changes.ts derives it, picks the column's encoder.
    const casts = new Map(changes.description.columns.map((c) => [c.name, castType(c.dataType)]));
    let checked = 0;
    const statements = dialect.tableChanges(changes);
    const size = 700;
    for (const [s, sql] of statements.entries()) {
      const rows = changes.upserts.slice(s * size, (s + 1) * size);
      assert.equal(sql.values.length, changes.columns.length);
      for (const [c, column] of changes.columns.entries()) {
        const old = rows.map((r) => valueToText(r[column.name] as Value, column.type, casts.get(column.name)));
        const literal = sql.values[c];
        assert.equal(typeof literal, 'string', 'the parameter is the literal text');
        assertSameBytes(literal as string, pgText(old), `statement ${s}, column ${column.name}`);
        assert.deepEqual(parseTextArray(literal as string), old);
        checked += old.length;
      }
    }
    return checked;
  }

  function tableOf(columns: ColumnSchema[], targetTypes: string[], upserts: Row[]): TableChanges {
    const table = { schema: null, name: 't' };
    return {
      table,
      description: {
        table,
        columns: columns.map((c, i) => ({ name: c.name, dataType: targetTypes[i] ?? 'text', nullable: c.optional })),
        primaryKey: ['id'],
      },
      columns,
      keyColumns: ['id'],
      mode: 'upsert',
      truncate: false,
      deletes: [],
      upserts,
    };
  }

  void test('generated text columns, over several statements', () => {
    const columns: ColumnSchema[] = [
      { name: 'id', type: { kind: 'int', bits: 64 }, optional: false },
      { name: 'a', type: { kind: 'string' }, optional: true },
      { name: 'b', type: { kind: 'string' }, optional: true },
    ];
    const a = generatedElements(7, 2000);
    const b = generatedElements(8, 2000);
    const rows = a.map((v, i) => Object.assign(newRow(), { id: BigInt(i), a: v, b: b[i] ?? null }));
    const n = assertBindsLikePg(tableOf(columns, ['bigint', 'text', 'character varying(20)'], rows));
    assert.equal(n, rows.length * 3);
  });

  void test('every kind of value the encoders produce (numbers, bytes, dates, nested arrays...)', () => {
    const types: [string, ColumnType, string, Value[]][] = [
      ['b', { kind: 'boolean' }, 'boolean', [true, false, null]],
      ['f', { kind: 'float', bits: 64 }, 'double precision', [1.5, -0, NaN, Infinity, -Infinity, 1e-300, null]],
      ['n', { kind: 'decimal', precision: 38, scale: 9 }, 'numeric', ['-12345678901234567890.123456789', '0', null]],
      ['i', { kind: 'int', bits: 64 }, 'bigint', [9223372036854775807n, -1n, 0, null]],
      ['y', { kind: 'bytes' }, 'bytea', [Buffer.from([0, 1, 0x5c, 0x22, 255]), Buffer.alloc(0), null]],
      ['d', { kind: 'date' }, 'date', ['2024-02-29', '+10000-01-01', '0000-01-01', '-0044-03-15', null]],
      ['ts', { kind: 'timestamp', precision: 9 }, 'timestamp without time zone', ['2024-01-01T12:00:00.123456789', null]],
      ['j', { kind: 'json' }, 'jsonb', ['{"k":"v \\"q\\" \\\\"}', '[]', 'null', '"NULL"', null]],
      [
        'arr',
        { kind: 'array', items: { kind: 'string' } },
        'text[]',
        [['a', null, 'NULL', '', 'q"b\\s', '{x,y}'], [], null, ['\n']],
      ],
      [
        'arr2',
        { kind: 'array', items: { kind: 'array', items: { kind: 'int', bits: 32 } } },
        'integer[]',
        [[[1, 2], [3, null]], [[]], null],
      ],
    ];
    const columns: ColumnSchema[] = [
      { name: 'id', type: { kind: 'int', bits: 64 }, optional: false },
      ...types.map(([name, type]) => ({ name, type, optional: true })),
    ];
    const longest = Math.max(...types.map(([, , , values]) => values.length));
    const rows = Array.from({ length: 1500 }, (_v, r) =>
      Object.assign(newRow(), { id: BigInt(r) }, Object.fromEntries(types.map(([name, , , values]) => [name, values[(r + longest) % values.length] ?? null]))),
    );
    const n = assertBindsLikePg(tableOf(columns, ['bigint', ...types.map(([, , dataType]) => dataType)], rows));
    assert.equal(n, rows.length * columns.length);
  });

  void test('deletes bind key literals too', () => {
    const columns: ColumnSchema[] = [{ name: 'id', type: { kind: 'string' }, optional: false }];
    const keys = generatedElements(9, 100).filter((k): k is string => k !== null);
    const table = { schema: null, name: 'k' };
    const [sql, ...rest] = dialect.tableChanges({
      table,
      description: { table, columns: [{ name: 'id', dataType: 'text', nullable: false }], primaryKey: ['id'] },
      columns,
      keyColumns: ['id'],
      mode: 'upsert',
      truncate: false,
      deletes: keys.map((id) => Object.assign(newRow(), { id })),
      upserts: [],
    });
    assert.deepEqual(rest, []);
    assert.deepEqual(sql?.values, [pgText(keys)]);
  });
});
