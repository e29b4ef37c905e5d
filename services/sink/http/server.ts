/**
 * The small HTTP endpoint: /healthz (the process is alive), /readyz (503 with reasons until Kafka,
 * the assignment and the target are all good), /metrics (Prometheus text). No row data or config here.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Readiness } from '../telemetry/readiness.ts';

export function buildHttpServer(deps: { readiness: Readiness; registry: Registry; stopping: () => boolean }): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', () => Promise.resolve({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const s = deps.readiness.status();
    if (deps.stopping()) {
      return reply.code(503).send({ status: 'not ready', reasons: ['shutting down'] });
    }
    return reply.code(s.ready ? 200 : 503).send(s.ready ? { status: 'ready' } : { status: 'not ready', reasons: s.reasons });
  });
  app.get('/metrics', async (_req, reply) => {
    const body = await deps.registry.metrics();
    return reply.header('content-type', deps.registry.contentType).send(body);
  });
  return app;
}
