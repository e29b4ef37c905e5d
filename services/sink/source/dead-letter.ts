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
} as const;

const MAX_MESSAGE = 2000;

export function deadLetterHeaders(record: KafkaRecord, stage: string, error: CdcSinkError, table: string | null): Record<string, string | Buffer> {
  const own: Record<string, string | Buffer> = {};
  for (const [k, v] of Object.entries(record.headers ?? {})) {
    if (v === undefined || k.startsWith('cdc.')) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) own[k] = first;
  }
  return {
    ...own,
    [DLQ_HEADERS.topic]: record.topic,
    [DLQ_HEADERS.partition]: String(record.partition),
    [DLQ_HEADERS.offset]: record.offset,
    [DLQ_HEADERS.timestamp]: record.timestamp,
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
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
