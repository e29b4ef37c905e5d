/**
 * decoder.format avro on bad input and a failing registry. Every bad record is a DecodeError (kind
 * data) that names the record and what is wrong; a registry that cannot be reached is a retriable
 * CdcSinkError from prepare(), so the pipeline retries instead of dead-lettering.
 *
 * The schema registry here is a stand-in (test/support/schema-registry.ts) answering the Schema
 * Registry's documented REST API, because no registry can run on this machine
 * (test/infra/apicurio/README.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ErrorCode } from '../../../connectors/core/errors.ts';
import { CdcSinkError, DecodeError, ErrorCodes } from '../../../connectors/core/errors.ts';
import type { Decoder, KafkaRecord } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import { avroTwin, confluentFrame } from '../../support/avro-data.ts';
import { TestSchemaRegistry } from '../../support/schema-registry.ts';
import { ID, envelopeText, keyText } from './build.ts';
import { record } from './sample-loader.ts';

const TOPIC = 'srv.public.items';
const SPEC = { columns: [ID, { type: 'string', field: 'name' }], op: 'c', after: { id: 1, name: 'widget' } } as const;

function expectDecodeError(decoder: Decoder, rec: KafkaRecord, code: ErrorCode, ...patterns: RegExp[]): DecodeError {
  let caught: unknown;
  try {
    decoder.decode(rec);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof DecodeError, `expected a DecodeError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.kind, 'data');
  assert.ok(caught.message.includes(`${rec.topic}[${rec.partition}]@${rec.offset}`), caught.message);
  for (const p of patterns) assert.match(caught.message, p);
  return caught;
}

async function rejection(p: Promise<unknown>): Promise<CdcSinkError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CdcSinkError, `expected a CdcSinkError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected prepare() to reject');
}

describe('decoder.format avro: bad records and registry failures', () => {
  let registry: TestSchemaRegistry;
  let good: KafkaRecord;
  before(async () => {
    registry = await TestSchemaRegistry.start();
    const key = keyText(SPEC, { id: 1 });
    const value = envelopeText(SPEC);
    good = { ...record(TOPIC, key, value, { offset: '500' }), key: avroTwin(registry, key), value: avroTwin(registry, value) };
  });
  after(() => registry.close());

  const avroDecoder = (url = registry.url, timeoutMs?: number) => createDecoder({ format: 'avro', schemaRegistry: { url, timeoutMs } });

  test('a value without the magic byte (a JsonConverter message) names the first byte', async () => {
    const d = avroDecoder();
    const rec = { ...good, value: Buffer.from(envelopeText(SPEC)), offset: '501' };
    await d.prepare!([rec]);
    expectDecodeError(d, rec, ErrorCodes.DECODE_UNSUPPORTED_FORMAT, /value starts with 0x7b '\{' \(JSON\? decoder\.format json reads JsonConverter topics\), not with the Schema Registry magic byte 0x00/, /key=\{"id":1\}/);
  });

  test('a value shorter than the 5-byte header', async () => {
    const d = avroDecoder();
    const rec = { ...good, value: Buffer.from([0, 0, 0]), offset: '502' };
    await d.prepare!([rec]);
    expectDecodeError(d, rec, ErrorCodes.DECODE_MALFORMED_AVRO, /value is 3 bytes, shorter than the 5-byte Schema Registry header/);
  });

  test('an id the registry does not have (404) fails those records only, naming the id and the registry', async () => {
    const d = avroDecoder();
    const missing = { ...good, value: confluentFrame(4242, (good.value as Buffer).subarray(5)), offset: '503' };
    await d.prepare!([good, missing]); // resolves: a 404 is the records' fault, not the environment's
    assert.equal(d.decode(good).kind, 'change');
    const e = expectDecodeError(d, missing, ErrorCodes.DECODE_UNKNOWN_SCHEMA, /has no schema with id 4242/, /HTTP 404: Schema 4242 not found/);
    assert.ok(e.message.includes(registry.url), e.message);
  });

  test('a record decoded without prepare() says so', () => {
    expectDecodeError(avroDecoder(), good, ErrorCodes.DECODE_UNKNOWN_SCHEMA, /schema id 2 was not fetched/, /prepare\(\)/);
  });

  test('a truncated datum, trailing bytes and garbage are DECODE_MALFORMED_AVRO naming the schema', async () => {
    const d = avroDecoder();
    await d.prepare!([good]);
    const value = good.value as Buffer;
    const truncated = { ...good, value: value.subarray(0, value.length - 4), offset: '504' };
    expectDecodeError(d, truncated, ErrorCodes.DECODE_MALFORMED_AVRO, /value is not a valid Avro datum of schema id 2 \(srv\.public\.items\.Envelope, \d+ bytes after the header\): truncated buffer/);
    const trailing = { ...good, value: Buffer.concat([value, Buffer.from([1, 2, 3])]), offset: '505' };
    expectDecodeError(d, trailing, ErrorCodes.DECODE_MALFORMED_AVRO, /trailing data/);
    const garbage = { ...good, value: confluentFrame(2, Buffer.alloc(40, 0xff)), offset: '506' };
    expectDecodeError(d, garbage, ErrorCodes.DECODE_MALFORMED_AVRO, /schema id 2/);
    // a garbled key: the location still shows what it can
    const badKey = { ...good, key: confluentFrame(1, Buffer.from([0x80])), offset: '507' };
    expectDecodeError(d, badKey, ErrorCodes.DECODE_MALFORMED_AVRO, /key is not a valid Avro datum of schema id 1/, /key=\(Avro, schema id 1, 6 bytes\)/);
  });

  test('a registry that is down is a retriable CDC_SCHEMA_REGISTRY error; decoding works once it is back', async () => {
    const reg = await TestSchemaRegistry.start();
    const key = keyText(SPEC, { id: 1 });
    const rec = { ...good, key: avroTwin(reg, key), value: avroTwin(reg, envelopeText(SPEC)) };
    const d = avroDecoder(reg.url);
    reg.failWith = 503;
    let e = await rejection(d.prepare!([rec]));
    assert.deepEqual([e.code, e.kind], [ErrorCodes.SCHEMA_REGISTRY, 'retriable']);
    assert.match(e.message, /fetching schema id \d from the schema registry at http:\/\/127\.0\.0\.1:\d+: Error in the backend data store/);
    reg.failWith = null;
    await d.prepare!([rec]);
    assert.equal(d.decode(rec).kind, 'change');

    const url = reg.url;
    await reg.close(); // nothing listens any more: connection refused
    const other = { ...rec, value: confluentFrame(99, Buffer.alloc(0)) };
    e = await rejection(d.prepare!([other]));
    assert.deepEqual([e.code, e.kind], [ErrorCodes.SCHEMA_REGISTRY, 'retriable']);
    assert.ok(e.message.includes(`fetching schema id 99 from the schema registry at ${url}`), e.message);
    assert.match(e.message, /no response \((connect ECONNREFUSED|socket hang up)/);
    assert.equal(d.decode(rec).kind, 'change', 'schemas already fetched keep working');
  });

  test('a registry that never answers times out (retriable)', async () => {
    const reg = await TestSchemaRegistry.start();
    try {
      reg.register({ type: 'record', name: 'x.Key', fields: [] });
      reg.hang = true;
      const e = await rejection(avroDecoder(reg.url, 200).prepare!([{ ...good, key: confluentFrame(1, Buffer.alloc(0)), value: null }]));
      assert.deepEqual([e.code, e.kind], [ErrorCodes.SCHEMA_REGISTRY, 'retriable']);
      assert.match(e.message, /no response \(Timeout \(200ms\)\)/);
    } finally {
      await reg.close();
    }
  });

  test('credentials the registry refuses are fatal', async () => {
    const reg = await TestSchemaRegistry.start({ auth: { username: 'sink', password: 'right' } });
    try {
      const id = reg.register({ type: 'record', name: 'x.Key', fields: [] });
      const d = createDecoder({ format: 'avro', schemaRegistry: { url: reg.url, username: 'sink', password: 'wrong' } });
      const e = await rejection(d.prepare!([{ ...good, key: confluentFrame(id, Buffer.alloc(0)), value: null }]));
      assert.deepEqual([e.code, e.kind], [ErrorCodes.SCHEMA_REGISTRY, 'fatal']);
      assert.match(e.message, /refused to serve schema id 1 \(HTTP 401: Unauthorized\); check decoder\.schemaRegistry\.username\/password/);
      assert.ok(!e.message.includes('wrong'), 'no password in the message');
    } finally {
      await reg.close();
    }
  });

  test('a schema that is not valid Avro, or has no Connect equivalent, fails its records', async () => {
    const d = avroDecoder();
    const notAvro = registry.register('{"type": "record", "name": "x.Y"}'); // no fields
    const rec1 = { ...good, key: null, value: confluentFrame(notAvro, Buffer.alloc(0)), offset: '508' };
    const union = registry.register({ type: 'record', name: 'srv.public.items.Value', fields: [{ name: 'u', type: ['int', 'string'] }] });
    const rec2 = { ...good, key: null, value: confluentFrame(union, Buffer.from([0, 2])), offset: '509' };
    await d.prepare!([rec1, rec2]);
    expectDecodeError(d, rec1, ErrorCodes.DECODE_UNKNOWN_SCHEMA, new RegExp(`schema id ${notAvro} from the schema registry at .* is not a valid Avro schema`));
    expectDecodeError(d, rec2, ErrorCodes.DECODE_UNKNOWN_TYPE, new RegExp(`value schema id ${union} \\(srv\\.public\\.items\\.Value\\): Avro schema u: union \\[int, string\\] is not supported`));
  });

  test('format avro without a registry URL is a configuration error', () => {
    assert.throws(
      () => createDecoder({ format: 'avro' }),
      (err: unknown) => err instanceof CdcSinkError && err.code === ErrorCodes.CONFIG_INVALID && /format avro needs schemaRegistry\.url/.test(err.message),
    );
    assert.throws(
      () => createDecoder({ format: 'avro', schemaRegistry: { url: 'not a url' } }),
      (err: unknown) => err instanceof CdcSinkError && err.code === ErrorCodes.CONFIG_INVALID && /is not a URL/.test(err.message),
    );
    assert.throws(() => createDecoder({ format: 'protobuf' as never }), /format 'protobuf' is not one of json, avro/);
  });

  test('the JSON format has no prepare()', () => {
    assert.equal(createDecoder().prepare, undefined);
  });
});
