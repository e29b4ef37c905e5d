import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import mergeColumns from '../../../../transforms/builtin/merge-columns.ts';

const base = { from: ['first_name', 'last_name'], to: 'full_name' };

new TransformTester(mergeColumns).run('merge-columns', {
  valid: [
    {
      name: 'joins with a separator, drops the sources, takes the first source position',
      options: base,
      input: { row: { id: 1, first_name: 'Ada', last_name: 'Lovelace', city: 'London' }, before: { id: 1, first_name: 'Ada', last_name: 'Byron', city: 'London' } },
      output: {
        row: { id: 1, full_name: 'Ada Lovelace', city: 'London' },
        before: { id: 1, full_name: 'Ada Byron', city: 'London' },
        schema: {
          columns: [
            { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
            { name: 'full_name', type: { kind: 'string' }, optional: true },
            { name: 'city', type: { kind: 'string' }, optional: true },
          ],
          key: ['id'],
        },
      },
    },
    { name: 'nulls are skipped; all null gives null', options: base, input: [{ row: { id: 1, first_name: null, last_name: 'Cher' } }, { row: { id: 2, first_name: null, last_name: null } }], rows: [{ id: 1, full_name: 'Cher' }, { id: 2, full_name: null }] },
    { name: 'skipNulls: false gives null', options: { ...base, skipNulls: false }, input: { row: { id: 1, first_name: null, last_name: 'Cher' } }, rows: [{ id: 1, full_name: null }] },
    { name: 'an UNCHANGED input gives UNCHANGED', options: base, input: { row: { id: 1, first_name: 'Ada', last_name: UNCHANGED } }, rows: [{ id: 1, full_name: UNCHANGED }] },
    {
      name: 'keepSources keeps them and puts the merged column after the last one; numbers become text',
      options: { from: ['a', 'b'], to: 'ab', separator: '-', keepSources: true },
      input: { row: { id: 1, a: 1, b: 2n, z: 'z' } },
      rows: [{ id: 1, a: 1, b: 2n, ab: '1-2', z: 'z' }],
    },
    {
      name: 'a key-only delete passes with its key',
      options: base,
      input: { op: 'delete', key: { id: 4 }, types: { first_name: { kind: 'string' }, last_name: { kind: 'string' } } },
      output: { op: 'delete', key: { id: 4 }, before: null },
    },
    {
      name: 'a partial before image without the sources gets no merged column',
      options: base,
      input: { row: { id: 1, first_name: 'A', last_name: 'B' }, before: { id: 1 } },
      output: { row: { id: 1, full_name: 'A B' }, before: { id: 1 } },
    },
    {
      name: 'the target may reuse a source name',
      options: { from: ['name', 'suffix'], to: 'name' },
      input: { row: { id: 1, name: 'King', suffix: 'Jr.' } },
      rows: [{ id: 1, name: 'King Jr.' }],
    },
  ],
  invalid: [
    { name: 'two sources at least', options: { from: ['a'], to: 'b' }, error: /option "from"/ },
    { name: 'dropping a key source', options: { from: ['id', 'a'], to: 'x' }, input: { row: { id: 1, a: 'q' } }, error: /cannot merge away key column "id"/ },
    { name: 'target exists', options: { from: ['a', 'b'], to: 'c' }, input: { row: { id: 1, a: '1', b: '2', c: '3' } }, error: /column "c" already exists/ },
    { name: 'missing source', options: { from: ['a', 'nope'], to: 'c' }, input: { row: { id: 1, a: '1' } }, error: /column "nope" is not in the table/ },
  ],
});
