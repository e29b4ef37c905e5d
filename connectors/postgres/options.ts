/**
 * Options of the PostgreSQL target connector. The schema is the documentation: every key says
 * what it does, defaults are filled in, unknown keys are rejected.
 */
import { z } from 'zod';

export const postgresSslSchema = z
  .strictObject({
    mode: z
      .enum(['disable', 'require', 'verify-ca', 'verify-full'])
      .describe(
        'disable: no TLS. require: TLS without certificate checks. verify-ca: the server certificate must be ' +
          'signed by `ca`/`caFile` (host name not checked). verify-full: as verify-ca, and the host name must match.',
      ),
    ca: z.string().min(1).optional().describe('PEM text of the CA certificate(s) that signed the server certificate.'),
    caFile: z.string().min(1).optional().describe('Path of a PEM file holding the CA certificate(s); read at start.'),
    cert: z.string().min(1).optional().describe('PEM text of a client certificate, for certificate authentication.'),
    key: z.string().min(1).optional().describe('PEM text of the private key of `cert`.'),
  })
  .describe(
    'TLS settings. When given, do not also put sslmode in the url: parameters of the url take precedence in node-postgres.',
  );

export const postgresOptionsSchema = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .describe('Connection URL: postgres://user:password@host:5432/database. The database must exist.'),
    schema: z
      .string()
      .min(1)
      .default('public')
      .describe('Schema of tables whose route names no schema, and of the offsets table.'),
    offsetsTable: z
      .string()
      .min(1)
      .default('cdc_sink_offsets')
      .describe(
        'Table (in `schema`) that stores the next Kafka offset of every partition, written in the same ' +
          'transaction as the rows. Created at start when missing.',
      ),
    poolSize: z.number().int().min(1).max(100).default(4).describe('Most connections the pool opens.'),
    connectTimeoutMs: z
      .number()
      .int()
      .min(100)
      .default(10000)
      .describe('How long to wait for a new connection before the attempt fails (retriable).'),
    statementTimeoutMs: z
      .number()
      .int()
      .min(0)
      .default(60000)
      .describe('statement_timeout of every session, in ms; 0 disables it. A timed-out statement is retried.'),
    applicationName: z
      .string()
      .default('cdc-sink')
      .describe('application_name of the sessions, as pg_stat_activity shows it.'),
    ssl: postgresSslSchema
      .optional()
      .describe('TLS settings; omit to follow the url (sslmode=...) or connect without TLS.'),
    rowsPerStatement: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .default(2000)
      .describe(
        'Most rows one INSERT or DELETE statement carries. Rows are bound as one array per column, so ' +
          'the bind-parameter limit never caps this; larger statements use more memory per round trip.',
      ),
    preparedStatements: z
      .number()
      .int()
      .min(0)
      .max(10000)
      .default(200)
      .describe(
        'Distinct data statements prepared on the server (parsed and planned once per connection instead of ' +
          'at every batch; a table needs a few). Later ones are sent unprepared. Behind a pooler that does not keep ' +
          'them (PgBouncer in transaction mode before 1.21) the batches in flight fail as retriable and preparing stops ' +
          'by itself; 0 starts without.',
      ),
    pipeline: z
      .boolean()
      .default(true)
      .describe(
        "Send a batch's statements (BEGIN, the data, the offsets, COMMIT) without waiting for each answer: one " +
          'round trip per batch instead of one per statement, which matters most for the small batches of steady ' +
          'traffic. false sends them one at a time, for a proxy in front of the server that does not pass pipelined ' +
          'requests through.',
      ),
  })
  .describe('PostgreSQL target (PostgreSQL 12 or newer).');

/** Options after parsing: defaults filled in. */
export type PostgresOptions = z.output<typeof postgresOptionsSchema>;
/** Options as a user writes them. */
export type PostgresOptionsInput = z.input<typeof postgresOptionsSchema>;
export type PostgresSslOptions = z.output<typeof postgresSslSchema>;
