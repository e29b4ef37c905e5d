import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../../bench/cdc-sink-runner.ts';
import { entrypointNodeFlags, readDockerfile, runtimeEnv } from '../../../bench/image.ts';

const SAMPLE = `FROM node:22 AS build
ENV BUILD_ONLY=1
RUN npm ci

FROM node:22 AS runtime
ENV NODE_ENV=production \\
    A=1
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/services/cli.js"]
`;

void describe('bench: how the container image starts cdc-sink', () => {
  test('ENTRYPOINT node flags, without the script', () => {
    assert.deepEqual(entrypointNodeFlags(SAMPLE), ['--max-semi-space-size=8']);
  });

  test('ENV of the last stage only, continuation lines joined', () => {
    assert.deepEqual(runtimeEnv(SAMPLE), { NODE_ENV: 'production', A: '1', MALLOC_ARENA_MAX: '2' });
  });

  test('an ENV the parser cannot read is an error, not a silent skip', () => {
    assert.throws(() => runtimeEnv('FROM x\nENV NODE_ENV production\n'), /not KEY=value/);
  });

  test('the real deploy/Dockerfile parses', () => {
    const dockerfile = readDockerfile(REPO_ROOT);
    assert.ok(entrypointNodeFlags(dockerfile).length > 0);
    assert.equal(runtimeEnv(dockerfile).NODE_ENV, 'production');
  });
});
