import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Registry } from 'prom-client';
import { buildServer } from '../../../src/http/build-server.js';
import { isDatabaseUnavailable } from '../../../src/store/pg-errors.js';

const TOKEN = 'a-long-enough-api-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const refused = () => new Error('Failed query: select …', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

/** Routes standing for the API's: one hangs like a read on a dead connection, one is slow on purpose. */
const routes: FastifyPluginAsync = async (app) => {
  app.get('/hangs', () => new Promise(() => {}));
  app.get('/refused', async () => {
    throw refused();
  });
  app.get('/broken', async () => {
    throw new Error('a bug');
  });
  app.post('/bulk', { config: { deadline: false } }, async (_request, reply) => {
    await new Promise((r) => setTimeout(r, 150));
    return reply.status(201).send({ imported: 1 });
  });
  app.get('/quick', async () => ({ ok: true }));
};

describe('API deadline and an unavailable database', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  const build = (apiDeadlineMs?: number) =>
    buildServer({
      apiToken: TOKEN, registry: new Registry(), readiness: [], api: [{ plugin: routes }], isUnavailable: isDatabaseUnavailable,
      ...(apiDeadlineMs !== undefined ? { apiDeadlineMs } : {}),
    });

  it('answers 503 HTTP_ERR_UNAVAILABLE with Retry-After when a handler outlasts the deadline', async () => {
    app = await build(60);
    const res = await app.inject({ method: 'GET', url: '/api/v1/hangs', headers: auth });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('HTTP_ERR_UNAVAILABLE');
    expect(res.json().error.message).toMatch(/did not answer within 0.06 s.*read it back before sending it again/);
    expect((await app.inject({ method: 'GET', url: '/api/v1/quick', headers: auth })).json()).toEqual({ ok: true });
  });

  it('does not cut a route that opts out (bulk import)', async () => {
    app = await build(60);
    const res = await app.inject({ method: 'POST', url: '/api/v1/bulk', headers: auth });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ imported: 1 });
  });

  it('answers 503 for a refused connection and 500 for a bug', async () => {
    app = await build();
    const unavailable = await app.inject({ method: 'GET', url: '/api/v1/refused', headers: auth });
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.json().error).toEqual({ code: 'HTTP_ERR_UNAVAILABLE', message: 'the database is unavailable; phones are still answered from memory. Try again shortly' });
    const bug = await app.inject({ method: 'GET', url: '/api/v1/broken', headers: auth });
    expect(bug.statusCode).toBe(500);
    expect(bug.json().error.code).toBe('HTTP_ERR_INTERNAL');
  });
});
