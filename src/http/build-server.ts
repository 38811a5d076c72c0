/**
 * Builds the Fastify app: health and metrics, the bearer-protected `/api/v1`, OpenAPI at `/docs`,
 * and whatever chat endpoints the composition root mounts. Never listens: main.ts or tests do.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import { bearerAuth } from './auth.js';
import { installErrorHandler } from './error-handler.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';

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
  installErrorHandler(app);
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
      for (const mount of deps.api) await api.register(mount.plugin, mount.options ?? {});
    },
    { prefix: '/api/v1' },
  );
  for (const mount of deps.root ?? []) await app.register(mount.plugin, mount.options ?? {});
  return app;
}
