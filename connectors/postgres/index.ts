/** The PostgreSQL target: `type: postgres` in the config. */
import type { Logger } from 'pino';
import { z } from 'zod';
import { CdcSinkError, ErrorCodes } from '../core/errors.ts';
import { PostgresConnector } from './client.ts';
import { postgresOptionsSchema, type PostgresOptionsInput } from './options.ts';

export interface PostgresConnectorDeps {
  readonly logger?: Logger;
}

/** Validates the options (defaults filled in) and builds the connector; no I/O until connect(). */
export function createPostgresConnector(
  options: PostgresOptionsInput,
  deps: PostgresConnectorDeps = {},
): PostgresConnector {
  const parsed = postgresOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, `invalid postgres target options:\n${z.prettifyError(parsed.error)}`, {
      kind: 'fatal',
      cause: parsed.error,
    });
  }
  return new PostgresConnector(parsed.data, deps.logger?.child({ connector: 'postgres' }));
}

export const postgresConnectorDefinition = {
  type: 'postgres',
  optionsSchema: postgresOptionsSchema,
  create: createPostgresConnector,
} as const;

export { PostgresConnector, targetError } from './client.ts';
export { createPostgresDialect, PG_MAX_BIND_PARAMETERS, type PostgresDialect } from './dialect.ts';
export { classifyPostgresError } from './errors.ts';
export { postgresOptionsSchema, type PostgresOptions, type PostgresOptionsInput } from './options.ts';
