import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ErrorCode } from '../../../connectors/core/errors.ts';
import { CdcSinkError, DecodeError, ErrorCodes } from '../../../connectors/core/errors.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import type { FieldSchema } from './build.ts';
import { ID, envelopeRecord, envelopeText, json, keyText, pgSource, valueSchemaJson } from './build.ts';
import { record } from './sample-loader.ts';

const TOPIC = 'srv.public.items';

/** Asserts a DecodeError with `code` whose message names the record and matches every pattern. */
function expectError(rec: KafkaRecord, code: ErrorCode, ...patterns: RegExp[]): DecodeError {
  let caught: unknown;
  try {
    createDecoder().decode(rec);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof DecodeError, `expected a DecodeError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.kind, 'data');
  assert.equal(caught.location?.topic, rec.topic);
  assert.equal(caught.location?.partition, rec.partition);
  assert.equal(caught.location?.offset, rec.offset);
  assert.ok(caught.message.includes(`${rec.topic}[${rec.partition}]@${rec.offset}`), caught.message);
  for (const p of patterns) assert.match(caught.message, p);
  return caught;
}

const column = (schema: Omit<FieldSchema, 'field'>, wire: unknown, offset = '77'): KafkaRecord =>
  envelopeRecord({ columns: [ID, { ...schema, field: 'price' }], op: 'c', after: { id: 1, price: wire } }, true, { offset, partition: 3 });

describe('bad input -> DecodeError with code and location', () => {
  test('malformed JSON value', () => {
    expectError(record(TOPIC, '{"id":1}', 'this is not json', { offset: '11' }), ErrorCodes.DECODE_MALFORMED_JSON, /value is not valid JSON/, /key=\{"id":1\}/);
  });

  test('truncated JSON, on the slow path and after the schema is cached (fast path)', () => {
    const spec = { columns: [ID, { type: 'string', field: 'name' }], op: 'c', after: { id: 1, name: 'n' } } as const;
    const full = envelopeText(spec);
    const truncated = full.slice(0, full.length - 10);
    expectError(record(TOPIC, null, truncated, { offset: '12' }), ErrorCodes.DECODE_MALFORMED_JSON);
    const decoder = createDecoder();
    decoder.decode(record(TOPIC, null, full)); // caches the schema
    assert.throws(
      () => decoder.decode(record(TOPIC, null, truncated, { offset: '13' })),
      (err: unknown) => err instanceof DecodeError && err.code === ErrorCodes.DECODE_MALFORMED_JSON && err.message.includes('@13'),
    );
  });

  test('envelope without op (with and without schemas)', () => {
    const payload = { before: null, after: { id: 1 }, source: pgSource(), ts_ms: 1 };
    const schema = valueSchemaJson({ columns: [ID], op: 'c' });
    expectError(record(TOPIC, null, json({ schema, payload }), { offset: '14' }), ErrorCodes.DECODE_BAD_ENVELOPE, /no "op"/);
    expectError(record(TOPIC, null, json(payload), { offset: '15' }), ErrorCodes.DECODE_BAD_ENVELOPE, /no "op"/);
  });

  test('unknown op', () => {
    expectError(envelopeRecord({ columns: [ID], op: 'x', after: { id: 1 } }), ErrorCodes.DECODE_UNKNOWN_OP, /unknown op 'x'/);
  });

  test('op c without after, envelope without source', () => {
    expectError(envelopeRecord({ columns: [ID], op: 'c', after: null, before: { id: 1 } }), ErrorCodes.DECODE_BAD_ENVELOPE, /without an "after"/);
    expectError(record(TOPIC, null, json({ before: null, after: { id: 1 }, op: 'c' })), ErrorCodes.DECODE_BAD_ENVELOPE, /no "source"/);
  });

  test('unknown logical type names the column and the type', () => {
    expectError(column({ type: 'string', name: 'io.debezium.data.Whatever' }, 'x'), ErrorCodes.DECODE_UNKNOWN_TYPE, /column price/, /io\.debezium\.data\.Whatever/);
    expectError(column({ type: 'struct', name: 'io.debezium.time.StructuredTimestamp', fields: [{ type: 'int32', field: 'year' }] }, { year: 1 }), ErrorCodes.DECODE_UNKNOWN_TYPE, /column price/, /StructuredTimestamp/);
    expectError(column({ type: 'int32', name: 'org.apache.kafka.connect.data.Money' }, 1), ErrorCodes.DECODE_UNKNOWN_TYPE, /Money/);
  });

  test('a logical type on the wrong literal type, an unknown literal type', () => {
    expectError(column({ type: 'string', name: 'io.debezium.time.Date' }, 'x'), ErrorCodes.DECODE_UNKNOWN_TYPE, /column price/, /io\.debezium\.time\.Date' on literal type string/);
    expectError(column({ type: 'int128' }, 1), ErrorCodes.DECODE_UNKNOWN_TYPE, /int128/);
  });

  test('Decimal value that is not base64', () => {
    const err = expectError(
      column({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, 'xx'),
      ErrorCodes.DECODE_BAD_VALUE,
      /column price: Decimal value 'xx' is not base64/,
      /after image of public\.items/,
    );
    assert.equal(err.location?.key, '{"id":1}');
  });

  test('payload that does not match its schema', () => {
    expectError(column({ type: 'int32' }, 'abc'), ErrorCodes.DECODE_BAD_VALUE, /column price: expected an int32, got 'abc'/);
    expectError(column({ type: 'int32' }, 2147483648), ErrorCodes.DECODE_BAD_VALUE, /expected an int32/);
    expectError(column({ type: 'int16' }, 1.5), ErrorCodes.DECODE_BAD_VALUE, /expected an int16/);
    expectError(column({ type: 'int64' }, '12'), ErrorCodes.DECODE_BAD_VALUE, /expected an int64, got '12'/);
    expectError(column({ type: 'boolean' }, 1), ErrorCodes.DECODE_BAD_VALUE, /expected a boolean/);
    expectError(column({ type: 'string' }, 5), ErrorCodes.DECODE_BAD_VALUE, /expected a string, got 5/);
    expectError(column({ type: 'bytes' }, 'not base64!'), ErrorCodes.DECODE_BAD_VALUE, /is not base64/);
    expectError(column({ type: 'array', items: { type: 'string' } }, ['a', 2]), ErrorCodes.DECODE_BAD_VALUE, /column price\[1\]: expected a string, got 2/);
    expectError(column({ type: 'string', name: 'io.debezium.time.ZonedTimestamp' }, 'yesterday'), ErrorCodes.DECODE_BAD_VALUE, /ZonedTimestamp value 'yesterday' is malformed/);
    expectError(column({ type: 'struct', name: 'io.debezium.data.VariableScaleDecimal', fields: [{ type: 'int32', field: 'scale' }, { type: 'bytes', field: 'value' }] }, 5), ErrorCodes.DECODE_BAD_VALUE, /VariableScaleDecimal/);
  });

  test('int64 beyond the int64 range', () => {
    const text = envelopeText({ columns: [ID, { type: 'int64', field: 'price' }], op: 'c', after: { id: 1, price: 0 } }).replace('"price":0', '"price":9223372036854775808');
    expectError(record(TOPIC, null, text), ErrorCodes.DECODE_BAD_VALUE, /column price: expected an int64, got 9223372036854775808/);
  });

  test('a payload that is not an object, a value that is not an object', () => {
    const schema = valueSchemaJson({ columns: [ID], op: 'c' });
    expectError(record(TOPIC, null, json({ schema, payload: [1, 2] })), ErrorCodes.DECODE_BAD_VALUE, /struct/);
    expectError(record(TOPIC, null, '[1,2]'), ErrorCodes.DECODE_BAD_ENVELOPE, /expected a JSON object/);
    expectError(record(TOPIC, '"just-a-string"', json({ id: 1 })), ErrorCodes.DECODE_BAD_ENVELOPE, /message key/);
  });

  test('Avro / Schema Registry framing is DECODE_UNSUPPORTED_FORMAT', () => {
    const rec: KafkaRecord = { ...record(TOPIC, null, null), value: Buffer.from([0, 0, 0, 0, 1, 2, 3]) };
    expectError(rec, ErrorCodes.DECODE_UNSUPPORTED_FORMAT, /Avro/);
  });

  test('the printable key is the key payload, truncated to ~200 characters', () => {
    const spec = { columns: [ID, { type: 'string', field: 'name' }], op: 'c', keyColumns: ['name'], after: { id: 1, name: 'k'.repeat(500) } } as const;
    const rec = record(TOPIC, keyText(spec, { name: 'k'.repeat(500) }), '{oops');
    const err = expectError(rec, ErrorCodes.DECODE_MALFORMED_JSON);
    assert.equal(err.location?.key, `{"name":"${'k'.repeat(191)}…`);
    assert.ok((err.location?.key?.length ?? 0) <= 201);
  });

  test('invalid decoder options are a fatal config error', () => {
    assert.throws(
      () => createDecoder({ binaryHandlingMode: 'octal' as never }),
      (err: unknown) => err instanceof CdcSinkError && err.code === ErrorCodes.CONFIG_INVALID && err.kind === 'fatal',
    );
  });
});
