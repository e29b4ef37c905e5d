/**
 * Options of the Oracle target connector (Oracle Database 19c or newer, node-oracledb in thin
 * mode: no Oracle Client libraries needed). The schema is the documentation: every key says what
 * it does, defaults are filled in, unknown keys are rejected.
 *
 * Where to connect is given one of two ways (exactly one):
 * - `connectString`: anything node-oracledb thin mode accepts: Easy Connect
 *   (`dbhost:1521/FREEPDB1`, `tcps://dbhost:2484/svc?wallet_location=/w`), a full connect
 *   descriptor `(DESCRIPTION=...)`, or a tnsnames alias (with `configDir`). User and password are
 *   then separate keys.
 * - `url`: `oracle://user:password@dbhost:1521/FREEPDB1` (user and password percent-encoded,
 *   port 1521 when omitted, the path is the service name, a query string is passed on as Easy
 *   Connect parameters). The user and the password may be left out of the url and given as keys,
 *   but not both ways.
 *
 * Parsing is idempotent (no transform): the registry may parse options that were parsed already.
 * resolveConnection() turns the parsed options into what oracledb.createPool() needs.
 */
import { z } from 'zod';

export const ORACLE_DEFAULT_PORT = 1521;

export const oracleOptionsSchema = z
  .strictObject({
    connectString: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Where the database listens, as node-oracledb takes it: Easy Connect "dbhost:1521/FREEPDB1" ' +
          '(service name after the slash), "tcps://dbhost:2484/svc" for TLS, a (DESCRIPTION=...) descriptor, ' +
          'or a tnsnames.ora alias (with configDir). Give this or url, not both.',
      ),
    url: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Alternative to connectString: oracle://user:password@dbhost:1521/SERVICE_NAME (percent-encode ' +
          'special characters of user and password; port defaults to 1521; a ?query is passed on as Easy ' +
          'Connect parameters). Give this or connectString, not both.',
      ),
    user: z
      .string()
      .min(1)
      .optional()
      .describe('Database user. Required, here or in the url (not both).'),
    password: z
      .string()
      .min(1)
      .optional()
      .describe('Password of the user. Required, here or in the url (not both).'),
    schema: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Schema (owner) of tables whose route names no schema, and of the offsets table. Default: the ' +
          "connecting user's own schema. Subject to identifierCase like every other identifier.",
      ),
    offsetsTable: z
      .string()
      .min(1)
      .default('CDC_SINK_OFFSETS')
      .describe(
        'Table (in `schema`) that stores the next Kafka offset of every partition, written in the same ' +
          'transaction as the rows. Created at start when missing.',
      ),
    identifierCase: z
      .enum(['upper', 'preserve'])
      .default('upper')
      .describe(
        "upper: every schema, table and column name is upper-cased before it is quoted, so that SQL written by " +
          'humans without quotes finds it (customer_id becomes "CUSTOMER_ID", as Oracle folds unquoted names). ' +
          'preserve: names are quoted exactly as given (customer_id stays "customer_id", and must then be ' +
          'quoted in every query).',
      ),
    jsonColumnType: z
      .enum(['clob', 'json'])
      .default('clob')
      .describe(
        'Type of json (and array) columns cdc-sink creates. clob: CLOB with an IS JSON check (19c). ' +
          'json: the native JSON type (Oracle 21c or newer, COMPATIBLE >= 20).',
      ),
    poolMin: z.number().int().min(0).max(100).default(1).describe('Connections the pool keeps open when idle.'),
    poolMax: z.number().int().min(1).max(100).default(4).describe('Most connections the pool opens.'),
    connectTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('How long establishing a new connection may take before it fails (retriable).'),
    callTimeoutMs: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'Most time one round trip (statement, commit) may take, in ms; 0 means no limit. A timed-out call ' +
          'is retried, so keep it well above the time of the largest batch.',
      ),
    rowsPerStatement: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .default(1000)
      .describe(
        'Most rows one executeMany() call carries. Oracle has no row limit for array DML; this only bounds ' +
          'the memory and the size of one round trip.',
      ),
    configDir: z
      .string()
      .min(1)
      .optional()
      .describe('Directory holding tnsnames.ora (and, for TLS, the wallet unless walletLocation is given).'),
    walletLocation: z
      .string()
      .min(1)
      .optional()
      .describe('Directory holding ewallet.pem, for TLS (tcps) connections with a wallet.'),
    walletPassword: z.string().min(1).optional().describe('Password of the PEM wallet in walletLocation.'),
    sslServerDNMatch: z
      .boolean()
      .optional()
      .describe('TLS only: check that the server certificate DN matches the host (node-oracledb default: true).'),
  })
  .superRefine((o, ctx) => {
    if ((o.url === undefined) === (o.connectString === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of url and connectString', path: ['url'] });
      return;
    }
    if (o.poolMin > o.poolMax) {
      ctx.addIssue({ code: 'custom', message: 'poolMin must not exceed poolMax', path: ['poolMin'] });
    }
    if (o.url === undefined) {
      if (o.user === undefined) ctx.addIssue({ code: 'custom', message: 'user is required', path: ['user'] });
      if (o.password === undefined) {
        ctx.addIssue({ code: 'custom', message: 'password is required', path: ['password'] });
      }
      return;
    }
    let parsed: ParsedOracleUrl;
    try {
      parsed = parseOracleUrl(o.url);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message, path: ['url'] });
      return;
    }
    for (const field of ['user', 'password'] as const) {
      if (parsed[field] !== undefined && o[field] !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${field} is given both in the url and as a key`, path: [field] });
      } else if (parsed[field] === undefined && o[field] === undefined) {
        ctx.addIssue({ code: 'custom', message: `${field} is required, in the url or as a key`, path: [field] });
      }
    }
  })
  .describe('Oracle Database target (19c or newer), node-oracledb thin mode.');

/** Options after parsing: defaults filled in. */
export type OracleOptions = z.output<typeof oracleOptionsSchema>;
/** Options as a user writes them. */
export type OracleOptionsInput = z.input<typeof oracleOptionsSchema>;

export interface ParsedOracleUrl {
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** Easy Connect string: host:port/service[?params]. */
  readonly connectString: string;
}

/** Splits oracle://user:password@host:port/service?params. Throws Error with a plain message. */
export function parseOracleUrl(url: string): ParsedOracleUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('url is not a valid URL (expected oracle://user:password@host:1521/SERVICE_NAME)');
  }
  if (u.protocol !== 'oracle:') {
    throw new Error(`url must start with oracle:// (got ${u.protocol}//)`);
  }
  if (u.hostname === '') throw new Error('url has no host (expected oracle://user:password@host:1521/SERVICE_NAME)');
  const service = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (service === '' || service.includes('/')) {
    throw new Error('url must name exactly one service after the host: oracle://host:1521/SERVICE_NAME');
  }
  const port = u.port === '' ? ORACLE_DEFAULT_PORT : Number(u.port);
  const user = u.username === '' ? undefined : decodeURIComponent(u.username);
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  return { user, password, connectString: `${u.hostname}:${port}/${service}${u.search}` };
}

export interface OracleConnection {
  readonly user: string;
  readonly password: string;
  readonly connectString: string;
}

/** user, password and connect string from parsed options (url or connectString + user/password). */
export function resolveConnection(options: OracleOptions): OracleConnection {
  if (options.url !== undefined) {
    const parsed = parseOracleUrl(options.url);
    return {
      user: parsed.user ?? options.user ?? '',
      password: parsed.password ?? options.password ?? '',
      connectString: parsed.connectString,
    };
  }
  return { user: options.user ?? '', password: options.password ?? '', connectString: options.connectString ?? '' };
}

/** Where we connect, without secrets, for logs and messages. */
export function connectionText(options: OracleOptions): string {
  const c = resolveConnection(options);
  return `${c.user}@${c.connectString}`;
}
