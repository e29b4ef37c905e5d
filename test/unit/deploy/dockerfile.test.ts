/**
 * deploy/Dockerfile and the root .dockerignore: pinned multi-stage build, a build stage that compiles
 * the sources (`npm run build`, tsconfig.build.json), production dependencies only in the image,
 * non-root user, the port, healthcheck, entrypoint and command the other artefacts rely on; the
 * build context holds everything the image copies and every module the compiled CLI is built from.
 * No Docker engine runs here, so the image is never built: these are static checks, and
 * test/integration/compiled-build.test.ts runs the compiled CLI from the runtime stage's layout.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename, posix } from 'node:path';
import { describe, test } from 'node:test';
import { parseConfig } from '../../../services/sink/config/load.ts';
import { baseImages, containerPath, execForm, isIgnored, parseCopy, parseDockerfile, stages } from './dockerfile.ts';
import type { Copy, Instruction, Stage } from './dockerfile.ts';
import { buildLayout, importGraph } from './import-graph.ts';
import { asRecord, asString, exists, readJson, readText, repoPath } from './paths.ts';

const instructions = parseDockerfile(readText('deploy/Dockerfile'));
const dockerignore = readText('.dockerignore');
const pkg = asRecord(readJson('package.json'), 'package.json');
const dependencies = Object.keys(asRecord(pkg.dependencies, 'dependencies'));
const devDependencies = Object.keys(asRecord(pkg.devDependencies, 'devDependencies'));
const layout = buildLayout();
/** What the compiled CLI loads, as sources: each is compiled to one module of dist/. */
const cli = importGraph('services/cli.ts');
/** The files package.json exports (the transforms SDK), which TypeScript plugins import. */
const exported = Object.values(asRecord(pkg.exports, 'exports')).map((v) => asString(v, 'exports target').replace(/^\.\//, ''));

const all = (keyword: string): Instruction[] => instructions.filter((i) => i.keyword === keyword);
const last = (keyword: string): Instruction => {
  const found = all(keyword).at(-1);
  assert.ok(found, `the Dockerfile has no ${keyword}`);
  return found;
};
const stageList = stages(instructions);
const finalStage = stageList.at(-1) as Stage;
const stageNamed = (name: string): Stage => {
  const found = stageList.find((s) => s.name === name);
  assert.ok(found, `no stage ${name}`);
  return found;
};
const of = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);
const copies = (stage: Stage): { ins: Instruction; copy: Copy }[] => of(stage, 'COPY').map((ins) => ({ ins, copy: parseCopy(ins.args) }));

/** Sources of COPY instructions that read the build context (not --from=<stage>), in every stage. */
function contextCopies(): string[] {
  return stageList.flatMap((s) => copies(s).filter((c) => c.copy.from === undefined).flatMap((c) => c.copy.sources));
}

/** Where a repository file lands in a stage's filesystem when a context COPY of that stage takes it. */
function landing(stage: Stage, file: string): { ins: Instruction; path: string } | undefined {
  for (const { ins, copy } of copies(stage)) {
    if (copy.from !== undefined) continue;
    for (const source of copy.sources) {
      const dest = containerPath(stage, ins, copy.dest);
      if (file.startsWith(`${source}/`)) return { ins, path: posix.join(dest, file.slice(source.length + 1)) };
      if (file !== source) continue;
      const intoDir = statSync(repoPath(source)).isDirectory() || copy.dest.endsWith('/') || copy.sources.length > 1;
      return { ins, path: statSync(repoPath(source)).isDirectory() || !intoDir ? dest : posix.join(dest, basename(source)) };
    }
  }
  return undefined;
}

/** The file lands at WORKDIR/<its repository path>, where relative imports between them still resolve. */
function assertCopiedInPlace(stage: Stage, file: string, why: string): Instruction {
  const at = landing(stage, file);
  assert.ok(at, `${file} (${why}) is not copied into the ${stage.name} stage`);
  assert.equal(at.path, containerPath(stage, at.ins, file), `${file} lands at ${at.path} in the ${stage.name} stage`);
  return at.ins;
}

/** The stage that compiles, and its `npm run build`. */
function buildStage(): { stage: Stage; run: Instruction } {
  for (const stage of stageList) {
    const run = of(stage, 'RUN').find((r) => /\bnpm run build\b/.test(r.args));
    if (run) return { stage, run };
  }
  assert.fail('no stage runs npm run build');
}

describe('deploy/Dockerfile', () => {
  test('is multi-stage on a pinned Node LTS slim image', () => {
    const images = baseImages(instructions);
    assert.ok(stageList.length >= 3, 'expected a build stage, a dependencies stage and a runtime stage');
    for (const { image } of images) {
      assert.match(image, /^node:(22|24)[.\d]*-[a-z-]*slim$/, `base image ${image} is not a pinned Node LTS slim image`);
    }
  });

  test("the image's node_modules are production dependencies only, from the lockfile", () => {
    const modules = copies(finalStage).filter(({ copy }) => copy.sources.some((s) => /(^|\/)node_modules$/.test(s)));
    assert.equal(modules.length, 1, 'the runtime stage should copy node_modules once, from the dependencies stage');
    const from = modules[0]!.copy.from;
    assert.ok(from !== undefined, 'node_modules must come from a stage, not from the build context');
    const runs = of(stageNamed(from), 'RUN').map((r) => r.args);
    assert.ok(runs.some((r) => /\bnpm ci\b/.test(r) && /--omit=dev\b/.test(r)), `npm ci --omit=dev is missing in stage ${from}`);
    assert.ok(!all('RUN').some((r) => /\bnpm (install|i)\b/.test(r.args)), 'npm install would ignore the lockfile');
  });

  test('compiles in a build stage: every dependency, the tsconfig files and every source the CLI is built from', () => {
    const { stage, run } = buildStage();
    assert.notEqual(stage, finalStage, 'the compiler must not end up in the image');
    const script = asString(asRecord(pkg.scripts, 'scripts').build, 'scripts.build');
    assert.equal(/-p\s+(\S+)/.exec(script)?.[1], layout.configFiles[0], 'npm run build compiles another tsconfig than the one checked here');
    assert.ok(devDependencies.includes('typescript'));
    const ci = of(stage, 'RUN').find((r) => /\bnpm ci\b/.test(r.args));
    assert.ok(ci && ci.line < run.line, 'the build stage installs the dependencies before it compiles');
    assert.doesNotMatch(ci.args, /--omit=dev|--production/, 'the compiler and @types/* are devDependencies');
    const before = (ins: Instruction, file: string) => assert.ok(ins.line < run.line, `${file} is copied after npm run build`);
    for (const file of ['package.json', 'package-lock.json', ...layout.configFiles]) before(assertCopiedInPlace(stage, file, 'build input'), file);
    for (const file of cli.files) before(assertCopiedInPlace(stage, file, 'loaded by the CLI'), file);
  });

  test('the runtime stage gets dist/ from the build stage, and none of the sources it was compiled from', () => {
    const { stage, run } = buildStage();
    const dist = copies(finalStage).filter(({ copy }) => copy.from === stage.name);
    assert.equal(dist.length, 1, `the runtime stage should copy the build output from stage ${stage.name} once`);
    const { ins, copy } = dist[0]!;
    assert.deepEqual(copy.sources, [containerPath(stage, run, layout.outDir)], `the build emits into ${layout.outDir}`);
    assert.equal(containerPath(finalStage, ins, copy.dest), containerPath(finalStage, ins, layout.outDir));
    for (const file of cli.files) {
      assert.ok(layout.output(file).startsWith(`${layout.outDir}/`), `${file} is emitted outside ${layout.outDir}`);
    }
    for (const file of ['services/cli.ts', 'services/sink/app.ts', 'bin/cdc-sink.mjs']) {
      assert.equal(landing(finalStage, file), undefined, `${file} is copied into the image, which runs the compiled build`);
    }
  });

  test('keeps the TypeScript sources transform plugins import (the SDK package.json exports) and tsx to load them', () => {
    assert.ok(exported.length > 0);
    assertCopiedInPlace(finalStage, 'package.json', 'its exports map cdc-sink/transforms/sdk');
    for (const entry of exported) {
      const graph = importGraph(entry);
      assert.deepEqual(graph.unresolved, []);
      for (const file of graph.files) {
        assertCopiedInPlace(finalStage, file, `imported by a plugin through ${entry}`);
        assert.ok(!isIgnored(dockerignore, file), `${file} is excluded from the build context`);
      }
      for (const name of graph.packages) assert.ok(dependencies.includes(name), `${name} (imported by ${entry}) is not a runtime dependency`);
    }
    assert.ok(cli.packages.has('tsx') && dependencies.includes('tsx'), 'the compiled loader registers tsx for .ts plugins');
  });

  test('runs as a numeric non-root user in the final stage', () => {
    const user = of(finalStage, 'USER').at(-1);
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

  test('entrypoint is node (with flags) and what the build emits for services/cli.ts, smoke-tested as the service user; the command runs with the mounted config', () => {
    const entry = last('ENTRYPOINT');
    const form = execForm(entry.args);
    assert.ok(form, 'ENTRYPOINT should use the exec form');
    const [node, ...args] = form;
    assert.equal(node, 'node');
    const script = args.at(-1);
    const flags = args.slice(0, -1);
    assert.ok(flags.every((f) => /^--[a-z-]+(=\S+)?$/.test(f)), `only node flags before the script: ${flags.join(' ')}`);
    // V8 flags are not all allowed in NODE_OPTIONS and a misspelt one stops node: this node must take them.
    const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
    assert.equal(run.status, 0, `node rejects the ENTRYPOINT's flags ${flags.join(' ')}: ${run.stderr}`);
    const emitted = layout.output('services/cli.ts');
    assert.equal(containerPath(finalStage, entry, script ?? ''), containerPath(finalStage, entry, emitted), `the build emits services/cli.ts as ${emitted}`);
    const user = of(finalStage, 'USER').at(-1);
    const smoke = of(finalStage, 'RUN').find((r) => r.args.startsWith(`node ${script} --help`));
    assert.ok(smoke, 'the build-time smoke test (the entrypoint with --help) is missing');
    assert.ok(user && user.line < smoke.line, 'the smoke test should run as the service user');
    assert.deepEqual(execForm(last('CMD').args), ['run', '--config', '/etc/cdc-sink/cdc-sink.yaml']);
  });

  test('does not set CDC_SINK_CONFIG (every CDC_SINK_* variable is read as a config override)', () => {
    for (const env of all('ENV')) assert.doesNotMatch(env.args, /CDC_SINK_/);
  });
});

describe('.dockerignore', () => {
  test('leaves out dependencies, caches, VCS data, tests, benchmarks and a local build', () => {
    for (const path of ['node_modules/pg/index.js', '.cache/connect/x.jar', '.git/HEAD', 'test/unit/a.test.ts', 'bench/run.ts',
      'transforms/examples/customer-phone/node_modules/x.js', 'services/sink/app.test.ts', '.env', `${layout.outDir}/services/cli.js`]) {
      assert.ok(isIgnored(dockerignore, path), `${path} would be sent to the Docker daemon`);
    }
  });

  test('keeps everything the Dockerfile copies', () => {
    for (const source of contextCopies()) {
      assert.ok(exists(source), `COPY source ${source} does not exist`);
      assert.ok(!isIgnored(dockerignore, source), `COPY ${source} is excluded by .dockerignore`);
    }
  });

  test('keeps every module the compiled CLI is built from, and the image has every package they import', () => {
    assert.deepEqual(cli.unresolved, []);
    assert.ok(cli.files.size > 20, `only ${cli.files.size} modules found: the import scan is broken`);
    for (const file of cli.files) {
      assert.ok(layout.inputs.has(file), `${file} is loaded at runtime but ${layout.configFiles[0]} does not compile it`);
      assert.ok(!isIgnored(dockerignore, file), `${file} is loaded at runtime but excluded from the build context`);
    }
    for (const name of cli.packages) {
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

  test('stages, parseCopy and containerPath: stage names, COPY flags, WORKDIR applied', () => {
    const parsed = parseDockerfile('FROM x AS build\nWORKDIR /app\nCOPY a b ./\nFROM x\nWORKDIR /srv\nWORKDIR web\nCOPY --chown=1:1 --from=build /app/out ./out\n');
    const [first, second] = stages(parsed);
    assert.deepEqual([first?.name, second?.name], ['build', '1']);
    assert.deepEqual(parseCopy('a b ./'), { from: undefined, sources: ['a', 'b'], dest: './' });
    const copy = second!.instructions.at(-1)!;
    assert.deepEqual(parseCopy(copy.args), { from: 'build', sources: ['/app/out'], dest: './out' });
    assert.equal(containerPath(second!, copy, './out'), '/srv/web/out');
    assert.equal(containerPath(first!, first!.instructions[0]!, 'x'), '/x', 'before any WORKDIR: /');
  });
});
