/**
 * decoder.format avro: Debezium change events in the Confluent wire format (magic byte 0, 4-byte
 * schema id, Avro binary) decode to exactly the ChangeEvents of the same events sent through the
 * JsonConverter.
 *
 * No schema registry can run on this machine (Confluent's is not on Maven Central, Karapace needs
 * PyPI, Apicurio publishes no runnable jar: test/infra/apicurio/README.md), and so neither can
 * Debezium's AvroConverter. These tests therefore stand in for both: the schemas are served by a
 * small in-test HTTP server that answers the Schema Registry's documented REST API
 * (test/support/schema-registry.ts, GET /schemas/ids/{id}); the messages are built from the
 * JsonConverter twin with Confluent's AvroData rules (test/support/avro-data.ts), encoded with avsc,
 * and one schema is also written out literally below as AvroData writes it. No Avro output of a
 * real Debezium was decoded here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent } from '../../../connectors/core/change-event.ts';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import type { Decoded, Decoder, KafkaRecord } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import { avroSchemaOf, avroTwin, avroType, confluentFrame, connectMessage } from '../../support/avro-data.ts';
import { TestSchemaRegistry } from '../../support/schema-registry.ts';
import type { FieldSchema } from './build.ts';
import { PG_SOURCE_SCHEMA, decimalBase64, json, pgSource, raw, schemaJson } from './build.ts';
import { loadSample, record, sampleFiles } from './sample-loader.ts';

const TABLE = 'accounts';
const TOPIC = `srv.public.${TABLE}`;
const PH = '__debezium_unavailable_value';

const vsd = (field: string): FieldSchema => ({
  type: 'struct',
  name: 'io.debezium.data.VariableScaleDecimal',
  version: 1,
  field,
  fields: [
    { type: 'int32', optional: false, field: 'scale' },
    { type: 'bytes', optional: false, field: 'value' },
  ],
});

/** The table's columns, as Debezium's PostgreSQL connector describes them (JsonConverter form). */
const COLUMNS: FieldSchema[] = [
  { type: 'int32', optional: false, field: 'id' },
  { type: 'int64', field: 'big' },
  { type: 'int64', field: 'small_big' },
  { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '18', 'connect.decimal.precision': '38' }, field: 'amount' },
  { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '18', 'connect.decimal.precision': '38' }, field: 'debt' },
  vsd('ratio'),
  vsd('ratio_neg'),
  { type: 'int32', name: 'io.debezium.time.Date', version: 1, field: 'birth' },
  { type: 'int64', name: 'io.debezium.time.MicroTimestamp', version: 1, field: 'created' },
  { type: 'int64', name: 'io.debezium.time.NanoTimestamp', version: 1, field: 'created_ns' },
  { type: 'string', name: 'io.debezium.time.ZonedTimestamp', version: 1, field: 'updated' },
  { type: 'int64', name: 'io.debezium.time.MicroTime', version: 1, field: 'opens' },
  { type: 'string', name: 'io.debezium.data.Json', version: 1, field: 'attrs' },
  { type: 'string', name: 'io.debezium.data.Uuid', version: 1, field: 'ext' },
  { type: 'string', name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'pending,paid,shipped' }, field: 'status' },
  { type: 'bytes', field: 'photo' },
  { type: 'array', items: { type: 'string', optional: true }, field: 'tags' },
  { type: 'int16', field: 'small' },
  { type: 'boolean', field: 'active' },
  { type: 'double', field: 'score' },
  { type: 'map', keys: { type: 'string', optional: false }, values: { type: 'string', optional: true }, field: 'attrs_kv' },
  { type: 'string', field: 'note' },
];

const KEY_SCHEMA = schemaJson({ type: 'struct', optional: false, name: `${TOPIC}.Key`, fields: [{ type: 'int32', optional: false, field: 'id' }] });
const ROW = (field: string): FieldSchema => ({ type: 'struct', optional: true, name: `${TOPIC}.Value`, field, fields: COLUMNS });
/** Debezium's PostgreSQL envelope (FORMAT.md §4) with the optional transaction block. */
const ENVELOPE_SCHEMA = schemaJson({
  type: 'struct',
  optional: false,
  name: `${TOPIC}.Envelope`,
  version: 2,
  fields: [
    ROW('before'),
    ROW('after'),
    PG_SOURCE_SCHEMA,
    {
      type: 'struct',
      optional: true,
      name: 'event.block',
      version: 1,
      field: 'transaction',
      fields: [
        { type: 'string', optional: false, field: 'id' },
        { type: 'int64', optional: false, field: 'total_order' },
        { type: 'int64', optional: false, field: 'data_collection_order' },
      ],
    },
    { type: 'string', optional: false, field: 'op' },
    { type: 'int64', optional: true, field: 'ts_ms' },
  ],
});

