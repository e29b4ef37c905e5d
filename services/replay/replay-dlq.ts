/**
 * `cdc-sink replay-dlq`: after the cause of the dead letters is fixed, sends the records waiting in
 * errors.deadLetterTopic through the pipeline again (decode, transforms, routing, write), with the
 * same config. It reads the topic up to its end at the moment it starts, under its own consumer
 * group (<groupId>.replay-dlq) whose offsets are stored in the target like the service's, so a replay
 * interrupted at any point can be run again without applying a record twice. Records that fail again
 * are sent back to the dead-letter topic (keeping their original topic/partition/offset headers, with
 * cdc.replay.count raised) and listed in the report; nothing is lost.
 *
 * Caution: a replayed upsert writes the row image of the dead-lettered change; if the same key changed
 * later and that change was applied, the replay overwrites it with the older image.
 */
import type { Logger } from 'pino';
import { CdcSinkError, ErrorCodes, errorText } from '../../connectors/core/errors.ts';
import type { Connector } from '../../connectors/contract.ts';
import { createConnector } from '../../connectors/registry.ts';
import { buildApp } from '../sink/app.ts';
import type { Config } from '../sink/config/load.ts';
import type { DeadLetter } from '../sink/pipeline/stages.ts';
import { createKafka } from '../sink/source/kafka-client.ts';

export interface ReplayFailure {
  readonly topic: string;
  readonly partition: string;
  readonly offset: string;
  readonly code: string;
  readonly message: string;
}

export interface ReplayReport {
  readonly deadLetterTopic: string;
  readonly records: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failures: readonly ReplayFailure[];
}

function header(letter: DeadLetter, name: string, fallback: string): string {
  const v = letter.record.headers?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined ? fallback : first.toString();
}

export async function replayDeadLetters(config: Config, deps: { logger: Logger; timeoutMs?: number }): Promise<ReplayReport> {
  const topic = config.errors.deadLetterTopic;
  if (topic === null) {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, 'replay-dlq needs errors.deadLetterTopic in the config', { kind: 'fatal' });
  }
  const admin = createKafka(config.kafka, deps.logger).admin();
  await admin.connect();
  let end: Map<number, bigint>;
  try {
    end = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const groupId = `${config.kafka.groupId}.replay-dlq`;
  const replayConfig: Config = {
    ...config,
    kafka: { ...config.kafka, groupId, topics: [topic], topicPattern: undefined, fromBeginning: true },
    http: { ...config.http, enabled: false },
  };
  const failures: ReplayFailure[] = [];
  const app = buildApp(replayConfig, {
    logger: deps.logger,
    // Records sent back during this replay land past the end: they wait for the next replay.
    endOffsets: new Map([...end].map(([p, high]) => [`${topic}:${p}`, high])),
    onDeadLetters: (letters) => {
      for (const l of letters) {
        failures.push({
          topic: header(l, 'cdc.original.topic', l.record.topic),
          partition: header(l, 'cdc.original.partition', String(l.record.partition)),
          offset: header(l, 'cdc.original.offset', l.record.offset),
          code: l.error.code,
          message: l.error.message,
        });
      }
    },
  });

  const stored = async (connector: Connector): Promise<Map<number, bigint>> =>
    new Map((await connector.readOffsets(groupId)).filter((o) => o.topic === topic).map((o) => [o.partition, BigInt(o.nextOffset)]));
  // Where the replay group stands before it starts, read on a connection of its own.
  const before = createConnector(config.target.type, config.target.options, { logger: deps.logger });
  let start: Map<number, bigint>;
  try {
    await before.connect();
    start = await stored(before);
  } finally {
    await before.close();
  }
  try {
    await app.start();
    const records = [...end].reduce((n, [p, high]) => n + Number(high - (start.get(p) ?? 0n)), 0);
    const deadline = Date.now() + (deps.timeoutMs ?? 600_000);
    for (;;) {
      const now = await stored(app.connector);
      if ([...end].every(([p, high]) => high === 0n || (now.get(p) ?? 0n) >= high)) break;
      const stop = await Promise.race([app.finished, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 200))]);
      if (stop !== 'wait') throw stop ?? new Error('the replay stopped before reaching the end of the dead-letter topic');
      if (Date.now() > deadline) throw new Error(`replay did not reach the end of ${topic} in time`);
    }
    return { deadLetterTopic: topic, records, succeeded: records - failures.length, failed: failures.length, failures };
  } catch (err) {
    throw new CdcSinkError(ErrorCodes.INTERNAL, `replaying ${topic}: ${errorText(err)}`, { kind: 'fatal', cause: err });
  } finally {
    await app.stop();
  }
}
