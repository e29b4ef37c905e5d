/**
 * The registry knows every connector, but a service loads only its own target's driver: mysql2 and
 * oracledb are required on first use (connectors/{mysql,oracle}/driver-module.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { REPO_ROOT } from '../../support/sink.ts';

/** The driver packages loaded in a fresh process after running `script` (an ES module body). */
function driversLoadedAfter(script: string): string[] {
  const probe = `
    import { createRequire } from 'node:module';
    ${script}
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(['pg', 'mysql2', 'oracledb'].filter((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')))));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: REPO_ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
}

test('building the app loads the connector registry without the MySQL and Oracle drivers', () => {
  assert.deepEqual(driversLoadedAfter(`await import('./services/sink/app.ts'); await import('./connectors/registry.ts');`), ['pg']);
});

test('the MySQL and Oracle drivers load when their connector needs them', () => {
  const loaded = driversLoadedAfter(`
    const { sqlLiteral } = await import('./connectors/mysql/literal.ts');
    if (sqlLiteral("it's") !== "'it\\\\'s'") throw new Error('escape: ' + sqlLiteral("it's"));
    const { oracleDriver } = await import('./connectors/oracle/driver-module.ts');
    if (typeof oracleDriver().createPool !== 'function') throw new Error('oracledb');
  `);
  assert.deepEqual(loaded, ['mysql2', 'oracledb']);
});
