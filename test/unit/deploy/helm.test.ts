/**
 * deploy/helm/cdc-sink: the chart's plain YAML files parse, the default config in values.yaml is
 * valid for the real config loader, templates only read values that exist, and the defaults keep
 * the pod non-root, read-only and gracefully stopped. With helm installed (or HELM_BIN set), the
 * chart is linted and rendered, and the rendered objects are checked too.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../../services/sink/config/load.ts';
import { execForm, parseDockerfile } from './dockerfile.ts';
import { asArray, asRecord, asString, readText, readYaml, repoPath } from './paths.ts';
import { helm, run } from './tools.ts';

const CHART = 'deploy/helm/cdc-sink';
const chart = asRecord(readYaml(`${CHART}/Chart.yaml`), 'Chart.yaml');
const values = asRecord(readYaml(`${CHART}/values.yaml`), 'values.yaml');
const templates = readdirSync(repoPath(CHART, 'templates')).filter((f) => /\.(yaml|tpl|txt)$/.test(f));
const dockerfile = parseDockerfile(readText('deploy/Dockerfile'));
const noHelm = helm === undefined && 'helm is not installed (set HELM_BIN to a helm binary)';

/** Environment the pod gets: every secretEnv variable (dummy values) plus the chart's own. */
function podEnv(): Record<string, string> {
  const env: Record<string, string> = { CDC_SINK_KAFKA__CLIENT_ID: 'cdc-sink-7d9f-abcde' };
  for (const name of Object.keys(asRecord(values.secretEnv ?? {}, 'secretEnv'))) env[name] = `secret-of-${name}`;
  return env;
}

function valuePathExists(path: readonly string[]): boolean {
  let node: unknown = values;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

describe('Helm chart cdc-sink: files', () => {
  test('Chart.yaml is a v2 application chart with versions', () => {
    assert.equal(chart.apiVersion, 'v2');
    assert.equal(chart.name, 'cdc-sink');
    assert.equal(chart.type, 'application');
    assert.match(asString(chart.version, 'version'), /^\d+\.\d+\.\d+/);
    assert.equal(typeof chart.appVersion, 'string');
  });

  test('the default config is valid for cdc-sink with the environment the pod gets', () => {
    const config = parseConfig(values.config, { env: podEnv(), source: `${CHART}/values.yaml#config` });
    assert.equal(config.kafka.clientId, 'cdc-sink-7d9f-abcde');
    assert.match(String(config.target.options.url), /secret-of-TARGET_DB_PASSWORD/);
  });

  test('every .Values path the templates read is declared in values.yaml', () => {
    for (const file of templates) {
      const text = readText(`${CHART}/templates/${file}`);
      for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
        const path = (m[1] ?? '').slice(1).split('.');
        assert.ok(valuePathExists(path), `${file} reads .Values.${path.join('.')}, which values.yaml does not declare`);
      }
    }
  });

  test('defaults: non-root as in the image, read-only root, probes, graceful stop, optional monitoring off', () => {
    const user = dockerfile.filter((i) => i.keyword === 'USER').at(-1)?.args.split(':')[0];
    const pod = asRecord(values.podSecurityContext, 'podSecurityContext');
    assert.equal(pod.runAsNonRoot, true);
    assert.equal(String(pod.runAsUser), user, 'runAsUser differs from the image USER');
    const container = asRecord(values.securityContext, 'securityContext');
    assert.equal(container.readOnlyRootFilesystem, true);
    assert.equal(container.allowPrivilegeEscalation, false);
    assert.deepEqual(asRecord(container.capabilities, 'capabilities').drop, ['ALL']);
    assert.ok(Number(values.terminationGracePeriodSeconds) >= 60);
    const path = (probe: string) => asRecord(asRecord(values[probe], probe).httpGet, 'httpGet').path;
    assert.equal(path('livenessProbe'), '/healthz');
    assert.equal(path('readinessProbe'), '/readyz');
    assert.equal(asRecord(values.serviceMonitor, 'serviceMonitor').enabled, false);
    assert.equal(asRecord(values.prometheusRule, 'prometheusRule').enabled, false);
    assert.ok(Number(values.replicaCount) >= 1);
  });

  test('the deployment runs the image command with the mounted config and a writable /tmp', () => {
    const deployment = readText(`${CHART}/templates/deployment.yaml`);
    const cmd = execForm(dockerfile.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '');
    assert.ok(deployment.includes(`args: ${JSON.stringify(cmd).replaceAll(',', ', ')}`), 'container args differ from the image CMD');
    assert.match(deployment, /mountPath: \/etc\/cdc-sink\n/);
    assert.match(deployment, /mountPath: \/tmp\n/);
  });

  test('the other templates and NOTES.txt exist', () => {
    for (const file of ['_helpers.tpl', 'configmap.yaml', 'deployment.yaml', 'service.yaml', 'serviceaccount.yaml', 'pdb.yaml',
      'servicemonitor.yaml', 'prometheusrule.yaml', 'NOTES.txt']) {
      assert.ok(templates.includes(file), `templates/${file} is missing`);
    }
  });
});

