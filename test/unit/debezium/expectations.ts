/** Hand-written expected decodings of the shared samples (from samples/README.md and expected.json). */
import type { ColumnType } from '../../../connectors/core/column-type.ts';
import { UNCHANGED } from '../../../connectors/core/value.ts';

type Obj = Record<string, unknown>;

const anne = (id: number, first: string, notes?: string | null): Obj => ({
  id,
  first_name: first,
  last_name: 'Kretchmar',
  email: 'annek@noanswer.org',
  ...(notes === undefined ? {} : { notes }),
});
const sally = (notes: boolean): Obj => ({
  id: 1001,
  first_name: 'Sally',
  last_name: 'Thomas',
  email: 'sally.thomas@acme.com',
  ...(notes ? { notes: null } : {}),
});

export interface ChangeExpectation {
  readonly op: 'upsert' | 'delete' | 'truncate';
  readonly table: readonly [string, string];
  readonly key: Obj | null;
  readonly row: Obj | null | 'all-types';
  readonly before: Obj | null;
  readonly sourceOp: string;
  readonly snapshot: boolean;
  readonly position: string | null;
  readonly connector: string | null;
  readonly sourceTimestampMs: number | null;
  readonly keyNames: readonly string[];
  readonly columns: readonly string[];
}

export type SampleExpectation = ChangeExpectation | { readonly skip: string };

const PG_COLS = ['id', 'first_name', 'last_name', 'email', 'notes'];
const MY_COLS = ['id', 'first_name', 'last_name', 'email'];
const pg = { table: ['public', 'customers'] as const, connector: 'postgresql', keyNames: ['id'], columns: PG_COLS };
const my = { table: ['inventory', 'customers'] as const, connector: 'mysql', keyNames: ['id'], columns: MY_COLS };
const unwrappedSource = { connector: null, snapshot: false };
const tombstone = { op: 'delete', row: null, before: null, sourceOp: 'tombstone', snapshot: false, position: null, connector: null, sourceTimestampMs: null } as const;

