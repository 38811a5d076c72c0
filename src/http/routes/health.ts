/**
 * Liveness, readiness and Prometheus metrics. Unauthenticated: load balancers and scrapers call them.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { settleWithin } from '../../async/index.js';

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

export interface HealthRoutesOptions {
  readonly checks: readonly ReadinessCheck[];
  readonly registry: Registry;
}

/** A readiness check that does not answer in time counts as failed (a dead database can hang a query). */
const CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: Promise<{ ok: boolean; detail?: string }>, ms: number): Promise<{ ok: boolean; detail?: string }> {
  return settleWithin(check, ms, () => ({ ok: false, detail: `no answer within ${ms} ms` }));
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { checks, registry }) => {
  app.get('/healthz', { schema: { tags: ['health'] } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['health'] } }, async (_request, reply) => {
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          return { name: c.name, ...(await withTimeout(c.check(), CHECK_TIMEOUT_MS)) };
        } catch (err) {
          return { name: c.name, ok: false, detail: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const ok = results.every((r) => r.ok);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks: results });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
};
