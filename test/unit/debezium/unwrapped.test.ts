import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DecodeError, ErrorCodes } from '../../../connectors/core/errors.ts';
import type { Decoded, DecoderOptions, KafkaRecord } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import type { FieldSchema } from './build.ts';
import { eventOf as event, json, raw, schemaJson } from './build.ts';
import { record } from './sample-loader.ts';

const TOPIC = 'srv.public.items';
const COLUMNS: FieldSchema[] = [
  { type: 'int32', optional: false, field: 'id' },
  { type: 'string', optional: true, field: 'name' },
  { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', field: 'at' },
];
const META = (names: Record<string, string>): FieldSchema[] =>
  Object.entries(names).map(([field, type]) => ({ type, optional: true, field }));

function valueSchema(extra: FieldSchema[], name = 'srv.public.items.Value'): Record<string, unknown> {
  return schemaJson({ type: 'struct', optional: false, name, fields: [...COLUMNS, ...extra] });
}
const KEY_SCHEMA = schemaJson({ type: 'struct', optional: false, name: 'srv.public.items.Key', fields: [{ type: 'int32', optional: false, field: 'id' }] });
const keyWithSchema = (id: number) => json({ schema: KEY_SCHEMA, payload: { id } });
const keySchemaless = (id: number) => json({ id });

function decode(rec: KafkaRecord, options?: Partial<DecoderOptions>): Decoded {
  return createDecoder(options).decode(rec);
}
const plain = (r: object | null) => (r === null ? null : { ...r });
const ROW = { id: 7, name: 'seven', at: '2024-03-15T10:20:30.123456' };
const ROW_WIRE = { id: 7, name: 'seven', at: raw('1710498030123456') };
const COLUMN_NAMES = ['id', 'name', 'at'];

describe('ExtractNewRecordState shapes', () => {
  test('default (c/r/u): the value is the row; table from the Value schema name', () => {
    const e = event(decode(record(TOPIC, keyWithSchema(7), json({ schema: valueSchema([]), payload: ROW_WIRE }))));
    assert.equal(e.op, 'upsert');
    assert.deepEqual(e.table, { namespace: 'public', name: 'items' });
    assert.deepEqual(plain(e.row), ROW);
    assert.deepEqual(plain(e.key), { id: 7 });
    assert.equal(e.before, null);
    assert.deepEqual(e.schema.columns.map((c) => c.name), COLUMN_NAMES);
    assert.deepEqual(e.schema.columns[2]?.type, { kind: 'timestamp', precision: 6 });
    assert.deepEqual(e.schema.key, ['id']);
  });

  test('tombstone mode with schemas: {"schema":<Value>,"payload":null} is a delete by key', () => {
    const e = event(decode(record(TOPIC, keyWithSchema(7), json({ schema: valueSchema([]), payload: null }))));
    assert.equal(e.op, 'delete');
    assert.equal(e.source.sourceOp, 'tombstone');
    assert.deepEqual(plain(e.key), { id: 7 });
    assert.equal(e.row, null);
    assert.equal(e.before, null);
    assert.deepEqual(e.schema.columns.map((c) => c.name), COLUMN_NAMES);
    assert.deepEqual(e.table, { namespace: 'public', name: 'items' });
  });

  test('tombstone mode without schemas: the JSON text null is a delete by key', () => {
    const e = event(decode(record(TOPIC, keySchemaless(7), 'null')));
    assert.equal(e.op, 'delete');
    assert.equal(e.source.sourceOp, 'tombstone');
    assert.deepEqual(plain(e.key), { id: 7 });
    assert.deepEqual(e.schema.key, ['id']);
    assert.deepEqual(e.table, { namespace: 'public', name: 'items' });
  });

  test('delete-to-tombstone / rewrite-with-tombstone: a real tombstone (no value bytes, or empty)', () => {
    for (const value of [null, '']) {
      const e = event(decode(record(TOPIC, keyWithSchema(7), value)));
      assert.equal(e.op, 'delete');
      assert.deepEqual(plain(e.key), { id: 7 });
      assert.deepEqual(e.schema, { columns: [{ name: 'id', type: { kind: 'int', bits: 32 }, optional: false, sourceType: 'int32' }], key: ['id'] });
      assert.deepEqual(e.table, { namespace: 'public', name: 'items' }, 'from the Key schema name');
    }
  });

  test('old converters: {"schema":null,"payload":null} is a tombstone too', () => {
    const e = event(decode(record(TOPIC, keySchemaless(3), '{"schema":null,"payload":null}')));
    assert.equal(e.op, 'delete');
    assert.deepEqual(plain(e.key), { id: 3 });
  });

  test('rewrite with __deleted "false" and add.fields: metadata leaves row and columns and feeds op/source', () => {
    const meta = META({ __deleted: 'string', __op: 'string', __table: 'string', __lsn: 'int64', __source_ts_ms: 'int64', __schema: 'string' });
    const payload = { ...ROW_WIRE, __deleted: 'false', __op: 'u', __table: 'items_real', __lsn: raw('1844674407370955161'), __source_ts_ms: 1710491102250, __schema: 'sales' };
    const e = event(decode(record(TOPIC, keyWithSchema(7), json({ schema: valueSchema(meta), payload }))));
    assert.equal(e.op, 'upsert');
    assert.deepEqual(plain(e.row), ROW);
    assert.deepEqual(e.schema.columns.map((c) => c.name), COLUMN_NAMES);
    assert.deepEqual(e.table, { namespace: 'sales', name: 'items_real' }, '__schema + __table win over names');
    assert.equal(e.source.sourceOp, 'u');
    assert.equal(e.source.sourceTimestampMs, 1710491102250);
    assert.equal(e.source.position, 'lsn=1844674407370955161');
    assert.equal(e.source.snapshot, false);
  });

  test('rewrite with __deleted "true": a delete whose before image is the row', () => {
    const meta = META({ __deleted: 'string', __op: 'string' });
    const e = event(decode(record(TOPIC, keyWithSchema(7), json({ schema: valueSchema(meta), payload: { ...ROW_WIRE, __deleted: 'true', __op: 'd' } }))));
    assert.equal(e.op, 'delete');
    assert.equal(e.row, null);
    assert.deepEqual(plain(e.before), ROW);
    assert.deepEqual(plain(e.key), { id: 7 });
    assert.equal(e.source.sourceOp, 'd');
  });

  test('rewrite without add.fields: __deleted alone decides', () => {
    const meta = META({ __deleted: 'string' });
    const del = event(decode(record(TOPIC, keyWithSchema(7), json({ schema: valueSchema(meta), payload: { ...ROW_WIRE, __deleted: 'true' } }))));
    assert.equal(del.op, 'delete');
    assert.equal(del.source.sourceOp, 'd');
    const up = event(decode(record(TOPIC, keyWithSchema(7), json({ schema: valueSchema(meta), payload: { ...ROW_WIRE, __deleted: 'false' } }))));
    assert.equal(up.op, 'upsert');
    assert.equal(up.source.sourceOp, 'u');
  });

  test('schemaless rewrite, MySQL style add.fields=op,table,db,source.ts_ms,file,pos,row', () => {
    const payload = { id: 7, name: 'seven', __deleted: 'true', __op: 'd', __table: 'orders', __db: 'inventory', __source_ts_ms: 1710491445000, __file: 'mysql-bin.000003', __pos: 805, __row: 0 };
    const e = event(decode(record('mysqlserver1.other.thing', keySchemaless(7), json(payload))));
    assert.equal(e.op, 'delete');
    assert.deepEqual(plain(e.before), { id: 7, name: 'seven' });
    assert.deepEqual(e.schema.columns.map((c) => c.name), ['id', 'name']);
    assert.deepEqual(e.table, { namespace: 'inventory', name: 'orders' });
    assert.equal(e.source.position, 'mysql-bin.000003:805:0');
    assert.equal(e.source.sourceTimestampMs, 1710491445000);
  });

  test('a custom add.fields.prefix', () => {
    const payload = { id: 7, name: 'x', meta_op: 'r', meta_deleted: 'false', __op: 'kept as a column' };
    const e = event(decode(record(TOPIC, keySchemaless(7), json(payload)), { unwrapFieldPrefix: 'meta_' }));
    assert.deepEqual(plain(e.row), { id: 7, name: 'x', __op: 'kept as a column' });
    assert.equal(e.source.sourceOp, 'r');
    assert.equal(e.source.snapshot, true, "__op 'r' is a snapshot read");
  });

  test('source.snapshot added as __source_snapshot', () => {
    const e = event(decode(record(TOPIC, keySchemaless(7), json({ id: 7, __op: 'r', __source_snapshot: 'false' }))));
    assert.equal(e.source.snapshot, false);
    const last = event(decode(record(TOPIC, keySchemaless(7), json({ id: 7, __op: 'c', __source_snapshot: 'last' }))));
    assert.equal(last.source.snapshot, true);
  });

  test('columns that merely start with the prefix stay columns', () => {
    const e = event(decode(record(TOPIC, keySchemaless(7), json({ id: 7, __custom: 1, __deleted_at: 'x' }))));
    assert.deepEqual(plain(e.row), { id: 7, __custom: 1, __deleted_at: 'x' });
  });

  test('table identity: record name, else topic', () => {
    const fromName = event(decode(record('renamed-topic', null, json({ schema: valueSchema([], 'srv.sales.orders.Value'), payload: ROW_WIRE }))));
    assert.deepEqual(fromName.table, { namespace: 'sales', name: 'orders' });
    const fromTopic = event(decode(record('srv.billing.invoices', null, json({ id: 1 }))));
    assert.deepEqual(fromTopic.table, { namespace: 'billing', name: 'invoices' });
  });

  test('a table without key: key null, schema.key []', () => {
    const e = event(decode(record(TOPIC, null, json({ schema: valueSchema([]), payload: ROW_WIRE }))));
    assert.equal(e.key, null);
    assert.deepEqual(e.schema.key, []);
    assert.equal(e.op, 'upsert');
  });

  test('a tombstone without a key is DECODE_NO_KEY', () => {
    for (const value of [null, 'null', json({ schema: valueSchema([]), payload: null })]) {
      assert.throws(
        () => decode(record(TOPIC, null, value, { offset: '42' })),
        (err: unknown) => err instanceof DecodeError && err.code === ErrorCodes.DECODE_NO_KEY && /srv\.public\.items\[0\]@42/.test(err.message),
      );
    }
  });

  test('__op "t" is a truncate', () => {
    const e = event(decode(record(TOPIC, null, json({ id: 7, __op: 't' }))));
    assert.equal(e.op, 'truncate');
    assert.equal(e.row, null);
    assert.equal(e.key, null);
  });
});
