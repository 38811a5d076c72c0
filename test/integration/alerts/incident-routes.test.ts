import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidentRoutes } from '../../../src/http/routes/incidents.js';
import { HttpError } from '../../../src/http/http-error.js';
import { openTestDb, type TestDb } from '../../helpers/test-db.js';
import { buildHarness, ev } from './harness.js';

describe('incident API routes', () => {
  let db: TestDb;
  let app: FastifyInstance;
  beforeEach(async () => {
    db = await openTestDb('pglite');
  });
  afterEach(async () => {
    await app?.close();
    await db.dispose();
  });

  it('lists by state, acknowledges with the request actor, refuses illegal moves with 409 and unknown ids with 404', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(ev('auth_failed', '0000000773', h.at(0), { detail: { reason: 'wrong_password' } }));
    app = Fastify();
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof HttpError) return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message } });
      const e = err as { statusCode?: number; message: string };
      return reply.status(e.statusCode ?? 500).send({ error: { code: 'X', message: e.message } });
    });
    app.addHook('onRequest', async (request) => {
      request.actor = { source: 'api', id: 'ci-token', name: 'CI' };
    });
    await app.register(incidentRoutes, { prefix: '/api/v1', incidents: h.service });

    const list = await app.inject({ method: 'GET', url: '/api/v1/incidents?state=open' });
    expect(list.statusCode).toBe(200);
    const [item] = list.json().incidents;
    expect(item).toMatchObject({ cause: 'password_error', unique: '0000000773', circle: '123456789', state: 'open', count: 1 });
    expect(item.tips.length).toBeGreaterThan(0);

    const ack = await app.inject({ method: 'POST', url: `/api/v1/incidents/${item.id}/ack` });
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: { source: 'api', id: 'ci-token', name: 'CI' } });
    expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${item.id}/ack` })).statusCode).toBe(409);
    const snooze = await app.inject({ method: 'POST', url: `/api/v1/incidents/${item.id}/snooze`, payload: { until: new Date(h.clock.ms + 3_600_000).toISOString() } });
    expect(snooze.json().state).toBe('snoozed');
    const bad = await app.inject({ method: 'POST', url: `/api/v1/incidents/${item.id}/snooze`, payload: { until: 'tomorrow-ish' } });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${item.id}/resolve` })).json().state).toBe('resolved');
    expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${item.id}/resolve` })).json().error.code).toBe('ALERT_ERR_ILLEGAL_TRANSITION');
    const missing = await app.inject({ method: 'POST', url: '/api/v1/incidents/99999/ack' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ALERT_ERR_INCIDENT_NOT_FOUND');
    expect((await app.inject({ method: 'GET', url: '/api/v1/incidents?state=bogus' })).statusCode).toBe(400);
    const detail = await app.inject({ method: 'GET', url: `/api/v1/incidents/${item.id}` });
    expect(detail.json().audit.map((a: { type: string }) => a.type)).toEqual(['opened', 'acknowledged', 'snoozed', 'resolved']);
  });
});
