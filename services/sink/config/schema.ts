/**
 * The one typed configuration schema. It is also the reference documentation: every key has a
 * description and a default where one makes sense; unknown keys are rejected.
 * Connector-specific target options are validated by the chosen connector's own schema
 * (connectors/registry.ts), under the same `target` key.
 */
import { z } from 'zod';
import { CONNECTOR_TYPES } from '../../../connectors/registry.ts';
import type { ConnectorType } from '../../../connectors/registry.ts';
import { transformsConfigSchema } from '../../../transforms/runtime/config.ts';

/** A list given either as a YAML list or as comma-separated text (handy in environment variables). */
/** A list, or a comma-separated string (as an environment variable gives it); never empty. */
const stringList = (item: z.ZodString = z.string().min(1)) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0)
        : v,
    z.array(item).min(1, 'must list at least one'),
  );

const brokerAddress = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'must be host:port');

const saslSchema = z
  .strictObject({
    mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).describe('SASL mechanism'),
    username: z.string().min(1).describe('SASL user name'),
    password: z.string().min(1).describe('SASL password (use ${env:NAME} or ${file:/path})'),
  })
  .describe('SASL authentication; omit for none');

const tlsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Connect to Kafka over TLS'),
    ca: z.string().optional().describe('PEM text of the CA that signed the brokers (or ${file:/path})'),
    cert: z.string().optional().describe('PEM client certificate for mutual TLS'),
    key: z.string().optional().describe('PEM client key for mutual TLS'),
    rejectUnauthorized: z.boolean().default(true).describe('Verify the brokers certificate'),
  })
  .describe('TLS to the brokers; omit for plaintext');

export const kafkaSchema = z
  .strictObject({
    brokers: stringList(brokerAddress).default(['127.0.0.1:9092']).describe('Bootstrap brokers, host:port'),
    clientId: z.string().default('cdc-sink').describe('Kafka client id'),
    groupId: z.string().min(1).default('cdc-sink').describe('Consumer group; also keys the offsets stored in the target'),
    topics: stringList().optional().describe('Topics to consume (this or topicPattern)'),
    topicPattern: z.string().optional().describe('Regular expression of topics to consume, matched when the consumer starts'),
    fromBeginning: z.boolean().default(true).describe('Where to start when neither the target nor Kafka has an offset for a partition'),
    partitionsConsumedConcurrently: z.number().int().min(1).max(64).default(3).describe('Partitions processed at once; each flush takes a connection from the target pool (at most batch.writesInFlight at once when set), so give the pool (target.poolSize; Oracle: target.poolMax) at least this many'),
    prefetch: z
      .boolean()
      .default(true)
      .describe('Fetch the next batch of a partition while the current one is decoded and written (one batch of look-ahead per partition)'),
    sessionTimeoutMs: z.number().int().min(6000).default(30000).describe('Consumer group session timeout'),
    maxWaitTimeMs: z.number().int().min(10).max(10000).default(250).describe('Longest a fetch waits for data (lower = less latency at low traffic)'),
    minBytes: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe(
        "Bytes a fetch waits for, up to maxWaitTimeMs, before the broker answers (Kafka's fetch.min.bytes). " +
          'Above 1, a trickle of changes is read in fewer, larger fetches: fewer and larger transactions in the target, for at most maxWaitTimeMs more lag',
      ),
    maxBytesPerPartition: z.number().int().min(1024).default(4 * 1024 * 1024).describe('Fetch size per partition; bounds memory'),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .default(4 * 1024 * 1024)
      .describe(
        'Fetch size of one fetch request over all partitions of a broker; bounds memory (each response is held while its records are processed). ' +
          'Larger responses did not drain faster: with 10 MB, peak memory was ~20-40 MB higher and CPU per change no lower (BENCHMARKS.md)',
      ),
    connectionTimeoutMs: z.number().int().min(100).default(10000).describe('Broker connection timeout'),
    tls: tlsSchema.optional(),
    sasl: saslSchema.optional(),
  })
  .refine((k) => k.topics !== undefined || k.topicPattern !== undefined, {
    message: 'set kafka.topics or kafka.topicPattern',
    path: ['topics'],
  });

const schemaRegistrySchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).describe('Base URL of the Confluent-compatible schema registry, e.g. http://registry:8081 (Apicurio: http://host:8080/apis/ccompat/v7)'),
    username: z.string().min(1).optional().describe('HTTP basic auth user name'),
    password: z.string().min(1).optional().describe('HTTP basic auth password (use ${env:NAME} or ${file:/path})'),
    ca: z.string().optional().describe('PEM text of the CA that signed an https registry (or ${file:/path}); default: the bundled CAs'),
    rejectUnauthorized: z.boolean().default(true).describe('Verify the certificate of an https registry'),
    timeoutMs: z.number().int().min(100).default(10000).describe('Timeout of one schema request; a timeout is retried like an unreachable registry'),
  })
  .refine((r) => (r.username === undefined) === (r.password === undefined), {
    message: 'set both username and password, or neither',
    path: ['password'],
  })
  .describe('Where format avro fetches the writer schemas by id (GET /schemas/ids/{id})');

export const decoderSchema = z
  .strictObject({
    format: z
      .enum(['json', 'avro'])
      .default('json')
      .describe('Kafka Connect converter of the topics: json (JsonConverter, schemas.enable=true) or avro (Confluent AvroConverter wire format; needs schemaRegistry)'),
    schemaRegistry: schemaRegistrySchema.optional(),
    binaryHandlingMode: z.enum(['bytes', 'base64', 'base64-url-safe', 'hex']).default('bytes').describe("The source connector's binary.handling.mode"),
    unavailableValuePlaceholder: z.string().default('__debezium_unavailable_value').describe("The source connector's unavailable.value.placeholder (TOAST)"),
    unwrapFieldPrefix: z.string().default('__').describe('add.fields.prefix of ExtractNewRecordState, when the topics are unwrapped'),
  })
  .refine((d) => d.format !== 'avro' || d.schemaRegistry !== undefined, {
    message: 'decoder.format avro needs the schema registry URL',
    path: ['schemaRegistry', 'url'],
  })
  .prefault({});

export const batchSchema = z
  .strictObject({
    maxRows: z.number().int().min(1).max(1_000_000).default(5000).describe('Flush a partition once it buffers this many events'),
    maxAgeMs: z.number().int().min(1).max(600_000).default(500).describe('Flush a partition once its oldest buffered event is this old'),
    flushWhenCaughtUp: z
      .boolean()
      .default(true)
      .describe(
        'Flush a partition as soon as its buffered records reach the end of the partition (nothing more waiting in Kafka), ' +
          'or come so close to it that the rest could not fill maxRows, instead of waiting for maxAgeMs: low lag at low and ' +
          'moderate traffic; under a backlog batches still fill to maxRows/maxBytes',
      ),
    caughtUpFlushIntervalMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(50)
      .describe(
        'Shortest time between two flushes of a caught-up partition (flushWhenCaughtUp): a partition that flushed less than this ' +
          'ago waits out the rest, so steady traffic is written in fewer, larger transactions (less load on the target) ' +
          'for at most this much more lag; a partition that flushed longer ago flushes at once. 0: always at once',
      ),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .default(32 * 1024 * 1024)
      .describe(
        'Flush a partition once the records it buffers reach this many bytes. With kafka.maxBytesPerPartition it bounds memory: ' +
          'about partitions x (maxBytes + maxBytesPerPartition); while the target is slow, fetching waits',
      ),
    combineWrites: z
      .boolean()
      .default(false)
      .describe(
        'Write the batches of several partitions that are due together in one target transaction (as many as fit in maxRows), ' +
          'the offsets of all of them moved in it: one commit instead of one per partition, for targets where a commit is ' +
          'expensive (remote, synchronously replicated). A combined transaction that fails is written again batch by batch, ' +
          'so an error stays with its own partition. Off by default: on a local MariaDB it cut commits 4-5x but serialized ' +
          'the database work of a catch-up (BENCHMARKS.md)',
      ),
    writesInFlight: z
      .number()
      .int()
      .min(1)
      .max(64)
      .nullable()
      .default(null)
      .describe(
        'Most target transactions of batches at once; batches due meanwhile wait and, with combineWrites, go together in the ' +
          'next one (1: one writer, as a Kafka Connect sink task; measured here: a MariaDB drain 16-24% slower). null: as many ' +
          'as the target pool has connections (target.poolSize; Oracle: target.poolMax)',
      ),
  })
  .prefault({});