/** One row in JsonConverter payload form (raw(): the integer text exactly as Jackson writes it). */
function row(id: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    big: raw('9223372036854775807'),
    small_big: raw('-9223372036854775808'),
    amount: decimalBase64(12345678901234567890123456789012345678n),
    debt: decimalBase64(-1n),
    ratio: { scale: 5, value: decimalBase64(314159n) },
    ratio_neg: { scale: 0, value: decimalBase64(-42n) },
    birth: 19782,
    created: raw('1710498030123456'),
    created_ns: raw('1710498030123456789'),
    updated: '2024-03-15T08:20:30.123456Z',
    opens: 30615250000,
    attrs: '{"color": "red", "sizes": [1, 2]}',
    ext: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    status: 'paid',
    photo: Buffer.from([0, 1, 255, 0x80]).toString('base64'),
    tags: ['new', null, 'sale'],
    small: -3,
    active: true,
    score: 4.25,
    attrs_kv: { a: '1', b: null },
    note: null,
    ...over,
  };
}

function keyText(id: number): string {
  return json({ schema: KEY_SCHEMA, payload: { id } });
}

function envelopeText(op: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, transaction: unknown = null): string {
  return json({
    schema: ENVELOPE_SCHEMA,
    payload: { before, after, source: pgSource(TABLE), transaction, op, ts_ms: 1710490831612 },
  });
}

interface Twin {
  readonly json: KafkaRecord;
  readonly avro: KafkaRecord;
}

let registry: TestSchemaRegistry;

/** The JsonConverter record and its Avro twin (same topic, partition, offset, timestamp). */
function twin(key: string | null, value: string | null): Twin {
  const rec = record(TOPIC, key, value);
  return { json: rec, avro: { ...rec, key: avroTwin(registry, key), value: avroTwin(registry, value) } };
}

function change(d: Decoded): ChangeEvent {
  if (d.kind !== 'change') assert.fail(`expected a change, got a skip (${d.reason})`);
  return d.event;
}

async function decodeBoth(t: Twin, decoder: Decoder): Promise<{ avro: Decoded; json: Decoded }> {
  await decoder.prepare!([t.avro]);
  return { avro: decoder.decode(t.avro), json: createDecoder().decode(t.json) };
}

