import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes, OffsetConflictError, TargetError, type ErrorKind } from '../../../connectors/core/errors.ts';
import { targetError } from '../../../connectors/postgres/client.ts';
import { createPostgresDialect } from '../../../connectors/postgres/dialect.ts';
import { isConnectionBroken, postgresErrorText, sqlState } from '../../../connectors/postgres/errors.ts';

const dialect = createPostgresDialect({ schema: 'public', offsetsTable: 'o', rowsPerStatement: 1 });

function pgError(code: string, message = 'server error'): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}
function nodeError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
}

const CASES: [string, unknown, ErrorKind][] = [
  ['08006 connection failure', pgError('08006'), 'retriable'],
  ['08001 cannot establish', pgError('08001'), 'retriable'],
  ['40001 serialization failure', pgError('40001'), 'retriable'],
  ['40P01 deadlock', pgError('40P01'), 'retriable'],
  ['53100 disk full', pgError('53100'), 'retriable'],
  ['53200 out of memory', pgError('53200'), 'retriable'],
  ['53300 too many connections', pgError('53300'), 'retriable'],
  ['57P01 admin shutdown', pgError('57P01'), 'retriable'],
  ['57P02 crash shutdown', pgError('57P02'), 'retriable'],
  ['57P03 cannot connect now', pgError('57P03'), 'retriable'],
  ['57014 statement timeout', pgError('57014'), 'retriable'],
  ['55P03 lock not available', pgError('55P03'), 'retriable'],
  ['25006 read-only transaction (failover)', pgError('25006'), 'retriable'],
  ['58030 I/O error', pgError('58030'), 'retriable'],
  ['22001 value too long', pgError('22001'), 'data'],
  ['22P02 invalid text representation', pgError('22P02'), 'data'],
  ['22003 numeric out of range', pgError('22003'), 'data'],
  ['22021 invalid byte sequence (NUL)', pgError('22021'), 'data'],
  ['23502 not null violation', pgError('23502'), 'data'],
  ['23505 unique violation', pgError('23505'), 'data'],
  ['23503 foreign key violation', pgError('23503'), 'data'],
  ['23514 check violation', pgError('23514'), 'data'],
  ['54000 index row too big', pgError('54000'), 'data'],
  ['42501 insufficient privilege', pgError('42501'), 'fatal'],
  ['42P01 undefined table', pgError('42P01'), 'fatal'],
  ['42703 undefined column', pgError('42703'), 'fatal'],
  ['42601 syntax error', pgError('42601'), 'fatal'],
  ['42P10 no unique constraint for ON CONFLICT', pgError('42P10'), 'fatal'],
  ['28P01 bad password', pgError('28P01'), 'fatal'],
  ['28000 invalid authorization', pgError('28000'), 'fatal'],
  ['3D000 database does not exist', pgError('3D000'), 'fatal'],
  ['XX000 internal error', pgError('XX000'), 'fatal'],
  ['0A000 feature not supported', pgError('0A000'), 'fatal'],
  ['ECONNREFUSED', nodeError('ECONNREFUSED'), 'retriable'],
  ['ECONNRESET', nodeError('ECONNRESET'), 'retriable'],
  ['ETIMEDOUT', nodeError('ETIMEDOUT'), 'retriable'],
  ['EPIPE', nodeError('EPIPE'), 'retriable'],
  ['EAI_AGAIN', nodeError('EAI_AGAIN'), 'retriable'],
  ['ENOTFOUND (host name typo)', nodeError('ENOTFOUND'), 'fatal'],
  ['Connection terminated unexpectedly', new Error('Connection terminated unexpectedly'), 'retriable'],
  ['Connection terminated due to connection timeout', new Error('Connection terminated due to connection timeout'), 'retriable'],
  ['pool connect timeout', new Error('timeout exceeded when trying to connect'), 'retriable'],
  ['unknown Error', new Error('something odd'), 'fatal'],
  ['a string', 'boom', 'fatal'],
  ['null', null, 'fatal'],
  ['a TargetError keeps its kind', new TargetError(ErrorCodes.TARGET_DATA, 'x', { kind: 'data' }), 'data'],
  ['OffsetConflictError', new OffsetConflictError('moved'), 'retriable'],
];

void describe('postgres classifyError', () => {
  for (const [what, err, kind] of CASES) {
    void test(`${what} -> ${kind}`, () => assert.equal(dialect.classifyError(err), kind));
  }
});

void describe('postgres error helpers', () => {
  void test('sqlState ignores Node error codes', () => {
    assert.equal(sqlState(pgError('40P01')), '40P01');
    assert.equal(sqlState(nodeError('EPIPE')), null);
    assert.equal(sqlState(nodeError('ECONNRESET')), null);
    assert.equal(sqlState(undefined), null);
  });

  void test('isConnectionBroken: no SQLSTATE, class 08, 57P', () => {
    assert.equal(isConnectionBroken(nodeError('ECONNRESET')), true);
    assert.equal(isConnectionBroken(pgError('08006')), true);
    assert.equal(isConnectionBroken(pgError('57P01')), true);
    assert.equal(isConnectionBroken(pgError('23505')), false);
  });

  void test('targetError: message, code, kind, cause, table', () => {
    const cause = pgError('22001', 'value too long for type character varying(3)');
    const err = targetError('writing 3 rows to public.t', cause, 'public.t');
    assert.ok(err instanceof TargetError);
    assert.equal(err.message, 'writing 3 rows to public.t: value too long for type character varying(3) (SQLSTATE 22001)');
    assert.equal(err.code, ErrorCodes.TARGET_DATA);
    assert.equal(err.kind, 'data');
    assert.equal(err.cause, cause);
    assert.equal(err.table, 'public.t');
    assert.equal(targetError('x', pgError('40P01')).code, ErrorCodes.TARGET_RETRIABLE);
    assert.equal(targetError('x', pgError('42P01')).code, ErrorCodes.TARGET_FATAL);
    assert.equal(postgresErrorText(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')), 'connect ECONNREFUSED 127.0.0.1:1');
  });
});
