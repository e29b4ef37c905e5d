/**
 * Avro writer schema -> Kafka Connect schema JSON (the reading half of Confluent's AvroData), and the
 * datum mapping to the JsonConverter wire form. Full-message equality with the JSON format is in
 * avro-decoder.test.ts; these pin the rules one by one, including schemas not written by AvroData
 * (plain Avro logical types, enums, fixed). The registry is the in-test stand-in
 * (test/support/schema-registry.ts): no schema registry can run here (test/infra/apicurio/README.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DecodeFailure } from '../../../connectors/debezium/failure.ts';
import { convertAvroSchema } from '../../../connectors/debezium/avro-schema.ts';
import { readVarLong, writeVarLong } from '../../../connectors/debezium/avro-long.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import { avroTwin, avroType, confluentFrame } from '../../support/avro-data.ts';
import { TestSchemaRegistry } from '../../support/schema-registry.ts';
import type { FieldSchema } from './build.ts';
import { ID, envelopeText, keyText } from './build.ts';
import { record } from './sample-loader.ts';

const connectOf = (schema: unknown) => convertAvroSchema(schema).connect;

function failure(schema: unknown): DecodeFailure {
  try {
    convertAvroSchema(schema);
  } catch (err) {
    assert.ok(err instanceof DecodeFailure, String(err));
    return err;
  }
  assert.fail('expected a DecodeFailure');
}

describe('Avro schema -> Connect schema', () => {
  test('primitives, connect.type, optional unions in both orders', () => {
    const s = connectOf({
      type: 'record',
      name: 'Value',
      namespace: 'srv.public.t',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'b', type: { type: 'int', 'connect.type': 'int8' } },
        { name: 'c', type: ['null', { type: 'int', 'connect.type': 'int16' }], default: null },
        { name: 'd', type: ['long', 'null'], default: 0 },
        { name: 'e', type: 'float' },
        { name: 'f', type: 'double' },
        { name: 'g', type: 'boolean' },
        { name: 'h', type: 'bytes' },
        { name: 'i', type: 'string' },
      ],
      'connect.name': 'srv.public.t.Value',
    });
    assert.deepEqual(s, {
      type: 'struct',
      optional: false,
      name: 'srv.public.t.Value',
      fields: [
        { type: 'int32', optional: false, field: 'a' },
        { type: 'int8', optional: false, field: 'b' },
        { type: 'int16', optional: true, field: 'c' },
        { type: 'int64', optional: true, field: 'd' },
        { type: 'float', optional: false, field: 'e' },
        { type: 'double', optional: false, field: 'f' },
        { type: 'boolean', optional: false, field: 'g' },
        { type: 'bytes', optional: false, field: 'h' },
        { type: 'string', optional: false, field: 'i' },
      ],
    });
  });

  test('connect.name, connect.version and connect.parameters carry Debezium logical types', () => {
    const s = connectOf({ type: 'string', 'connect.version': 1, 'connect.parameters': { allowed: 'a,b' }, 'connect.name': 'io.debezium.data.Enum' });
    assert.deepEqual(s, { type: 'string', optional: false, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'a,b' } });
  });

  test('Avro logical types without connect.name (other producers) map as AvroData reads them', () => {
    assert.deepEqual(connectOf({ type: 'bytes', logicalType: 'decimal', precision: 38, scale: 18 }), {
      type: 'bytes',
      optional: false,
      name: 'org.apache.kafka.connect.data.Decimal',
      parameters: { scale: '18', 'connect.decimal.precision': '38' },
    });
    assert.deepEqual(connectOf({ type: 'fixed', name: 'd', size: 8, logicalType: 'decimal', precision: 64, scale: 2 }).parameters, { scale: '2' });
    assert.equal(connectOf({ type: 'int', logicalType: 'date' }).name, 'org.apache.kafka.connect.data.Date');
    assert.equal(connectOf({ type: 'int', logicalType: 'time-millis' }).name, 'org.apache.kafka.connect.data.Time');
    assert.equal(connectOf({ type: 'long', logicalType: 'timestamp-millis' }).name, 'org.apache.kafka.connect.data.Timestamp');
    assert.equal(connectOf({ type: 'long', logicalType: 'timestamp-micros' }).name, undefined, 'AvroData reads it as a plain long');
    // connect.name wins over the Avro logical type
    assert.equal(connectOf({ type: 'int', logicalType: 'date', 'connect.name': 'io.debezium.time.Date' }).name, 'io.debezium.time.Date');
  });

  test('enum and fixed are string and bytes; arrays; maps with string keys', () => {
    assert.deepEqual(connectOf({ type: 'enum', name: 'E', symbols: ['A', 'B'] }), { type: 'string', optional: false });
    assert.deepEqual(connectOf({ type: 'fixed', name: 'F', size: 4 }), { type: 'bytes', optional: false });
    assert.deepEqual(connectOf({ type: 'array', items: ['null', 'string'] }), { type: 'array', optional: false, items: { type: 'string', optional: true } });
    assert.deepEqual(connectOf({ type: 'map', values: 'long' }), {
      type: 'map',
      optional: false,
      keys: { type: 'string', optional: false },
      values: { type: 'int64', optional: false },
    });
  });

  test('Confluent MapEntry arrays are maps with non-string keys', () => {
    const s = connectOf({
      type: 'array',
      items: { type: 'record', name: 'MapEntry', namespace: 'io.confluent.connect.avro', fields: [{ name: 'key', type: 'int' }, { name: 'value', type: ['null', 'string'], default: null }] },
    });
    assert.deepEqual(s, { type: 'map', optional: false, keys: { type: 'int32', optional: false }, values: { type: 'string', optional: true } });
    const map = convertAvroSchema({
      type: 'array',
      items: { type: 'record', name: 'MapEntry', namespace: 'io.confluent.connect.avro', fields: [{ name: 'key', type: 'long' }, { name: 'value', type: 'bytes' }] },
    }).map;
    assert.deepEqual(map([{ key: 2n ** 60n, value: Buffer.from([1]) }]), [['\u00001152921504606846976', 'AQ==']]);
  });

  test('named types resolve by Avro namespace rules: nested records inherit, references by short and full name', () => {
    const s = connectOf({
      type: 'record',
      name: 'Envelope',
      namespace: 'srv.public.t',
      fields: [
        { name: 'before', type: ['null', { type: 'record', name: 'Value', fields: [{ name: 'id', type: 'int' }] }], default: null },
        { name: 'after', type: ['null', 'Value'], default: null },
        {
          name: 'source',
          type: { type: 'record', name: 'Source', namespace: 'io.debezium.connector.postgresql', fields: [{ name: 'again', type: ['null', 'srv.public.t.Value'], default: null }] },
        },
        { name: 'full', type: 'srv.public.t.Value' },
      ],
    }) as { fields: { name?: string; field: string; optional: boolean }[] };
    assert.deepEqual(
      s.fields.map((f) => [f.field, f.name, f.optional]),
      [
        ['before', 'srv.public.t.Value', true],
        ['after', 'srv.public.t.Value', true],
        ['source', 'io.debezium.connector.postgresql.Source', false],
        ['full', 'srv.public.t.Value', false],
      ],
    );
    assert.equal((s as { name?: string }).name, 'srv.public.t.Envelope');
  });

  test('unnamed Connect structs (io.confluent.connect.avro.ConnectDefault) have no name', () => {
    assert.equal(connectOf({ type: 'record', name: 'ConnectDefault', namespace: 'io.confluent.connect.avro', fields: [] }).name, undefined);
    assert.equal(connectOf({ type: 'record', name: 'ConnectDefault2', namespace: 'io.confluent.connect.avro', fields: [] }).name, undefined);
  });

  test('what Connect cannot express is a clear error', () => {
    assert.match(failure(['int', 'string']).describe(), /Avro schema \(root\): union \[int, string\] is not supported/);
    assert.match(failure('null').describe(), /"null" type outside a \["null", T\] union/);
    assert.match(failure({ type: 'record', name: 'N', fields: [{ name: 'next', type: ['null', 'N'] }] }).describe(), /Avro schema next: recursive record 'N'/);
    assert.match(failure({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'Nope' }] }).describe(), /Avro schema x: unknown type name 'Nope'/);
    assert.match(failure({ type: 'record', name: 'R' }).describe(), /record without "fields"/);
    assert.match(failure({ type: 'record', name: 'R', fields: [{ name: 'x', type: { type: 'Nope' } }] }).describe(), /Avro schema x: unknown type name 'Nope'/);
  });
});

describe('Avro datum -> JsonConverter wire form', () => {
  test('long: numbers when safe, number markers beyond 2^53; bytes as base64; a leading U+0000 doubled', () => {
    const { map } = convertAvroSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'safe', type: 'long' },
        { name: 'big', type: 'long' },
        { name: 'neg', type: 'long' },
        { name: 'b', type: 'bytes' },
        { name: 'f', type: { type: 'fixed', name: 'F', size: 2 } },
        { name: 's', type: 'string' },
        { name: 'n', type: ['null', 'string'], default: null },
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['X'] } },
      ],
    });
    const out = map({ safe: 5n, big: 2n ** 63n - 1n, neg: -(2n ** 63n), b: Buffer.from('hi'), f: Buffer.from([0, 255]), s: '\u0000x', n: null, e: 'X' });
    assert.deepEqual({ ...(out as object) }, { safe: 5, big: '\u00009223372036854775807', neg: '\u0000-9223372036854775808', b: 'aGk=', f: 'AP8=', s: '\u0000\u0000x', n: null, e: 'X' });
    assert.equal(Object.getPrototypeOf(out), null, 'records are null-prototype objects (a field may be called __proto__)');
  });

  test('varint longs: the extremes, zero, and too many bytes', () => {
    for (const n of [0n, -1n, 1n, 63n, -64n, 64n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)]) assert.equal(readVarLong(writeVarLong(n)), n, String(n));
    assert.deepEqual(writeVarLong(2n ** 63n - 1n), Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    assert.deepEqual(writeVarLong(-(2n ** 63n)), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    assert.throws(() => readVarLong(Buffer.alloc(11, 0x80)), /more than 10 varint bytes/);
    assert.throws(() => readVarLong(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])), /beyond 64 bits/);
  });
});

describe('column kinds only these tests cover, decoded from Avro as from JSON', () => {
  let registry: TestSchemaRegistry;
  before(async () => (registry = await TestSchemaRegistry.start()));
  after(() => registry.close());

  const twinOf = (columns: FieldSchema[], after: Record<string, unknown>): { json: KafkaRecord; avro: KafkaRecord } => {
    const spec = { columns: [ID, ...columns], op: 'c', after: { id: 1, ...after } };
    const key = keyText(spec, { id: 1 });
    const value = envelopeText(spec);
    const json = record('srv.public.items', key, value);
    return { json, avro: { ...json, key: avroTwin(registry, key), value: avroTwin(registry, value) } };
  };

  test('a map with int keys (MapEntry), int8, float32, NaN, a string starting with U+0000', async () => {
    const t = twinOf(
      [
        { type: 'map', keys: { type: 'int32', optional: false }, values: { type: 'string', optional: true }, field: 'm' },
        { type: 'int8', field: 'tiny' },
        { type: 'float', field: 'f32' },
        { type: 'double', field: 'nan' },
        { type: 'string', field: 's' },
      ],
      { m: [[1, 'a'], [2, null]], tiny: -128, f32: 0.1, nan: 'NaN', s: '\u0000abc' },
    );
    const d = createDecoder({ format: 'avro', schemaRegistry: { url: registry.url } });
    await d.prepare!([t.avro]);
    const fromAvro = d.decode(t.avro);
    assert.deepEqual(fromAvro, createDecoder().decode(t.json));
    if (fromAvro.kind !== 'change') assert.fail('a change');
    const r = fromAvro.event.row!;
    assert.deepEqual([r.m, r.tiny, r.f32, r.nan, r.s], ['{"1":"a","2":null}', -128, Math.fround(0.1), NaN, '\u0000abc']);
  });

  test('a top-level optional value schema (["null", record]: AvroData\'s form of an optional row schema) with a null datum reads as a tombstone', async () => {
    const schema = ['null', { type: 'record', name: 'Value', namespace: 'srv.public.items', fields: [{ name: 'id', type: 'int' }], 'connect.name': 'srv.public.items.Value' }];
    const id = registry.register(schema);
    const keyId = registry.register({ type: 'record', name: 'Key', namespace: 'srv.public.items', fields: [{ name: 'id', type: 'int' }], 'connect.name': 'srv.public.items.Key' });
    const rec: KafkaRecord = {
      ...record('srv.public.items', null, null),
      key: confluentFrame(keyId, avroType({ type: 'record', name: 'K', fields: [{ name: 'id', type: 'int' }] }).toBuffer({ id: 7 })),
      value: confluentFrame(id, avroType(schema).toBuffer(null)),
    };
    const d = createDecoder({ format: 'avro', schemaRegistry: { url: registry.url } });
    await d.prepare!([rec]);
    const out = d.decode(rec);
    if (out.kind !== 'change') assert.fail('a change');
    assert.deepEqual([out.event.op, { ...out.event.key }, out.event.source.sourceOp], ['delete', { id: 7 }, 'tombstone']);
  });
});
