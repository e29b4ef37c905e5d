import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import { decodeColumn, json } from './build.ts';
import { record } from './sample-loader.ts';

const PH = '__debezium_unavailable_value';
const PH_BYTES = Buffer.from(PH, 'utf8');
const PH_BASE64 = 'X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==';
const PH_BYTE_VALUES = [...PH_BYTES];
const PH_UUID = 'b68a35a7-17ad-35b3-af2a-ae46edb4545a';
const BYTEA = { '__debezium.source.column.type': 'BYTEA' };

describe('TOAST placeholders become UNCHANGED', () => {
  test('the fixed forms are what FORMAT.md §11 says', () => {
    assert.equal(PH_BYTES.toString('base64'), PH_BASE64);
    assert.deepEqual(PH_BYTE_VALUES.slice(0, 10), [95, 95, 100, 101, 98, 101, 122, 105, 117, 109]);
  });

  const cases = [
    ['text', { type: 'string' }, PH],
    ['json (not valid JSON)', { type: 'string', name: 'io.debezium.data.Json' }, PH],
    ['xml', { type: 'string', name: 'io.debezium.data.Xml' }, PH],
    ['hstore in json mode', { type: 'string', name: 'io.debezium.data.Json' }, JSON.stringify({ [PH]: PH })],
    ['hstore in map mode', { type: 'map', keys: { type: 'string' }, values: { type: 'string' } }, { [PH]: PH }],
    ['bytea, binary.handling.mode=bytes', { type: 'bytes' }, PH_BASE64],
    ['text[]', { type: 'array', items: { type: 'string' } }, [PH]],
    ['jsonb[]', { type: 'array', items: { type: 'string', name: 'io.debezium.data.Json' } }, [PH]],
    ['bytea[]', { type: 'array', items: { type: 'bytes' } }, [PH_BASE64]],
    ['int[]', { type: 'array', items: { type: 'int32' } }, PH_BYTE_VALUES],
    ['bigint[]', { type: 'array', items: { type: 'int64' } }, PH_BYTE_VALUES],
    ['smallint[]', { type: 'array', items: { type: 'int16' } }, PH_BYTE_VALUES],
    ['date[]', { type: 'array', items: { type: 'int32', name: 'io.debezium.time.Date' } }, PH_BYTE_VALUES],
    ['uuid[]', { type: 'array', items: { type: 'string', name: 'io.debezium.data.Uuid' } }, [PH_UUID]],
  ] as const;
  for (const [title, schema, wire] of cases) {
    test(title, () => {
      assert.equal(decodeColumn(schema, wire).value, UNCHANGED);
    });
  }

  test('bytea in hex mode: the placeholder string itself', () => {
    assert.equal(decodeColumn({ type: 'string', parameters: BYTEA }, PH, { binaryHandlingMode: 'hex' }).value, UNCHANGED);
  });
  test('bytea in base64 and base64-url-safe modes', () => {
    assert.equal(decodeColumn({ type: 'string', parameters: BYTEA }, PH_BASE64, { binaryHandlingMode: 'base64' }).value, UNCHANGED);
    assert.equal(decodeColumn({ type: 'string', parameters: BYTEA }, PH_BASE64, { binaryHandlingMode: 'base64-url-safe' }).value, UNCHANGED);
    assert.equal(decodeColumn({ type: 'string', parameters: BYTEA }, PH_BYTES.toString('base64url'), { binaryHandlingMode: 'base64-url-safe' }).value, UNCHANGED);
  });

  test('a configured placeholder, also given as hex: bytes', () => {
    assert.equal(decodeColumn({ type: 'string' }, 'N/A-toast', { unavailableValuePlaceholder: 'N/A-toast' }).value, UNCHANGED);
    assert.equal(decodeColumn({ type: 'string' }, PH, { unavailableValuePlaceholder: 'N/A-toast' }).value, PH, 'the default is not special then');
    const hex = Buffer.from('toast!').toString('hex');
    assert.equal(decodeColumn({ type: 'bytes' }, Buffer.from('toast!').toString('base64'), { unavailableValuePlaceholder: `hex:${hex}` }).value, UNCHANGED);
    assert.equal(decodeColumn({ type: 'string' }, 'toast!', { unavailableValuePlaceholder: `hex:${hex}` }).value, UNCHANGED);
  });

  test('lookalikes are data, not placeholders', () => {
    assert.deepEqual(decodeColumn({ type: 'array', items: { type: 'string' } }, [PH, 'x']).value, [PH, 'x']);
    assert.deepEqual(decodeColumn({ type: 'array', items: { type: 'string' } }, ['x']).value, ['x']);
    assert.deepEqual(decodeColumn({ type: 'array', items: { type: 'int32' } }, PH_BYTE_VALUES.slice(1)).value, PH_BYTE_VALUES.slice(1));
    assert.equal(decodeColumn({ type: 'string' }, `${PH} `).value, `${PH} `);
  });

  test('schemaless: string, base64 and array forms', () => {
    const payload = { before: null, after: { id: 1, body: PH, attachment: PH_BASE64, labels: [PH], ids: [PH_UUID], meta: { [PH]: PH }, title: 'real' }, source: { connector: 'postgresql', schema: 'public', table: 'docs', lsn: 1 }, op: 'u' };
    const d = createDecoder().decode(record('srv.public.docs', json({ id: 1 }), json(payload)));
    assert.equal(d.kind, 'change');
    if (d.kind !== 'change') return;
    assert.deepEqual({ ...d.event.row }, { id: 1, body: UNCHANGED, attachment: UNCHANGED, labels: UNCHANGED, ids: UNCHANGED, meta: UNCHANGED, title: 'real' });
  });

  test('key columns are never turned into UNCHANGED', () => {
    const d = createDecoder().decode(record('srv.public.docs', json({ id: PH }), json({ before: null, after: { id: PH }, source: { table: 'docs' }, op: 'c' })));
    assert.equal(d.kind, 'change');
    if (d.kind === 'change') assert.equal(d.event.key?.id, PH);
  });
});