export const SAMPLE_EXPECTATIONS: Readonly<Record<string, SampleExpectation>> = {
  'postgresql/01-insert.json': { ...pg, op: 'upsert', key: { id: 1005 }, row: anne(1005, 'Anne', 'VIP customer'), before: null, sourceOp: 'c', snapshot: false, position: 'lsn=24023128', sourceTimestampMs: 1710490831500 },
  'postgresql/02-update-replica-identity-full.json': { ...pg, op: 'upsert', key: { id: 1005 }, row: anne(1005, 'Anne Marie', 'VIP customer'), before: anne(1005, 'Anne', 'VIP customer'), sourceOp: 'u', snapshot: false, position: 'lsn=24023456', sourceTimestampMs: 1710491102250 },
  'postgresql/03-update-replica-identity-default.json': { ...pg, op: 'upsert', key: { id: 1005 }, row: anne(1005, 'Anne Marie', 'VIP customer'), before: null, sourceOp: 'u', snapshot: false, position: 'lsn=24023456', sourceTimestampMs: 1710491102250 },
  'postgresql/04-delete-replica-identity-full.json': { ...pg, op: 'delete', key: { id: 1005 }, row: null, before: anne(1005, 'Anne Marie', 'VIP customer'), sourceOp: 'd', snapshot: false, position: 'lsn=24023792', sourceTimestampMs: 1710491445000 },
  'postgresql/05-tombstone.json': { ...tombstone, table: ['public', 'customers'], key: { id: 1005 }, keyNames: ['id'], columns: ['id'] },
  'postgresql/06-delete-replica-identity-default.json': { ...pg, op: 'delete', key: { id: 1005 }, row: null, before: { id: 1005, first_name: '', last_name: '', email: '', notes: null }, sourceOp: 'd', snapshot: false, position: 'lsn=24023792', sourceTimestampMs: 1710491445000 },
  'postgresql/07-snapshot-read-first.json': { ...pg, op: 'upsert', key: { id: 1001 }, row: sally(true), before: null, sourceOp: 'r', snapshot: true, position: 'lsn=24023000', sourceTimestampMs: 1710489600000 },
  'postgresql/08-truncate.json': { ...pg, op: 'truncate', key: null, row: null, before: null, sourceOp: 't', snapshot: false, position: 'lsn=24024120', sourceTimestampMs: 1710493200100, keyNames: [] },
  'postgresql/09-all-types-insert.json': { table: ['public', 'type_showcase'], connector: 'postgresql', op: 'upsert', key: { id: 42n }, row: 'all-types', before: null, sourceOp: 'c', snapshot: false, position: 'lsn=24030000', sourceTimestampMs: 1710490831500, keyNames: ['id'], columns: [] },
  'postgresql/10-update-toast-unchanged.json': { table: ['public', 'documents'], connector: 'postgresql', op: 'upsert', key: { id: 7 }, row: { id: 7, title: 'Q2 report (final)', body: UNCHANGED, attachment: UNCHANGED, labels: UNCHANGED, meta: UNCHANGED }, before: null, sourceOp: 'u', snapshot: false, position: 'lsn=24040000', sourceTimestampMs: 1710491102250, keyNames: ['id'], columns: ['id', 'title', 'body', 'attachment', 'labels', 'meta'] },
  'postgresql/11-insert-schemaless.json': { ...pg, op: 'upsert', key: { id: 1005 }, row: anne(1005, 'Anne', 'VIP customer'), before: null, sourceOp: 'c', snapshot: false, position: 'lsn=24023128', sourceTimestampMs: 1710490831500 },
  'postgresql/12-insert-with-transaction-block.json': { ...pg, op: 'upsert', key: { id: 1006 }, row: { id: 1006, first_name: 'Edward', last_name: 'Walker', email: 'ed@walker.com', notes: null }, before: null, sourceOp: 'c', snapshot: false, position: 'lsn=24050200', sourceTimestampMs: 1710490831500 },
  'postgresql/13-transaction-begin.json': { skip: 'transaction' },
  'postgresql/14-transaction-end.json': { skip: 'transaction' },
  'postgresql/15-heartbeat.json': { skip: 'heartbeat' },
  'postgresql/16-logical-message.json': { skip: 'message' },
  'postgresql/17-unwrapped-insert.json': { ...pg, ...unwrappedSource, op: 'upsert', key: { id: 1005 }, row: anne(1005, 'Anne', 'VIP customer'), before: null, sourceOp: 'u', position: null, sourceTimestampMs: null },
  'postgresql/18-unwrapped-update-rewrite-addfields.json': { ...pg, ...unwrappedSource, op: 'upsert', key: { id: 1005 }, row: anne(1005, 'Anne Marie', 'VIP customer'), before: null, sourceOp: 'u', position: 'lsn=24023456', sourceTimestampMs: 1710491102250 },
  'postgresql/19-unwrapped-delete-rewrite-addfields.json': { ...pg, ...unwrappedSource, op: 'delete', key: { id: 1005 }, row: null, before: anne(1005, 'Anne Marie', 'VIP customer'), sourceOp: 'd', position: 'lsn=24023792', sourceTimestampMs: 1710491445000 },
  'postgresql/20-unwrapped-delete-tombstone-mode.json': { ...tombstone, table: ['public', 'customers'], key: { id: 1005 }, keyNames: ['id'], columns: PG_COLS },
  'mysql/01-insert.json': { ...my, op: 'upsert', key: { id: 1004 }, row: anne(1004, 'Anne'), before: null, sourceOp: 'c', snapshot: false, position: 'mysql-bin.000003:154:0', sourceTimestampMs: 1710490831000 },
  'mysql/02-update.json': { ...my, op: 'upsert', key: { id: 1004 }, row: anne(1004, 'Anne Marie'), before: anne(1004, 'Anne'), sourceOp: 'u', snapshot: false, position: 'mysql-bin.000003:484:0', sourceTimestampMs: 1710491102000 },
  'mysql/03-delete.json': { ...my, op: 'delete', key: { id: 1004 }, row: null, before: anne(1004, 'Anne Marie'), sourceOp: 'd', snapshot: false, position: 'mysql-bin.000003:805:0', sourceTimestampMs: 1710491445000 },
  'mysql/04-tombstone.json': { ...tombstone, table: ['inventory', 'customers'], key: { id: 1004 }, keyNames: ['id'], columns: ['id'] },
  'mysql/05-snapshot-read.json': { ...my, op: 'upsert', key: { id: 1001 }, row: sally(false), before: null, sourceOp: 'r', snapshot: true, position: 'mysql-bin.000003:154:0', sourceTimestampMs: 1710489600000 },
  'mysql/06-truncate.json': { ...my, op: 'truncate', key: null, row: null, before: null, sourceOp: 't', snapshot: false, position: 'mysql-bin.000003:1210:0', sourceTimestampMs: 1710493200000, keyNames: [] },
  'mysql/07-all-types-insert.json': { table: ['inventory', 'type_showcase'], connector: 'mysql', op: 'upsert', key: { id: 42 }, row: 'all-types', before: null, sourceOp: 'c', snapshot: false, position: 'mysql-bin.000003:2210:0', sourceTimestampMs: 1710490831000, keyNames: ['id'], columns: [] },
  'mysql/08-schema-change.json': { skip: 'schema-change' },
  'mysql/09-insert-schemaless.json': { ...my, op: 'upsert', key: { id: 1004 }, row: anne(1004, 'Anne'), before: null, sourceOp: 'c', snapshot: false, position: 'mysql-bin.000003:154:0', sourceTimestampMs: 1710490831000 },
  'mysql/10-unwrapped-insert-addfields.json': { ...my, ...unwrappedSource, op: 'upsert', key: { id: 1004 }, row: anne(1004, 'Anne'), before: null, sourceOp: 'c', position: null, sourceTimestampMs: 1710490831000 },
  'mysql/11-unwrapped-delete-rewrite.json': { ...my, ...unwrappedSource, op: 'delete', key: { id: 1004 }, row: null, before: anne(1004, 'Anne Marie'), sourceOp: 'd', position: null, sourceTimestampMs: 1710491445000 },
  'mysql/12-insert-gtid-and-query.json': { ...my, op: 'upsert', key: { id: 1007 }, row: { id: 1007, first_name: 'Jo', last_name: 'Li', email: 'jo@li.example' }, before: null, sourceOp: 'c', snapshot: false, position: '3e11fa47-71ca-11e1-9e33-c80aa9429562:23', sourceTimestampMs: 1710490861000 },
};

