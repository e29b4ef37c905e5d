import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import filterRows from '../../../../transforms/builtin/filter-rows.ts';

const t = new TransformTester(filterRows);
const types = { status: { kind: 'string' as const } };

t.run('filter-rows', {
  valid: [
    {
      name: 'drop by in',
      options: { drop: { where: [{ column: 'status', in: ['archived', 'deleted'] }] } },
      input: [{ row: { id: 1, status: 'active' } }, { row: { id: 2, status: 'archived' } }, { row: { id: 3, status: 'deleted' } }],
      rows: [{ id: 1, status: 'active' }],
    },
    {
      name: 'keep by equals; numbers compare numerically (5, 5n, "5.00")',
      options: { keep: { where: [{ column: 'qty', equals: 5 }] } },
      input: [{ row: { id: 1, qty: 5 } }, { row: { id: 2, qty: 5n } }, { row: { id: 3, qty: '5.00' } }, { row: { id: 4, qty: 6 } }],
      rows: [{ id: 1, qty: 5 }, { id: 2, qty: 5n }, { id: 3, qty: '5.00' }],
    },
    {
      name: 'regex, notEquals, notIn, isNull',
      options: { keep: { where: [{ column: 'email', regex: '@example\\.com$' }, { column: 'status', notEquals: 'x' }, { column: 'tier', notIn: [1, 2] }, { column: 'gone_at', isNull: true }] } },
      input: [
        { row: { id: 1, email: 'a@example.com', status: 'ok', tier: 3, gone_at: null } },
        { row: { id: 2, email: 'b@other.com', status: 'ok', tier: 3, gone_at: null } },
        { row: { id: 3, email: 'c@example.com', status: 'x', tier: 3, gone_at: null } },
        { row: { id: 4, email: 'd@example.com', status: 'ok', tier: 2, gone_at: null } },
        { row: { id: 5, email: 'e@example.com', status: 'ok', tier: 3, gone_at: '2024-01-01' } },
      ],
      rows: [{ id: 1, email: 'a@example.com', status: 'ok', tier: 3, gone_at: null }],
    },
    {
      name: 'any: one rule suffices',
      options: { keep: { any: [{ column: 'region', equals: 'eu' }, { column: 'region', isNull: true }] } },
      input: [{ row: { id: 1, region: 'eu' } }, { row: { id: 2, region: null } }, { row: { id: 3, region: 'us' } }],
      rows: [{ id: 1, region: 'eu' }, { id: 2, region: null }],
    },
    {
      name: 'by op: keep upserts only (drops deletes and truncates)',
      options: { keep: { op: 'upsert' } },
      input: [{ row: { id: 1 } }, { op: 'delete', key: { id: 2 } }, { op: 'truncate' }],
      output: [{ op: 'upsert', row: { id: 1 } }],
    },
    {
      name: 'by source op: drop snapshot reads',
      options: { drop: { sourceOp: 'r' } },
      input: [{ row: { id: 1 }, source: { sourceOp: 'r' } }, { row: { id: 2 }, source: { sourceOp: 'c' } }],
      rows: [{ id: 2 }],
    },
    {
      name: 'a delete is judged on its key',
      options: { drop: { where: [{ column: 'id', equals: 2 }] } },
      input: [{ op: 'delete', key: { id: 1 } }, { op: 'delete', key: { id: 2 } }],
      output: [{ op: 'delete', key: { id: 1 } }],
    },
    {
      name: 'a delete with a before image is judged on it',
      options: { drop: { where: [{ column: 'status', equals: 'archived' }] } },
      input: [
        { op: 'delete', key: { id: 1 }, before: { id: 1, status: 'archived' } },
        { op: 'delete', key: { id: 2 }, before: { id: 2, status: 'active' } },
      ],
      output: [{ op: 'delete', key: { id: 2 } }],
    },
    {
      name: 'a key-only delete: onMissing decides (default keep)',
      options: { drop: { where: [{ column: 'status', equals: 'archived' }] } },
      input: { op: 'delete', key: { id: 1 }, types },
      output: { op: 'delete', key: { id: 1 } },
    },
    {
      name: 'a key-only delete: rule onMissing drop',
      options: { keep: { where: [{ column: 'status', equals: 'active', onMissing: 'drop' }] } },
      input: { op: 'delete', key: { id: 1 }, types },
      output: null,
    },
    {
      name: 'UNCHANGED counts as missing (top-level onMissing drop)',
      options: { keep: { where: [{ column: 'notes', regex: 'x' }] }, onMissing: 'drop' },
      input: { row: { id: 1, notes: UNCHANGED } },
      output: null,
    },
    {
      name: 'truncates pass a condition made of rules only',
      options: { keep: { where: [{ column: 'status', equals: 'active' }] } },
      input: { op: 'truncate', types },
      output: { op: 'truncate' },
    },
    {
      name: 'truncates can be dropped by op',
      options: { drop: { op: ['truncate'] } },
      input: [{ op: 'truncate' }, { row: { id: 1 } }],
      rows: [{ id: 1 }],
    },
    {
      name: 'booleans compare as booleans',
      options: { keep: { where: [{ column: 'active', equals: true }] } },
      input: [{ row: { id: 1, active: true } }, { row: { id: 2, active: false } }],
      rows: [{ id: 1, active: true }],
    },
  ],
  invalid: [
    { name: 'keep or drop, not both', options: { keep: { op: 'upsert' }, drop: { op: 'delete' } }, error: /exactly one of keep, drop/ },
    { name: 'a rule needs one test', options: { keep: { where: [{ column: 'a', equals: 1, in: [1] }] } }, error: /option "keep.where\[0\]": give exactly one of/ },
    { name: 'bad regex', options: { keep: { where: [{ column: 'a', regex: '[' }] } }, error: /option "keep.where\[0\].regex"/ },
    { name: 'empty condition', options: { keep: {} }, error: /give op, sourceOp, where or any/ },
    { name: 'bad op', options: { keep: { op: 'insert' } }, error: /option "keep.op"/ },
    {
      name: 'onMissing error',
      options: { keep: { where: [{ column: 'status', equals: 'a', onMissing: 'error' }] } },
      input: { op: 'delete', key: { id: 1 }, types },
      error: { code: 'CDC_TRANSFORM_FAILED', message: /filter on column "status": the event has no value for it \(absent\)/ },
    },
  ],
});
