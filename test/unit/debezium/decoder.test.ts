import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import type { EnvelopeSpec, FieldSchema } from './build.ts';
import { ID, envelopePayload, envelopeRecord, envelopeText, eventOf as event, json, keyText, pgSource, raw, valueSchemaJson } from './build.ts';
import { record } from './sample-loader.ts';

const TOPIC = 'srv.public.items';
const NAME: FieldSchema = { type: 'string', field: 'name' };
const spec = (after: Record<string, unknown>, columns: FieldSchema[] = [ID, NAME]): EnvelopeSpec => ({ columns, op: 'c', after });


describe('schema cache', () => {
  test('two messages with the same schema compile it once (key and value: 2 compilations)', () => {
    const decoder = createDecoder();
    const a = event(decoder.decode(envelopeRecord(spec({ id: 1, name: 'a' }))));
    assert.deepEqual(decoder.stats, { schemaCompilations: 2, schemaCacheHits: 0, schemaCacheMisses: 2, exactSchemas: 0 });
    const b = event(decoder.decode(envelopeRecord(spec({ id: 2, name: 'b' }))));
    assert.deepEqual(decoder.stats, { schemaCompilations: 2, schemaCacheHits: 2, schemaCacheMisses: 2, exactSchemas: 0 });
    assert.equal(b.row?.name, 'b');
    assert.equal(a.schema, b.schema, 'the TableSchema object is shared');
  });

  test('interleaved schema versions on one topic stay cached', () => {
    const decoder = createDecoder();
    const v1 = () => envelopeRecord(spec({ id: 1, name: 'a' }));
    const v2 = () => envelopeRecord(spec({ id: 1, name: 'a', extra: 5 }, [ID, NAME, { type: 'int32', field: 'extra' }]));
    decoder.decode(v1());
    const e2 = event(decoder.decode(v2()));
    assert.equal(e2.row?.extra, 5);
    assert.equal(decoder.stats.schemaCompilations, 3);
    for (let i = 0; i < 3; i++) {
      assert.equal(event(decoder.decode(v1())).row?.extra, undefined);
      assert.equal(event(decoder.decode(v2())).row?.extra, 5);
    }
    assert.equal(decoder.stats.schemaCompilations, 3);
  });

  test('the cache is bounded per topic', () => {
    const decoder = createDecoder();
    const version = (n: number) => envelopeRecord(spec({ id: 1 }, [ID, { type: 'int32', field: `c${n}` }]));
    for (let n = 0; n < 10; n++) decoder.decode(version(n));
    const before = decoder.stats.schemaCompilations;
    decoder.decode(version(9));
    assert.equal(decoder.stats.schemaCompilations, before, 'the newest is cached');
    decoder.decode(version(0));
    assert.equal(decoder.stats.schemaCompilations, before + 1, 'the oldest was evicted');
  });

  test('other key orders and whitespace decode through a full parse, still compiling once', () => {
    const s = spec({ id: 1, name: raw('"x"') });
    const payloadFirst = json({ payload: envelopePayload(s), schema: valueSchemaJson(s) });
    const spaced = envelopeText(s).replace('{"schema":', '{ "schema" : ');
    const trailingNewline = `${envelopeText(s)}\n`;
    const extraMember = `${envelopeText(s).slice(0, -1)},"extra":{"payload":1}}`;
    const decoder = createDecoder();
    const expected = event(decoder.decode(envelopeRecord(s)));
    for (const text of [payloadFirst, spaced, trailingNewline, extraMember, payloadFirst, extraMember]) {
      const e = event(decoder.decode(record(TOPIC, keyText(s, { id: 1 }), text)));
      assert.deepEqual({ ...e.row }, { ...expected.row });
      assert.deepEqual(e.schema, expected.schema);
    }
    assert.equal(decoder.stats.schemaCompilations, 2, 'the full-parse path finds the compiled schema by its text');
  });

  test('schemaless records compile nothing', () => {
    const decoder = createDecoder();
    decoder.decode(envelopeRecord(spec({ id: 1, name: 'a' }), false));
    decoder.decode(envelopeRecord(spec({ id: 2, name: 'b' }), false));
    assert.equal(decoder.stats.schemaCompilations, 0);
  });
});

