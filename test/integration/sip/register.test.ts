import { afterEach, describe, expect, it } from 'vitest';
import { header, headers } from '../../fakes/sip-client.js';
import { eventually, KNOWN, PASSWORD, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const USER = KNOWN[0]!;

describe('REGISTER with digest authentication', () => {
  for (const transport of ['udp', 'tcp'] as const) {
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      it(`registers over ${transport} with ${algorithm}`, async () => {
        h = await startHarness();
        const c = await h.client(transport);
        const { challenge, final } = await c.register({ user: USER, password: PASSWORD, algorithm });
        expect(challenge.status).toBe(401);
        expect(final.status).toBe(200);
        const contacts = headers(final, 'Contact');
        expect(contacts).toHaveLength(1);
        expect(contacts[0]).toMatch(new RegExp(`^<sip:${USER}@127\\.0\\.0\\.1:\\d+;transport=${transport}>;expires=600$`));
        expect(header(final, 'Date')).toMatch(/GMT$/);
        expect(h.server.bindingsOf(USER)).toHaveLength(1);
        expect(h.server.bindingsOf(USER)[0]!.transport).toBe(transport);
        const registered = h.delegate.eventsOf('registered');
        expect(registered).toHaveLength(1);
        expect(registered[0]).toMatchObject({ unique: USER, method: 'REGISTER', transport, grantedExpires: 600, responseCode: 200, userAgent: 'linewatch-test-ua/1.0' });
        expect(registered[0]!.source).toBe(`127.0.0.1:${c.localPort}`);
      });
    }
  }

  it('challenges with SHA-256 first, then MD5, both with qop="auth" and opaque (RFC 8760 §2.4)', async () => {
    h = await startHarness();
    const c = await h.client();
    const { response } = await c.request({ method: 'REGISTER', user: USER, expires: 600 });
    expect(response.status).toBe(401);
    const values = headers(response, 'WWW-Authenticate');
    expect(values).toHaveLength(2);
    expect(values[0]).toMatch(/algorithm=SHA-256/);
    expect(values[1]).toMatch(/algorithm=MD5/);
    for (const v of values) {
      expect(v).toMatch(/^Digest realm="example.test", nonce="[A-Za-z0-9_-]{40}", opaque="[0-9a-f]+", algorithm=[A-Z0-9-]+, qop="auth"$/);
    }
    expect(h.delegate.events).toHaveLength(0); // a plain challenge is not an event
  });

  it('wrong password → 403 and an auth_failed event {reason:wrong_password, algorithm}', async () => {
    h = await startHarness();
    const c = await h.client();
    const { final } = await c.register({ user: USER, password: 'nope', algorithm: 'SHA-256' });
    expect(final.status).toBe(403);
    await eventually(() => h.delegate.eventsOf('auth_failed').length === 1);
    expect(h.delegate.eventsOf('auth_failed')[0]).toMatchObject({ unique: USER, method: 'REGISTER', responseCode: 403, detail: { reason: 'wrong_password', algorithm: 'SHA-256' } });
    expect(h.server.bindingsOf(USER)).toHaveLength(0);
  });

  it('unknown unique gets the same challenge as a known one, then 403 and unknown_unique', async () => {
    h = await startHarness();
    const c = await h.client();
    const known = await c.request({ method: 'REGISTER', user: USER, expires: 600 });
    const unknown = await c.request({ method: 'REGISTER', user: '0000009999', expires: 600 });
    expect(unknown.response.status).toBe(known.response.status);
    const shape = (vs: string[]): string[] => vs.map((v) => v.replace(/nonce="[^"]+"/, 'nonce=""'));
    expect(shape(headers(unknown.response, 'WWW-Authenticate'))).toEqual(shape(headers(known.response, 'WWW-Authenticate')));
    expect(unknown.response.headers.map((x) => x.name)).toEqual(known.response.headers.map((x) => x.name));
    const { final } = await c.register({ user: '0000009999', password: 'guess' });
    expect(final.status).toBe(403);
    await eventually(() => h.delegate.eventsOf('unknown_unique').length === 1);
    expect(h.delegate.eventsOf('unknown_unique')[0]).toMatchObject({ unique: '0000009999', responseCode: 403 });
  });

  it('digest user different from the To user → 403 "Digest user does not match the AOR"', async () => {
    h = await startHarness();
    const c = await h.client();
    const { final } = await c.register({ user: USER, username: KNOWN[1]!, password: PASSWORD });
    expect(final.status).toBe(403);
    expect(final.reason).toBe('Digest user does not match the AOR');
    await eventually(() => h.delegate.eventsOf('rejected').length === 1);
    expect(h.delegate.eventsOf('rejected')[0]!.detail).toMatchObject({ reason: 'user_mismatch' });
  });

  it('un-registers with Expires: 0 and emits unregistered', async () => {
    h = await startHarness();
    const c = await h.client();
    const callId = 'unreg-1@test';
    expect((await c.register({ user: USER, password: PASSWORD, callId })).final.status).toBe(200);
    const { final } = await c.register({ user: USER, password: PASSWORD, callId, expires: 0 });
    expect(final.status).toBe(200);
    expect(headers(final, 'Contact')).toHaveLength(0);
    expect(h.server.bindingsOf(USER)).toHaveLength(0);
    expect(h.delegate.eventsOf('unregistered')).toHaveLength(1);
    expect(h.delegate.commits.some((cm) => cm.removals.length === 1)).toBe(true);
  });

  it('Contact: * with Expires: 0 removes every binding; without Expires: 0 it is a 400', async () => {
    h = await startHarness();
    const c = await h.client();
    await c.register({ user: USER, password: PASSWORD, contact: '<sip:a@192.0.2.1:5060>' });
    await c.register({ user: USER, password: PASSWORD, contact: '<sip:b@192.0.2.2:5060>' });
    expect(h.server.bindingsOf(USER)).toHaveLength(2);
    const bad = await c.register({ user: USER, password: PASSWORD, contact: '*', expires: 600 });
    expect(bad.final.status).toBe(400);
    expect(bad.final.reason).toMatch(/Expires: 0/);
    const good = await c.register({ user: USER, password: PASSWORD, contact: '*', expires: 0 });
    expect(good.final.status).toBe(200);
    expect(h.server.bindingsOf(USER)).toHaveLength(0);
    expect(h.delegate.eventsOf('unregistered')).toHaveLength(2);
  });

  it('expiry below the minimum → 423 with Min-Expires and interval_too_brief', async () => {
    h = await startHarness();
    const c = await h.client();
    const { final } = await c.register({ user: USER, password: PASSWORD, expires: 30 });
    expect(final.status).toBe(423);
    expect(header(final, 'Min-Expires')).toBe('60');
    await eventually(() => h.delegate.eventsOf('interval_too_brief').length === 1);
    expect(h.delegate.eventsOf('interval_too_brief')[0]).toMatchObject({ requestedExpires: 30, responseCode: 423 });
  });

  it('a refresh is answered before persist resolves (write-behind); a new binding only after', async () => {
    h = await startHarness();
    const c = await h.client();
    const callId = 'refresh-1@test';
    await c.register({ user: USER, password: PASSWORD, callId });
    h.delegate.hold();
    const refresh = await c.register({ user: USER, password: PASSWORD, callId });
    expect(refresh.final.status).toBe(200);
    expect(h.delegate.eventsOf('refreshed')).toHaveLength(1);
    const pending = c.register({ user: USER, password: PASSWORD, contact: '<sip:second@192.0.2.9>' });
    expect(await c.quiet(150)).toBeLessThanOrEqual(1); // only the 401
    h.delegate.release();
    expect((await pending).final.status).toBe(200);
  });

  it('persist failure → 500 and the tentative binding is rolled back', async () => {
    h = await startHarness();
    const c = await h.client();
    h.delegate.failNext = true;
    const { final } = await c.register({ user: USER, password: PASSWORD });
    expect(final.status).toBe(500);
    expect(h.server.bindingsOf(USER)).toHaveLength(0);
  });

  it('persist failure of an un-REGISTER → 500 and the binding is restored', async () => {
    h = await startHarness();
    const c = await h.client();
    expect((await c.register({ user: USER, password: PASSWORD, callId: 'rb@test' })).final.status).toBe(200);
    h.delegate.failNext = true;
    const { final } = await c.register({ user: USER, password: PASSWORD, callId: 'rb@test', expires: 0 });
    expect(final.status).toBe(500);
    expect(h.server.bindingsOf(USER)).toHaveLength(1);
  });

  it('emits expired within 1 s of the expiry', async () => {
    h = await startHarness({ minExpires: 1, defaultExpires: 1 });
    const c = await h.client();
    expect((await c.register({ user: USER, password: PASSWORD, expires: 1 })).final.status).toBe(200);
    const expiresAt = h.server.bindingsOf(USER)[0]!.expiresAt;
    await eventually(() => h.delegate.eventsOf('expired').length === 1, 3000);
    const expired = h.delegate.eventsOf('expired')[0]!;
    expect(expired.at.getTime() - expiresAt).toBeGreaterThanOrEqual(0);
    expect(expired.at.getTime() - expiresAt).toBeLessThan(1000);
    expect(h.server.activeBindingCount()).toBe(0);
  });

  it('keeps several contacts per AOR, replaces the oldest beyond the maximum', async () => {
    h = await startHarness({ maxBindingsPerAor: 2 });
    const c = await h.client();
    for (const n of [1, 2, 3]) await c.register({ user: USER, password: PASSWORD, contact: `<sip:p${n}@192.0.2.${n}>` });
    expect(h.server.bindingsOf(USER).map((b) => b.contact).sort()).toEqual(['sip:p2@192.0.2.2', 'sip:p3@192.0.2.3']);
  });

  it('CSeq not above the stored one for the same Call-ID → 500 (§10.3 step 7)', async () => {
    h = await startHarness();
    const c = await h.client();
    const authed = async (cseq: number): Promise<number> => {
      const { response: challenge } = await c.request({ method: 'REGISTER', user: USER, callId: 'cseq@test', cseq, expires: 600 });
      const value = c.answer(c.pickChallenge(challenge, 'WWW-Authenticate', 'MD5'), { method: 'REGISTER', user: USER, password: PASSWORD, uri: 'sip:example.test' });
      const { response } = await c.request({ method: 'REGISTER', user: USER, callId: 'cseq@test', cseq: cseq + 1, expires: 600, authorization: { header: 'Authorization', value } });
      return response.status;
    };
    expect(await authed(100)).toBe(200);
    expect(await authed(50)).toBe(500);
    expect(await authed(200)).toBe(200);
  });

  it('Request-URI for a domain not served → 404', async () => {
    h = await startHarness();
    const c = await h.client();
    const { response } = await c.request({ method: 'REGISTER', user: USER, requestUri: 'sip:other.example.org', expires: 600 });
    expect(response.status).toBe(404);
  });

  it('accepts a served login-server domain and our own IP in the Request-URI', async () => {
    h = await startHarness({ servedDomains: ['sip3.example.net'] });
    const c = await h.client();
    expect((await c.request({ method: 'REGISTER', user: USER, requestUri: 'sip:sip3.example.net', expires: 600 })).response.status).toBe(401);
    expect((await c.request({ method: 'REGISTER', user: USER, requestUri: 'sip:127.0.0.1', expires: 600 })).response.status).toBe(401);
  });
});
