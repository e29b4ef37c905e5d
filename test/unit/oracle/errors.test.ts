import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CdcSinkError, ErrorCodes, OffsetConflictError, type ErrorKind } from '../../../connectors/core/errors.ts';
import { classifyOracleError, isConnectionBroken, njsCode, oraNumber } from '../../../connectors/oracle/errors.ts';
import { dialect } from './fixtures.ts';

/** An error as node-oracledb raises it for a server error. */
function ora(num: number, text = 'some message'): Error {
  const code = `ORA-${String(num).padStart(5, '0')}`;
  return Object.assign(new Error(`${code}: ${text}`), { errorNum: num, code, offset: 0 });
}

/** An error node-oracledb raises itself (thin mode). */
function njs(code: string): Error {
  return Object.assign(new Error(`${code}: driver message`), { code });
}

const ORA_TABLE: [number, ErrorKind, string][] = [
  [60, 'retriable', 'deadlock detected'],
  [8177, 'retriable', "can't serialize access"],
  [3113, 'retriable', 'end-of-file on communication channel'],
  [3114, 'retriable', 'not connected to ORACLE'],
  [3135, 'retriable', 'connection lost contact'],
  [12514, 'retriable', 'listener does not currently know of service'],
  [12541, 'retriable', 'no listener'],
  [12170, 'retriable', 'connect timeout occurred'],
  [12537, 'retriable', 'connection closed'],
  [1013, 'retriable', 'user requested cancel'],
  [54, 'retriable', 'resource busy'],
  [1652, 'retriable', 'unable to extend temp segment'],
  [1653, 'retriable', 'unable to extend table'],
  [1654, 'retriable', 'unable to extend index'],
  [1688, 'retriable', 'unable to extend table partition'],
  [1033, 'retriable', 'initialization or shutdown in progress'],
  [28, 'retriable', 'your session has been killed'],
  [1, 'data', 'unique constraint violated'],
  [1400, 'data', 'cannot insert NULL'],
  [12899, 'data', 'value too large for column'],
  [1438, 'data', 'value larger than specified precision'],
  [1722, 'data', 'invalid number'],
  [1830, 'data', 'date format picture ends'],
  [1843, 'data', 'not a valid month'],
  [1847, 'data', 'day of month must be between 1 and last day of month'],
  [1861, 'data', 'literal does not match format string'],
  [1841, 'data', 'year must be between -4713 and +9999'],
  [1850, 'data', 'hour must be between 0 and 23'],
  [1465, 'data', 'invalid hex number'],
  [2290, 'data', 'check constraint violated'],
  [2291, 'data', 'parent key not found'],
  [2292, 'data', 'child record found'],
  [40441, 'data', 'JSON syntax error'],
  [942, 'fatal', 'table or view does not exist'],
  [904, 'fatal', 'invalid identifier'],
  [1017, 'fatal', 'invalid username/password'],
  [1031, 'fatal', 'insufficient privileges'],
  [1950, 'fatal', 'no privileges on tablespace'],
  [1536, 'fatal', 'space quota exceeded'],
  [1450, 'fatal', 'maximum key length exceeded'],
  [28000, 'fatal', 'the account is locked'],
  [600, 'fatal', 'internal error code (unknown to cdc-sink)'],
];

describe('oracle classifyError: ORA- numbers', () => {
  for (const [num, kind, text] of ORA_TABLE) {
    test(`ORA-${String(num).padStart(5, '0')} ${text} -> ${kind}`, () => {
      assert.equal(classifyOracleError(ora(num, text)), kind);
      assert.equal(dialect().classifyError(ora(num, text)), kind);
    });
  }

  test('the number is also read from code or message when errorNum is missing', () => {
    assert.equal(classifyOracleError({ code: 'ORA-00060' }), 'retriable');
    assert.equal(classifyOracleError(new Error('ORA-00001: unique constraint (APP.PK) violated')), 'data');
    assert.equal(oraNumber(new Error('ORA-12899: value too large')), 12899);
    assert.equal(oraNumber(new Error('something ORA-00001 later')), null);
  });

  test('a PL/SQL stack reports the first error', () => {
    const err = Object.assign(new Error('ORA-01031: insufficient privileges\nORA-06512: at line 1'), {
      errorNum: 1031,
      code: 'ORA-01031',
    });
    assert.equal(classifyOracleError(err), 'fatal');
  });
});

describe('oracle classifyError: node-oracledb and Node codes', () => {
  const cases: [unknown, ErrorKind][] = [
    [njs('NJS-500'), 'retriable'],
    [njs('NJS-501'), 'retriable'],
    [njs('NJS-503'), 'retriable'],
    [njs('NJS-510'), 'retriable'],
    [njs('NJS-511'), 'retriable'],
    [njs('NJS-521'), 'retriable'],
    [njs('NJS-040'), 'retriable'],
    [njs('NJS-123'), 'retriable'],
    [njs('NJS-105'), 'data'],
    [njs('NJS-065'), 'fatal'],
    [njs('NJS-058'), 'fatal'],
    [njs('NJS-507'), 'fatal'],
    [njs('NJS-999'), 'fatal'],
    [new Error('NJS-500: connection to Oracle Database was closed or broken'), 'retriable'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'retriable'],
    [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'retriable'],
    [new Error('something else'), 'fatal'],
    ['a string', 'fatal'],
    [null, 'fatal'],
    [undefined, 'fatal'],
  ];
  for (const [err, kind] of cases) {
    test(`${err instanceof Error ? err.message : String(err)} -> ${kind}`, () => {
      assert.equal(classifyOracleError(err), kind);
    });
  }

  test('our own errors keep their kind', () => {
    assert.equal(classifyOracleError(new OffsetConflictError('moved')), 'retriable');
    assert.equal(classifyOracleError(new CdcSinkError(ErrorCodes.TARGET_DATA, 'x', { kind: 'data' })), 'data');
  });

  test('njsCode', () => {
    assert.equal(njsCode(njs('NJS-503')), 'NJS-503');
    assert.equal(njsCode(ora(1)), null);
  });
});

describe('oracle isConnectionBroken', () => {
  test('lost sessions are dropped from the pool, row errors are not', () => {
    assert.equal(isConnectionBroken(ora(3113)), true);
    assert.equal(isConnectionBroken(ora(28)), true);
    assert.equal(isConnectionBroken(njs('NJS-500')), true);
    assert.equal(isConnectionBroken(ora(1)), false);
    assert.equal(isConnectionBroken(ora(60)), false);
    assert.equal(isConnectionBroken(new Error('x')), false);
  });
});
