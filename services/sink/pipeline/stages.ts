/** The interfaces the partition worker needs from the stages around it (wired in app.ts). */
import type { ChangeEvent, TableId } from '../../../connectors/core/change-event.ts';
import type { Connector, WriteBatch } from '../../../connectors/contract.ts';
import type { CdcSinkError } from '../../../connectors/core/errors.ts';
import type { Decoded, KafkaRecord } from '../../../connectors/debezium/index.ts';
import type { RetryPolicy } from './retry.ts';
import type { Router } from './router.ts';
import type { SchemaSync } from './schema-sync.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';

export interface TableTransformChain {
  /** True when no transform applies to the table: the pipeline skips apply() on the hot path. */
  readonly isIdentity: boolean;
  apply(event: ChangeEvent): Promise<ChangeEvent[]>;
  readonly onError: 'fail' | 'skip' | 'dead-letter';
}

export interface TransformStage {
  forTable(table: TableId): Promise<TableTransformChain>;
}

export interface DeadLetter {
  readonly record: KafkaRecord;
  readonly stage: 'decode' | 'transform' | 'route' | 'write';
  readonly error: CdcSinkError;
  /** Target table (write stage) or source table, when known. */
  readonly table: string | null;
}

export interface DeadLetterSink {
  readonly topic: string;
  send(letters: readonly DeadLetter[]): Promise<void>;
}

/** What the Kafka side offers the pipeline. */
export interface KafkaControl {
  /**
   * Queue the next offset for Kafka (for lag tools); the target holds the real position, so the
   * flush does not wait for the broker. The source commits the latest queued offsets in the background.
   */
  commit(topic: string, partition: number, nextOffset: string): void;
  /** Fetch this partition again from an offset (after a stale buffer was dropped). */
  seek(topic: string, partition: number, offset: string): void;
  /** Stop fetching a partition (after a data error with errors.onTableFailure: pause). */
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
}

/** Hooks of the batch being processed (kafkajs eachBatch). */
export interface BatchHooks {
  heartbeat(): Promise<void>;
  /** False once the consumer stops or the partition was revoked: stop processing this batch. */
  isActive(): boolean;
  resolveOffset(offset: string): void;
  /** Records after these in the partition, as of their fetch (Kafka's offset lag): 0 when nothing more is waiting. */
  remaining(): number;
}

export interface PipelineDeps {
  readonly groupId: string;
  readonly decode: (record: KafkaRecord) => Decoded;
  /**
   * The record as buffered until its flush (the decoder's retain: its own bytes, not a slice of the
   * Kafka client's fetch buffer), for the dead-letter topic. Without it the record itself is
   * buffered; without a dead-letter topic, only its position.
   */
  readonly retain?: (record: KafkaRecord) => KafkaRecord;
  /** Fetches what decode() needs for these records (Avro: schemas from the registry); the decoder's prepare, when it has one. */
  readonly decodePrepare?: (records: readonly KafkaRecord[]) => Promise<void>;
  readonly transforms: TransformStage;
  readonly router: Router;
  readonly schemaSync: SchemaSync;
  readonly connector: Connector;
  /**
   * How a flush's batch is written (the write coalescer: several partitions' batches in one
   * transaction); default: connector.write. The dead-letter probes always go to the connector.
   */
  readonly write?: (batch: WriteBatch) => Promise<void>;
  readonly kafka: KafkaControl;
  readonly telemetry: Telemetry;
  readonly batch: {
    readonly maxRows: number;
    readonly maxAgeMs: number;
    readonly maxBytes: number;
    readonly flushWhenCaughtUp: boolean;
    /** Shortest time between two caught-up flushes of a partition (0: none). */
    readonly caughtUpFlushIntervalMs: number;
  };
  readonly retry: RetryPolicy;
  /** null: no dead-letter topic; data errors stop (or pause). */
  readonly deadLetter: DeadLetterSink | null;
  readonly onTableFailure: 'stop' | 'pause';
  /** Optional end per partition ("topic:partition" -> offset): records at or past it are left alone (replay-dlq). */
  readonly endOffsets?: ReadonlyMap<string, bigint>;
  /** Aborted when the service shuts down: retries stop waiting. */
  readonly signal: AbortSignal;
  readonly now?: () => number;
}
