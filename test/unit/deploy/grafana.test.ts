/**
 * deploy/grafana: the dashboard JSON parses, queries only metrics cdc-sink exports (so a panel never
 * shows "No data" because of a typo or a renamed metric), shows every cdc_sink_* metric, uses only
 * variables it defines, and its layout fits the grid; the provisioning files parse.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { knownMetrics, seriesOf } from './known-metrics.ts';
import { asArray, asRecord, asString, readJson, readYaml } from './paths.ts';
import { metricNames } from './promql.ts';

const dashboard = asRecord(readJson('deploy/grafana/dashboards/cdc-sink.json'), 'dashboard');
const panels = asArray(dashboard.panels, 'panels').map((p, i) => asRecord(p, `panel ${i}`));
const dataPanels = panels.filter((p) => p.type !== 'row');
const variables = asArray(asRecord(dashboard.templating, 'templating').list, 'templating.list').map((v) => asRecord(v, 'variable'));
const known = knownMetrics();

interface Query {
  readonly panel: string;
  readonly expr: string;
}

const queries: Query[] = dataPanels.flatMap((p) =>
  asArray(p.targets ?? [], 'targets').map((t) => ({ panel: asString(p.title, 'title'), expr: asString(asRecord(t, 'target').expr, 'expr') })),
);
const variableQueries: Query[] = variables
  .filter((v) => v.type === 'query')
  .map((v) => ({ panel: `variable ${String(v.name)}`, expr: asString(v.definition, 'definition').replace(/^label_values\((.*),\s*\w+\)$/, '$1') }));

describe('Grafana dashboard cdc-sink.json', () => {
  test('is a provisionable dashboard with a stable uid and a Prometheus datasource variable', () => {
    assert.equal(dashboard.uid, 'cdc-sink');
    assert.equal(typeof dashboard.title, 'string');
    assert.ok(typeof dashboard.schemaVersion === 'number' && dashboard.schemaVersion >= 36, 'schemaVersion too old');
    assert.equal(dashboard.id, null, 'a provisioned dashboard must not carry a database id');
    const ds = variables.find((v) => v.type === 'datasource');
    assert.ok(ds, 'no datasource variable');
    assert.equal(ds.query, 'prometheus');
  });

  test('every panel and query uses the datasource variable', () => {
    const dsName = String(variables.find((v) => v.type === 'datasource')?.name);
    for (const p of dataPanels) {
      assert.equal(asRecord(p.datasource, 'datasource').uid, `\${${dsName}}`, `panel ${String(p.title)}`);
      for (const t of asArray(p.targets, 'targets')) {
        assert.equal(asRecord(asRecord(t, 't').datasource, 'datasource').uid, `\${${dsName}}`, `a query of ${String(p.title)}`);
      }
    }
  });

  test('queries only metrics cdc-sink exports', () => {
    assert.ok(queries.length >= 20, `only ${queries.length} queries found`);
    for (const { panel, expr } of [...queries, ...variableQueries]) {
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${panel}: no metric in ${expr}`);
      for (const name of names) assert.ok(known.series.has(name), `${panel}: unknown metric ${name} in ${expr}`);
    }
  });

  test('shows every cdc_sink_* metric the service exports', () => {
    const used = queries.flatMap((q) => metricNames(q.expr));
    for (const metric of known.cdcSinkMetrics) {
      assert.ok(used.some((s) => seriesOf(s, metric)), `no panel shows ${metric}`);
    }
  });

  test('has the panels operators need', () => {
    const titles = dataPanels.map((p) => asString(p.title, 'title').toLowerCase());
    for (const wanted of ['ready', 'events consumed', 'rows written', 'replication lag by table', 'consumer lag by partition',
      'batch duration p50 / p99', 'errors / s', 'retries', 'buffered events', 'transform duration p99', 'dead letters', 'memory', 'cpu', 'event loop lag']) {
      assert.ok(titles.some((t) => t.includes(wanted)), `no panel about "${wanted}"`);
    }
    const batch = queries.filter((q) => q.panel.startsWith('Batch duration')).map((q) => q.expr);
    assert.ok(batch.some((e) => e.startsWith('histogram_quantile(0.5,')) && batch.some((e) => e.startsWith('histogram_quantile(0.99,')));
  });

  test('the replication lag panel draws the threshold the alert uses', () => {
    const panel = dataPanels.find((p) => p.title === 'Replication lag by table');
    assert.ok(panel);
    const defaults = asRecord(asRecord(panel.fieldConfig, 'fieldConfig').defaults, 'defaults');
    const steps = asArray(asRecord(defaults.thresholds, 'thresholds').steps, 'steps').map((s) => asRecord(s, 'step').value);
    const alerts = asArray(asRecord(asArray(asRecord(readYaml('deploy/prometheus/alerts.yml'), 'a').groups, 'groups')[0], 'g').rules, 'rules');
    const rule = alerts.map((r) => asRecord(r, 'rule')).find((r) => r.alert === 'CdcSinkReplicationLagHigh');
    const limit = Number(/>\s*(\d+)\s*$/.exec(asString(rule?.expr, 'expr'))?.[1]);
    assert.ok(steps.includes(limit), `threshold steps ${JSON.stringify(steps)} do not include the alert's ${limit}`);
    assert.notEqual(asRecord(asRecord(defaults.custom, 'custom').thresholdsStyle, 'style').mode, 'off');
  });

  test('uses only variables it defines (or Grafana built-ins)', () => {
    const defined = new Set(variables.map((v) => String(v.name)));
    for (const { panel, expr } of [...queries, ...variableQueries]) {
      for (const m of expr.matchAll(/\$\{?(\w+)/g)) {
        const name = m[1] ?? '';
        assert.ok(defined.has(name) || name.startsWith('__'), `${panel}: undefined variable $${name}`);
      }
    }
  });

  test('panel ids are unique and panels fit the 24-column grid without overlapping', () => {
    const ids = panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate panel ids');
    const boxes = panels.map((p) => {
      const g = asRecord(p.gridPos, 'gridPos');
      return { title: String(p.title), x: Number(g.x), y: Number(g.y), w: Number(g.w), h: Number(g.h) };
    });
    for (const b of boxes) assert.ok(b.x >= 0 && b.w > 0 && b.x + b.w <= 24, `${b.title} leaves the grid`);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        assert.ok(!overlap, `${a.title} overlaps ${b.title}`);
      }
    }
  });
});

describe('Grafana provisioning', () => {
  test('the datasource is the compose Prometheus and is the default', () => {
    const ds = asArray(asRecord(readYaml('deploy/grafana/provisioning/datasources/prometheus.yml'), 'ds').datasources, 'datasources');
    const prom = asRecord(ds[0], 'datasource');
    assert.equal(prom.type, 'prometheus');
    assert.equal(prom.url, 'http://prometheus:9090');
    assert.equal(prom.isDefault, true);
  });

  test('the dashboard provider is a file provider', () => {
    const providers = asArray(asRecord(readYaml('deploy/grafana/provisioning/dashboards/cdc-sink.yml'), 'p').providers, 'providers');
    assert.equal(asRecord(providers[0], 'provider').type, 'file');
  });
});

describe('metricNames (the PromQL scan these checks rely on)', () => {
  test('finds selected metrics and ignores functions, labels, ranges, numbers and variables', () => {
    assert.deepEqual(
      metricNames('histogram_quantile(0.99, sum by (le, table) (rate(cdc_sink_batch_duration_seconds_bucket{job=~"$job"}[$__rate_interval])))'),
      ['cdc_sink_batch_duration_seconds_bucket'],
    );
    assert.deepEqual(metricNames('sum(increase(a_total{x="b{c}"}[15m])) or vector(0)'), ['a_total']);
    assert.deepEqual(metricNames('(sum by (job) (lag) > 0) unless on (job) (sum by (job) (increase(rows_total[15m])) > 1e3)'), ['lag', 'rows_total']);
    assert.deepEqual(metricNames('changes(start_time[30m]) > 2 and on (job, instance) ready offset 5m'), ['ready', 'start_time']);
    assert.deepEqual(metricNames('time() - max(cdc_sink_last_applied_timestamp_seconds)'), ['cdc_sink_last_applied_timestamp_seconds']);
  });
});
