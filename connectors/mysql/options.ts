/**
 * Options of the MySQL / MariaDB target connector. The schema is the documentation: every key says
 * what it does, defaults are filled in, unknown keys are rejected.
 */
import { z } from 'zod';

export const mysqlSslSchema = z
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
  .describe('TLS settings of every connection.');

export const mysqlOptionsSchema = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .describe(
        'Connection URL: mysql://user:password@host:3306/database (user and password percent-encoded). ' +
          'The database part is the default database unless `database` is given.',
      ),
    database: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Default database, overriding the one in the url: tables whose route names no schema live here, ' +
          'and so does the offsets table. The database must exist.',
      ),
    offsetsTable: z
      .string()
      .min(1)
      .default('cdc_sink_offsets')
      .describe(
        'Table (in the default database) that stores the next Kafka offset of every partition, written in the ' +
          'same transaction as the rows. Created at start when missing.',
      ),
    poolSize: z.number().int().min(1).max(100).default(4).describe('Most connections the pool opens.'),
    connectTimeoutMs: z
      .number()
      .int()
      .min(100)
      .default(10000)
      .describe('How long to wait for a new connection before the attempt fails (retriable).'),
    uuidStorage: z
      .enum(['char36', 'binary16'])
      .default('char36')
      .describe(
        'How uuid columns are created and written. char36: CHAR(36) CHARACTER SET ascii holding the ' +
          'canonical lower-case text. binary16: BINARY(16) holding the 16 bytes (smaller keys, unreadable by eye). ' +
          'An existing column is written in the form its type says, whatever this setting.',
      ),
    ssl: mysqlSslSchema.optional().describe('TLS settings; omit to connect without TLS.'),
    rowsPerStatement: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(1000)
      .describe(
        'Most rows one INSERT or DELETE statement carries. Also capped by max_allowed_packet (the ' +
          'statements go as text with escaped literals, not as server-side prepared statements).',
      ),
    flavor: z
      .enum(['auto', 'mysql', 'mariadb'])
      .default('auto')
      .describe(
        'The server kind. auto: detected from SELECT VERSION() at connect. The upsert form depends on it: ' +
          'MySQL 8.0.20+ gets a row alias, MariaDB and older MySQL get VALUES(col).',
      ),
    pipeline: z
      .boolean()
      .default(true)
      .describe(
        "Send a batch's statements (START TRANSACTION, the offsets, the data, COMMIT) as one multi-statement text " +
          '(more when they exceed 1 MiB): one round trip per batch instead of one per statement, which matters most ' +
          'for the small batches of steady traffic. A failed batch is rolled back and run again one statement at a ' +
          'time, so that its error names the table. false sends the statements one at a time and keeps ' +
          'multi-statement texts off, for a proxy that does not pass them through.',
      ),
  })
  .describe('MySQL 8 or MariaDB 10.3+ target.');

/** Options after parsing: defaults filled in. */
export type MysqlOptions = z.output<typeof mysqlOptionsSchema>;
/** Options as a user writes them. */
export type MysqlOptionsInput = z.input<typeof mysqlOptionsSchema>;
export type MysqlSslOptions = z.output<typeof mysqlSslSchema>;
