/**
 * The compiled build as the container image runs it, without Docker (no engine runs here): tsc
 * compiles the project with tsconfig.build.json into a temporary directory laid out as the runtime
 * stage of deploy/Dockerfile (its COPY instructions replayed: the package files, the build output, the
 * transform SDK sources, node_modules as a link to the repository's), and the image's ENTRYPOINT runs
 * there with plain node: no tsx hook, no TypeScript sources of the service.
 *
 * check-config validates the config without loading any plugin (a missing plugin file passes it), so
 * `run` is what proves a TypeScript plugin loads: against the real broker and PostgreSQL, a row goes
 * through a .ts plugin into the target. The plugin sits in a directory of its own, outside any
 * "type": "module" package, like a file mounted at /etc/cdc-sink/plugins, and uses an enum, which
 * only a TypeScript compiler handles (not Node 22's type stripping). Controls: node alone cannot
 * import that plugin, and a plugin with a syntax error or a missing plugin file stop the start with
 * a load error naming the plugin.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { containerPath, execForm, isIgnored, parseCopy, parseDockerfile, stages } from '../unit/deploy/dockerfile.ts';
import { buildLayout } from '../unit/deploy/import-graph.ts';
import { DebeziumTable } from '../support/debezium-events.ts';
import { KAFKA_BROKERS, createTopics, deleteTopics, produce, testKafka, uniqueName } from '../support/kafka.ts';
import { PG_URL, dropSchema, query, waitFor } from '../support/postgres.ts';
import { REPO_ROOT } from '../support/sink.ts';

interface Run {
  code: number | null;
  out: string;
}

/** The environment of the children: no NODE_OPTIONS, so nothing preloads tsx. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

function start(args: readonly string[], cwd: string): { exited: Promise<Run>; output: () => string; kill: (signal: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
  return { exited, output: () => out, kill: (signal) => child.kill(signal) };
}

/** The JSON log lines of a run (pino: level as a label). */
function logLines(out: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of out.split('\n')) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) lines.push(value as Record<string, unknown>);
  }
  return lines;
}

async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no exit within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Lays out `root` as the runtime stage's WORKDIR and compiles into it. Returns the ENTRYPOINT's
 * arguments after `node` (its flags as they are, the script as a path under root).
 */
