/**
 * docker-compose.yml: parses, every service it depends on exists (with a healthcheck where the
 * condition needs one), every image is pinned, every file it mounts or builds from exists, and the
 * cdc-sink service's config is valid for the real config loader with the service's environment.
 * `docker compose config -q` (or docker-compose v1) runs too when the machine has it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../../services/sink/config/load.ts';
import { asArray, asRecord, asString, exists, readJson, readYaml, repoPath } from './paths.ts';
import { compose, run } from './tools.ts';

type Service = Record<string, unknown>;

const doc = asRecord(readYaml('docker-compose.yml'), 'docker-compose.yml');
const services = asRecord(doc.services, 'services');
const service = (name: string): Service => asRecord(services[name], `service ${name}`);

function dependsOn(svc: Service): Map<string, string> {
  const deps = new Map<string, string>();
  const raw = svc.depends_on;
  if (Array.isArray(raw)) for (const d of raw) deps.set(asString(d, 'depends_on'), 'service_started');
  else if (raw !== undefined) {
    for (const [name, spec] of Object.entries(asRecord(raw, 'depends_on'))) {
      deps.set(name, asString(asRecord(spec, `depends_on.${name}`).condition ?? 'service_started', 'condition'));
    }
  }
  return deps;
}

/** Short-syntax mounts "source:target[:mode]" of a service. */
function mounts(svc: Service): { source: string; target: string }[] {
  return asArray(svc.volumes ?? [], 'volumes').map((v) => {
    const [source = '', target = ''] = asString(v, 'volume').split(':');
    return { source, target };
  });
}

function envOf(svc: Service): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(svc.environment ?? {}, 'environment'))) env[k] = String(v);
  return env;
}

