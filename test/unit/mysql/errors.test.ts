import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes, OffsetConflictError, TargetError, type ErrorKind } from '../../../connectors/core/errors.ts';
import { classifyError, driverErrorText, isConnectionBroken, targetErrorCode } from '../../../connectors/mysql/errors.ts';
import { mariadb } from './fixtures.ts';

/** A driver error shaped like mysql2's: Error with errno, code, sqlState and fatal. */
function driverError(fields: { errno?: number; code?: string; sqlState?: string; fatal?: boolean }, message = 'boom'): Error {
  return Object.assign(new Error(message), fields);
}

const table: [string, unknown, ErrorKind][] = [
  ['deadlock 1213', driverError({ errno: 1213, code: 'ER_LOCK_DEADLOCK', sqlState: '40001' }), 'retriable'],
  ['lock wait timeout 1205', driverError({ errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT', sqlState: 'HY000' }), 'retriable'],
  ['connection lost', driverError({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }), 'retriable'],
  ['ECONNREFUSED', driverError({ errno: -111, code: 'ECONNREFUSED', fatal: true }), 'retriable'],
  ['ECONNRESET', driverError({ errno: -104, code: 'ECONNRESET', fatal: true }), 'retriable'],
  ['ETIMEDOUT', driverError({ code: 'ETIMEDOUT', fatal: true }), 'retriable'],
  ['EPIPE', driverError({ code: 'EPIPE' }), 'retriable'],
  ['server gone 2006', driverError({ errno: 2006 }), 'retriable'],
  ['lost during query 2013', driverError({ errno: 2013 }), 'retriable'],
  ['too many connections 1040', driverError({ errno: 1040, code: 'ER_CON_COUNT_ERROR', fatal: true }), 'retriable'],
  ['server shutdown 1053', driverError({ errno: 1053, code: 'ER_SERVER_SHUTDOWN' }), 'retriable'],
  ['read-only after failover 1290', driverError({ errno: 1290, code: 'ER_OPTION_PREVENTS_STATEMENT' }), 'retriable'],
  ['read-only 1836', driverError({ errno: 1836 }), 'retriable'],
  ['connection killed 1927 (MariaDB)', driverError({ errno: 1927 }), 'retriable'],
  ['disk full 1021', driverError({ errno: 1021, code: 'ER_DISK_FULL' }), 'retriable'],
  ['table full 1114', driverError({ errno: 1114, code: 'ER_RECORD_FILE_FULL', sqlState: 'HY000' }), 'retriable'],
  ['query interrupted 1317', driverError({ errno: 1317, sqlState: '70100' }), 'retriable'],
  ['SQLSTATE 08 class', driverError({ errno: 9999, sqlState: '08S01' }), 'retriable'],
  ['data too long 1406', driverError({ errno: 1406, code: 'ER_DATA_TOO_LONG', sqlState: '22001' }), 'data'],
  ['out of range 1264', driverError({ errno: 1264, sqlState: '22003' }), 'data'],
  ['NOT NULL 1048', driverError({ errno: 1048, code: 'ER_BAD_NULL_ERROR', sqlState: '23000' }), 'data'],
  ['duplicate 1062', driverError({ errno: 1062, code: 'ER_DUP_ENTRY', sqlState: '23000' }), 'data'],
  ['FK child 1452', driverError({ errno: 1452 }), 'data'],
  ['FK parent 1451', driverError({ errno: 1451 }), 'data'],
  ['incorrect value 1366', driverError({ errno: 1366, sqlState: 'HY000' }), 'data'],
  ['incorrect datetime 1292', driverError({ errno: 1292, sqlState: '22007' }), 'data'],
  ['invalid JSON 3140', driverError({ errno: 3140, sqlState: '22032' }), 'data'],
  ['CHECK 4025 (MariaDB)', driverError({ errno: 4025, sqlState: '23000' }), 'data'],
  ['CHECK 3819 (MySQL)', driverError({ errno: 3819, sqlState: 'HY000' }), 'data'],
  ['no default 1364', driverError({ errno: 1364 }), 'data'],
  ['SQLSTATE 22 class', driverError({ errno: 9998, sqlState: '22999' }), 'data'],
  ['access denied 1045', driverError({ errno: 1045, code: 'ER_ACCESS_DENIED_ERROR', fatal: true }), 'fatal'],
  ['db access denied 1044', driverError({ errno: 1044 }), 'fatal'],
  ['command denied 1142', driverError({ errno: 1142 }), 'fatal'],
  ['no such table 1146', driverError({ errno: 1146, code: 'ER_NO_SUCH_TABLE', sqlState: '42S02' }), 'fatal'],
  ['unknown column 1054', driverError({ errno: 1054, sqlState: '42S22' }), 'fatal'],
  ['unknown database 1049', driverError({ errno: 1049 }), 'fatal'],
  ['syntax 1064', driverError({ errno: 1064, sqlState: '42000' }), 'fatal'],
  ['unknown errno', driverError({ errno: 1234, sqlState: 'HY000' }), 'fatal'],
  ['plain Error', new Error('what'), 'fatal'],
  ['a string', 'oops', 'fatal'],
  ['pool closed', new Error('Pool is closed.'), 'fatal'],
  ['AggregateError of refusals', new AggregateError([driverError({ code: 'ECONNREFUSED' }), driverError({ code: 'ECONNREFUSED' })]), 'retriable'],
  ['our own data error keeps its kind', new TargetError(ErrorCodes.TARGET_DATA, 'x', { kind: 'data' }), 'data'],
  ['our own offset conflict keeps its kind', new OffsetConflictError('x'), 'retriable'],
];

describe('mysql classifyError', () => {
  for (const [name, err, kind] of table) {
    test(`${name} -> ${kind}`, () => {
      assert.equal(classifyError(err), kind);
      assert.equal(mariadb().classifyError(err), kind);
    });
  }
});

describe('mysql error codes and text', () => {
  test('stable codes per classification', () => {
    assert.equal(targetErrorCode(driverError({ errno: 1146 }), 'fatal'), ErrorCodes.TARGET_MISSING_TABLE);
    assert.equal(targetErrorCode(driverError({ errno: 1054 }), 'fatal'), ErrorCodes.TARGET_SCHEMA);
    assert.equal(targetErrorCode(driverError({ errno: 1406 }), 'data'), ErrorCodes.TARGET_DATA);
    assert.equal(targetErrorCode(driverError({ errno: 1213 }), 'retriable'), ErrorCodes.TARGET_RETRIABLE);
    assert.equal(targetErrorCode(driverError({ code: 'ECONNRESET' }), 'retriable'), ErrorCodes.TARGET_CONNECTION);
    assert.equal(targetErrorCode(driverError({ errno: 1045 }), 'fatal'), ErrorCodes.TARGET_FATAL);
  });

  test('a broken connection is told apart from a statement error', () => {
    assert.equal(isConnectionBroken(driverError({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })), true);
    assert.equal(isConnectionBroken(driverError({ errno: 2013 })), true);
    assert.equal(isConnectionBroken(driverError({ errno: 1213, code: 'ER_LOCK_DEADLOCK' })), false);
    assert.equal(isConnectionBroken(driverError({ errno: 1406 })), false);
  });

  test('driverErrorText names code and errno', () => {
    assert.equal(
      driverErrorText(driverError({ errno: 1406, code: 'ER_DATA_TOO_LONG' }, "Data too long for column 'n' at row 1")),
      "ER_DATA_TOO_LONG 1406: Data too long for column 'n' at row 1",
    );
    assert.equal(driverErrorText(new Error('plain')), 'plain');
  });
});
