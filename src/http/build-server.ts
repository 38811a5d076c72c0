/**
 * Builds the Fastify app: health and metrics, the bearer-protected `/api/v1`, OpenAPI at `/docs`,
 * and whatever chat endpoints the composition root mounts. Never listens: main.ts or tests do.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import { withDeadline } from '../app/index.js';
import { bearerAuth } from './auth.js';
import { installErrorHandler } from './error-handler.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: exempt from `apiDeadlineMs` (bulk work that may rightly take longer, such as an import). */
    deadline?: boolean;
  }
}

/** A plugin with its options, registered as given. */
export interface Mount {
  readonly plugin: FastifyPluginAsync<any>;
  readonly options?: Record<string, unknown>;
}

export interface ServerDeps {
  readonly apiToken: string | undefined;
  readonly registry: Registry;
  readonly readiness: readonly ReadinessCheck[];
  /** Plugins under `/api/v1`, behind the bearer token. */
  readonly api: readonly Mount[];
  /** Plugins at the root (Slack events, Discord interactions): they verify their own signatures. */
  readonly root?: readonly Mount[];
  readonly logger?: FastifyServerOptions['logger'] | false;
  readonly loggerInstance?: FastifyServerOptions['loggerInstance'];
  /** Serve Swagger UI at /docs (off in most tests: it costs ~100 ms to register). */
  readonly docs?: boolean;
  /** An `/api/v1` request unanswered after this long gets 503 `HTTP_ERR_UNAVAILABLE` (default: no bound). */
  readonly apiDeadlineMs?: number;
  /** Errors that mean "the database cannot answer now": 503 instead of 500. */
  readonly isUnavailable?: (err: unknown) => boolean;
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.loggerInstance ? { loggerInstance: deps.loggerInstance } : { logger: deps.logger ?? false }),
    bodyLimit: 1024 * 1024,
    // Requests are logged (fastify's default; the deprecated `disableRequestLogging: false` that said
    // so printed FSTDEP023 at every start). Secrets never reach the log: request bodies are not
    // logged and the Authorization header is redacted.
    trustProxy: false,
  });
  installErrorHandler(app, deps);
  if (deps.docs) {
    const { default: swagger } = await import('@fastify/swagger');
    const { default: swaggerUi } = await import('@fastify/swagger-ui');
    await app.register(swagger, {
      openapi: {
        info: { title: 'linewatch API', version: '1', description: 'Line registration status, provisioning and incidents' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }
  await app.register(healthRoutes, { checks: deps.readiness, registry: deps.registry });
  await app.register(
    async (api) => {
      api.addHook('onRequest', bearerAuth(deps.apiToken));
      const deadlineMs = deps.apiDeadlineMs;
      if (deadlineMs !== undefined) {
        // Every API route's handler, raced against the deadline (routes of the plugins below inherit this hook).
        api.addHook('onRoute', (route) => {
          if (route.config?.deadline === false) return;
          const handler = route.handler;
          route.handler = function (this: FastifyInstance, request, reply) {
            return withDeadline(Promise.resolve(handler.call(this, request, reply)), deadlineMs);
          };
        });
      }
      for (const mount of deps.api) await api.register(mount.plugin, mount.options ?? {});
    },
    { prefix: '/api/v1' },
  );
  for (const mount of deps.root ?? []) await app.register(mount.plugin, mount.options ?? {});
  return app;
}
