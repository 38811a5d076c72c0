import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../src/http/build-server.js';
import { provisioningRoutes } from '../../../src/http/routes/provisioning.js';
import { createMetrics } from '../../../src/metrics.js';

describe('OpenAPI and metrics', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('serves the OpenAPI document and Swagger UI at /docs, with bearer security', async () => {
    const metrics = createMetrics({ collectProcess: false });
    app = await buildServer({
      apiToken: 'a-long-enough-api-token',
      registry: metrics.registry,
      readiness: [],
      docs: true,
      api: [{ plugin: provisioningRoutes, options: { provisioning: {} as never } }],
    });
    const spec = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/uniques', '/api/v1/uniques/import', '/api/v1/uniques/{number}/password']));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('exposes Prometheus metrics of the registrar and the store', async () => {
    const metrics = createMetrics();
    metrics.sip.request('REGISTER');
    metrics.sip.response('REGISTER', 401);
    metrics.sip.authFailure('wrong_password');
    metrics.writer.batch(42, 0.003);
    app = await buildServer({ apiToken: undefined, registry: metrics.registry, readiness: [], api: [] });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/linewatch_sip_requests_total\{method="REGISTER"\} 1/);
    expect(res.body).toMatch(/linewatch_sip_responses_total\{method="REGISTER",code="401"\} 1/);
    expect(res.body).toMatch(/linewatch_sip_auth_failures_total\{kind="wrong_password"\} 1/);
    expect(res.body).toMatch(/linewatch_store_batch_rows_sum 42/);
    expect(res.body).toMatch(/linewatch_process_resident_memory_bytes/);
  });
});
