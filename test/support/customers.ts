/** A customers table covering the common column types, and its rows, shared by the sink integration tests. */
import type { TableSpec } from './debezium-events.ts';

export const CUSTOMER_FIELDS: TableSpec['fields'] = [
  { name: 'id', type: 'int64', optional: false },
  { name: 'name', type: 'string' },
  { name: 'balance', type: { decimal: { precision: 38, scale: 18 } } },
  { name: 'created_at', type: 'micro-timestamp' },
  { name: 'updated_at', type: 'zoned-timestamp' },
  { name: 'birth', type: 'date' },
  { name: 'attrs', type: 'json' },
  { name: 'ext', type: 'uuid' },
  { name: 'photo', type: 'bytes' },
  { name: 'active', type: 'boolean' },
  { name: 'score', type: 'double' },
  { name: 'big', type: 'int64' },
  { name: 'notes', type: 'string' },
];

/** Row n of the customers table, with edge values (a negative 38,18 decimal, int64 near its maximum, micros). */
export function customer(n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: BigInt(n),
    name: `name-${n}`,
    balance: n % 2 ? '-12345678901234567890.123456789012345678' : '0.000000000000000001',
    created_at: 1710498030123456n + BigInt(n),
    updated_at: '2024-03-15T08:20:30.123456Z',
    birth: 19782,
    attrs: `{"n": ${n}}`,
    ext: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    photo: Buffer.from([0, 1, 255, n & 0xff]),
    active: n % 2 === 0,
    score: n + 0.5,
    big: 9223372036854775807n - BigInt(n),
    notes: `notes-${n}`,
    ...over,
  };
}
