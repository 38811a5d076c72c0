import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiHarness, TEST_REALM, type ApiHarness } from '../../helpers/api-harness.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('REST API /api/v1', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApiHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = h.auth) =>
    h.app.inject({ method: 'POST', url, payload: payload as object, headers });

  async function seed() {
    expect((await post('/api/v1/accounts', { loginId: 'acme', name: 'ACME' })).statusCode).toBe(201);
    expect((await post('/api/v1/circles', { number: '123456789', accountLoginId: 'acme', department: 'Support' })).statusCode).toBe(201);
    const res = await post('/api/v1/uniques', { number: '0000000773', circleNumber: '123456789', type: 'sip_terminal', password: 'correct-horse-1' });
    expect(res.statusCode).toBe(201);
  }

  it('answers 401 without a token, with a wrong token, and names the fix', async () => {
    const none = await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000000773' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('HTTP_ERR_UNAUTHORIZED');
    const wrong = await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000000773', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toMatch(/invalid bearer token/);
  });

  it('health endpoints need no token', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks[0]).toMatchObject({ name: 'database', ok: true });
  });

  it('provisions an account, a circle and a unique, then shows its status document', async () => {
    await seed();
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000000773', headers: h.auth });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc).toMatchObject({
      unique: '0000000773',
      circle: '123456789',
      type: 'sip_terminal',
      loginServer: TEST_REALM,
      status: 'not_registered',
      bindings: [],
      lastRegisterAt: null,
      lastError: null,
    });
    expect(doc.tips.join(' ')).toMatch(/internet/);
  });

  it('shows unsupported for a type that cannot register and unknown for another login server', async () => {
    await seed();
    await post('/api/v1/uniques', { number: '0000000774', circleNumber: '123456789', type: 'ivr', password: 'password-774' });
    await post('/api/v1/uniques', { number: '0000000775', circleNumber: '123456789', type: 'softphone', password: 'password-775', loginServer: 'sip9.other.example' });
    const ivr = await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000000774', headers: h.auth });
    expect(ivr.json().status).toBe('unsupported');
    const other = await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000000775', headers: h.auth });
    expect(other.json().status).toBe('unknown');
  });

  it('answers 404 with a coded error for an unknown unique and circle', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000009999', headers: h.auth });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'DOMAIN_ERR_UNIQUE_NOT_FOUND', message: 'Unique 0000009999 does not exist' } });
    const circle = await h.app.inject({ method: 'GET', url: '/api/v1/circles/42', headers: h.auth });
    expect(circle.statusCode).toBe(404);
    expect(circle.json().error.code).toBe('DOMAIN_ERR_CIRCLE_NOT_FOUND');
  });

  it('refuses an invalid type code (400) and a duplicate number (409)', async () => {
    await seed();
    const bad = await post('/api/v1/uniques', { number: '0000000776', circleNumber: '123456789', type: 'fax', password: 'password-776' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('HTTP_ERR_VALIDATION');
    expect(bad.json().error.message).toMatch(/type/);
    const dup = await post('/api/v1/uniques', { number: '0000000773', circleNumber: '123456789', type: 'sip_terminal', password: 'password-773' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DOMAIN_ERR_DUPLICATE');
    const dupAccount = await post('/api/v1/accounts', { loginId: 'acme' });
    expect(dupAccount.statusCode).toBe(409);
  });

  it('refuses a circle of an unknown account and a unique of an unknown circle (404)', async () => {
    expect((await post('/api/v1/circles', { number: '1', accountLoginId: 'ghost' })).statusCode).toBe(404);
    const res = await post('/api/v1/uniques', { number: '0000000777', circleNumber: '999', type: 'sip_terminal', password: 'password-777' });
    expect(res.statusCode).toBe(404);
  });

  it('refuses a weak password and malformed JSON', async () => {
    await seed();
    const weak = await post('/api/v1/uniques', { number: '0000000778', circleNumber: '123456789', type: 'sip_terminal', password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('DOMAIN_ERR_WEAK_PASSWORD');
    const malformed = await h.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: '{"loginId":', headers: { ...h.auth, 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBeDefined();
  });

  it('imports uniques from CSV and JSON, and names the malformed row', async () => {
    await seed();
    const csv = ['number,circleNumber,type,password', '0000001001,123456789,sip_terminal,password-1001', '"0000001002",123456789,smartphone,"pass,word-1002"'].join('\n');
    const ok = await h.app.inject({ method: 'POST', url: '/api/v1/uniques/import', payload: csv, headers: { ...h.auth, 'content-type': 'text/csv' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ imported: 2 });
    const badRow = ['number,circleNumber,type,password', '0000001003,123456789,sip_terminal,password-1003', '0000001004,123456789,fax,password-1004'].join('\n');
    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/uniques/import', payload: badRow, headers: { ...h.auth, 'content-type': 'text/csv' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/row 2/);
    // all or nothing: row 1 of the refused file was not stored
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000001003', headers: h.auth })).statusCode).toBe(404);
    const short = await h.app.inject({ method: 'POST', url: '/api/v1/uniques/import', payload: 'number,circleNumber,type,password\n0000001005,123456789', headers: { ...h.auth, 'content-type': 'text/csv' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toMatch(/row 1: expected 4 fields/);
    const json = await post('/api/v1/uniques/import', [{ number: '0000001006', circleNumber: '123456789', type: 'softphone', password: 'password-1006' }]);
    expect(json.statusCode).toBe(201);
    const dup = await post('/api/v1/uniques/import', [{ number: '0000001006', circleNumber: '123456789', type: 'softphone', password: 'password-1006' }]);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toMatch(/row 1/);
  });

  it('imports 10,000 uniques in one request', async () => {
    await seed();
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ number: String(2_000_000_000 + i), circleNumber: '123456789', type: 'sip_terminal', password: `password-${i}` }));
    const started = Date.now();
    const res = await post('/api/v1/uniques/import', rows);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ imported: 10_000 });
    expect(h.credentialCache.size).toBe(10_001);
    // The timing goal lives in bench/; this only records the figure.
    console.info(`import of 10,000 uniques: ${Date.now() - started} ms`);
  });

  it('overwrites a password so the registrar accepts the new one and no longer the old one', async () => {
    await seed();
    const before = h.credentialCache.lookup('0000000773');
    expect(before?.ha1Md5).toBe(md5(`0000000773:${TEST_REALM}:correct-horse-1`));
    const res = await h.app.inject({ method: 'PUT', url: '/api/v1/uniques/0000000773/password', payload: { password: 'new-secret-22' }, headers: h.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().passwordChangedAt).toBeTruthy();
    expect(h.credentialCache.lookup('0000000773')?.ha1Md5).toBe(md5(`0000000773:${TEST_REALM}:new-secret-22`));
    const missing = await h.app.inject({ method: 'PUT', url: '/api/v1/uniques/0000000999/password', payload: { password: 'new-secret-22' }, headers: h.auth });
    expect(missing.statusCode).toBe(404);
  });

  it('lists events newest first and pages with before', async () => {
    await seed();
    const base = { unique: '0000000773', method: 'REGISTER', source: '203.0.113.7:5062', transport: 'udp' as const, userAgent: 'Yealink', contact: null, callId: 'x', requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {} };
    await h.events.append([
      { ...base, type: 'registered', at: new Date('2026-11-26T01:00:00Z') },
      { ...base, type: 'refreshed', at: new Date('2026-11-26T01:05:00Z') },
      { ...base, type: 'auth_failed', at: new Date('2026-11-26T01:06:00Z'), responseCode: 403, detail: { reason: 'wrong_password' } },
    ]);
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000000773/events?limit=2', headers: h.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(['auth_failed', 'refreshed']);
    expect(body.retentionDays).toEqual({ refreshed: 7, other: 90 });
    const next = await h.app.inject({ method: 'GET', url: `/api/v1/uniques/0000000773/events?limit=2&before=${body.next}`, headers: h.auth });
    expect(next.json().events.map((e: { type: string }) => e.type)).toEqual(['registered']);
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000000773', headers: h.auth })).json();
    expect(doc.lastRegisterAt).toBe('2026-11-26T01:05:00.000Z');
    expect(doc.lastError).toMatchObject({ kind: 'auth_failed', method: 'REGISTER', source: '203.0.113.7:5062' });
    expect(doc.lastError.message).toMatch(/password/);
    const badLimit = await h.app.inject({ method: 'GET', url: '/api/v1/uniques/0000000773/events?limit=0', headers: h.auth });
    expect(badLimit.statusCode).toBe(400);
  });

  it('shows a circle with every unique and counts, filtered by type', async () => {
    await seed();
    await post('/api/v1/uniques', { number: '0000000780', circleNumber: '123456789', type: 'ivr', password: 'password-780' });
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/circles/123456789', headers: h.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ number: '123456789', account: 'acme', department: 'Support', counts: { not_registered: 1, unsupported: 1 } });
    const filtered = await h.app.inject({ method: 'GET', url: '/api/v1/circles/123456789?type=ivr', headers: h.auth });
    expect(filtered.json().uniques).toHaveLength(1);
    const badType = await h.app.inject({ method: 'GET', url: '/api/v1/circles/123456789?type=fax', headers: h.auth });
    expect(badType.statusCode).toBe(400);
  });

  it('answers 401 to everything but health when API_TOKEN is unset', async () => {
    const open = await startApiHarness({ apiToken: undefined });
    try {
      const res = await open.app.inject({ method: 'GET', url: '/api/v1/uniques/1', headers: { authorization: 'Bearer anything' } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('HTTP_ERR_API_DISABLED');
      expect((await open.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('answers unknown routes with a coded 404', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('HTTP_ERR_ROUTE_NOT_FOUND');
  });
});
