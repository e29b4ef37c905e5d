import type { TableSchema } from './column-type.ts';
import type { Row } from './value.ts';

/** A table as the source names it: PostgreSQL schema or MySQL database, and the table name. */
export interface TableId {
  readonly namespace: string | null;
  readonly name: string;
}

/** Texts of the interned table ids: decoders name the same few tables in every record. */
const internedTexts = new WeakMap<TableId, string>();
const interned = new Map<string | null, Map<string, TableId>>();
let internedCount = 0;
/** Past this many distinct tables, ids are made fresh (a bound on what a misbehaving source can pin). */
const MAX_INTERNED = 100_000;

/**
 * The one frozen TableId of (namespace, name): the same object for every record of a table, so that
 * caches downstream can compare ids by identity and tableIdText needs no concatenation.
 */
export function internTableId(namespace: string | null, name: string): TableId {
  let byName = interned.get(namespace);
  const known = byName?.get(name);
  if (known !== undefined) return known;
  const id: TableId = Object.freeze({ namespace, name });
  if (internedCount >= MAX_INTERNED) return id;
  if (byName === undefined) {
    byName = new Map();
    interned.set(namespace, byName);
  }
  byName.set(name, id);
  internedCount++;
  internedTexts.set(id, namespace ? `${namespace}.${name}` : name);
  return id;
}

export function tableIdText(t: TableId): string {
  return internedTexts.get(t) ?? (t.namespace ? `${t.namespace}.${t.name}` : t.name);
}

/** Where a change came from: the Kafka record and the source database's position. */
export interface SourceInfo {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset of the record, as kafkajs gives it (decimal string). */
  readonly offset: string;
  /** Kafka record timestamp, ms since epoch. */
  readonly kafkaTimestampMs: number;
  /** Database-side time of the change (source.ts_ms), when known. */
  readonly sourceTimestampMs: number | null;
  /** Debezium's op code: c, u, d, r, t, or 'tombstone' for a null-value record. */
  readonly sourceOp: 'c' | 'u' | 'd' | 'r' | 't' | 'tombstone';
  /** True for snapshot reads. */
  readonly snapshot: boolean;
  /** Source log position for diagnostics: "lsn=23870904" or "mysql-bin.000003:154:0". */
  readonly position: string | null;
  /** The connector that produced it (postgresql, mysql, mariadb, ...), when known. */
  readonly connector: string | null;
}

export type ChangeOp = 'upsert' | 'delete' | 'truncate';

/**
 * cdc-sink's normalized, immutable change: what decoders produce, transforms reshape and the
 * pipeline batches. Never mutate one: transforms return new objects.
 */
export interface ChangeEvent {
  readonly op: ChangeOp;
  readonly table: TableId;
  /** Key column values (null for truncate, and for tables without a key). */
  readonly key: Row | null;
  /** The after image for upserts; null for delete and truncate. */
  readonly row: Row | null;
  /** The before image when the source sent one (may be partial; never rely on it for deletes). */
  readonly before: Row | null;
  readonly schema: TableSchema;
  readonly source: SourceInfo;
}
