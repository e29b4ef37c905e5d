/**
 * The explicit map of target types to connector definitions. This is the only place that knows
 * which databases exist: no switch on the database type anywhere else.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Connector } from './contract.ts';
import { mysqlConnectorDefinition } from './mysql/index.ts';
import { oracleConnectorDefinition } from './oracle/index.ts';
import { postgresConnectorDefinition } from './postgres/index.ts';

export interface ConnectorDeps {
  readonly logger?: Logger;
}

export interface ConnectorDefinition {
  readonly type: string;
  readonly optionsSchema: z.ZodType;
  create(options: never, deps: ConnectorDeps): Connector;
}

const definitions = {
  postgres: postgresConnectorDefinition,
  mysql: mysqlConnectorDefinition,
  oracle: oracleConnectorDefinition,
} as const satisfies Record<string, ConnectorDefinition>;

export type ConnectorType = keyof typeof definitions;
export const CONNECTOR_TYPES = Object.keys(definitions) as ConnectorType[];

export function connectorDefinition(type: ConnectorType): ConnectorDefinition {
  return definitions[type];
}

/** Creates the connector for a validated target config (options already parsed by its schema). */
export function createConnector(
  type: ConnectorType,
  options: Readonly<Record<string, unknown>>,
  deps: ConnectorDeps,
): Connector {
  const def = definitions[type] as ConnectorDefinition;
  return def.create(options as never, deps);
}
