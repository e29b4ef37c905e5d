/** decoder.format avro and decoder.schemaRegistry in the config: validation, environment, masking. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../../services/sink/config/load.ts';
import { redact } from '../../../services/sink/config/redact.ts';
import { problems } from './config-problems.ts';

const minimal = {
  kafka: { topics: ['srv.public.customers'] },
  target: { type: 'postgres', url: 'postgres://app@db:5432/app' },
};

describe('config: decoder.format avro', () => {
  test('json stays the default and needs no registry', () => {
    const c = parseConfig(minimal, { env: {} });
    assert.equal(c.decoder.format, 'json');
    assert.equal(c.decoder.schemaRegistry, undefined);
  });

  test('avro without a registry URL is an error naming decoder.schemaRegistry.url', () => {
    const p = problems(() => parseConfig({ ...minimal, decoder: { format: 'avro' } }, { env: {} }));
    assert.deepEqual(p, [{ path: 'decoder.schemaRegistry.url', message: 'decoder.format avro needs the schema registry URL' }]);
    const noUrl = problems(() => parseConfig({ ...minimal, decoder: { format: 'avro', schemaRegistry: {} } }, { env: {} }));
    assert.deepEqual(noUrl.map((x) => x.path), ['decoder.schemaRegistry.url']);
  });

  test('the URL must be http(s); username and password come together; unknown keys are rejected', () => {
    const p = problems(() =>
      parseConfig({ ...minimal, decoder: { format: 'avro', schemaRegistry: { url: 'ftp://registry', username: 'sink', extra: 1 } } }, { env: {} }),
    );
    assert.deepEqual(p.map((x) => x.path).sort(), ['decoder.schemaRegistry', 'decoder.schemaRegistry.password', 'decoder.schemaRegistry.url']);
    const half = problems(() => parseConfig({ ...minimal, decoder: { format: 'avro', schemaRegistry: { url: 'http://registry:8081', username: 'sink' } } }, { env: {} }));
    assert.deepEqual(half, [{ path: 'decoder.schemaRegistry.password', message: 'set both username and password, or neither' }]);
  });

  test('a full section, from the environment, with the password as a secret reference', () => {
    const c = parseConfig(minimal, {
      env: {
        CDC_SINK_DECODER__FORMAT: 'avro',
        CDC_SINK_DECODER__SCHEMA_REGISTRY__URL: 'https://registry:8081/apis/ccompat/v7',
        CDC_SINK_DECODER__SCHEMA_REGISTRY__USERNAME: 'sink',
        CDC_SINK_DECODER__SCHEMA_REGISTRY__PASSWORD: '${env:REGISTRY_PASSWORD}',
        CDC_SINK_DECODER__SCHEMA_REGISTRY__TIMEOUT_MS: '2500',
        REGISTRY_PASSWORD: 'hunter2',
      },
    });
    assert.deepEqual({ ...c.decoder.schemaRegistry }, {
      url: 'https://registry:8081/apis/ccompat/v7',
      username: 'sink',
      password: 'hunter2',
      rejectUnauthorized: true,
      timeoutMs: 2500,
    });
  });

  test('the password and URL credentials are masked when the config is printed', () => {
    const c = parseConfig(
      { ...minimal, decoder: { format: 'avro', schemaRegistry: { url: 'http://user:inurl@registry:8081', username: 'sink', password: 'hunter2' } } },
      { env: {} },
    );
    const printed = JSON.stringify(redact(c));
    assert.ok(!printed.includes('hunter2') && !printed.includes('inurl'), printed);
    assert.match(printed, /"password":"\*\*\*"/);
    assert.match(printed, /http:\/\/user:\*\*\*@registry:8081/);
  });
});
