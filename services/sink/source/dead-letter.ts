/**
 * The dead-letter topic: the original record (key, value, headers) plus headers that say where it came
 * from and why it failed. Sends are acknowledged by all in-sync replicas before the partition's offset
 * may move past the record, so a dead-lettered record is never lost (a crash in between may send it twice).
 */
import type { Kafka, Producer } from 'kafkajs';
import type { CdcSinkError } from '../../../connectors/core/errors.ts';
import { errorText } from '../../../connectors/core/errors.ts';
import type { KafkaRecord } from '../../../connectors/debezium/index.ts';
import type { DeadLetter, DeadLetterSink } from '../pipeline/stages.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';

export const DLQ_HEADERS = {
  topic: 'cdc.original.topic',
  partition: 'cdc.original.partition',
  offset: 'cdc.original.offset',
  timestamp: 'cdc.original.timestamp',
  table: 'cdc.table',
  stage: 'cdc.stage',
  code: 'cdc.error.code',
  kind: 'cdc.error.kind',
  message: 'cdc.error.message',
  failedAt: 'cdc.failed.at',
  /** How many times `cdc-sink replay-dlq` sent the record back here. */
  replays: 'cdc.replay.count',
} as const;

function headerText(v: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined ? undefined : first.toString();
}

const MAX_MESSAGE = 2000;

/**
 * A record replayed from the dead-letter topic keeps the location of its first failure: the original
 * topic/partition/offset headers are carried over, and cdc.replay.count goes up.
 */
export function deadLetterHeaders(record: KafkaRecord, stage: string, error: CdcSinkError, table: string | null): Record<string, string | Buffer> {
  const h = record.headers ?? {};
  const replayed = headerText(h[DLQ_HEADERS.topic]) !== undefined;
  const original = replayed
    ? {
        topic: headerText(h[DLQ_HEADERS.topic]) ?? record.topic,
        partition: headerText(h[DLQ_HEADERS.partition]) ?? String(record.partition),
        offset: headerText(h[DLQ_HEADERS.offset]) ?? record.offset,
        timestamp: headerText(h[DLQ_HEADERS.timestamp]) ?? record.timestamp,
      }
    : { topic: record.topic, partition: String(record.partition), offset: record.offset, timestamp: record.timestamp };
  const replays = replayed ? Number(headerText(h[DLQ_HEADERS.replays]) ?? '0') + 1 : 0;
  const own: Record<string, string | Buffer> = {};
  for (const [k, v] of Object.entries(record.headers ?? {})) {
    if (v === undefined || k.startsWith('cdc.')) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) own[k] = first;
  }
  return {
    ...own,
    [DLQ_HEADERS.topic]: original.topic,
    [DLQ_HEADERS.partition]: original.partition,
    [DLQ_HEADERS.offset]: original.offset,
    [DLQ_HEADERS.timestamp]: original.timestamp,
    ...(replays > 0 ? { [DLQ_HEADERS.replays]: String(replays) } : {}),
    ...(table === null ? {} : { [DLQ_HEADERS.table]: table }),
    [DLQ_HEADERS.stage]: stage,
    [DLQ_HEADERS.code]: error.code,
    [DLQ_HEADERS.kind]: error.kind,
    [DLQ_HEADERS.message]: errorText(error).slice(0, MAX_MESSAGE),
    [DLQ_HEADERS.failedAt]: new Date().toISOString(),
  };
}

export class DeadLetterQueue implements DeadLetterSink {
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;

  constructor(
    kafka: Kafka,
    readonly topic: string,
    private readonly telemetry: Telemetry,
    private readonly onSent: (letters: readonly DeadLetter[]) => void = () => {},
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  }

  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    this.connected ??= this.producer.connect();
    await this.connected;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: letters.map((l) => ({
        key: l.record.key,
        value: l.record.value,
        headers: deadLetterHeaders(l.record, l.stage, l.error, l.table),
      })),
    });
    for (const l of letters) {
      this.telemetry.deadLettered(l.table ?? l.record.topic, l.error, l.record);
    }
    this.onSent(letters);
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
