/**
 * mysql2, loaded on first use: a service whose target is another database never loads it (every
 * connector is in the registry, and mysql2 with its dependencies is ~4 MB of resident memory).
 * The dialect needs escape() synchronously, so this is a CommonJS require, not import().
 */
import { createRequire } from 'node:module';
import type * as Mysql2 from 'mysql2';
import type * as Mysql2Promise from 'mysql2/promise';

const require = createRequire(import.meta.url);

let core: typeof Mysql2 | undefined;
let promise: typeof Mysql2Promise | undefined;

export function mysql2(): typeof Mysql2 {
  return (core ??= require('mysql2') as typeof Mysql2);
}

export function mysql2Promise(): typeof Mysql2Promise {
  return (promise ??= require('mysql2/promise') as typeof Mysql2Promise);
}
