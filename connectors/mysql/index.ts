/**
 * The MySQL / MariaDB target connector: its definition for the registry and its public API.
 */
import type { ConnectorDeps } from '../registry.ts';
import { createMysqlConnector, type MysqlConnector } from './client.ts';
import { mysqlOptionsSchema, type MysqlOptions } from './options.ts';

export { createMysqlConnector, type MysqlConnector, type MysqlConnectorDeps } from './client.ts';
export { createMysqlDialect, type MysqlDialect, type MysqlDialectOptions } from './dialect.ts';
export { classifyError as classifyMysqlError } from './errors.ts';
export { mysqlOptionsSchema, type MysqlOptions, type MysqlOptionsInput } from './options.ts';
export { parseServerVersion, type MysqlFlavor, type ServerInfo, type ServerVersion } from './server-version.ts';

export const mysqlConnectorDefinition = {
  type: 'mysql',
  optionsSchema: mysqlOptionsSchema,
  create: (options: MysqlOptions, deps: ConnectorDeps): MysqlConnector => createMysqlConnector(options, deps),
} as const;
