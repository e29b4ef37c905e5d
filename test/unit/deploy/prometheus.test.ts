/**
 * deploy/prometheus: the alert rules parse, use only metrics cdc-sink exports, carry severity,
 * summary, description and runbook, and the Helm chart ships the same rules; the compose scrape
 * config targets the cdc-sink service. With promtool installed (Debian package `prometheus`), the
 * rules, the config and the rule unit tests (alerts.test.yml) run too.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { knownMetrics } from './known-metrics.ts';
import { asArray, asRecord, asString, exists, readText, readYaml } from './paths.ts';
import { metricNames } from './promql.ts';
import { promtool, run } from './tools.ts';

const alertsDoc = asRecord(readYaml('deploy/prometheus/alerts.yml'), 'alerts.yml');
const rules = asArray(alertsDoc.groups, 'groups').flatMap((g) =>
  asArray(asRecord(g, 'group').rules, 'rules').map((r) => asRecord(r, 'rule')),
);
const known = knownMetrics();
const noPromtool = promtool === undefined && 'promtool is not installed (apt-get install prometheus)';

describe('deploy/prometheus/alerts.yml', () => {
  test('has the alerts the runbooks describe', () => {
    const names = rules.map((r) => r.alert);
    for (const wanted of ['CdcSinkNotReady', 'CdcSinkReplicationLagHigh', 'CdcSinkConsumerLagGrowing', 'CdcSinkErrors',
      'CdcSinkDeadLetters', 'CdcSinkStalled', 'CdcSinkRestarting']) {
      assert.ok(names.includes(wanted), `alert ${wanted} is missing`);
    }
    assert.equal(new Set(names).size, names.length, 'duplicate alert names');
  });

  test('every rule is an alert with severity, summary, description and runbook', () => {
    for (const rule of rules) {
      const name = asString(rule.alert, 'alert');
      assert.match(asString(asRecord(rule.labels, `${name}.labels`).severity, 'severity'), /^(critical|warning|info)$/);
      const annotations = asRecord(rule.annotations, `${name}.annotations`);
      for (const key of ['summary', 'description', 'runbook']) {
        assert.ok(asString(annotations[key], `${name}.${key}`).length > 20, `${name}: ${key} is too short`);
      }
      if (rule.for !== undefined) assert.match(asString(rule.for, 'for'), /^\d+[smh]$/);
    }
  });

  test('uses only metrics cdc-sink exports', () => {
    for (const rule of rules) {
      const expr = asString(rule.expr, 'expr');
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${String(rule.alert)}: no metric in ${expr}`);
      for (const name of names) assert.ok(known.series.has(name), `${String(rule.alert)}: unknown metric ${name}`);
    }
  });

  test('rules on generic process metrics are tied to cdc-sink', () => {
    for (const rule of rules) {
      const names = metricNames(asString(rule.expr, 'expr'));
      if (names.some((n) => !n.startsWith('cdc_sink_'))) {
        assert.ok(names.some((n) => n.startsWith('cdc_sink_')), `${String(rule.alert)} would match any process`);
      }
    }
  });

  test('the conditions the brief asks for are the ones implemented', () => {
    const expr = (name: string) => asString(rules.find((r) => r.alert === name)?.expr, name);
    const forOf = (name: string) => rules.find((r) => r.alert === name)?.for;
    assert.match(expr('CdcSinkNotReady'), /cdc_sink_ready\)?\s*==\s*0/);
    assert.equal(forOf('CdcSinkNotReady'), '5m');
    assert.match(expr('CdcSinkReplicationLagHigh'), /cdc_sink_replication_lag_seconds\)?\s*>\s*60/);
    assert.equal(forOf('CdcSinkReplicationLagHigh'), '10m');
    assert.match(expr('CdcSinkConsumerLagGrowing'), /deriv\(cdc_sink_consumer_lag_messages/);
    assert.equal(forOf('CdcSinkConsumerLagGrowing'), '15m');
    assert.match(expr('CdcSinkStalled'), /increase\(cdc_sink_rows_written_total\[15m\]\)/);
    assert.match(expr('CdcSinkDeadLetters'), /cdc_sink_dead_letter_total/);
    assert.match(expr('CdcSinkRestarting'), /process_start_time_seconds/);
  });

  test('the Helm chart ships an exact copy', () => {
    assert.equal(readText('deploy/helm/cdc-sink/files/alerts.yml'), readText('deploy/prometheus/alerts.yml'));
  });

  test('alerts.test.yml exercises every alert', () => {
    const tests = readText('deploy/prometheus/alerts.test.yml');
    for (const rule of rules) assert.ok(tests.includes(`alertname="${String(rule.alert)}"`), `no unit test for ${String(rule.alert)}`);
  });

  test('promtool check rules', { skip: noPromtool }, () => {
    const r = run(promtool ?? [], ['check', 'rules', 'deploy/prometheus/alerts.yml']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  test('promtool test rules (alerts.test.yml: which alerts fire and which do not)', { skip: noPromtool }, () => {
    const r = run(promtool ?? [], ['test', 'rules', 'deploy/prometheus/alerts.test.yml']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});

describe('deploy/prometheus/prometheus.yml', () => {
  const config = asRecord(readYaml('deploy/prometheus/prometheus.yml'), 'prometheus.yml');

  test('loads the alert rules and scrapes the cdc-sink service on its HTTP port', () => {
    for (const file of asArray(config.rule_files, 'rule_files')) assert.ok(exists(`deploy/prometheus/${asString(file, 'rule file')}`));
    const job = asArray(config.scrape_configs, 'scrape_configs').map((j) => asRecord(j, 'job')).find((j) => j.job_name === 'cdc-sink');
    assert.ok(job, 'no cdc-sink scrape job');
    assert.equal(job.metrics_path ?? '/metrics', '/metrics');
    const targets = asArray(asRecord(asArray(job.static_configs, 'static_configs')[0], 'sc').targets, 'targets');
    const services = asRecord(asRecord(readYaml('docker-compose.yml'), 'compose').services, 'services');
    for (const t of targets) {
      const [host] = asString(t, 'target').split(':');
      assert.ok(host !== undefined && host in services, `scrape target ${String(t)} is no compose service`);
    }
    assert.deepEqual(targets, ['cdc-sink:8080']);
  });

  test('promtool check config', { skip: noPromtool }, () => {
    const r = run(promtool ?? [], ['check', 'config', 'deploy/prometheus/prometheus.yml']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
