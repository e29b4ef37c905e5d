import { TransformTester } from '../../../../transforms/sdk/testing.ts';
import routeTable from '../../../../transforms/builtin/route-table.ts';

new TransformTester(routeTable, { table: 'inventory.legacy_orders' }).run('route-table', {
  valid: [
    {
      name: 'fixed name keeps namespace',
      options: { name: 'orders_v2' },
      input: { row: { id: 1 } },
      output: { table: { namespace: 'inventory', name: 'orders_v2' }, row: { id: 1 } },
      schema: { table: { namespace: 'inventory', name: 'orders_v2' } },
    },
    {
      name: 'namespace only',
      options: { namespace: 'crm' },
      input: { row: { id: 1 } },
      output: { table: { namespace: 'crm', name: 'legacy_orders' } },
    },
    {
      name: 'namespace null routes to the default schema',
      options: { namespace: null },
      input: { row: { id: 1 } },
      output: { table: { namespace: null, name: 'legacy_orders' } },
    },
    {
      name: 'regex with $1 on the name',
      options: { pattern: '^legacy_(.*)$', name: '$1' },
      input: { row: { id: 1 } },
      output: { table: { namespace: 'inventory', name: 'orders' } },
    },
    {
      name: 'regex on the qualified name with groups for both parts',
      options: { pattern: '^(\\w+)\\.legacy_(?<rest>\\w+)$', on: 'qualified', namespace: '$1_v2', name: 'new_$<rest>' },
      input: { row: { id: 1 } },
      output: { table: { namespace: 'inventory_v2', name: 'new_orders' } },
    },
    {
      name: 'a table the pattern does not match passes unchanged',
      options: { pattern: '^archive_(.*)$', name: '$1' },
      input: { row: { id: 1 } },
      output: { table: 'inventory.legacy_orders' },
    },
    {
      name: 'from: only the table of that exact name is routed',
      options: { from: 'legacy_orders', name: 'orders' },
      input: [{ row: { id: 1 } }, { table: 'inventory.legacy_orders_2', row: { id: 2 } }],
      output: [{ table: 'inventory.orders' }, { table: 'inventory.legacy_orders_2' }],
    },
    {
      name: 'from with on: qualified',
      options: { from: 'inventory.legacy_orders', on: 'qualified', namespace: 'sales' },
      input: { row: { id: 1 } },
      output: { table: 'sales.legacy_orders' },
    },
    {
      name: 'truncates are routed too',
      options: { name: 'orders' },
      input: { op: 'truncate' },
      output: { op: 'truncate', table: 'inventory.orders' },
    },
    {
      name: 'deletes are routed with their key',
      options: { name: 'orders' },
      input: { op: 'delete', key: { id: 9 } },
      output: { op: 'delete', table: 'inventory.orders', key: { id: 9 } },
    },
    {
      name: '$$ is a literal dollar',
      options: { pattern: '^legacy_(.*)$', name: '$1$$' },
      input: { row: { id: 1 } },
      output: { table: 'inventory.orders$' },
    },
  ],
  invalid: [
    { name: 'nothing to route to', options: {}, error: /give name and\/or namespace/ },
    { name: 'from or pattern', options: { from: 'a', pattern: 'b', name: 'x' }, error: /give from or pattern, not both/ },
    { name: 'bad regex', options: { pattern: '(', name: 'x' }, error: /option "pattern": pattern is not a valid regular expression/ },
    { name: 'empty name from template', options: { pattern: '^legacy_()orders$', name: '$1' }, input: { row: { id: 1 } }, error: /gives an empty name/ },
  ],
});