async function buildImageLayout(root: string): Promise<string[]> {
  const all = parseDockerfile(readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8'));
  const dockerignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8');
  const list = stages(all);
  const runtime = list.at(-1)!;
  const entry = runtime.instructions.findLast((i) => i.keyword === 'ENTRYPOINT')!;
  const workdir = containerPath(runtime, entry, '.');
  const local = (path: string): string => {
    assert.ok(path === workdir || path.startsWith(`${workdir}/`), `${path} is outside the WORKDIR ${workdir}`);
    return join(root, posix.relative(workdir, path));
  };
  const layout = buildLayout();
  const buildStage = list.find((s) => s.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args)))!;
  let compiled = false;
  for (const ins of runtime.instructions.filter((i) => i.keyword === 'COPY')) {
    const copy = parseCopy(ins.args);
    const dest = containerPath(runtime, ins, copy.dest);
    if (copy.from === buildStage.name) {
      // The build stage's output: compiled here with the same config, straight into place.
      assert.equal(dest, containerPath(runtime, ins, layout.outDir));
      const tsc = start([join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', layout.configFiles[0]!, '--outDir', local(dest)], REPO_ROOT);
      const result = await within(120_000, 'tsc', tsc.exited);
      assert.equal(result.code, 0, `tsc failed:\n${result.out}`);
      compiled = true;
    } else if (copy.from !== undefined) {
      // The production node_modules of the dependencies stage: the repository's, linked.
      assert.deepEqual(copy.sources.map((s) => posix.basename(s)), ['node_modules']);
      symlinkSync(join(REPO_ROOT, 'node_modules'), local(dest), 'dir');
    } else {
      for (const source of copy.sources) {
        const into = copy.sources.length > 1 || copy.dest.endsWith('/') ? posix.join(dest, posix.basename(source)) : dest;
        mkdirSync(join(local(into), '..'), { recursive: true });
        cpSync(join(REPO_ROOT, source), local(into), {
          recursive: true,
          filter: (from) => !isIgnored(dockerignore, relative(REPO_ROOT, from) || '.'),
        });
      }
    }
  }
  assert.ok(compiled, 'the runtime stage copies no build output');
  const form = execForm(entry.args)!;
  assert.equal(form[0], 'node');
  return form.slice(1).map((a) => (a.startsWith('-') ? a : local(posix.resolve(workdir, a))));
}

const PLUGIN = (sdk: string) => `// A user plugin in TypeScript: upper-cases one column.
import { defineTransform, mapValues, z } from ${JSON.stringify(sdk)};
import type { ChangeEvent, Row } from ${JSON.stringify(sdk)};

enum Case {
  Upper = 'upper',
}

interface Options {
  readonly column: string;
  readonly case: Case;
}

const recase = (row: Row, { column }: Options): Row =>
  mapValues(row, (v, c) => (c === column && typeof v === 'string' ? v.toUpperCase() : v));

export default defineTransform({
  meta: { name: 'shout', version: '1.0.0', apiVersion: 1 },
  options: z.object({ column: z.string().min(1), case: z.enum(Case).default(Case.Upper) }).strict(),
  create: (options: Options) => ({
    apply: (event: ChangeEvent): ChangeEvent => (event.row === null ? event : { ...event, row: recase(event.row, options) }),
  }),
});
`;

describe('the compiled build (node dist/services/cli.js, as in the container image)', () => {
  const kafka = testKafka();
  const cleanup: (() => unknown)[] = [];
  let root = '';
  let configDir = '';
  let cli: string[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'cdc-sink-compiled-'));
    configDir = mkdtempSync(join(tmpdir(), 'cdc-sink-compiled-config-'));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }), () => rmSync(configDir, { recursive: true, force: true }));
    cli = await buildImageLayout(root);
    mkdirSync(join(configDir, 'plugins'));
    // The SDK as the image holds it: the TypeScript sources copied by the runtime stage.
    writeFileSync(join(configDir, 'plugins', 'shout.ts'), PLUGIN(join(root, 'transforms', 'sdk', 'index.ts')));
    writeFileSync(join(configDir, 'plugins', 'broken.ts'), `${PLUGIN(join(root, 'transforms', 'sdk', 'index.ts'))}\nexport const oops = {{;\n`);
  });

  function writeConfig(name: string, use: string, extra: { topic: string; schema: string }): string {
    const file = join(configDir, `${name}.yaml`);
    const doc = {
      kafka: { brokers: KAFKA_BROKERS, groupId: `${extra.topic}-g`, topics: [extra.topic], maxWaitTimeMs: 100 },
      target: { type: 'postgres', url: PG_URL, schema: extra.schema },
      batch: { maxRows: 500, maxAgeMs: 100 },
      tables: { defaultSchema: extra.schema },
      http: { port: 0, host: '127.0.0.1' },
      log: { level: 'info' },
      transforms: [{ match: 'public.items', chain: [{ use, options: { column: 'name' } }] }],
    };
    writeFileSync(file, stringify(doc));
    return file;
  }

  test('the layout holds the compiled CLI and, of the TypeScript sources, only the SDK side', () => {
    assert.equal(relative(root, cli.at(-1)!), buildLayout().output('services/cli.ts'));
    for (const gone of ['services', 'bin', 'tsconfig.json']) assert.ok(!existsSync(join(root, gone)), `${gone} is in the image layout`);
    assert.deepEqual(readdirSync(join(root, 'connectors')), ['core'], 'of connectors/, only the model types the SDK re-exports');
    assert.ok(existsSync(join(root, 'transforms', 'sdk', 'index.ts')));
  });

  test('runs a TypeScript plugin: the row reaches PostgreSQL transformed; node alone cannot load the plugin', { timeout: 60_000 }, async () => {
    const plugin = join(configDir, 'plugins', 'shout.ts');
    const bare = await within(15_000, 'node import', start(['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(plugin).href)})`], configDir).exited);
    assert.notEqual(bare.code, 0, 'node imported the .ts plugin by itself: this test would not show that the loader registers tsx');
    assert.match(bare.out, /ERR_UNKNOWN_FILE_EXTENSION|ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX|ERR_REQUIRE_ESM|SyntaxError/);

    const id = uniqueName('compiled');
    const schema = `it_${id}`;
    const table = new DebeziumTable({
      prefix: id,
      schema: 'public',
      table: 'items',
      key: ['id'],
      fields: [
        { name: 'id', type: 'int64', optional: false },
        { name: 'name', type: 'string' },
      ],
    });
    await createTopics(kafka, [table.topic], 1);
    cleanup.push(() => deleteTopics(kafka, [table.topic]), () => dropSchema(schema));
    await produce(kafka, table.topic, [table.insert({ id: 1n, name: 'ann' }), table.insert({ id: 2n, name: 'bob' })]);
    const config = writeConfig('good', './plugins/shout.ts', { topic: table.topic, schema });

    const check = await within(15_000, 'check-config', start([...cli, 'check-config', '--config', config], configDir).exited);
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, /config ok/);

    const sink = start([...cli, 'run', '--config', config], configDir);
    cleanup.push(() => sink.kill('SIGKILL'));
    await waitFor(
      'the transformed rows',
      async () => {
        const rows = await query<{ id: string; name: string }>(`SELECT id::text, name FROM "${schema}".items ORDER BY id`).catch(() => []);
        return JSON.stringify(rows.map((r) => [r.id, r.name])) === JSON.stringify([['1', 'ANN'], ['2', 'BOB']]) || `rows ${JSON.stringify(rows)}; output:\n${sink.output()}`;
      },
      30_000,
    );
    sink.kill('SIGTERM');
    const stopped = await within(20_000, 'run after SIGTERM', sink.exited);
    assert.equal(stopped.code, 0, stopped.out);
    const errors = logLines(stopped.out).filter((l) => l.level === 'error' || l.level === 'fatal');
    assert.deepEqual(errors, [], 'no error was logged');
  });

  const bad = [
    { name: 'a plugin with a syntax error', use: './plugins/broken.ts', message: /^transform "\.\/plugins\/broken\.ts" \(\/.*\/plugins\/broken\.ts\): cannot load the module: .*broken\.ts:\d+:\d+: ERROR/s },
    { name: 'a missing plugin file', use: './plugins/missing.ts', message: /^transform "\.\/plugins\/missing\.ts": file \/.*\/plugins\/missing\.ts does not exist/ },
  ];
  for (const b of bad) {
    test(`${b.name} stops the start with a load error naming the plugin`, { timeout: 30_000 }, async () => {
      // Plugins load before the target or Kafka is contacted: nothing needs to exist.
      const config = writeConfig(b.name.replaceAll(' ', '-'), b.use, { topic: uniqueName('compiled_bad'), schema: 'it_unused' });
      const result = await within(20_000, 'run', start([...cli, 'run', '--config', config], configDir).exited);
      assert.equal(result.code, 1, result.out);
      const failed = logLines(result.out).find((l) => l.msg === 'start failed');
      assert.ok(failed, `no "start failed" line in:\n${result.out}`);
      assert.equal(failed.level, 'fatal');
      assert.match(String(failed.err), b.message);
    });
  }
});
