import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import addColumn from '../../../../transforms/builtin/add-column.ts';

const source = { topic: 'pg.inventory.customers', partition: 3, offset: '9007199254740993', sourceTimestampMs: 1700000000123, kafkaTimestampMs: 1700000000456, sourceOp: 'u' as const };

new TransformTester(addColumn).run('add-column', {
  valid: [
    {
      name: 'a text constant, optional, at the end',
      options: { name: 'origin', value: 'legacy' },
      input: { row: { id: 1, a: 'x' } },
      output: {
        row: { id: 1, a: 'x', origin: 'legacy' },
        schema: {
          columns: [
            { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
            { name: 'a', type: { kind: 'string' }, optional: true },
            { name: 'origin', type: { kind: 'string' }, optional: true },
          ],
          key: ['id'],
        },
      },
    },
    {
      name: 'a typed constant is converted once (decimal), placed after a column',
      options: { name: 'rate', value: 1.5, type: 'decimal(5,2)', after: 'id' },
      input: { row: { id: 1, a: 'x' } },
      output: { row: { id: 1, rate: '1.50', a: 'x' }, types: { rate: { kind: 'decimal', precision: 5, scale: 2 } } },
    },
    {
      name: 'record facts: source op, source timestamp, topic, partition, offset',
      options: { name: 'changed_at', source: 'source-timestamp' },
      input: { row: { id: 1 }, source },
      output: { row: { id: 1, changed_at: '2023-11-14T22:13:20.123Z' }, types: { changed_at: { kind: 'timestamptz', precision: 3 } } },
    },
    { name: 'source-op', options: { name: 'op', source: 'source-op' }, input: { row: { id: 1 }, source }, rows: [{ id: 1, op: 'u' }] },
    { name: 'op', options: { name: 'op', source: 'op' }, input: { row: { id: 1 } }, rows: [{ id: 1, op: 'upsert' }] },
    { name: 'topic', options: { name: 't', source: 'topic' }, input: { row: { id: 1 }, source }, rows: [{ id: 1, t: 'pg.inventory.customers' }] },
    {
      name: 'partition (int32) and offset (int64, exact)',
      options: { name: 'o', source: 'offset' },
      input: { row: { id: 1 }, source },
      output: { row: { id: 1, o: 9007199254740993n }, types: { o: { kind: 'int', bits: 64 } } },
    },
    { name: 'partition', options: { name: 'p', source: 'partition' }, input: { row: { id: 1 }, source }, output: { row: { id: 1, p: 3 }, types: { p: { kind: 'int', bits: 32 } } } },
    { name: 'kafka timestamp as epoch millis bigint', options: { name: 'k', source: 'kafka-timestamp', type: 'bigint' }, input: { row: { id: 1 }, source }, rows: [{ id: 1, k: 1700000000456n }] },
    {
      name: 'a copy of another column keeps its type; UNCHANGED is copied as UNCHANGED',
      options: { name: 'phone_copy', copyOf: 'phone' },
      input: [{ row: { id: 1, phone: '555' } }, { row: { id: 2, phone: UNCHANGED } }],
      rows: [
        { id: 1, phone: '555', phone_copy: '555' },
        { id: 2, phone: UNCHANGED, phone_copy: UNCHANGED },
      ],
    },
    {
      name: 'before images get the column too; a key-only delete does not',
      options: { name: 'origin', value: 'legacy' },
      input: [{ row: { id: 1 }, before: { id: 1 } }, { op: 'delete', key: { id: 2 } }],
      output: [
        { row: { id: 1, origin: 'legacy' }, before: { id: 1, origin: 'legacy' }, key: { id: 1 } },
        { op: 'delete', row: null, before: null, key: { id: 2 } },
      ],
    },
    {
      name: 'a key column (merging tables): added to schema.key and to the key of upserts and deletes',
      options: { name: 'tenant', value: 'acme', key: true },
      input: [{ row: { id: 1, a: 'x' } }, { op: 'delete', key: { id: 2 } }],
      output: [
        { row: { id: 1, a: 'x', tenant: 'acme' }, key: { id: 1, tenant: 'acme' } },
        { op: 'delete', key: { id: 2, tenant: 'acme' } },
      ],
      schema: {
        schema: {
          columns: [
            { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
            { name: 'a', type: { kind: 'string' }, optional: true },
            { name: 'tenant', type: { kind: 'string' }, optional: false },
          ],
          key: ['id', 'tenant'],
        },
      },
    },
    { name: 'overwrite an existing column', options: { name: 'a', value: 'fixed', ifExists: 'overwrite' }, input: { row: { id: 1, a: 'x' } }, rows: [{ id: 1, a: 'fixed' }] },
    {
      name: 'truncate untouched',
      options: { name: 'origin', value: 'legacy' },
      input: { op: 'truncate' },
      output: { op: 'truncate', schema: { columns: [], key: [] } },
    },
  ],
  invalid: [
    { name: 'needs exactly one of value/copyOf/source', options: { name: 'x', value: 1, source: 'op' }, error: /exactly one of value, copyOf, source/ },
    { name: 'nothing to add', options: { name: 'x' }, error: /exactly one of value, copyOf, source/ },
    { name: 'unknown source field', options: { name: 'x', source: 'lsn' }, error: /option "source"/ },
    { name: 'a constant that does not fit its type fails at load', options: { name: 'x', value: 'abc', type: 'integer' }, error: { code: 'CDC_TRANSFORM_LOAD', message: /the value "abc" cannot become int32/ } },
    { name: 'a null constant needs a type', options: { name: 'x', value: null }, error: /a null value needs a type/ },
    { name: 'existing column', options: { name: 'a', value: 'v' }, input: { row: { id: 1, a: 'x' } }, error: /column "a" already exists/ },
    { name: 'copy of a missing column', options: { name: 'b', copyOf: 'nope' }, input: { row: { id: 1 } }, error: /column "nope" to copy is not in the table/ },
    {
      name: 'a key column copied from a non-key column cannot be computed for a key-only delete',
      options: { name: 'k2', copyOf: 'a', key: true },
      input: { op: 'delete', key: { id: 2 }, types: { a: { kind: 'string' } } },
      error: /cannot compute key column "k2" for a delete/,
    },
  ],
});
