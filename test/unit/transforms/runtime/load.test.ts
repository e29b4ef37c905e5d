import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CdcSinkError } from '../../../../connectors/core/errors.ts';
import { TransformLoader, sourceKind } from '../../../../transforms/runtime/load.ts';
import { buildTransformRegistry } from '../../../../transforms/runtime/registry.ts';
import { writeJsPlugin } from '../fixtures/js-plugin.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

async function loadError(loader: TransformLoader, use: string): Promise<CdcSinkError> {
  try {
    await loader.load(use);
  } catch (err) {
    assert.ok(err instanceof CdcSinkError, `expected a CdcSinkError, got ${String(err)}`);
    return err;
  }
  assert.fail(`loading ${use} should fail`);
}

describe('TransformLoader', () => {
  const loader = new TransformLoader(fixtures);

  test('classifies use strings', () => {
    assert.equal(sourceKind('rename-columns'), 'builtin');
    assert.equal(sourceKind('./x.ts'), 'file');
    assert.equal(sourceKind('../x.mjs'), 'file');
    assert.equal(sourceKind('/abs/x.js'), 'file');
    assert.equal(sourceKind('cdc-sink-plugin-foo'), 'package');
    assert.equal(sourceKind('@acme/plugin'), 'package');
  });

  test('loads built-ins, .ts files relative to the base dir and .mjs files', async () => {
    assert.equal((await loader.load('rename-columns')).meta.name, 'rename-columns');
    const good = await loader.load('./good-plugin.ts');
    assert.equal(good.meta.name, 'upper-case');
    assert.equal(good.meta.version, '1.2.3');
    assert.equal(await loader.load('./good-plugin.ts'), good, 'cached');
    const js = await writeJsPlugin();
    try {
      assert.equal((await new TransformLoader(js.dir).load('./plain-js.mjs')).meta.name, 'js-suffix');
      assert.equal((await loader.load(js.file)).meta.name, 'js-suffix', 'absolute paths work too');
    } finally {
      await js.remove();
    }
    assert.equal((await new TransformLoader(join(fixtures, '..')).load('./fixtures/good-plugin.ts')).meta.name, 'upper-case');
  });

  test('a wrong apiVersion names the plugin, the found and the supported version', async () => {
    const err = await loadError(loader, './wrong-api.ts');
    assert.equal(err.code, 'CDC_TRANSFORM_LOAD');
    assert.equal(err.kind, 'fatal');
    assert.match(err.message, /transform "from-the-future" \(\.\/wrong-api\.ts, version 9\.0\.0\) is written for plugin API version 2, but this cdc-sink supports API version 1/);
  });

  test('a default export that is not a definition is a clear error', async () => {
    const err = await loadError(loader, './bad-export.ts');
    assert.equal(err.code, 'CDC_TRANSFORM_LOAD');
    assert.match(err.message, /transform "\.\/bad-export\.ts": the module's default export is not a transform definition \(missing meta\); export default defineTransform/);
    assert.match((await loadError(loader, './no-default.ts')).message, /not a transform definition \(got undefined\)/);
  });

  test('a missing file names the resolved path and the base dir', async () => {
    const err = await loadError(loader, './nope.ts');
    assert.match(err.message, /file .*fixtures\/nope\.ts does not exist \(paths are relative to the config file's directory/);
  });

  test('an unknown name lists the built-ins', async () => {
    const err = await loadError(loader, 'rename-colums');
    assert.match(err.message, /transform "rename-colums" is not a built-in \(rename-columns, drop-columns, .*\), not a path/);
  });

  test('loads an npm package installed next to the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdc-sink-transforms-'));
    try {
      const pkg = join(dir, 'node_modules', 'cdc-sink-plugin-noop');
      await mkdir(pkg, { recursive: true });
      await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'cdc-sink-plugin-noop', version: '1.0.0', type: 'module', main: 'index.js' }));
      // No zod here: any object with safeParse is accepted as the options schema.
      await writeFile(
        join(pkg, 'index.js'),
        `export default { meta: { name: 'noop', version: '1.0.0', apiVersion: 1 },
           options: { safeParse: (v) => ({ success: true, data: v }) },
           create: () => ({ apply: (e) => e }) };`,
      );
      const def = await new TransformLoader(dir).load('cdc-sink-plugin-noop');
      assert.equal(def.meta.name, 'noop');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('buildTransformRegistry validation at startup', () => {
  test('option errors name the plugin, the entry (table) and the option path', async () => {
    const registry = buildTransformRegistry(
      [
        { match: 'inventory.customers', chain: [{ use: 'rename-columns', options: { columns: { a: 'b' } } }] },
        { match: 'inventory.*', chain: [{ use: 'drop-columns', options: { columns: { a: 1 } } }] },
      ],
      { baseDir: fixtures },
    );
    await assert.rejects(registry.ready(), (err: CdcSinkError) => {
      assert.equal(err.code, 'CDC_TRANSFORM_LOAD');
      assert.match(err.message, /transform "drop-columns" for transforms\[1\]\.chain\[0\] \(match "inventory\.\*"\): invalid options: option "columns": Invalid input: expected array/);
      return true;
    });
    await assert.rejects(registry.forTable({ namespace: 'inventory', name: 'orders' }), /invalid options/);
    const other = await registry.forTable({ namespace: 'sales', name: 'orders' });
    assert.equal(other.isIdentity, true, 'tables no entry matches are not held up by a bad plugin');
  });

  test('a nested option path and a file plugin', async () => {
    const registry = buildTransformRegistry([{ match: 'a.b', chain: [{ use: './good-plugin.ts', options: { column: 'x', times: 0 } }] }], { baseDir: fixtures });
    await assert.rejects(registry.ready(), /transform "upper-case" \(\.\/good-plugin\.ts\) for transforms\[0\]\.chain\[0\] \(match "a\.b"\): invalid options: option "times": Too small/);
  });

  test('a load error surfaces through ready()', async () => {
    const registry = buildTransformRegistry([{ match: 'a.b', chain: [{ use: './wrong-api.ts' }] }], { baseDir: fixtures });
    await assert.rejects(registry.ready(), { code: 'CDC_TRANSFORM_LOAD' });
  });

  test('an invalid config section throws CONFIG_INVALID synchronously', () => {
    assert.throws(() => buildTransformRegistry([{ match: 'a.b', chain: [] }], { baseDir: fixtures }), { code: 'CDC_CONFIG_INVALID' });
  });
});