const tableRef = z
  .string()
  .min(1)
  .describe('"schema.table" or "table" (the default schema of the target)');

export const tableMappingSchema = z.strictObject({
  source: z.string().min(1).describe('Source table "namespace.table" (PostgreSQL schema or MySQL database); "*" wildcards allowed'),
  target: tableRef.optional().describe('Target table; default: the source table name in tables.defaultSchema'),
  keyColumns: z.array(z.string().min(1)).optional().describe('Key columns, for tables whose events carry no key or to override it'),
  mode: z.enum(['upsert', 'append']).optional().describe('upsert (by key) or append (insert every change: audit/history tables)'),
});

export const tablesSchema = z
  .strictObject({
    defaultSchema: z.string().min(1).nullable().default(null).describe('Target schema for tables not mapped explicitly; null: the connection default'),
    unmapped: z.enum(['replicate', 'skip', 'fail']).default('replicate').describe('What to do with events of tables that no mapping names'),
    keyless: z.enum(['fail', 'append']).default('fail').describe('Tables with no key (none in the event, the mapping or the target): fail, or append every change'),
    autoCreate: z.boolean().default(true).describe('Create a missing target table from the event schema'),
    autoAddColumns: z.boolean().default(true).describe('Add new nullable columns when the source adds them (never drops)'),
    map: z.array(tableMappingSchema).default([]).describe('Explicit table mappings, first match wins'),
  })
  .prefault({});

export const httpSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve /healthz, /readyz and /metrics'),
    host: z.string().default('0.0.0.0').describe('Listen address'),
    port: z.number().int().min(0).max(65535).default(8080).describe('Listen port (0: any free port)'),
  })
  .prefault({});

export const errorsSchema = z
  .strictObject({
    deadLetterTopic: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        'Topic for records that cannot be decoded or transformed and rows the database rejects (data errors only; never connection, permission or disk errors). ' +
          'null: stop without committing past such a record',
      ),
    onTableFailure: z
      .enum(['stop', 'pause'])
      .default('stop')
      .describe(
        'A data error with no dead-letter topic: stop the service, or pause the failing partition (its table) while the others keep flowing; resume with POST /resume',
      ),
    retry: z
      .strictObject({
        initialDelayMs: z.number().int().min(1).default(200).describe('First retry delay of retriable target errors'),
        maxDelayMs: z.number().int().min(1).default(30000).describe('Longest retry delay (exponential backoff with full jitter)'),
        maxAttempts: z.number().int().min(0).default(0).describe('Give up after this many attempts; 0: retry forever'),
      })
      .prefault({}),
  })
  .prefault({});

export const logSchema = z
  .strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info').describe('Log level'),
  })
  .prefault({});

/** The target section: `type` picks the connector; the rest is validated by that connector's schema. */
export const targetBaseSchema = z.looseObject({
  type: z.enum(CONNECTOR_TYPES as [ConnectorType, ...ConnectorType[]]).describe('Target database'),
});

export const configSchema = z.strictObject({
  kafka: kafkaSchema.prefault({}),
  decoder: decoderSchema,
  target: targetBaseSchema,
  batch: batchSchema,
  tables: tablesSchema,
  transforms: transformsConfigSchema.default([]),
  errors: errorsSchema,
  http: httpSchema,
  log: logSchema,
});

export type RawConfig = z.infer<typeof configSchema>;
export type KafkaConfig = z.infer<typeof kafkaSchema>;
export type TableMapping = z.infer<typeof tableMappingSchema>;
export type TablesConfig = z.infer<typeof tablesSchema>;
