/**
 * node-oracledb, loaded on first use: a service whose target is another database never loads it
 * (every connector is in the registry, and oracledb is ~6 MB of resident memory). A CommonJS
 * require, so that the synchronous glue (bind definitions) can call it.
 */
import { createRequire } from 'node:module';
import type OracleDb from 'oracledb';

const require = createRequire(import.meta.url);

let loaded: typeof OracleDb | undefined;

export function oracleDriver(): typeof OracleDb {
  return (loaded ??= require('oracledb') as typeof OracleDb);
}
