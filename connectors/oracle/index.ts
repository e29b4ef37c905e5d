/**
 * The Oracle target: Oracle Database 19c or newer through node-oracledb in thin mode (pure
 * JavaScript, no Oracle Client libraries). See README.md for the type mapping and Oracle's
 * particularities (upper-case names, '' is NULL, no exact numbers beyond 38 digits).
 */
import type { Connector } from '../contract.ts';
import { createOracleConnector, type OracleConnectorDeps } from './client.ts';
import { oracleOptionsSchema, type OracleOptions } from './options.ts';

export { createOracleConnector, type OracleConnector, type OracleConnectorDeps } from './client.ts';
export { createOracleDialect, type OracleDialect, type OracleDialectOptions } from './dialect.ts';
export { classifyOracleError } from './errors.ts';
export {
  oracleOptionsSchema,
  parseOracleUrl,
  resolveConnection,
  type OracleOptions,
  type OracleOptionsInput,
} from './options.ts';

export const oracleConnectorDefinition = {
  type: 'oracle',
  optionsSchema: oracleOptionsSchema,
  create(options: OracleOptions, deps: OracleConnectorDeps): Connector {
    return createOracleConnector(options, deps);
  },
} as const;
