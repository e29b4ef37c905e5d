import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfigFile, parseConfig } from '../../../services/sink/config/load.ts';
import { redact } from '../../../services/sink/config/redact.ts';
import { problems } from './config-problems.ts';

const minimal = {
  kafka: { topics: ['srv.public.customers'] },
  target: { type: 'postgres', url: 'postgres://app:s3cret@db:5432/app' },
};

describe('config', () => {
  test('defaults fill a minimal config', () => {
    const c = parseConfig(minimal, { env: {} });
    assert.equal(c.kafka.groupId, 'cdc-sink');
    assert.deepEqual(c.kafka.brokers, ['127.0.0.1:9092']);
    assert.equal(c.http.port, 8080);
    assert.equal(c.batch.maxRows, 5000);
    assert.equal(c.batch.maxAgeMs, 500);
    assert.equal(c.target.type, 'postgres');
    assert.equal(c.target.options.url, 'postgres://app:s3cret@db:5432/app');
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.kafka));
  });

  test('every key can be overridden from the environment', () => {
    const c = parseConfig(minimal, {
      env: {
        CDC_SINK_KAFKA__GROUP_ID: 'orders',
        CDC_SINK_KAFKA__BROKERS: 'a:9092, b:9092',
        CDC_SINK_BATCH__MAX_ROWS: '123',
        CDC_SINK_HTTP__PORT: '9090',
        CDC_SINK_TARGET__URL: 'postgres://x@y/z',
        CDC_SINK_TABLES__AUTO_CREATE: 'false',
        UNRELATED: '1',
        CDC_SINK_CONFIG: '/etc/cdc-sink/cdc-sink.yaml',
        CDC_SINK_HOME: '/tmp/cache',
      },
    });
    assert.equal(c.kafka.groupId, 'orders');
    assert.deepEqual(c.kafka.brokers, ['a:9092', 'b:9092']);
    assert.equal(c.batch.maxRows, 123);
    assert.equal(c.http.port, 9090);
    assert.equal(c.target.options.url, 'postgres://x@y/z');
    assert.equal(c.tables.autoCreate, false);
  });

  test('errors name the bad key and why', () => {
    const p = problems(() =>
      parseConfig({ ...minimal, batch: { maxRows: 0 }, http: { port: 'eighty' }, kafka: { topics: ['t'], bogus: 1 } }, { env: {} }),
    );
    const paths = p.map((x) => x.path).sort();
    assert.deepEqual(paths, ['batch.maxRows', 'http.port', 'kafka']);
    assert.match(p.find((x) => x.path === 'kafka')!.message, /bogus/);
    assert.match(p.find((x) => x.path === 'batch.maxRows')!.message, />=\s*1|too small/i);
  });

  test('topics or topicPattern is required', () => {
    const p = problems(() => parseConfig({ target: minimal.target }, { env: {} }));
    assert.ok(p.some((x) => x.path === 'kafka.topics' && /topicPattern/.test(x.message)), JSON.stringify(p));
  });

  test('brokers and topics are never empty lists; brokers are host:port', () => {
    const empty = problems(() => parseConfig({ ...minimal, kafka: { brokers: [], topics: [] } }, { env: {} }));
    assert.deepEqual(empty.map((x) => x.path).sort(), ['kafka.brokers', 'kafka.topics'], JSON.stringify(empty));
    const bad = problems(() => parseConfig({ ...minimal, kafka: { brokers: ['kafka-1:9092', 'kafka-2'], topics: ['t'] } }, { env: {} }));
    assert.deepEqual(bad, [{ path: 'kafka.brokers.1', message: 'must be host:port' }]);
    const fromEnv = parseConfig(minimal, { env: { CDC_SINK_KAFKA__BROKERS: 'k1:9092, [::1]:9093' } });
    assert.deepEqual(fromEnv.kafka.brokers, ['k1:9092', '[::1]:9093']);
  });

  test('target options are validated by the connector schema, under target.*', () => {
    const p = problems(() => parseConfig({ ...minimal, target: { type: 'postgres' } }, { env: {} }));
    assert.ok(p.some((x) => x.path === 'target.url'), JSON.stringify(p));
    const q = problems(() => parseConfig({ ...minimal, target: { type: 'sqlite', url: 'x' } }, { env: {} }));
    assert.ok(q.some((x) => x.path === 'target.type'), JSON.stringify(q));
  });

  test('secret references resolve from env and files, and a missing one is an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdc-cfg-'));
    writeFileSync(join(dir, 'pw'), 'from-file\n');
    const c = parseConfig(
      { ...minimal, kafka: { topics: ['t'], sasl: { mechanism: 'plain', username: '${env:KUSER}', password: '${file:pw}' } } },
      { env: { KUSER: 'alice' }, baseDir: dir },
    );
    assert.equal(c.kafka.sasl?.username, 'alice');
    assert.equal(c.kafka.sasl?.password, 'from-file');
    const p = problems(() => parseConfig({ ...minimal, target: { type: 'postgres', url: '${env:NOPE}' } }, { env: {} }));
    assert.deepEqual(p, [{ path: 'target.url', message: 'environment variable NOPE is not set' }]);
  });

  test('a YAML file with a syntax error is a config error naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdc-cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'kafka: [unclosed\n');
    assert.throws(() => loadConfigFile(file, {}), (err: unknown) => err instanceof ConfigError && err.message.includes(file) && /YAML/.test(err.message));
  });

  test('redact masks passwords and URL credentials', () => {
    const out = JSON.stringify(redact({ target: { url: 'postgres://app:s3cret@db/app' }, sasl: { password: 'pw1', username: 'u' } }));
    assert.ok(!out.includes('s3cret') && !out.includes('pw1'), out);
    assert.ok(out.includes('postgres://app:***@db/app'), out);
  });
});