describe('envelope decoding', () => {
  test('ops map to upsert/delete/truncate; deletes use the key, not before', () => {
    const cols = [ID, NAME];
    const keyOf = (id: number) => keyText({ columns: cols, op: 'd' }, { id });
    const del = event(createDecoder().decode(record(TOPIC, keyOf(9), envelopeText({ columns: cols, op: 'd', before: { id: 0, name: '' } }))));
    assert.equal(del.op, 'delete');
    assert.deepEqual({ ...del.key }, { id: 9 });
    assert.deepEqual({ ...del.before }, { id: 0, name: '' });
    assert.equal(del.row, null);
    const trunc = event(createDecoder().decode(record(TOPIC, keyOf(9), envelopeText({ columns: cols, op: 't' }))));
    assert.equal(trunc.op, 'truncate');
    assert.equal(trunc.key, null);
    for (const op of ['c', 'r', 'u']) {
      const e = event(createDecoder().decode(envelopeRecord({ columns: cols, op, after: { id: 1, name: 'x' } })));
      assert.equal(e.op, 'upsert');
      assert.equal(e.source.sourceOp, op);
    }
  });

  test('op m is skipped as a message, with and without schemas', () => {
    const payload = { op: 'm', ts_ms: 1, source: pgSource(''), message: { prefix: 'p', content: 'aGVsbG8=' } };
    assert.deepEqual(createDecoder().decode(record('srv.message', null, json(payload))), { kind: 'skip', reason: 'message' });
    const s = envelopeRecord({ columns: [ID], op: 'm', after: null, before: null });
    assert.deepEqual(createDecoder().decode(s), { kind: 'skip', reason: 'message' });
  });

  test('non-row records are recognised by shape, whatever the topic', () => {
    const cases: [Record<string, unknown>, string, string | null][] = [
      [{ ts_ms: 1710491000000 }, 'heartbeat', json({ serverName: 'srv' })],
      [{ status: 'BEGIN', id: '1:2', event_count: null, data_collections: null, ts_ms: 1 }, 'transaction', json({ id: '1:2' })],
      [{ status: 'END', id: '1:3', event_count: 2, data_collections: [], ts_ms: 1 }, 'transaction', null],
      [{ source: pgSource(), ts_ms: 1, databaseName: 'inventory', schemaName: null, ddl: 'ALTER TABLE x', tableChanges: [] }, 'schema-change', json({ databaseName: 'inventory' })],
    ];
    for (const [value, reason, key] of cases) {
      assert.deepEqual(createDecoder().decode(record('renamed.topic', key, json(value))), { kind: 'skip', reason }, reason);
    }
    const hb = json({ schema: { type: 'struct', fields: [{ type: 'int64', optional: false, field: 'ts_ms' }], optional: false, name: 'io.debezium.connector.common.Heartbeat', version: 1 }, payload: { ts_ms: 1 } });
    assert.deepEqual(createDecoder().decode(record('anything', null, hb)), { kind: 'skip', reason: 'heartbeat' });
    assert.deepEqual(createDecoder().decode(record('__debezium-heartbeat.srv', null, json({ ts_ms: 1 }))), { kind: 'skip', reason: 'heartbeat' });
  });

  test('a one-column table named ts_ms is a table, not a heartbeat', () => {
    const schemaless = event(createDecoder().decode(record('srv.public.ticks', json({ ts_ms: 5 }), json({ ts_ms: 5 }))));
    assert.deepEqual({ ...schemaless.row }, { ts_ms: 5 });
    const schema = { type: 'struct', fields: [{ type: 'int64', optional: false, field: 'ts_ms' }], optional: false, name: 'srv.public.ticks.Value' };
    const withSchema = event(createDecoder().decode(record('srv.public.ticks', null, json({ schema, payload: { ts_ms: 5 } }))));
    assert.deepEqual({ ...withSchema.row }, { ts_ms: 5n });
  });

  test('source.snapshot values', () => {
    const cases: [unknown, boolean][] = [
      ['true', true], ['first', true], ['first_in_data_collection', true], ['last_in_data_collection', true],
      ['last', true], ['incremental', true], ['some_future_value', true], [true, true],
      ['false', false], [null, false], [undefined, false], [false, false],
    ];
    for (const [snapshot, want] of cases) {
      const source = pgSource('items', { snapshot });
      const e = event(createDecoder().decode(envelopeRecord({ columns: [ID], op: 'r', after: { id: 1 }, source }, false)));
      assert.equal(e.source.snapshot, want, String(snapshot));
    }
  });

  test('table identity and position per connector', () => {
    const mysql = { version: '3.2.4.Final', connector: 'mysql', name: 'm', ts_ms: 1, snapshot: 'false', db: 'inventory', table: 'orders', server_id: 1, gtid: null, file: 'mysql-bin.000004', pos: 2911, row: 2 };
    const my = event(createDecoder().decode(record('m.x.y', json({ id: 1 }), json({ before: null, after: { id: 1 }, source: mysql, op: 'c' }))));
    assert.deepEqual(my.table, { namespace: 'inventory', name: 'orders' });
    assert.equal(my.source.position, 'mysql-bin.000004:2911:2');
    const maria = event(createDecoder().decode(record('m.x.y', json({ id: 1 }), json({ before: null, after: { id: 1 }, source: { ...mysql, connector: 'mariadb', gtid: '0-1-42' }, op: 'c' }))));
    assert.equal(maria.source.position, '0-1-42');
    assert.equal(maria.source.connector, 'mariadb');
    const pgIncremental = event(createDecoder().decode(envelopeRecord({ columns: [ID], op: 'r', after: { id: 1 }, source: pgSource('items', { lsn: null, schema: 'sales', table: 'big.table' }) })));
    assert.equal(pgIncremental.source.position, null);
    assert.deepEqual(pgIncremental.table, { namespace: 'sales', name: 'big.table' }, 'from source, not from the (sanitised) names');
    const bigLsn = event(createDecoder().decode(envelopeRecord({ columns: [ID], op: 'c', after: { id: 1 }, source: pgSource('items', { lsn: raw('18446744073709551615') }) })));
    assert.equal(bigLsn.source.position, 'lsn=18446744073709551615');
  });

  test('kafka timestamp, offset and the frozen event', () => {
    const e = event(createDecoder().decode(envelopeRecord(spec({ id: 1, name: 'a' }), true, { timestamp: '1700000000123', offset: '98765', partition: 4 })));
    assert.equal(e.source.kafkaTimestampMs, 1700000000123);
    assert.equal(e.source.offset, '98765');
    assert.equal(e.source.partition, 4);
    assert.ok(Object.isFrozen(e) && Object.isFrozen(e.schema) && Object.isFrozen(e.schema.columns) && Object.isFrozen(e.source));
  });

  test('composite keys keep the key schema order', () => {
    const cols: FieldSchema[] = [{ type: 'string', optional: false, field: 'b' }, { type: 'int64', optional: false, field: 'a' }, NAME];
    const s: EnvelopeSpec = { columns: cols, op: 'c', after: { b: 'x', a: raw('9007199254740993'), name: 'n' }, keyColumns: ['a', 'b'] };
    const e = event(createDecoder().decode(envelopeRecord(s)));
    assert.deepEqual(e.schema.key, ['a', 'b']);
    assert.deepEqual({ ...e.key }, { a: 9007199254740993n, b: 'x' });
  });

  test('schemaless values: types inferred from JSON (no logical types)', () => {
    const after = { i: 5, big: raw('9007199254740993'), wide: 3000000000, f: 1.5, s: 'x', b: true, o: { k: [1, raw('12345678901234567890')] }, n: null };
    const e = event(createDecoder().decode(envelopeRecord({ columns: [ID], op: 'c', after: { id: 1, ...after } }, false)));
    assert.deepEqual({ ...e.row }, { id: 1, i: 5, big: 9007199254740993n, wide: 3000000000n, f: 1.5, s: 'x', b: true, o: '{"k":[1,12345678901234567890]}', n: null });
    assert.deepEqual(
      e.schema.columns.map((c) => [c.name, c.type.kind, 'bits' in c.type ? c.type.bits : null]),
      [['id', 'int', 32], ['i', 'int', 32], ['big', 'int', 64], ['wide', 'int', 64], ['f', 'float', 64], ['s', 'string', null], ['b', 'boolean', null], ['o', 'json', null], ['n', 'string', null]],
    );
  });
});
