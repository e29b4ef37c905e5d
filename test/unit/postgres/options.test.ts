import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import { CdcSinkError, ErrorCodes } from '../../../connectors/core/errors.ts';
import { createPostgresConnector, postgresConnectorDefinition } from '../../../connectors/postgres/index.ts';
import { postgresOptionsSchema, postgresSslSchema } from '../../../connectors/postgres/options.ts';
import { sslConfig } from '../../../connectors/postgres/session.ts';

void describe('postgres options', () => {
  void test('defaults', () => {
    assert.deepEqual(postgresOptionsSchema.parse({ url: 'postgres://u@h/db' }), {
      url: 'postgres://u@h/db',
      schema: 'public',
      offsetsTable: 'cdc_sink_offsets',
      poolSize: 4,
      connectTimeoutMs: 10000,
      statementTimeoutMs: 60000,
      applicationName: 'cdc-sink',
      rowsPerStatement: 2000,
      preparedStatements: 200,
      pipeline: true,
    });
  });

  void test('url is required, unknown keys and bad values are rejected', () => {
    assert.equal(postgresOptionsSchema.safeParse({}).success, false);
    assert.equal(postgresOptionsSchema.safeParse({ url: 'postgres://h/db', poolsize: 3 }).success, false);
    assert.equal(postgresOptionsSchema.safeParse({ url: 'postgres://h/db', rowsPerStatement: 0 }).success, false);
    assert.equal(postgresOptionsSchema.safeParse({ url: 'postgres://h/db', preparedStatements: -1 }).success, false);
    assert.equal(postgresOptionsSchema.safeParse({ url: 'postgres://h/db', ssl: { mode: 'prefer' } }).success, false);
  });

  void test('every key is described', () => {
    for (const [key, schema] of Object.entries(postgresOptionsSchema.shape)) {
      assert.ok((schema as z.ZodType).description, `options.${key} has no description`);
    }
    for (const [key, schema] of Object.entries(postgresSslSchema.shape)) {
      assert.ok((schema as z.ZodType).description, `options.ssl.${key} has no description`);
    }
  });

  void test('ssl modes -> node-postgres TLS settings', () => {
    assert.equal(sslConfig(undefined), undefined);
    assert.equal(sslConfig({ mode: 'disable' }), false);
    assert.deepEqual(sslConfig({ mode: 'require' }), { ca: undefined, cert: undefined, key: undefined, rejectUnauthorized: false });
    const full = sslConfig({ mode: 'verify-full', ca: 'PEM' });
    assert.deepEqual(full, { ca: 'PEM', cert: undefined, key: undefined, rejectUnauthorized: true });
    const ca = sslConfig({ mode: 'verify-ca', ca: 'PEM' });
    assert.ok(typeof ca === 'object' && ca.rejectUnauthorized === true && typeof ca.checkServerIdentity === 'function');
    assert.throws(() => sslConfig({ mode: 'verify-full', caFile: '/nonexistent/ca.pem' }), /reading the PostgreSQL CA file/);
  });

  void test('createPostgresConnector validates its options with a clear error', () => {
    assert.throws(
      () => createPostgresConnector({ url: '' }),
      (err: unknown) => err instanceof CdcSinkError && err.code === ErrorCodes.CONFIG_INVALID && /postgres target options/.test(err.message),
    );
    const c = createPostgresConnector({ url: 'postgres://h/db', schema: 'tgt' });
    assert.equal(c.dialect.qualifiedName({ schema: null, name: 't' }), '"tgt"."t"');
  });

  void test('definition', () => {
    assert.equal(postgresConnectorDefinition.type, 'postgres');
    assert.equal(postgresConnectorDefinition.optionsSchema, postgresOptionsSchema);
    assert.equal(postgresConnectorDefinition.create, createPostgresConnector);
  });
});
