import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import splitColumn from '../../../../transforms/builtin/split-column.ts';

const base = { from: 'full_name', to: ['first_name', 'last_name'] };

new TransformTester(splitColumn).run('split-column', {
  valid: [
    {
      name: 'splits by the first separator; remainder to the last column; schema updated in place',
      options: base,
      input: { row: { id: 1, full_name: 'Mary Ann Smith', city: 'Leeds' }, before: { id: 1, full_name: 'Mary Jones', city: 'Leeds' } },
      output: {
        row: { id: 1, first_name: 'Mary', last_name: 'Ann Smith', city: 'Leeds' },
        before: { id: 1, first_name: 'Mary', last_name: 'Jones', city: 'Leeds' },
        schema: {
          columns: [
            { name: 'id', type: { kind: 'int', bits: 32 }, optional: false },
            { name: 'first_name', type: { kind: 'string' }, optional: true },
            { name: 'last_name', type: { kind: 'string' }, optional: true },
            { name: 'city', type: { kind: 'string' }, optional: true },
          ],
          key: ['id'],
        },
      },
    },
    { name: 'fromEnd splits at the last separator', options: { ...base, fromEnd: true }, input: { row: { id: 1, full_name: 'Mary Ann Smith' } }, rows: [{ id: 1, first_name: 'Mary Ann', last_name: 'Smith' }] },
    { name: 'missing parts are null', options: base, input: [{ row: { id: 1, full_name: 'Madonna' } }, { row: { id: 2, full_name: '  ' } }], rows: [{ id: 1, first_name: 'Madonna', last_name: null }, { id: 2, first_name: null, last_name: null }] },
    { name: 'null and UNCHANGED', options: base, input: [{ row: { id: 1, full_name: null } }, { row: { id: 2, full_name: UNCHANGED } }], rows: [{ id: 1, first_name: null, last_name: null }, { id: 2, first_name: UNCHANGED, last_name: UNCHANGED }] },
    {
      name: 'regex groups (named groups by column name)',
      options: { from: 'phone', to: ['country', 'number'], pattern: '^\\+(?<country>\\d+)\\s+(?<number>.+)$' },
      input: [{ row: { id: 1, phone: '+44 20 7946 0958' } }, { row: { id: 2, phone: 'unknown' } }],
      rows: [{ id: 1, country: '44', number: '20 7946 0958' }, { id: 2, country: null, number: null }],
    },
    { name: 'custom separator, keepSource', options: { from: 'ab', to: ['a', 'b'], separator: ',', keepSource: true }, input: { row: { id: 1, ab: 'x, y' } }, rows: [{ id: 1, ab: 'x, y', a: 'x', b: 'y' }] },
    { name: 'a key-only delete passes', options: base, input: { op: 'delete', key: { id: 3 }, types: { full_name: { kind: 'string' } } }, output: { op: 'delete', key: { id: 3 } } },
    { name: 'the source name may be reused as a target', options: { from: 'name', to: ['name', 'surname'] }, input: { row: { id: 1, name: 'Ada Lovelace' } }, rows: [{ id: 1, name: 'Ada', surname: 'Lovelace' }] },
  ],
  invalid: [
    { name: 'separator or pattern, not both', options: { ...base, separator: ' ', pattern: '(.*)' }, error: /not both/ },
    { name: 'onNoMatch: error', options: { from: 'p', to: ['a', 'b'], pattern: '^(\\d+)-(\\d+)$', onNoMatch: 'error' }, input: { row: { id: 1, p: 'x' } }, error: /column "p" value "x" does not match/ },
    { name: 'splitting away a key column', options: { from: 'id', to: ['a', 'b'] }, input: { row: { id: 1 } }, error: /cannot split away key column "id"/ },
    { name: 'target exists', options: base, input: { row: { id: 1, full_name: 'a b', last_name: 'c' } }, error: /column "last_name" already exists/ },
  ],
});
