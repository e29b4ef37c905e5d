import { createHash } from 'node:crypto';
import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import maskColumns from '../../../../transforms/builtin/mask-columns.ts';

const salt = 'pepper-and-salt';
const sha = (text: string) => createHash('sha256').update(salt + text).digest('hex');

new TransformTester(maskColumns).run('mask-columns', {
  valid: [
    {
      name: 'hash (sha256 hex of salt + value), keep-last and redact, in row and before',
      options: {
        columns: {
          email: { method: 'hash', salt },
          ssn: { method: 'keep-last', count: 4 },
          notes: { method: 'redact' },
          card: { method: 'keep-last', count: 2, char: '#' },
          code: { method: 'redact', value: '[redacted]' },
        },
      },
      input: {
        row: { id: 1, email: 'ann@example.com', ssn: '123-45-6789', notes: 'private', card: 'ab', code: 'X1' },
        before: { id: 1, email: 'old@example.com', ssn: '987654321', notes: 'older', card: '1234', code: 'X0' },
      },
      output: {
        row: { id: 1, email: sha('ann@example.com'), ssn: '*******6789', notes: null, card: 'ab', code: '[redacted]' },
        before: { id: 1, email: sha('old@example.com'), ssn: '*****4321', notes: null, card: '##34', code: '[redacted]' },
        types: { email: { kind: 'string', maxLength: 64 }, ssn: { kind: 'string' }, notes: { kind: 'string' } },
      },
    },
    {
      name: 'numbers and bigints are hashed as their text; the column becomes text',
      options: { columns: { n: { method: 'hash', salt }, b: { method: 'hash', salt } } },
      input: { row: { id: 1, n: 42, b: 9007199254740993n } },
      output: { row: { id: 1, n: sha('42'), b: sha('9007199254740993') }, types: { n: { kind: 'string', maxLength: 64 }, b: { kind: 'string', maxLength: 64 } } },
    },
    {
      name: 'a hashed key column is hashed in the key too (delete)',
      options: { columns: { email: { method: 'hash', salt } } },
      input: { op: 'delete', key: { email: 'ann@example.com' } },
      output: { op: 'delete', key: { email: sha('ann@example.com') } },
    },
    {
      name: 'null and UNCHANGED are kept; keep-last shorter than count keeps all',
      options: { columns: { a: { method: 'hash', salt }, b: { method: 'keep-last', count: 4 }, c: { method: 'keep-last', count: 9 } } },
      input: { row: { id: 1, a: null, b: UNCHANGED, c: 'abc' } },
      rows: [{ id: 1, a: null, b: UNCHANGED, c: 'abc' }],
    },
    {
      name: 'redact to null makes the column optional',
      options: { columns: { id2: { method: 'redact' } } },
      input: { row: { id: 1, id2: 5 }, schema: { columns: [{ name: 'id', type: { kind: 'int', bits: 32 }, optional: false }, { name: 'id2', type: { kind: 'int', bits: 32 }, optional: false }], key: ['id'] } },
      output: { row: { id: 1, id2: null }, schema: { columns: [{ name: 'id', type: { kind: 'int', bits: 32 }, optional: false }, { name: 'id2', type: { kind: 'int', bits: 32 }, optional: true }], key: ['id'] } },
    },
    {
      name: 'truncate untouched',
      options: { columns: { a: { method: 'redact' } } },
      input: { op: 'truncate', types: { a: { kind: 'string' } } },
      output: { op: 'truncate', types: { a: { kind: 'string' } } },
    },
  ],
  invalid: [
    { name: 'a salt is required', options: { columns: { a: { method: 'hash' } } }, error: /option "columns.a.salt"/ },
    { name: 'a short salt is refused', options: { columns: { a: { method: 'hash', salt: 'x' } } }, error: /at least 8 characters/ },
    { name: 'unknown method', options: { columns: { a: { method: 'blur' } } }, error: /option "columns.a.method"/ },
    { name: 'redacting a key column', options: { columns: { id: { method: 'redact' } } }, input: { row: { id: 1 } }, error: /key column "id" can only be masked with method hash/ },
    { name: 'a typo in a PII column name is caught', options: { columns: { emial: { method: 'redact' } } }, input: { row: { id: 1, email: 'a' } }, error: /column "emial" is not in the table/ },
  ],
});
