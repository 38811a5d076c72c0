import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { header, headers } from '../../fakes/sip-client.js';
import { eventually, KNOWN, PASSWORD, startHarness, type Harness } from './harness.js';
import type { SipMetrics, StoredBinding } from '../../../src/sip/index.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const USER = KNOWN[0]!;

describe('nonce lifetime', () => {
  it('an answer with a nonce older than its lifetime gets 401 stale=true and a stale_nonce event', async () => {
    const clock = { t: Date.now() };
    h = await startHarness({ clock: { now: () => clock.t } });
    const c = await h.client('udp');
    const { response: challenge } = await c.request({ method: 'REGISTER', user: USER, callId: 'stale@test', cseq: 1, expires: 600 });
    clock.t += 301_000;
    const value = c.answer(c.pickChallenge(challenge, 'WWW-Authenticate', 'SHA-256'), { method: 'REGISTER', user: USER, password: PASSWORD, uri: 'sip:example.test' });
    const { response } = await c.request({ method: 'REGISTER', user: USER, callId: 'stale@test', cseq: 2, expires: 600, authorization: { header: 'Authorization', value } });
    expect(response.status).toBe(401);
    expect(headers(response, 'WWW-Authenticate').every((v) => v.endsWith(', stale=true'))).toBe(true);
    await eventually(() => h.delegate.eventsOf('stale_nonce').length === 1);
    expect(h.delegate.eventsOf('stale_nonce')[0]).toMatchObject({ unique: USER, detail: { reason: 'expired' } });
    expect(h.delegate.eventsOf('auth_failed')).toHaveLength(0);
  });
});

describe('limits', () => {
  it('an oversized UDP request gets 513 Message Too Large', async () => {
    h = await startHarness({ tcp: { maxMessageBytes: 1000 } });
    const c = await h.client('udp');
    const big = c.build({ method: 'OPTIONS', user: USER, extraHeaders: [`X-Padding: ${'a'.repeat(1200)}`] });
    c.sendRaw(big.bytes);
    const r = await c.waitFor((x) => x.status === 513);
    expect(r.reason).toBe('Message Too Large');
  });

  it('closes an idle TCP connection', async () => {
    h = await startHarness({ tcp: { idleTimeoutMs: 100 } });
    const socket = connect({ host: '127.0.0.1', port: h.port });
    const closed = new Promise<number>((resolve) => {
      const t0 = Date.now();
      socket.on('close', () => resolve(Date.now() - t0));
    });
    socket.on('error', () => {});
    expect(await closed).toBeLessThan(2000);
  });

  it('refuses TCP connections beyond maxConnections', async () => {
    h = await startHarness({ tcp: { maxConnections: 1 } });
    const first = await h.client('tcp');
    const second = connect({ host: '127.0.0.1', port: h.port });
    second.on('error', () => {});
    await new Promise((r) => second.once('close', r));
    expect((await first.request({ method: 'OPTIONS', user: USER })).response.status).toBe(200);
  });

  it('closes a TCP connection whose framing is broken (no Content-Length)', async () => {
    h = await startHarness();
    const socket = connect({ host: '127.0.0.1', port: h.port });
    socket.on('error', () => {});
    await new Promise((r) => socket.once('connect', r));
    socket.write('OPTIONS sip:example.test SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKx\r\n\r\n');
    await new Promise((r) => socket.once('close', r));
    const c = await h.client('tcp');
    expect((await c.request({ method: 'OPTIONS', user: USER })).response.status).toBe(200);
  });
});

describe('metrics', () => {
  it('counts requests, responses, retransmissions, auth failures and active bindings', async () => {
    const calls: string[] = [];
    const metrics: SipMetrics = {
      request: (m) => calls.push(`request ${m}`),
      response: (m, s) => calls.push(`response ${m} ${s}`),
      authFailure: (k) => calls.push(`authFailure ${k}`),
      activeBindings: (n) => calls.push(`activeBindings ${n}`),
      persistLatency: () => calls.push('persistLatency'),
      retransmission: () => calls.push('retransmission'),
      dropped: (r) => calls.push(`dropped ${r}`),
    };
    h = await startHarness({ metrics });
    const c = await h.client('udp');
    await c.register({ user: USER, password: PASSWORD });
    await c.register({ user: USER, password: 'wrong' });
    const sent = c.build({ method: 'OPTIONS', user: USER });
    c.sendRaw(sent.bytes);
    c.sendRaw(sent.bytes);
    await eventually(() => calls.includes('retransmission'));
    for (const expected of ['request REGISTER', 'response REGISTER 401', 'response REGISTER 200', 'response REGISTER 403', 'authFailure wrong_password', 'activeBindings 1', 'persistLatency', 'request OPTIONS']) {
      expect(calls).toContain(expected);
    }
  });
});

describe('server lifecycle', () => {
  it('reports bound ports, restores bindings with a grace period, and flushes on stop', async () => {
    h = await startHarness({ restoreGraceSeconds: 1, minExpires: 1 });
    expect(h.server.isBound()).toBe(true);
    const now = new Date();
    const rec = (contact: string, expiresAt: Date): StoredBinding => ({
      unique: USER, contact, source: '192.0.2.1:5060', transport: 'udp', userAgent: null, callId: 'c', cseq: 1, path: [],
      instanceId: null, regId: null, q: null, requestedExpires: 600, grantedExpires: 600, registeredAt: now, refreshedAt: now, expiresAt,
    });
    const loaded = h.server.restoreBindings([rec('sip:valid@192.0.2.1', new Date(now.getTime() + 600_000)), rec('sip:lapsed@192.0.2.1', new Date(now.getTime() - 5_000))], now);
    expect(loaded).toBe(2);
    expect(h.server.activeBindingCount()).toBe(2);
    const c = await h.client('udp');
    const query = await c.register({ user: USER, password: PASSWORD, contact: null });
    expect(headers(query.final, 'Contact')).toHaveLength(2); // a REGISTER without Contact is a query
    await eventually(() => h.delegate.eventsOf('expired').length === 1, 3000);
    expect(h.delegate.eventsOf('expired')[0]!.contact).toBe('sip:lapsed@192.0.2.1');
    expect(h.server.bindingsOf(USER).map((b) => b.contact)).toEqual(['sip:valid@192.0.2.1']);
    h.delegate.hold();
    const pending = c.register({ user: USER, password: PASSWORD, contact: '<sip:new@192.0.2.3>' });
    await eventually(() => h.delegate.eventsOf('registered').length === 1);
    let stopped = false;
    const stop = h.server.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false); // waiting for the in-flight persist
    h.delegate.release();
    await stop;
    expect(h.server.isBound()).toBe(false);
    await pending.catch(() => undefined);
    expect(header(query.final, 'Date')).toBeDefined();
  });
});
