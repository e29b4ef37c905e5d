/**
 * Error classification on forced failures: the write (or connect) throws a TargetError whose kind
 * tells the pipeline what to do, and the dialect classifies the driver error the same way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TargetError, errorText, type CdcSinkError } from '../../../connectors/core/errors.ts';
import { UNCHANGED } from '../../../connectors/core/value.ts';
import { createConnector } from '../../../connectors/registry.ts';
import { col, parsedOptions, rejection, row, str, T, type Harness } from '../harness.ts';
import { unusedPort } from '../../support/ports.ts';

const COLS = [col('id', T.i64, false), col('code', str(3)), col('must', T.text)];

function assertKind(h: Harness, err: CdcSinkError, kind: 'retriable' | 'data' | 'fatal'): void {
  assert.ok(err instanceof TargetError, `expected a TargetError, got ${err.name}: ${err.message}`);
  assert.equal(err.kind, kind, `${err.code}: ${err.message}`);
  if (err.cause !== undefined) {
    assert.equal(h.connector.dialect.classifyError(err.cause), kind, `the dialect's classification of: ${errorText(err.cause)}`);
  }
}

export function errorBehaviours(h: Harness): void {
  test("value too long -> 'data'", async () => {
    await h.create('ct_err_long', COLS, ['id']);
    const err = await rejection(async () =>
      h.apply('ct_err_long', COLS, ['id'], { upserts: [row({ id: 1n, code: 'abcd', must: 'x' })] }),
    );
    assertKind(h, err, 'data');
    assert.equal(await h.reader.count('ct_err_long'), 0);
    // The limit counts characters, not bytes: three 2-byte characters fit.
    await h.apply('ct_err_long', COLS, ['id'], { upserts: [row({ id: 2n, code: 'äöü', must: 'x' })] });
    assert.deepEqual(await h.read('ct_err_long', { id: 'int', code: 'text' }, ['id']), [['2', 'äöü']]);
  });

  test("an upsert or delete without a value for a key column -> 'data'", async () => {
    await h.create('ct_err_nokey', COLS, ['id']);
    const upsert = await rejection(async () =>
      h.apply('ct_err_nokey', COLS, ['id'], { upserts: [row({ id: UNCHANGED, code: 'a', must: 'x' })] }),
    );
    assert.equal(upsert.kind, 'data', `${upsert.code}: ${upsert.message}`);
    const del = await rejection(async () => h.apply('ct_err_nokey', COLS, ['id'], { deletes: [row({ code: 'a' })] }));
    assert.equal(del.kind, 'data', `${del.code}: ${del.message}`);
    assert.equal(await h.reader.count('ct_err_nokey'), 0);
  });

  test("NOT NULL violation -> 'data'", async () => {
    await h.create('ct_err_null', COLS, ['id']);
    await h.reader.setNotNull('ct_err_null', 'must');
    await h.apply('ct_err_null', COLS, ['id'], { upserts: [row({ id: 1n, code: 'a', must: 'x' })] });
    const insert = await rejection(async () =>
      h.apply('ct_err_null', COLS, ['id'], { upserts: [row({ id: 2n, code: 'b', must: null })] }),
    );
    assertKind(h, insert, 'data');
    const update = await rejection(async () =>
      h.apply('ct_err_null', COLS, ['id'], { upserts: [row({ id: 1n, code: 'a', must: null })] }),
    );
    assertKind(h, update, 'data');
    assert.deepEqual(await h.read('ct_err_null', { id: 'int', must: 'text' }, ['id']), [['1', 'x']]);
  });

  test("missing table -> 'fatal'", async () => {
    await h.create('ct_err_gone', COLS, ['id']);
    const changes = await h.changes('ct_err_gone', COLS, ['id'], { upserts: [row({ id: 1n, code: 'a', must: 'x' })] });
    await h.reader.dropTable('ct_err_gone');
    const err = await rejection(() => h.write([changes]));
    assertKind(h, err, 'fatal');
    assert.equal(await h.connector.describeTable(h.ref('ct_err_gone')), null);
  });

  test("connection refused (nothing listens on the port) -> 'retriable'", async () => {
    const port = await unusedPort();
    const c = createConnector(h.target.type, parsedOptions(h.target, h.target.refusedOptions(port)), {});
    try {
      const err = await rejection(() => c.connect());
      assert.ok(err instanceof TargetError, `expected a TargetError, got ${err.name}: ${err.message}`);
      assert.equal(err.kind, 'retriable', `${err.code}: ${err.message}`);
      assert.equal(c.dialect.classifyError(err.cause), 'retriable', `the dialect's classification of: ${errorText(err.cause)}`);
    } finally {
      await c.close();
    }
  });
}
