/**
 * The two contracts every target database implements.
 *
 * - Dialect: pure SQL generation (no I/O), golden-string tested. Identifiers always go through
 *   quoteIdentifier; values are bound parameters, or, where a driver formats them itself
 *   (MySQL/MariaDB's data statements: literal.ts, through the driver's own escape()), literals
 *   that only the driver's escaping produces, never text pasted from an event.
 * - Connector: the I/O. It writes one WriteBatch in one transaction together with the Kafka offsets
 *   the batch came from. It never batches Kafka records, retries or commits Kafka offsets: the
 *   pipeline does those, once, for every database.
 */
import type { ColumnSchema, ColumnType } from './core/column-type.ts';
import type { ErrorKind } from './core/errors.ts';
import type { Row } from './core/value.ts';

/** A target table. schema null means the connection's default schema (PG search_path, MySQL database). */
export interface TargetTableRef {
  readonly schema: string | null;
  readonly name: string;
}

export function targetTableText(t: TargetTableRef): string {
  return t.schema ? `${t.schema}.${t.name}` : t.name;
}

/**
 * A statement with its bound values. `batch` statements carry one bind set per row in `values`
 * (Oracle executeMany); others carry the positional binds of one execution.
 */
export interface Sql {
  readonly text: string;
  readonly values: readonly unknown[];
  readonly batch?: boolean;
}

/** A column of an existing target table, as the database reports it. */
export interface TargetColumn {
  readonly name: string;
  /** The type as SQL text usable in a cast: "numeric(38,18)", "timestamp(6) without time zone", "text[]". */
  readonly dataType: string;
  readonly nullable: boolean;
}

export interface TableDescription {
  readonly table: TargetTableRef;
  readonly columns: readonly TargetColumn[];
  readonly primaryKey: readonly string[];
}

/** The reduced changes of one table for one transaction, applied in this order: truncate, deletes, upserts. */
export interface TableChanges {
  readonly table: TargetTableRef;
  /** The target table as it is, after any auto-create / add-column. */
  readonly description: TableDescription;
  /** Source column types of the rows (after transforms), by column name. */
  readonly columns: readonly ColumnSchema[];
  /** Columns that identify a row: deletes match on them, upserts conflict on them. */
  readonly keyColumns: readonly string[];
  /** upsert: insert or update by key. append: plain insert (tables without a key, audit tables). */
  readonly mode: 'upsert' | 'append';
  readonly truncate: boolean;
  /** Key rows to delete (only the key columns are read). */
  readonly deletes: readonly Row[];
  /** Full rows to upsert or append. A column may hold UNCHANGED: it is then left as it is. */
  readonly upserts: readonly Row[];
}

/** The next offset to consume for a partition, checked against what the batch started from. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the next record to process after this batch. */
  readonly nextOffset: string;
  /**
   * The stored next offset this batch started from, or null when none was stored. The write
   * fails with OffsetConflictError if the stored value differs (another writer moved it).
   */
  readonly expected: string | null;
}

export interface WriteBatch {
  readonly groupId: string;
  readonly tables: readonly TableChanges[];
  readonly offsets: readonly PartitionOffset[];
}

export interface WriteOptions {
  /**
   * Run every statement, then roll back instead of committing. The pipeline uses it to find the rows
   * a database rejects (by splitting a failed batch) without applying anything until the final write.
   */
  readonly dryRun?: boolean;
}

export interface StoredOffset {
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: string;
}

export interface Dialect {
  readonly name: string;
  /** Most bind parameters one statement may carry. */
  readonly maxBindParameters: number;
  /** Longest identifier the database accepts, in its own unit (PostgreSQL and Oracle: bytes; MySQL: characters). */
  readonly maxIdentifierLength: number;
  quoteIdentifier(name: string): string;
  qualifiedName(table: TargetTableRef): string;
  /** The SQL type for a column when cdc-sink creates or extends a table. */
  columnTypeSql(type: ColumnType): string;
  createTable(table: TargetTableRef, columns: readonly ColumnSchema[], key: readonly string[]): Sql;
  addColumns(table: TargetTableRef, columns: readonly ColumnSchema[]): Sql[];
  /** Every statement for one table's changes, in order (truncate, deletes, upserts), chunked to the bind limit. */
  tableChanges(changes: TableChanges): Sql[];
  /** DDL that creates the offsets table if it does not exist. */
  createOffsetsTable(): Sql[];
  selectOffsets(groupId: string): Sql;
  /** Insert a partition's first offset; must affect 0 rows if a row exists already. */
  insertOffset(groupId: string, offset: PartitionOffset): Sql;
  /** Move a partition's offset; must affect 0 rows unless the stored value equals offset.expected. */
  updateOffset(groupId: string, offset: PartitionOffset): Sql;
  classifyError(err: unknown): ErrorKind;
}

export interface Connector {
  readonly dialect: Dialect;
  /** Open the pool, check the server answers, create the offsets table. */
  connect(): Promise<void>;
  /** Cheap round trip; throws when the target cannot be reached. */
  healthcheck(): Promise<void>;
  describeTable(table: TargetTableRef): Promise<TableDescription | null>;
  executeDdl(statements: readonly Sql[]): Promise<void>;
  readOffsets(groupId: string): Promise<StoredOffset[]>;
  /**
   * Apply every table's changes and move every partition's stored offset in one transaction.
   * Throws OffsetConflictError when an offset's expected value does not match, TargetError
   * (with the dialect's classification) on database errors. Either all is committed or nothing.
   */
  write(batch: WriteBatch, options?: WriteOptions): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}
