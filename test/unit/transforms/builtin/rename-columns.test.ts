import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import renameColumns from '../../../../transforms/builtin/rename-columns.ts';

const tester = new TransformTester(renameColumns);

tester.run('rename-columns', {
  valid: [
    {
      name: 'renames a column in row, before and schema',
      options: { columns: { customer_phone: 'phone_number' } },
      input: { row: { id: 1, customer_phone: '555-0100' }, before: { id: 1, customer_phone: '555-0199' } },
      output: {
        row: { id: 1, phone_number: '555-0100' },
        before: { id: 1, phone_number: '555-0199' },
        key: { id: 1 },
        schema: {
          columns: [
            { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
            { name: 'phone_number', type: { kind: 'string' }, optional: true },
          ],
          key: ['id'],
        },
      },
    },
    {
      name: 'a renamed key column follows in key and schema.key (delete)',
      options: { columns: { id: 'customer_id' } },
      input: { op: 'delete', key: { id: 7 }, types: { name: { kind: 'string' } } },
      output: { op: 'delete', key: { customer_id: 7 }, row: null },
      schema: {
        schema: {
          columns: [
            { name: 'customer_id', type: { kind: 'int', bits: 32 }, optional: false },
            { name: 'name', type: { kind: 'string' }, optional: true },
          ],
          key: ['customer_id'],
        },
      },
    },
    {
      name: 'swaps two columns',
      options: { columns: { a: 'b', b: 'a' } },
      input: { row: { id: 1, a: 'x', b: 'y' } },
      rows: [{ id: 1, b: 'x', a: 'y' }],
    },
    {
      name: 'UNCHANGED values are carried under the new name',
      options: { columns: { notes: 'remarks' } },
      input: { row: { id: 1, notes: UNCHANGED } },
      rows: [{ id: 1, remarks: UNCHANGED }],
    },
    {
      name: 'truncate passes through untouched',
      options: { columns: { a: 'b' } },
      input: { op: 'truncate', types: { a: { kind: 'string' } } },
      output: { op: 'truncate', row: null, key: null, types: { a: { kind: 'string' } } },
    },
    {
      name: 'ifMissing: ignore leaves a schema without the column alone',
      options: { columns: { gone: 'here' }, ifMissing: 'ignore' },
      input: { row: { id: 1, a: 'x' } },
      rows: [{ id: 1, a: 'x' }],
    },
  ],
  invalid: [
    { name: 'columns must be an object', options: { columns: ['a'] }, error: { code: 'CDC_TRANSFORM_LOAD', message: /option "columns"/ } },
    { name: 'at least one column', options: { columns: {} }, error: /at least one column/ },
    { name: 'no two columns to one name', options: { columns: { a: 'c', b: 'c' } }, error: /same name/ },
    { name: 'unknown option rejected', options: { columns: { a: 'b' }, colums: {} }, error: /colums/ },
    {
      name: 'a missing column is an error by default',
      options: { columns: { gone: 'here' } },
      input: { row: { id: 1, a: 'x' } },
      error: { code: 'CDC_TRANSFORM_FAILED', message: /column "gone" is not in the table/ },
    },
    {
      name: 'renaming onto an existing column is an error',
      options: { columns: { a: 'b' } },
      input: { row: { id: 1, a: 'x', b: 'y' } },
      error: /cannot rename column "a" to "b": the table already has a column "b"/,
    },
  ],
});