/** WKB of POINT(12.5 -3.25) built by hand: 01 | 01000000 | f64le x | f64le y. */
function pointWkb(x: number, y: number): Buffer {
  const xy = Buffer.alloc(16);
  xy.writeDoubleLE(x, 0);
  xy.writeDoubleLE(y, 8);
  return Buffer.concat([Buffer.from([0x01, 0x01, 0x00, 0x00, 0x00]), xy]);
}

const decimal = (precision: number | undefined, scale: number | undefined): ColumnType =>
  precision === undefined ? (scale === undefined ? { kind: 'decimal' } : { kind: 'decimal', scale }) : { kind: 'decimal', precision, scale };

/** Column -> [decoded value, ColumnType, optional] for postgresql/09 (README table, value.ts formats). */
export const PG_ALL_TYPES: Readonly<Record<string, readonly [unknown, ColumnType, boolean]>> = {
  id: [42n, { kind: 'int', bits: 64 }, false],
  price: ['1234.56', decimal(10, 2), true],
  discount: ['-0.125', decimal(5, 3), true],
  big_amount: ['12345678901234567890.1234', decimal(38, 4), true],
  ratio: ['3.14159', decimal(undefined, undefined), true],
  ratio_int: ['42', decimal(undefined, undefined), true],
  fee: ['12.34', decimal(undefined, 2), true],
  qty: [7, { kind: 'int', bits: 32 }, true],
  small: [-3, { kind: 'int', bits: 16 }, true],
  big: [9007199254740993n, { kind: 'int', bits: 64 }, true],
  is_active: [true, { kind: 'boolean' }, false],
  score: [3.5, { kind: 'float', bits: 32 }, true],
  rating: [4.25, { kind: 'float', bits: 64 }, true],
  birth_date: ['2024-02-29', { kind: 'date' }, true],
  created_at: ['2024-03-15T10:20:30.123456', { kind: 'timestamp', precision: 6 }, true],
  created_at_ms: ['2024-03-15T10:20:30.123', { kind: 'timestamp', precision: 3 }, true],
  updated_at: ['2024-03-15T08:20:30.123456Z', { kind: 'timestamptz' }, true],
  opens_at: ['08:30:00.000000', { kind: 'time', precision: 6 }, true],
  opens_at_ms: ['08:30:15.250', { kind: 'time', precision: 3 }, true],
  closes_at: ['16:45:00Z', { kind: 'timetz' }, true],
  duration: ['PT781H30M', { kind: 'interval' }, true],
  attrs: ['{"color": "red", "sizes": [1, 2]}', { kind: 'json' }, true],
  external_id: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', { kind: 'uuid' }, true],
  payload: [Buffer.from([1, 2, 3, 4, 5, 0xff]), { kind: 'bytes' }, true],
  tags: [['new', 'sale'], { kind: 'array', items: { kind: 'string' } }, true],
  scores: [[10, 20, 30], { kind: 'array', items: { kind: 'int', bits: 32 } }, true],
  status: ['paid', { kind: 'enum', allowed: ['pending', 'paid', 'shipped'] }, true],
  location: [{ wkb: pointWkb(12.5, -3.25), srid: null, x: 12.5, y: -3.25 }, { kind: 'geometry', shape: 'point' }, true],
  flags: ['10100001', { kind: 'bits', length: 8 }, true],
  note: [null, { kind: 'string' }, true],
};

