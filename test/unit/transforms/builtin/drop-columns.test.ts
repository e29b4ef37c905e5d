import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import dropColumns from '../../../../transforms/builtin/drop-columns.ts';

new TransformTester(dropColumns).run('drop-columns', {
  valid: [
    {
      name: 'drops from row, before and schema',
      options: { columns: ['secret', 'legacy'] },
      input: { row: { id: 1, name: 'a', secret: 's', legacy: 0 }, before: { id: 1, name: 'b', secret: 't', legacy: 1 } },
      output: {
        row: { id: 1, name: 'a' },
        before: { id: 1, name: 'b' },
        key: { id: 1 },
        schema: {
          columns: [
            { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
            { name: 'name', type: { kind: 'string' }, optional: true },
          ],
          key: ['id'],
        },
      },
    },
    {
      name: 'a key-only delete keeps its key',
      options: { columns: ['secret'] },
      input: { op: 'delete', key: { id: 3 }, types: { secret: { kind: 'string' } } },
      output: { op: 'delete', key: { id: 3 }, row: null, before: null },
    },
    {
      name: 'truncate untouched',
      options: { columns: ['secret'] },
      input: { op: 'truncate', types: { secret: { kind: 'string' } } },
      output: { op: 'truncate', types: { secret: { kind: 'string' } } },
    },
    { name: 'ifMissing: ignore', options: { columns: ['nope'], ifMissing: 'ignore' }, input: { row: { id: 1 } }, rows: [{ id: 1 }] },
  ],
  invalid: [
    { name: 'empty list', options: { columns: [] }, error: { code: 'CDC_TRANSFORM_LOAD', message: /option "columns"/ } },
    { name: 'key column', options: { columns: ['id'] }, input: { row: { id: 1, a: 2 } }, error: /cannot drop key column "id"/ },
    { name: 'missing column', options: { columns: ['nope'] }, input: { row: { id: 1 } }, error: /column "nope" is not in the table \(columns: id\)/ },
  ],
});
