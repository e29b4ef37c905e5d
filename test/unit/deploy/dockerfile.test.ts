/**
 * deploy/Dockerfile and the root .dockerignore: pinned multi-stage build, production dependencies
 * only, non-root user, the port, healthcheck, entrypoint and command the other artefacts rely on;
 * the build context holds everything the image copies and what the CLI imports at runtime.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../../services/sink/config/load.ts';
import { baseImages, execForm, isIgnored, parseDockerfile } from './dockerfile.ts';
import type { Instruction } from './dockerfile.ts';
import { importGraph } from './import-graph.ts';
import { asRecord, exists, readJson, readText } from './paths.ts';

const instructions = parseDockerfile(readText('deploy/Dockerfile'));
const dockerignore = readText('.dockerignore');
const pkg = asRecord(readJson('package.json'), 'package.json');
const dependencies = Object.keys(asRecord(pkg.dependencies, 'dependencies'));

const all = (keyword: string): Instruction[] => instructions.filter((i) => i.keyword === keyword);
const last = (keyword: string): Instruction => {
  const found = all(keyword).at(-1);
  assert.ok(found, `the Dockerfile has no ${keyword}`);
  return found;
};
/** Instructions of the final stage. */
const finalStage = instructions.slice(instructions.findLastIndex((i) => i.keyword === 'FROM'));

/** Sources of COPY instructions that read the build context (not --from=<stage>). */
function contextCopies(): string[] {
  return all('COPY')
    .filter((c) => !/--from=/.test(c.args))
    .flatMap((c) => {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      return parts.slice(0, -1);
    });
}

describe('deploy/Dockerfile', () => {
  test('is multi-stage on a pinned Node LTS slim image', () => {
    const images = baseImages(instructions);
    assert.ok(all('FROM').length >= 2, 'expected a dependencies stage and a runtime stage');
    for (const { image } of images) {
      assert.match(image, /^node:(22|24)[.\d]*-[a-z-]*slim$/, `base image ${image} is not a pinned Node LTS slim image`);
    }
  });

  test('installs production dependencies only, from the lockfile', () => {
    const runs = all('RUN').map((r) => r.args);
    assert.ok(runs.some((r) => /\bnpm ci\b/.test(r) && /--omit=dev\b/.test(r)), 'npm ci --omit=dev is missing');
    assert.ok(!runs.some((r) => /\bnpm (install|i)\b/.test(r)), 'npm install would ignore the lockfile');
  });

  test('copies the runtime folders and the package files, and each exists', () => {
    const copies = contextCopies();
    for (const needed of ['bin', 'services', 'connectors', 'transforms', 'package.json', 'package-lock.json']) {
      assert.ok(copies.includes(needed), `COPY of ${needed} is missing`);
    }
    for (const source of copies) assert.ok(exists(source), `COPY source ${source} does not exist`);
  });

  test('runs as a numeric non-root user in the final stage', () => {
    const user = finalStage.filter((i) => i.keyword === 'USER').at(-1);
    assert.ok(user, 'no USER in the final stage');
    const [uid, gid] = user.args.split(':');
    assert.match(uid ?? '', /^\d+$/, 'USER must be numeric so Kubernetes runAsNonRoot can check it');
    assert.notEqual(Number(uid), 0);
    if (gid !== undefined) assert.notEqual(Number(gid), 0);
  });

  test("exposes the config's default HTTP port and checks /healthz with node", () => {
    const defaults = parseConfig({ kafka: { topics: ['t'] }, target: { type: 'postgres', url: 'postgres://x@y/z' } }, { env: {} });
    assert.equal(last('EXPOSE').args, String(defaults.http.port));
    const health = last('HEALTHCHECK');
    const cmd = execForm(health.args.slice(health.args.indexOf('CMD')));
    assert.ok(cmd, 'HEALTHCHECK should use the exec form');
    assert.equal(cmd[0], 'node', 'slim images have no curl: the healthcheck must use node');
    assert.ok(cmd.join(' ').includes(`127.0.0.1:${defaults.http.port}/healthz`));
  });

  test('entrypoint is the CLI and the default command runs with the mounted config', () => {
    assert.deepEqual(execForm(last('ENTRYPOINT').args), ['node', 'bin/cdc-sink.mjs']);
    assert.deepEqual(execForm(last('CMD').args), ['run', '--config', '/etc/cdc-sink/cdc-sink.yaml']);
    assert.ok(exists('bin/cdc-sink.mjs'));
  });

  test('does not set CDC_SINK_CONFIG (every CDC_SINK_* variable is read as a config override)', () => {
    for (const env of all('ENV')) assert.doesNotMatch(env.args, /CDC_SINK_/);
  });
});

describe('.dockerignore', () => {
  test('leaves out dependencies, caches, VCS data, tests and benchmarks', () => {
    for (const path of ['node_modules/pg/index.js', '.cache/connect/x.jar', '.git/HEAD', 'test/unit/a.test.ts', 'bench/run.ts',
      'transforms/examples/customer-phone/node_modules/x.js', 'services/sink/app.test.ts', '.env']) {
      assert.ok(isIgnored(dockerignore, path), `${path} would be sent to the Docker daemon`);
    }
  });

  test('keeps everything the Dockerfile copies', () => {
    for (const source of contextCopies()) {
      assert.ok(!isIgnored(dockerignore, source), `COPY ${source} is excluded by .dockerignore`);
    }
  });

  test('keeps every module the CLI loads at runtime, and the image has every package they import', () => {
    const graph = importGraph('bin/cdc-sink.mjs');
    assert.deepEqual(graph.unresolved, []);
    assert.ok(graph.files.size > 20, `only ${graph.files.size} modules found: the import scan is broken`);
    const copies = contextCopies();
    for (const file of graph.files) {
      assert.ok(!isIgnored(dockerignore, file), `${file} is loaded at runtime but excluded from the build context`);
      assert.ok(copies.some((c) => file === c || file.startsWith(`${c}/`)), `${file} is loaded at runtime but not copied into the image`);
    }
    for (const name of graph.packages) {
      assert.ok(dependencies.includes(name), `${name} is imported at runtime but npm ci --omit=dev does not install it`);
    }
  });
});

describe('Docker helpers used by these checks', () => {
  test('isIgnored follows Docker rules: last match wins, folders cover their content, ** spans folders', () => {
    const rules = '*\n!keep/\n**/drop\nkeep/*.tmp\n';
    assert.equal(isIgnored(rules, 'other.txt'), true);
    assert.equal(isIgnored(rules, 'keep/a.ts'), false);
    assert.equal(isIgnored(rules, 'keep/x/drop/a.ts'), true);
    assert.equal(isIgnored(rules, 'keep/a.tmp'), true);
    assert.equal(isIgnored(rules, 'keep/x/a.tmp'), false);
  });

  test('parseDockerfile joins continued lines and baseImages substitutes ARG defaults', () => {
    const parsed = parseDockerfile('ARG IMG=node:22-slim\nFROM ${IMG} AS a\n# c\nRUN a \\\n  && b\nFROM a\nFROM ${IMG}\n');
    assert.deepEqual(parsed.map((i) => i.keyword), ['ARG', 'FROM', 'RUN', 'FROM', 'FROM']);
    assert.equal(parsed[2]?.args, 'a && b');
    assert.deepEqual(baseImages(parsed), [{ image: 'node:22-slim', stage: 'a' }, { image: 'node:22-slim' }]);
  });
});