/** Column -> [decoded value, ColumnType, optional] for mysql/07. */
export const MYSQL_ALL_TYPES: Readonly<Record<string, readonly [unknown, ColumnType, boolean]>> = {
  id: [42, { kind: 'int', bits: 32 }, false],
  price: ['1234.56', decimal(10, 2), true],
  neg_amount: ['-98765.4321', decimal(12, 4), true],
  qty: [7, { kind: 'int', bits: 32 }, true],
  small: [-3, { kind: 'int', bits: 16 }, true],
  tiny: [-8, { kind: 'int', bits: 8 }, true],
  is_active: [1, { kind: 'int', bits: 8 }, true],
  big: [9007199254740993n, { kind: 'int', bits: 64 }, true],
  score: [3.5, { kind: 'float', bits: 32 }, true],
  rating: [4.25, { kind: 'float', bits: 64 }, true],
  birth_date: ['2024-02-29', { kind: 'date' }, true],
  created_at: ['2024-03-15T10:20:30.123', { kind: 'timestamp', precision: 3 }, true],
  created_at_us: ['2024-03-15T10:20:30.123456', { kind: 'timestamp', precision: 6 }, true],
  updated_at: ['2024-03-15T08:20:30.123456Z', { kind: 'timestamptz' }, true],
  plain_ts: ['2024-03-15T08:20:30Z', { kind: 'timestamptz' }, true],
  opens_at: ['08:30:00.000000', { kind: 'time', precision: 6 }, true],
  yr: [2024, { kind: 'year' }, true],
  attrs: ['{"color":"red","sizes":[1,2]}', { kind: 'json' }, true],
  status: ['paid', { kind: 'enum', allowed: ['pending', 'paid', 'shipped'] }, true],
  features: ['wifi,pool', { kind: 'set', allowed: ['wifi', 'parking', 'pool'] }, true],
  blob_data: [Buffer.from([1, 2, 3, 4, 5, 0xff]), { kind: 'bytes' }, true],
  flags: ['10100001', { kind: 'bits', length: 8 }, true],
  note: [null, { kind: 'string' }, true],
};
