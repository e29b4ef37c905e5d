import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import { ByteArena, retainRecord } from '../../../connectors/debezium/retained-record.ts';
import { ID, envelopeRecord } from './build.ts';

/** A record whose key and value are slices of one larger buffer, as kafkajs hands them out. */
function sliced(key: string | null, value: string | null, headers: KafkaRecord['headers'] = {}): { record: KafkaRecord; fetch: Buffer } {
  const k = key === null ? Buffer.alloc(0) : Buffer.from(key);
  const v = value === null ? Buffer.alloc(0) : Buffer.from(value);
  const fetch = Buffer.concat([Buffer.from('head'), k, v, Buffer.from('tail')]);
  const record: KafkaRecord = {
    topic: 't',
    partition: 2,
    offset: '41',
    timestamp: '1700000000000',
    key: key === null ? null : fetch.subarray(4, 4 + k.length),
    value: value === null ? null : fetch.subarray(4 + k.length, 4 + k.length + v.length),
    headers,
  };
  return { record, fetch };
}

function same(a: KafkaRecord, b: { topic: string; partition: number; offset: string; timestamp: string; key: string | null; value: string | null }): void {
  assert.deepEqual(
    { topic: a.topic, partition: a.partition, offset: a.offset, timestamp: a.timestamp, key: a.key?.toString() ?? null, value: a.value?.toString() ?? null },
    b,
  );
}

describe('retainRecord', () => {
  test('keeps the same bytes and none of the fetch buffer: overwriting the fetch buffer changes nothing', () => {
    const { record, fetch } = sliced('{"id":1}', '{"schema":{"type":"struct"},"payload":{"id":1,"name":"é"}}');
    const kept = retainRecord(record, null, null, new ByteArena());
    fetch.fill(0x21);
    same(kept, { topic: 't', partition: 2, offset: '41', timestamp: '1700000000000', key: '{"id":1}', value: '{"schema":{"type":"struct"},"payload":{"id":1,"name":"é"}}' });
  });

  test('a shared prefix is not copied but comes back in front of the rest', () => {
    const prefix = Buffer.from('{"schema":{"type":"struct"},"payload":');
    const { record, fetch } = sliced('k', `${prefix.toString()}{"id":7}}`);
    const kept = retainRecord(record, null, prefix, new ByteArena());
    fetch.fill(0);
    assert.equal(kept.value?.toString(), '{"schema":{"type":"struct"},"payload":{"id":7}}');
    assert.equal(kept.key?.toString(), 'k');
  });

  test('a prefix longer than the bytes is ignored (the bytes are copied whole)', () => {
    const { record } = sliced('k', 'ab');
    assert.equal(retainRecord(record, null, Buffer.from('abc'), new ByteArena()).value?.toString(), 'ab');
  });

  test('null key, null value (tombstone) and empty values stay what they were', () => {
    const arena = new ByteArena();
    same(retainRecord(sliced(null, null).record, null, null, arena), { topic: 't', partition: 2, offset: '41', timestamp: '1700000000000', key: null, value: null });
    assert.equal(retainRecord(sliced('', '').record, null, null, arena).value?.length, 0);
  });

  test('many records share slabs, values larger than a quarter slab get their own buffer, all exact', () => {
    const arena = new ByteArena(64);
    const values = Array.from({ length: 40 }, (_, i) => 'x'.repeat(i % 25) + String(i));
    const kept = values.map((v) => retainRecord(sliced(`k${v.length}`, v).record, null, null, arena));
    kept.forEach((k, i) => assert.equal(k.value?.toString(), values[i]));
  });

  test('the fetch buffer can be collected while the retained record lives', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const arena = new ByteArena();
    const make = () => {
      const { record, fetch } = sliced('k', 'v'.repeat(20_000));
      return { kept: retainRecord(record, null, null, arena), memory: new WeakRef(fetch.buffer) };
    };
    const { kept, memory } = make();
    for (let i = 0; i < 10 && memory.deref() !== undefined; i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    assert.equal(memory.deref(), undefined, 'the fetch buffer is still reachable');
    assert.equal(kept.value?.length, 20_000);
  });

  test('headers are copied, string and array headers included', () => {
    const h = Buffer.from('xxtraceyy');
    const { record } = sliced('k', 'v', { trace: h.subarray(2, 7), names: [h.subarray(0, 2), 's'], text: 'plain' });
    const kept = retainRecord(record, null, null, new ByteArena());
    h.fill(0);
    const headers = kept.headers ?? {};
    assert.equal(String(headers.trace), 'trace');
    assert.deepEqual((headers.names as (Buffer | string)[]).map(String), ['xx', 's']);
    assert.equal(headers.text, 'plain');
  });
});

describe('Decoder.retain', () => {
  test('a retained JsonConverter record has the original bytes, after the decoder cached its schemas and without', () => {
    const decoder = createDecoder();
    const make = (id: number) => envelopeRecord({ columns: [ID], op: 'c', after: { id } });
    for (const id of [1, 2, 3]) {
      const original = make(id);
      const key = Buffer.from(original.key ?? Buffer.alloc(0));
      const value = Buffer.from(original.value ?? Buffer.alloc(0));
      const before = decoder.retain(original); // first one: nothing cached yet
      decoder.decode(original);
      const after = decoder.retain(original);
      original.value?.fill(0);
      original.key?.fill(0);
      for (const kept of [before, after]) {
        assert.ok(kept.value?.equals(value), `value of record ${id}`);
        assert.ok(kept.key?.equals(key), `key of record ${id}`);
      }
    }
    assert.ok(decoder.stats.schemaCacheHits >= 4, 'the later records were read through the prefix cache');
  });
});