describe('decoder.format avro (Confluent wire format, schemas from a stand-in registry)', () => {
  let decoder: Decoder;
  before(async () => {
    registry = await TestSchemaRegistry.start();
    decoder = createDecoder({ format: 'avro', schemaRegistry: { url: registry.url } });
  });
  after(() => registry.close());

  test('an insert with every column kind decodes to the same ChangeEvent as its JsonConverter twin', async () => {
    const t = twin(keyText(1), envelopeText('c', null, row(1), { id: '571:53195829', total_order: 1, data_collection_order: 1 }));
    const { avro, json: fromJson } = await decodeBoth(t, decoder);
    assert.deepEqual(avro, fromJson);
    const e = change(avro);
    assert.equal(e.op, 'upsert');
    assert.deepEqual(e.table, { namespace: 'public', name: TABLE });
    assert.deepEqual({ ...e.key }, { id: 1 });
    assert.deepEqual({ ...e.row }, {
      id: 1,
      big: 9223372036854775807n,
      small_big: -9223372036854775808n,
      amount: '12345678901234567890.123456789012345678',
      debt: '-0.000000000000000001',
      ratio: '3.14159',
      ratio_neg: '-42',
      birth: '2024-02-29',
      created: '2024-03-15T10:20:30.123456',
      created_ns: '2024-03-15T10:20:30.123456789',
      updated: '2024-03-15T08:20:30.123456Z',
      opens: '08:30:15.250000',
      attrs: '{"color": "red", "sizes": [1, 2]}',
      ext: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      status: 'paid',
      photo: Buffer.from([0, 1, 255, 0x80]),
      tags: ['new', null, 'sale'],
      small: -3,
      active: true,
      score: 4.25,
      attrs_kv: '{"a":"1","b":null}',
      note: null,
    });
    assert.deepEqual(
      e.schema.columns.map((c) => [c.name, c.type.kind]).slice(0, 6),
      [['id', 'int'], ['big', 'int'], ['small_big', 'int'], ['amount', 'decimal'], ['debt', 'decimal'], ['ratio', 'decimal']],
    );
    assert.deepEqual(e.schema.columns[3]?.type, { kind: 'decimal', precision: 38, scale: 18 });
    assert.deepEqual(e.schema.key, ['id']);
    assert.equal(e.source.position, 'lsn=24023128');
    assert.equal(e.source.sourceTimestampMs, 1710490831500);
  });

  test('an update, a delete (op d with before), a tombstone and a truncate match their JSON twins', async () => {
    const cases: [string, Twin][] = [
      ['update', twin(keyText(2), envelopeText('u', null, row(2, { note: 'changed', big: -1 })))],
      ['snapshot read', twin(keyText(3), envelopeText('r', null, row(3)))],
      ['delete', twin(keyText(2), envelopeText('d', row(2), null))],
      ['tombstone', twin(keyText(2), null)],
      ['truncate', twin(null, envelopeText('t', null, null))],
    ];
    for (const [what, t] of cases) {
      const { avro, json: fromJson } = await decodeBoth(t, decoder);
      assert.deepEqual(avro, fromJson, what);
    }
    const del = change(decoder.decode(cases[2]![1].avro));
    assert.equal(del.op, 'delete');
    assert.deepEqual({ ...del.key }, { id: 2 });
    assert.equal(del.row, null);
    assert.equal(del.before?.big, 9223372036854775807n);
    const tomb = change(decoder.decode(cases[3]![1].avro));
    assert.deepEqual([tomb.op, { ...tomb.key }, tomb.source.sourceOp], ['delete', { id: 2 }, 'tombstone']);
    const trunc = change(decoder.decode(cases[4]![1].avro));
    assert.deepEqual([trunc.op, trunc.key], ['truncate', null]);
  });

  test('the TOAST placeholder (text, json, bytea, array) is UNCHANGED, as from JSON', async () => {
    const toasted = row(4, {
      note: PH,
      attrs: PH,
      photo: Buffer.from(PH).toString('base64'),
      tags: [PH],
    });
    const t = twin(keyText(4), envelopeText('u', null, toasted));
    const { avro, json: fromJson } = await decodeBoth(t, decoder);
    assert.deepEqual(avro, fromJson);
    const r = change(avro).row!;
    assert.deepEqual([r.note, r.attrs, r.photo, r.tags], [UNCHANGED, UNCHANGED, UNCHANGED, UNCHANGED]);
    assert.equal(r.amount, '12345678901234567890.123456789012345678');
  });

  test('every shared Debezium sample that carries a schema decodes from Avro as from JSON', async () => {
    const d = createDecoder({ format: 'avro', schemaRegistry: { url: registry.url } });
    let compared = 0;
    for (const file of sampleFiles()) {
      const s = loadSample(file);
      const converter = s.meta.converter as Record<string, unknown> | undefined;
      if (converter?.['schemas.enable'] === false) continue; // Avro always carries the schema
      const fromJson = record(s.topic, s.keyText, s.valueText, { offset: '42' });
      const avro: KafkaRecord = { ...fromJson, key: avroTwin(registry, s.keyText), value: avroTwin(registry, s.valueText) };
      await d.prepare!([avro]);
      assert.deepEqual(d.decode(avro), createDecoder().decode(fromJson), file);
      compared++;
    }
    assert.equal(compared, 24);
  });

  test('schemas are fetched once per id and compiled once per id and role', async () => {
    const reg = await TestSchemaRegistry.start();
    try {
      const d = createDecoder({ format: 'avro', schemaRegistry: { url: reg.url } });
      const records: KafkaRecord[] = [];
      for (let i = 10; i < 20; i++) {
        const rec = record(TOPIC, keyText(i), envelopeText('c', null, row(i)));
        records.push({ ...rec, key: avroTwin(reg, keyText(i)), value: avroTwin(reg, envelopeText('c', null, row(i))) });
      }
      await d.prepare!(records);
      await d.prepare!(records);
      assert.deepEqual(reg.requests, ['GET /schemas/ids/1', 'GET /schemas/ids/2']);
      assert.deepEqual(records.map((r) => change(d.decode(r)).key?.id), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
      // 10 values and 10 keys read: the first of each compiles its schema
      assert.deepEqual(d.stats, { schemaCompilations: 2, schemaCacheHits: 18, schemaCacheMisses: 2, exactSchemas: 0 });
    } finally {
      await reg.close();
    }
  });

  test('a registry under a path prefix (Apicurio /apis/ccompat/v7) with basic auth', async () => {
    const auth = { username: 'sink', password: 's3cret' };
    const reg = await TestSchemaRegistry.start({ prefix: '/apis/ccompat/v7', auth, firstId: 1000 });
    try {
      const t = { key: keyText(5), value: envelopeText('c', null, row(5)) };
      const rec: KafkaRecord = { ...record(TOPIC, t.key, t.value), key: avroTwin(reg, t.key), value: avroTwin(reg, t.value) };
      const d = createDecoder({ format: 'avro', schemaRegistry: { url: reg.url, ...auth } });
      await d.prepare!([rec]);
      assert.equal(change(d.decode(rec)).row?.id, 5);
      assert.deepEqual(reg.requests, ['GET /apis/ccompat/v7/schemas/ids/1000', 'GET /apis/ccompat/v7/schemas/ids/1001']);
      // credentials in the URL work as well
      const inUrl = createDecoder({ format: 'avro', schemaRegistry: { url: reg.url.replace('http://', 'http://sink:s3cret@') } });
      await inUrl.prepare!([rec]);
      assert.equal(change(inUrl.decode(rec)).row?.id, 5);
    } finally {
      await reg.close();
    }
  });
});

/**
 * The envelope schema written out as Confluent's AvroData writes it for Debezium's PostgreSQL
 * connector (trimmed to two columns): before/after are ["null", Value] with the Value record
 * defined once and referenced by its short name, source is a record in its own namespace, the
 * snapshot Enum is [string, "null"] with its default, transaction is an optional event.block record.
 */
const LITERAL_ENVELOPE = {
  type: 'record',
  name: 'Envelope',
  namespace: 'srv.public.small',
  fields: [
    {
      name: 'before',
      type: [
        'null',
        {
          type: 'record',
          name: 'Value',
          fields: [
            { name: 'id', type: { type: 'long', 'connect.default': 0 }, default: 0 },
            {
              name: 'price',
              type: [
                'null',
                {
                  type: 'bytes',
                  'connect.version': 1,
                  'connect.parameters': { scale: '2', 'connect.decimal.precision': '10' },
                  'connect.name': 'org.apache.kafka.connect.data.Decimal',
                  scale: 2,
                  precision: 10,
                  logicalType: 'decimal',
                },
              ],
              default: null,
            },
          ],
          'connect.name': 'srv.public.small.Value',
        },
      ],
      default: null,
    },
    { name: 'after', type: ['null', 'Value'], default: null },
    {
      name: 'source',
      type: {
        type: 'record',
        name: 'Source',
        namespace: 'io.debezium.connector.postgresql',
        fields: [
          { name: 'version', type: 'string' },
          { name: 'connector', type: 'string' },
          { name: 'name', type: 'string' },
          { name: 'ts_ms', type: 'long' },
          {
            name: 'snapshot',
            type: [
              {
                type: 'string',
                'connect.version': 1,
                'connect.parameters': { allowed: 'true,first,last,false' },
                'connect.default': 'false',
                'connect.name': 'io.debezium.data.Enum',
              },
              'null',
            ],
            default: 'false',
          },
          { name: 'db', type: 'string' },
          { name: 'schema', type: 'string' },
          { name: 'table', type: 'string' },
          { name: 'lsn', type: ['null', 'long'], default: null },
        ],
        'connect.name': 'io.debezium.connector.postgresql.Source',
      },
    },
    {
      name: 'transaction',
      type: [
        'null',
        {
          type: 'record',
          name: 'block',
          namespace: 'event',
          fields: [
            { name: 'id', type: 'string' },
            { name: 'total_order', type: 'long' },
            { name: 'data_collection_order', type: 'long' },
          ],
          'connect.version': 1,
          'connect.name': 'event.block',
        },
      ],
      default: null,
    },
    { name: 'op', type: 'string' },
    { name: 'ts_ms', type: ['null', 'long'], default: null },
  ],
  'connect.version': 2,
  'connect.name': 'srv.public.small.Envelope',
};

describe('a literal AvroData schema and hand-encoded bytes', () => {
  const connectEnvelope = {
    type: 'struct',
    fields: [
      { type: 'struct', fields: [
        { type: 'int64', optional: false, default: 0, field: 'id' },
        { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' }, field: 'price' },
      ], optional: true, name: 'srv.public.small.Value', field: 'before' },
      { type: 'struct', fields: [
        { type: 'int64', optional: false, default: 0, field: 'id' },
        { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' }, field: 'price' },
      ], optional: true, name: 'srv.public.small.Value', field: 'after' },
      { type: 'struct', fields: [
        { type: 'string', optional: false, field: 'version' },
        { type: 'string', optional: false, field: 'connector' },
        { type: 'string', optional: false, field: 'name' },
        { type: 'int64', optional: false, field: 'ts_ms' },
        { type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'true,first,last,false' }, default: 'false', field: 'snapshot' },
        { type: 'string', optional: false, field: 'db' },
        { type: 'string', optional: false, field: 'schema' },
        { type: 'string', optional: false, field: 'table' },
        { type: 'int64', optional: true, field: 'lsn' },
      ], optional: false, name: 'io.debezium.connector.postgresql.Source', field: 'source' },
      { type: 'struct', fields: [
        { type: 'string', optional: false, field: 'id' },
        { type: 'int64', optional: false, field: 'total_order' },
        { type: 'int64', optional: false, field: 'data_collection_order' },
      ], optional: true, name: 'event.block', version: 1, field: 'transaction' },
      { type: 'string', optional: false, field: 'op' },
      { type: 'int64', optional: true, field: 'ts_ms' },
    ],
    optional: false,
    name: 'srv.public.small.Envelope',
    version: 2,
  };
  const source = { version: '3.2.4.Final', connector: 'postgresql', name: 'srv', ts_ms: 1710490831500, snapshot: 'false', db: 'shop', schema: 'public', table: 'small', lsn: 24023128 };
  const jsonValue = json({ schema: connectEnvelope, payload: { before: null, after: { id: raw('9223372036854775807'), price: decimalBase64(-123456n) }, source, transaction: null, op: 'c', ts_ms: 1710490831612 } });

  test('the test helper writes exactly this literal schema for the Connect envelope', () => {
    assert.deepEqual(avroSchemaOf(connectMessage(jsonValue).schema), LITERAL_ENVELOPE);
  });

  test('bytes written by hand from the Avro spec decode like the JsonConverter message', async () => {
    const reg = await TestSchemaRegistry.start({ firstId: 7 });
    try {
      const id = reg.register(LITERAL_ENVELOPE);
      const str = (s: string) => Buffer.concat([zigzag(BigInt(s.length)), Buffer.from(s)]);
      // Avro binary encoding: a union is its branch index (zig-zag varint) then the value; long is a
      // zig-zag varint; bytes and string are a length then the bytes; a record is its fields in order.
      const body = Buffer.concat([
        Buffer.from([0x00]), // before: branch 0, null
        Buffer.from([0x02]), // after: branch 1, Value
        Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), // id = 2^63-1 (zig-zag 2^64-2)
        Buffer.from([0x02, 0x06, 0xfe, 0x1d, 0xc0]), // price: branch 1, 3 bytes fe1dc0 = -123456 (two's complement)
        str('3.2.4.Final'),
        str('postgresql'),
        str('srv'),
        zigzag(1710490831500n),
        Buffer.from([0x00]), // snapshot: branch 0 (string)
        str('false'),
        str('shop'),
        str('public'),
        str('small'),
        Buffer.from([0x02]), // lsn: branch 1
        zigzag(24023128n),
        Buffer.from([0x00]), // transaction: null
        str('c'),
        Buffer.from([0x02]), // ts_ms: branch 1
        zigzag(1710490831612n),
      ]);
      const rec = record('srv.public.small', null, jsonValue);
      const avro: KafkaRecord = { ...rec, value: confluentFrame(id, body) };
      // the avsc writer of the tests produces the same bytes
      const datum = { before: null, after: { id: 9223372036854775807n, price: Buffer.from([0xfe, 0x1d, 0xc0]) }, source: { ...source, ts_ms: 1710490831500n, lsn: 24023128n }, transaction: null, op: 'c', ts_ms: 1710490831612n };
      assert.deepEqual(avroType(LITERAL_ENVELOPE).toBuffer(datum), body);
      const d = createDecoder({ format: 'avro', schemaRegistry: { url: reg.url } });
      await d.prepare!([avro]);
      const fromAvro = d.decode(avro);
      assert.deepEqual(fromAvro, createDecoder().decode(rec));
      const e = change(fromAvro);
      assert.deepEqual({ ...e.row }, { id: 9223372036854775807n, price: '-1234.56' });
    } finally {
      await reg.close();
    }
  });
});

/** Zig-zag varint of a long, written out from the Avro specification (independent of the decoder). */
function zigzag(n: bigint): Buffer {
  let z = n >= 0n ? n * 2n : -n * 2n - 1n;
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number(z % 0x80n) + 0x80);
    z /= 0x80n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}