describe('Helm chart cdc-sink: rendered', () => {
  test('helm lint passes', { skip: noHelm }, () => {
    const r = run(helm ?? [], ['lint', '--strict', CHART, '--set', 'serviceMonitor.enabled=true', '--set', 'prometheusRule.enabled=true']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  test('helm template renders valid objects that match the other artefacts', { skip: noHelm }, () => {
    const r = run(helm ?? [], ['template', 'orders', CHART, '--namespace', 'migration',
      '--set', 'serviceMonitor.enabled=true', '--set', 'prometheusRule.enabled=true']);
    assert.equal(r.status, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout);
    for (const d of docs) assert.deepEqual(d.errors, []);
    const objects = docs.map((d) => asRecord(d.toJS(), 'object'));
    const byKind = (kind: string) => {
      const found = objects.find((o) => o.kind === kind);
      assert.ok(found, `no ${kind} rendered`);
      return found;
    };
    for (const kind of ['ServiceAccount', 'ConfigMap', 'Service', 'Deployment', 'PodDisruptionBudget', 'ServiceMonitor', 'PrometheusRule']) byKind(kind);

    const configText = asString(asRecord(byKind('ConfigMap').data, 'data')['cdc-sink.yaml'], 'cdc-sink.yaml');
    const config = parseConfig(asRecord(parseAllDocuments(configText)[0]?.toJS(), 'config'), { env: podEnv() });
    assert.equal(config.http.port, 8080);

    const spec = asRecord(asRecord(asRecord(byKind('Deployment').spec, 'spec').template, 'template').spec, 'pod spec');
    assert.equal(spec.terminationGracePeriodSeconds, 60);
    const container = asRecord(asArray(spec.containers, 'containers')[0], 'container');
    assert.deepEqual(container.args, ['run', '--config', '/etc/cdc-sink/cdc-sink.yaml']);
    assert.equal(asRecord(container.securityContext, 'securityContext').readOnlyRootFilesystem, true);
    const env = asArray(container.env, 'env').map((e) => asRecord(e, 'env'));
    const password = env.find((e) => e.name === 'TARGET_DB_PASSWORD');
    assert.ok(password, 'TARGET_DB_PASSWORD is not set from the secret');
    assert.ok(asRecord(password.valueFrom, 'valueFrom').secretKeyRef !== undefined);
    assert.ok(env.some((e) => e.name === 'CDC_SINK_KAFKA__CLIENT_ID'));
    const mounts = asArray(container.volumeMounts, 'volumeMounts').map((m) => asRecord(m, 'mount').mountPath);
    assert.ok(mounts.includes('/tmp') && mounts.includes('/etc/cdc-sink'));

    const rule = asRecord(byKind('PrometheusRule').spec, 'spec');
    assert.deepEqual(rule.groups, asRecord(readYaml('deploy/prometheus/alerts.yml'), 'alerts').groups);
    const service = asRecord(byKind('Service').spec, 'spec');
    assert.equal(service.publishNotReadyAddresses, true);
  });
});
