/**
 * The Oracle connector without an Oracle server: option validation, url vs connectString, the
 * pool attributes and bind definitions handed to node-oracledb, and what connect() does when
 * nothing (or something that is not Oracle) listens. The real behaviour against a database is
 * covered by the contract suite when ORACLE_URL is set.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import oracledb from 'oracledb';
import { CdcSinkError, ErrorCodes, TargetError } from '../../../connectors/core/errors.ts';
import { driverBindDefs, poolAttributes } from '../../../connectors/oracle/driver.ts';
import {
  createOracleConnector,
  oracleConnectorDefinition,
  oracleOptionsSchema,
  parseOracleUrl,
  resolveConnection,
} from '../../../connectors/oracle/index.ts';

function assertInvalid(options: unknown, pattern: RegExp): void {
  assert.throws(
    () => createOracleConnector(options),
    (err: unknown) => {
      assert.ok(err instanceof CdcSinkError);
      assert.equal(err.code, ErrorCodes.CONFIG_INVALID);
      assert.equal(err.kind, 'fatal');
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('oracle options', () => {
  test('connectString + user + password, with defaults filled in', () => {
    const o = oracleOptionsSchema.parse({ connectString: 'db:1521/FREEPDB1', user: 'sink', password: 's3cret' });
    assert.deepEqual(o, {
      connectString: 'db:1521/FREEPDB1',
      user: 'sink',
      password: 's3cret',
      offsetsTable: 'CDC_SINK_OFFSETS',
      identifierCase: 'upper',
      jsonColumnType: 'clob',
      poolMin: 1,
      poolMax: 4,
      connectTimeoutSeconds: 20,
      callTimeoutMs: 0,
      rowsPerStatement: 1000,
    });
    assert.deepEqual(resolveConnection(o), { user: 'sink', password: 's3cret', connectString: 'db:1521/FREEPDB1' });
  });

  test('url with user and password (percent-decoded), default port', () => {
    const o = oracleOptionsSchema.parse({ url: 'oracle://sink:p%40ss%3Aw0rd@db.example.com/FREEPDB1' });
    assert.deepEqual(resolveConnection(o), {
      user: 'sink',
      password: 'p@ss:w0rd',
      connectString: 'db.example.com:1521/FREEPDB1',
    });
  });

  test('url without credentials takes user and password as keys; query passed on', () => {
    const o = oracleOptionsSchema.parse({
      url: 'oracle://db:1522/ORCLPDB1?transport_connect_timeout=5',
      user: 'sink',
      password: 'pw',
    });
    assert.deepEqual(resolveConnection(o), {
      user: 'sink',
      password: 'pw',
      connectString: 'db:1522/ORCLPDB1?transport_connect_timeout=5',
    });
  });

  test('url with user only, password as a key', () => {
    const o = oracleOptionsSchema.parse({ url: 'oracle://sink@[::1]:1521/SVC', password: 'pw' });
    assert.deepEqual(resolveConnection(o), { user: 'sink', password: 'pw', connectString: '[::1]:1521/SVC' });
  });

  test('parsing is idempotent (the registry may parse twice)', () => {
    const once = oracleOptionsSchema.parse({ url: 'oracle://a:b@h/S', schema: 'app', identifierCase: 'preserve' });
    assert.deepEqual(oracleOptionsSchema.parse(once), once);
  });

  test('parseOracleUrl rejects what is not oracle://host/service', () => {
    assert.throws(() => parseOracleUrl('postgres://a:b@h/S'), /must start with oracle:\/\//);
    assert.throws(() => parseOracleUrl('oracle://h:1521'), /name exactly one service/);
    assert.throws(() => parseOracleUrl('oracle://h/a/b'), /exactly one service/);
    assert.throws(() => parseOracleUrl('not a url'), /not a valid URL/);
  });

  test('invalid options are rejected before any I/O', () => {
    assertInvalid({ user: 'a', password: 'b' }, /url: give exactly one of url and connectString/);
    assertInvalid(
      { url: 'oracle://a:b@h/S', connectString: 'h/S' },
      /give exactly one of url and connectString/,
    );
    assertInvalid({ connectString: 'h/S', user: 'a' }, /password: password is required/);
    assertInvalid({ url: 'oracle://h/S', password: 'x' }, /user: user is required, in the url or as a key/);
    assertInvalid({ url: 'oracle://a:b@h/S', user: 'c' }, /user: user is given both in the url and as a key/);
    assertInvalid({ url: 'mysql://a:b@h/S' }, /url: url must start with oracle:\/\//);
    assertInvalid({ connectString: 'h/S', user: 'a', password: 'b', poolMin: 5, poolMax: 2 }, /poolMin must not exceed poolMax/);
    assertInvalid({ connectString: 'h/S', user: 'a', password: 'b', identifierCase: 'lower' }, /identifierCase/);
    assertInvalid({ connectString: 'h/S', user: 'a', password: 'b', rowsPerStatement: 0 }, /rowsPerStatement/);
    assertInvalid({ connectString: 'h/S', user: 'a', password: 'b', bogus: 1 }, /bogus/);
    assertInvalid(null, /invalid oracle target options/);
  });

  test('every option key is described', () => {
    for (const [key, schema] of Object.entries(oracleOptionsSchema.shape)) {
      assert.ok((schema as { description?: string }).description, key);
    }
  });
});

describe('oracle connector shape', () => {
  test('the definition validates with the same schema and builds a connector', () => {
    assert.equal(oracleConnectorDefinition.type, 'oracle');
    assert.equal(oracleConnectorDefinition.optionsSchema, oracleOptionsSchema);
    const options = oracleOptionsSchema.parse({ url: 'oracle://a:b@h/S', schema: 'app' });
    const c = oracleConnectorDefinition.create(options, {});
    assert.equal(c.dialect.name, 'oracle');
    assert.equal(c.dialect.qualifiedName({ schema: null, name: 'orders' }), '"APP"."ORDERS"');
  });

  test('an invalid offsets table name is rejected when the connector is built', () => {
    assert.throws(
      () => createOracleConnector({ url: 'oracle://a:b@h/S', offsetsTable: 'bad"name' }),
      (err: unknown) => err instanceof TargetError && /double quote/.test(err.message),
    );
  });

  test('pool attributes: thin-mode pool with a session callback and TLS options when given', () => {
    const o = oracleOptionsSchema.parse({
      url: 'oracle://a:b@h:2484/S',
      poolMin: 0,
      poolMax: 8,
      walletLocation: '/wallet',
      walletPassword: 'wp',
      sslServerDNMatch: false,
    });
    const attrs = poolAttributes(o);
    assert.equal(typeof attrs.sessionCallback, 'function');
    assert.deepEqual(
      { ...attrs, sessionCallback: undefined },
      {
        user: 'a',
        password: 'b',
        connectString: 'h:2484/S',
        poolMin: 0,
        poolMax: 8,
        poolIncrement: 1,
        connectTimeout: 20,
        sessionCallback: undefined,
        walletLocation: '/wallet',
        walletPassword: 'wp',
        sslServerDNMatch: false,
      },
    );
    assert.equal(oracledb.thin, true);
  });

  test('bind definitions map to node-oracledb types', () => {
    assert.deepEqual(
      driverBindDefs([
        { type: 'varchar', maxSize: 12 },
        { type: 'number' },
        { type: 'binary_double' },
        { type: 'binary_float' },
        { type: 'boolean' },
        { type: 'raw', maxSize: 16 },
        { type: 'clob' },
        { type: 'blob' },
      ]),
      [
        { dir: oracledb.BIND_IN, type: oracledb.DB_TYPE_VARCHAR, maxSize: 12 },
        { dir: oracledb.BIND_IN, type: oracledb.DB_TYPE_NUMBER },
        { dir: oracledb.BIND_IN, type: oracledb.DB_TYPE_BINARY_DOUBLE },
        { dir: oracledb.BIND_IN, type: oracledb.DB_TYPE_BINARY_FLOAT },
        { dir: oracledb.BIND_IN, type: oracledb.DB_TYPE_BOOLEAN },
        { dir: oracledb.BIND_IN, type: oracledb.DB_TYPE_RAW, maxSize: 16 },
        { dir: oracledb.BIND_IN, type: oracledb.DB_TYPE_CLOB },
        { dir: oracledb.BIND_IN, type: oracledb.DB_TYPE_BLOB },
      ],
    );
  });

  test('I/O before connect() fails with a clear error', async () => {
    const c = createOracleConnector({ url: 'oracle://a:b@127.0.0.1:1/FREEPDB1' });
    await assert.rejects(c.readOffsets('g'), /reading the offsets of group g: the Oracle connector is not connected/);
    await assert.rejects(c.write({ groupId: 'g', tables: [], offsets: [] }), /not connected/);
  });
});

describe('oracle connector against no database', () => {
  let refusedPort = 0;
  let eofServer: net.Server;
  let eofPort = 0;

  before(async () => {
    // A port nobody listens on: bind, note the port, close.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    refusedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    // A listener that is not Oracle: accepts and hangs up at once.
    eofServer = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => eofServer.listen(0, '127.0.0.1', resolve));
    eofPort = (eofServer.address() as net.AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => eofServer.close(() => resolve()));
  });

  test('a malformed connect string is fatal (NJS-515)', async () => {
    // node-oracledb's Easy Connect parser rejects one-character service names.
    const c = createOracleConnector({ connectString: `127.0.0.1:${refusedPort}/S`, user: 'a', password: 'b', poolMin: 0 });
    await assert.rejects(c.connect(), (err: unknown) => err instanceof TargetError && err.kind === 'fatal' && /NJS-515/.test(err.message));
    await c.close();
  });

  test('connection refused: retriable TargetError CDC_TARGET_CONNECTION with the driver error as cause', async () => {
    const c = createOracleConnector({ url: `oracle://a:b@127.0.0.1:${refusedPort}/FREEPDB1`, poolMin: 0, connectTimeoutSeconds: 5 });
    await assert.rejects(c.connect(), (err: unknown) => {
      assert.ok(err instanceof TargetError);
      assert.equal(err.code, ErrorCodes.TARGET_CONNECTION);
      assert.equal(err.kind, 'retriable');
      assert.match(err.message, new RegExp(`a@127\\.0\\.0\\.1:${refusedPort}/FREEPDB1`));
      assert.doesNotMatch(err.message, /:b@/); // no password in messages
      assert.match(String((err.cause as { code?: string }).code), /^NJS-5\d\d$/);
      return true;
    });
    await c.close();
  });

  test('a listener that hangs up: retriable, and close() is idempotent, connect() after close fails', async () => {
    const c = createOracleConnector({ url: `oracle://a:b@127.0.0.1:${eofPort}/FREEPDB1`, poolMin: 0, connectTimeoutSeconds: 5 });
    await assert.rejects(c.connect(), (err: unknown) => err instanceof TargetError && err.kind === 'retriable');
    await c.close();
    await c.close();
    await assert.rejects(c.connect(), (err: unknown) => {
      assert.ok(err instanceof TargetError);
      assert.equal(err.kind, 'fatal');
      assert.match(err.message, /the Oracle connector is closed/);
      return true;
    });
  });
});
