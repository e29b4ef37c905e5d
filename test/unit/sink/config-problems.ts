/** The problems a ConfigError lists, for the config tests; fails when fn does not throw one. */
import assert from 'node:assert/strict';
import { ConfigError } from '../../../services/sink/config/load.ts';

export function problems(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return [...err.problems];
  }
  assert.fail('expected a ConfigError');
}
