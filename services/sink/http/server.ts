/**
 * The small HTTP endpoint: /healthz (the process is alive), /readyz (503 with reasons until Kafka,
 * the assignment and the target are all good), /metrics (Prometheus text). No row data or config here.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Readiness } from '../telemetry/readiness.ts';

export interface HttpDeps {
  readonly readiness: Readiness;
  readonly registry: Registry;
  readonly stopping: () => boolean;
  /** Paused partitions and why (errors.onTableFailure: pause). */
  readonly paused: () => ReadonlyMap<string, string>;
  readonly resume: (filter: { topic?: string; partition?: number }) => Promise<{ topic: string; partition: number }[]>;
}

export function buildHttpServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', () => Promise.resolve({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const s = deps.readiness.status();
    if (deps.stopping()) {
      return reply.code(503).send({ status: 'not ready', reasons: ['shutting down'] });
    }
    // Paused partitions do not make the service unready (the others flow); they are listed here.
    const paused = Object.fromEntries(deps.paused());
    const body = s.ready ? { status: 'ready', paused } : { status: 'not ready', reasons: s.reasons, paused };
    return reply.code(s.ready ? 200 : 503).send(body);
  });
  app.post<{ Body: { topic?: string; partition?: number } | undefined }>('/resume', async (req) => {
    const body = req.body ?? {};
    const filter = {
      ...(typeof body.topic === 'string' ? { topic: body.topic } : {}),
      ...(typeof body.partition === 'number' ? { partition: body.partition } : {}),
    };
    return { resumed: (await deps.resume(filter)).map((p) => `${p.topic}[${p.partition}]`) };
  });
  app.get('/metrics', async (_req, reply) => {
    const body = await deps.registry.metrics();
    return reply.header('content-type', deps.registry.contentType).send(body);
  });
  return app;
}
