import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CdcSinkError } from '../../../connectors/core/errors.ts';
import { mysqlConnectorDefinition } from '../../../connectors/mysql/index.ts';
import { mysqlOptionsSchema } from '../../../connectors/mysql/options.ts';
import { parseMysqlUrl, poolOptions, queryFormat, sslConfig } from '../../../connectors/mysql/pool-config.ts';
import { binaryCollation, parseServerVersion, supportsRowAlias, versionAtLeast } from '../../../connectors/mysql/server-version.ts';

describe('mysql options', () => {
  test('defaults', () => {
    assert.deepEqual(mysqlOptionsSchema.parse({ url: 'mysql://u@h/db' }), {
      url: 'mysql://u@h/db',
      offsetsTable: 'cdc_sink_offsets',
      poolSize: 4,
      connectTimeoutMs: 10000,
      uuidStorage: 'char36',
      rowsPerStatement: 1000,
      flavor: 'auto',
      pipeline: true,
    });
  });

  test('unknown keys and bad values are rejected', () => {
    assert.equal(mysqlOptionsSchema.safeParse({ url: 'mysql://h/db', port: 1 }).success, false);
    assert.equal(mysqlOptionsSchema.safeParse({ url: 'mysql://h/db', uuidStorage: 'text' }).success, false);
    assert.equal(mysqlOptionsSchema.safeParse({ url: 'mysql://h/db', ssl: { mode: 'prefer' } }).success, false);
    assert.equal(mysqlOptionsSchema.safeParse({}).success, false);
  });

  test('every key is described', () => {
    for (const [key, schema] of Object.entries(mysqlOptionsSchema.shape)) {
      assert.ok((schema.description ?? '').length > 10, `${key} has a description`);
    }
    assert.equal(mysqlConnectorDefinition.type, 'mysql');
    assert.equal(mysqlConnectorDefinition.optionsSchema, mysqlOptionsSchema);
  });

  test('url parsing: percent-encoded credentials, default port, database override', () => {
    assert.deepEqual(parseMysqlUrl('mysql://us%40r:p%3Ass@db.example:3307/sh%20op'), {
      host: 'db.example',
      port: 3307,
      user: 'us@r',
      password: 'p:ss',
      database: 'sh op',
    });
    assert.equal(parseMysqlUrl('mysql://u@h').port, 3306);
    assert.equal(parseMysqlUrl('mysql://u@h').database, null);
    assert.equal(parseMysqlUrl('mysql://u@h/a', 'b').database, 'b');
    assert.equal(parseMysqlUrl('mysql://u@[::1]:3306/a').host, '::1');
  });

  for (const [url, message] of [
    ['not a url', /not a valid URL/],
    ['postgres://h/db', /must start with mysql:\/\//],
    ['mysql://h/db?ssl=true', /query parameters are not supported/],
    ['mysql://h/a/b', /not a database name/],
  ] as const) {
    test(`bad url ${url}`, () => {
      assert.throws(() => parseMysqlUrl(url), (err: unknown) => err instanceof CdcSinkError && err.kind === 'fatal' && message.test(err.message));
    });
  }

  test('pool options: UTC, exact numbers and dates, FOUND_ROWS, utf8mb4, bounded statement cache', () => {
    const p = poolOptions(mysqlOptionsSchema.parse({ url: 'mysql://u:p@h/db', poolSize: 7 }), parseMysqlUrl('mysql://u:p@h/db'));
    assert.equal(p.timezone, 'Z');
    assert.equal(p.dateStrings, true);
    assert.equal(p.supportBigNumbers, true);
    assert.equal(p.bigNumberStrings, true);
    assert.deepEqual(p.flags, ['FOUND_ROWS']);
    assert.equal(p.charset, 'UTF8MB4_UNICODE_CI');
    assert.equal(p.connectionLimit, 7);
    assert.equal(p.database, 'db');
    assert.equal(p.resetOnRelease, false);
    assert.equal(p.maxPreparedStatements, 16);
    assert.equal(p.ssl, undefined);
    assert.equal(p.queryFormat, queryFormat);
  });

  test('multi-statement texts are allowed only with pipeline', () => {
    const url = 'mysql://u@h/db';
    assert.equal(poolOptions(mysqlOptionsSchema.parse({ url }), parseMysqlUrl(url)).multipleStatements, true);
    assert.equal(poolOptions(mysqlOptionsSchema.parse({ url, pipeline: false }), parseMysqlUrl(url)).multipleStatements, false);
  });

  test('queryFormat: without values the text goes as it is; with values, mysql2 format()', () => {
    const inline = "INSERT INTO `t?` (`a`) VALUES ('?'), ('it\\'s ?')";
    assert.equal(queryFormat(inline, []), inline);
    assert.equal(queryFormat(inline, undefined), inline);
    assert.equal(queryFormat('SELECT ?, ?, ?', [1, "a'", null]), "SELECT 1, 'a\\'', NULL");
  });

  test('ssl modes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'myconn-'));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, 'CA-PEM');
    assert.equal(sslConfig({ mode: 'disable' }), undefined);
    assert.deepEqual(sslConfig({ mode: 'require' }), { rejectUnauthorized: false, verifyIdentity: false });
    assert.deepEqual(sslConfig({ mode: 'verify-ca', caFile }), { ca: 'CA-PEM', rejectUnauthorized: true, verifyIdentity: false });
    assert.deepEqual(sslConfig({ mode: 'verify-full', ca: 'X', cert: 'C', key: 'K' }), {
      ca: 'X',
      cert: 'C',
      key: 'K',
      rejectUnauthorized: true,
      verifyIdentity: true,
    });
    assert.throws(() => sslConfig({ mode: 'verify-full' }), /needs ssl.ca or ssl.caFile/);
    assert.throws(() => sslConfig({ mode: 'verify-ca', caFile: join(dir, 'missing.pem') }), /cannot read ssl.caFile/);
  });
});

describe('mysql server versions', () => {
  const cases: [string, string, readonly number[]][] = [
    ['8.0.36', 'mysql', [8, 0, 36]],
    ['8.4.0-log', 'mysql', [8, 4, 0]],
    ['10.11.19-MariaDB-0+deb12u1', 'mariadb', [10, 11, 19]],
    ['5.5.5-10.6.4-MariaDB', 'mariadb', [10, 6, 4]],
  ];
  for (const [text, flavor, version] of cases) {
    test(text, () => assert.deepEqual(parseServerVersion(text), { flavor, version }));
  }

  test('row alias from MySQL 8.0.20 on, never on MariaDB', () => {
    assert.equal(supportsRowAlias({ flavor: 'mysql', version: [8, 0, 19] }), false);
    assert.equal(supportsRowAlias({ flavor: 'mysql', version: [8, 0, 20] }), true);
    assert.equal(supportsRowAlias({ flavor: 'mysql', version: [9, 1, 0] }), true);
    assert.equal(supportsRowAlias({ flavor: 'mariadb', version: [11, 4, 0] }), false);
    assert.equal(versionAtLeast([10, 2, 2], 10, 2, 2), true);
    assert.equal(versionAtLeast([10, 1, 9], 10, 2, 2), false);
  });

  test('binary collations', () => {
    assert.equal(binaryCollation({ flavor: 'mysql', version: [8, 0, 36] }), 'utf8mb4_0900_bin');
    assert.equal(binaryCollation({ flavor: 'mysql', version: [5, 7, 44] }), 'utf8mb4_bin');
    assert.equal(binaryCollation({ flavor: 'mariadb', version: [10, 11, 6] }), 'utf8mb4_nopad_bin');
  });
});