describe('docker-compose.yml', () => {
  test('has the whole stack', () => {
    for (const name of ['kafka', 'connect', 'source-db', 'target-db', 'cdc-sink', 'register-connector', 'prometheus', 'grafana']) {
      assert.ok(name in services, `service ${name} is missing`);
    }
  });

  test('every image is pinned to a version (no :latest, no bare name)', () => {
    for (const [name, raw] of Object.entries(services)) {
      const svc = asRecord(raw, name);
      if (svc.build !== undefined) continue; // built locally from deploy/Dockerfile
      const image = asString(svc.image, `${name}.image`);
      if (image.includes('@sha256:')) continue;
      const tag = /:([^:/]+)$/.exec(image)?.[1];
      assert.ok(tag !== undefined, `${name}: image ${image} has no tag`);
      assert.notEqual(tag, 'latest', `${name}: image ${image} is not pinned`);
      assert.match(tag, /\d/, `${name}: tag of ${image} names no version`);
    }
  });

  test('every dependency exists, and conditions fit the service depended on', () => {
    for (const [name, raw] of Object.entries(services)) {
      for (const [dep, condition] of dependsOn(asRecord(raw, name))) {
        assert.ok(dep in services, `${name} depends on missing service ${dep}`);
        const target = service(dep);
        if (condition === 'service_healthy') {
          assert.ok(target.healthcheck !== undefined, `${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
        } else if (condition === 'service_completed_successfully') {
          assert.ok(target.restart === undefined || target.restart === 'no', `${name} waits for one-shot ${dep}, which restarts`);
        } else {
          assert.equal(condition, 'service_started', `${name} -> ${dep}: unknown condition ${condition}`);
        }
      }
    }
  });

  test('every file or folder it mounts or builds from exists', () => {
    const namedVolumes = Object.keys(asRecord(doc.volumes ?? {}, 'volumes'));
    for (const [name, raw] of Object.entries(services)) {
      const svc = asRecord(raw, name);
      for (const { source } of mounts(svc)) {
        if (source.startsWith('.') || source.startsWith('/')) assert.ok(exists(source), `${name} mounts missing ${source}`);
        else assert.ok(namedVolumes.includes(source), `${name} uses undeclared volume ${source}`);
      }
      if (svc.build !== undefined) {
        const build = asRecord(svc.build, `${name}.build`);
        const context = asString(build.context, 'build.context');
        assert.ok(exists(context), `${name}: build context ${context} is missing`);
        assert.ok(exists(`${context}/${asString(build.dockerfile ?? 'Dockerfile', 'dockerfile')}`), `${name}: Dockerfile is missing`);
      }
    }
  });

  test('cdc-sink is built from deploy/Dockerfile, mounts its config where the image looks, and stops gracefully', () => {
    const sink = service('cdc-sink');
    assert.equal(asRecord(sink.build, 'build').dockerfile, 'deploy/Dockerfile');
    assert.ok(mounts(sink).some((m) => m.target === '/etc/cdc-sink/cdc-sink.yaml' && m.source === './deploy/compose/cdc-sink.yaml'));
    assert.equal(sink.stop_grace_period, '60s');
    assert.equal(sink.read_only, true);
    assert.ok(asArray(sink.tmpfs, 'tmpfs').includes('/tmp'), 'a read-only cdc-sink needs a writable /tmp (tsx cache)');
  });

  test("cdc-sink's config is valid with the service's environment", () => {
    const config = parseConfig(readYaml('deploy/compose/cdc-sink.yaml'), {
      env: envOf(service('cdc-sink')),
      baseDir: repoPath('deploy/compose'),
      source: 'deploy/compose/cdc-sink.yaml',
    });
    assert.equal(config.target.type, 'postgres');
    assert.equal(config.target.options.url, 'postgres://cdc_sink:cdc_sink@target-db:5432/target');
    assert.deepEqual(config.kafka.brokers, ['kafka:9092']);
    assert.equal(config.http.port, 8080);
  });

  test('cdc-sink starts after the connector created its topics, and its topicPattern matches exactly those', () => {
    const sink = service('cdc-sink');
    assert.equal(dependsOn(sink).get('register-connector'), 'service_completed_successfully');
    const connector = asRecord(readJson('deploy/debezium/postgres-source.json'), 'connector');
    const prefix = asString(connector['topic.prefix'], 'topic.prefix');
    const tables = asString(connector['table.include.list'], 'table.include.list').split(',');
    const topics = tables.map((t) => `${prefix}.${t}`);
    const register = service('register-connector');
    assert.deepEqual(envOf(register).WAIT_TOPICS?.split(' '), topics, 'register-connector waits for other topics');
    const pattern = new RegExp(asString(asRecord(asRecord(readYaml('deploy/compose/cdc-sink.yaml'), 'c').kafka, 'kafka').topicPattern, 'topicPattern'));
    for (const t of topics) assert.match(t, pattern);
    for (const other of [`__debezium-heartbeat.${prefix}`, '_connect_offsets', `${prefix}`]) assert.doesNotMatch(other, pattern);
  });

  test('source database runs with wal_level=logical and the init SQL creates the publication the connector reads', () => {
    const source = service('source-db');
    const command = asArray(source.command, 'command').join(' ');
    assert.match(command, /wal_level=logical/);
    assert.ok(mounts(source).some((m) => m.source === './deploy/compose/source-init.sql' && m.target.startsWith('/docker-entrypoint-initdb.d/')));
    const connector = asRecord(readJson('deploy/debezium/postgres-source.json'), 'connector');
    assert.equal(envOf(source).POSTGRES_DB, connector['database.dbname']);
  });

  test('prometheus and grafana get the config files the other checks validate', () => {
    const prom = mounts(service('prometheus'));
    assert.ok(prom.some((m) => m.source === './deploy/prometheus/prometheus.yml'));
    assert.ok(prom.some((m) => m.source === './deploy/prometheus/alerts.yml'));
    const grafana = mounts(service('grafana'));
    const dashboards = grafana.find((m) => m.source === './deploy/grafana/dashboards');
    assert.ok(dashboards, 'grafana does not mount the dashboards');
    const provider = asArray(asRecord(readYaml('deploy/grafana/provisioning/dashboards/cdc-sink.yml'), 'p').providers, 'providers');
    const path = asRecord(asRecord(provider[0], 'provider').options, 'options').path;
    assert.equal(path, dashboards.target, 'the dashboard provider reads another folder than the one mounted');
    assert.ok(grafana.some((m) => m.source === './deploy/grafana/provisioning' && m.target === '/etc/grafana/provisioning'));
  });

  test('docker compose config -q accepts the file', { skip: compose === undefined && 'neither `docker compose` nor docker-compose is installed' }, () => {
    const r = run(compose ?? [], ['-f', 'docker-compose.yml', '--profile', 'workload', 'config', '-q']);
    assert.equal(r.status, 0, r.stderr);
  });
});
