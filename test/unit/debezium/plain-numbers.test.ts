/**
 * Payloads read through the schema cache are parsed by JSON.parse alone (plain numbers); a message
 * whose decoding needs a number's exact text is read again with markers, and so is every later
 * payload of its schema. The column-by-column cases go through both paths in build.ts decodeColumn;
 * these tests cover what is per message or per schema.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import type { EnvelopeSpec, FieldSchema } from './build.ts';
import { ID, envelopeRecord, eventOf as event, pgSource, raw } from './build.ts';

const BIG: FieldSchema = { type: 'int64', field: 'big' };
const DOC: FieldSchema = { type: 'struct', field: 'doc', fields: [{ type: 'double', field: 'x' }, { type: 'int64', field: 'n' }] };
const NAME: FieldSchema = { type: 'string', field: 'name' };
const COLUMNS = [ID, BIG, DOC, NAME];

const spec = (after: Record<string, unknown>, source?: Record<string, unknown>): EnvelopeSpec => ({ columns: COLUMNS, op: 'u', after: { id: 1, big: 5, doc: null, name: 'a', ...after }, source });


describe('plain numbers through the schema cache', () => {
  test('payloads that need no exact number are not read again: the source block ts_ns beyond 2^53 is not read', () => {
    const decoder = createDecoder();
    for (let i = 0; i < 3; i++) {
      const e = event(decoder.decode(envelopeRecord(spec({ big: 9007199254740991 }))));
      assert.equal(e.row?.big, 9007199254740991n);
      assert.equal(e.source.position, 'lsn=24023128');
    }
    assert.equal(decoder.stats.schemaCacheHits, 4, 'key and value of the second and third record');
    assert.equal(decoder.stats.exactSchemas, 0);
  });

  test('an int64 beyond 2^53 is exact, and the schema is parsed with markers from then on', () => {
    const decoder = createDecoder();
    decoder.decode(envelopeRecord(spec({})));
    const big = event(decoder.decode(envelopeRecord(spec({ big: raw('9007199254740993') }))));
    assert.equal(big.row?.big, 9007199254740993n);
    assert.equal(decoder.stats.exactSchemas, 1, 'the value schema');
    const next = event(decoder.decode(envelopeRecord(spec({ big: raw('-9223372036854775808') }))));
    assert.equal(next.row?.big, -(2n ** 63n));
    assert.equal(decoder.stats.exactSchemas, 1);
  });

  test('a struct kept as JSON text keeps its numbers as sent', () => {
    const decoder = createDecoder();
    decoder.decode(envelopeRecord(spec({})));
    const e = event(decoder.decode(envelopeRecord(spec({ doc: { x: raw('0.1000000000000000000001'), n: raw('12345678901234567890') } }))));
    assert.equal(e.row?.doc, '{"x":0.1000000000000000000001,"n":12345678901234567890}');
  });

  test('a source position beyond 2^53 is exact', () => {
    const decoder = createDecoder();
    decoder.decode(envelopeRecord(spec({})));
    const e = event(decoder.decode(envelopeRecord(spec({}, pgSource('items', { lsn: raw('9007199254740993') })))));
    assert.equal(e.source.position, 'lsn=9007199254740993');
  });

  test('a string that starts with U+0000 stays a string', () => {
    const decoder = createDecoder();
    decoder.decode(envelopeRecord(spec({})));
    const e = event(decoder.decode(envelopeRecord(spec({ name: '\u00001234567890123456789' }))));
    assert.equal(e.row?.name, '\u00001234567890123456789');
    assert.equal(decoder.stats.exactSchemas, 0, 'parsed with markers without a second read');
  });

  test('an int64 key beyond 2^53 is exact (the key is read again on its own)', () => {
    const decoder = createDecoder();
    const keyed = (id: unknown) => envelopeRecord({ columns: [{ type: 'int64', optional: false, field: 'id' }, NAME], op: 'c', after: { id, name: 'k' } });
    decoder.decode(keyed(1));
    const e = event(decoder.decode(keyed(raw('9007199254740993'))));
    assert.equal(e.key?.id, 9007199254740993n);
    assert.equal(e.row?.id, 9007199254740993n);
    assert.equal(decoder.stats.exactSchemas, 2, 'key and value schema');
  });
});
