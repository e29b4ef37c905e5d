import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import { UNCHANGED } from '../../../../transforms/sdk/index.ts';
import customerPhone, { normalizePhone } from '../../../../transforms/examples/customer-phone/index.ts';

const table = 'inventory.customers';
const str = { kind: 'string' as const };
const id = { name: 'id', type: { kind: 'int' as const, bits: 32 as const }, optional: false };
/** The source before the expand step: only the old column. */
const oldSchema = { columns: [id, { name: 'customer_phone', type: str, optional: true }, { name: 'email', type: str, optional: true }], key: ['id'] };
/** The source during the window: both columns. */
const bothSchema = { columns: [...oldSchema.columns, { name: 'phone_number', type: str, optional: true }], key: ['id'] };

test('normalizePhone', () => {
  assert.equal(normalizePhone('+1 (555) 010-0199'), '+15550100199');
  assert.equal(normalizePhone('555.010.0199'), '5550100199');
});

new TransformTester(customerPhone, { table }).run('customer-phone example', {
  valid: [
    {
      name: 'before the expand step: the old column is renamed in place and normalized',
      input: { row: { id: 1, customer_phone: '+1 (555) 010-0199', email: 'a@x.org' }, schema: oldSchema },
      output: {
        row: { id: 1, phone_number: '+15550100199', email: 'a@x.org' },
        schema: { columns: [id, { name: 'phone_number', type: str, optional: true }, { name: 'email', type: str, optional: true }], key: ['id'] },
      },
    },
    {
      name: 'during the window: the new column wins when it holds a value, else the old one is used',
      input: [
        { row: { id: 1, customer_phone: '555-0100', email: null, phone_number: '555-0199' }, schema: bothSchema },
        { row: { id: 2, customer_phone: '555-0100', email: null, phone_number: null }, schema: bothSchema },
        { row: { id: 3, customer_phone: null, email: null, phone_number: null }, schema: bothSchema },
      ],
      rows: [
        { id: 1, email: null, phone_number: '5550199' },
        { id: 2, email: null, phone_number: '5550100' },
        { id: 3, email: null, phone_number: null },
      ],
      schema: { schema: { columns: [id, { name: 'email', type: str, optional: true }, { name: 'phone_number', type: str, optional: true }], key: ['id'] } },
    },
    {
      name: 'keepOld (expand phase in the target): both columns carry the chosen number',
      options: { keepOld: true, normalize: false },
      input: { row: { id: 1, customer_phone: '555 0100', email: null }, schema: oldSchema },
      output: {
        row: { id: 1, phone_number: '555 0100', customer_phone: '555 0100', email: null },
        schema: {
          columns: [id, { name: 'phone_number', type: str, optional: true }, { name: 'customer_phone', type: str, optional: true }, { name: 'email', type: str, optional: true }],
          key: ['id'],
        },
      },
    },
    {
      name: 'an UNCHANGED new column stays UNCHANGED (the target keeps its value)',
      input: { row: { id: 1, customer_phone: '1', email: null, phone_number: UNCHANGED }, schema: bothSchema },
      rows: [{ id: 1, email: null, phone_number: UNCHANGED }],
    },
    {
      name: 'updates reshape the before image too; deletes keep their key',
      input: [
        { row: { id: 1, customer_phone: '2', email: null }, before: { id: 1, customer_phone: '1', email: null }, schema: oldSchema },
        { op: 'delete', key: { id: 1 }, schema: oldSchema },
      ],
      output: [
        { op: 'upsert', row: { id: 1, phone_number: '2', email: null }, before: { id: 1, phone_number: '1', email: null } },
        { op: 'delete', key: { id: 1 }, row: null, before: null },
      ],
    },
    { name: 'truncate passes', input: { op: 'truncate', schema: oldSchema }, output: { op: 'truncate', schema: oldSchema } },
  ],
  invalid: [
    { name: 'from and to must differ', options: { from: 'a', to: 'a' }, error: /from and to must differ/ },
    { name: 'a table without either column', input: { row: { id: 1, email: 'x' } }, error: /neither "customer_phone" nor "phone_number" is in the table/ },
  ],
});
