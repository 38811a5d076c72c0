import { afterEach, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { header, headers } from '../../fakes/sip-client.js';
import { eventually, KNOWN, PASSWORD, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const USER = KNOWN[0]!;

describe('transactions over real sockets', () => {
  it('absorbs a UDP retransmission while the commit is pending, then resends the same 200; persist once', async () => {
    h = await startHarness();
    const c = await h.client('udp');
    const { response: challenge } = await c.request({ method: 'REGISTER', user: USER, callId: 'rtx@test', cseq: 1, expires: 600 });
    const value = c.answer(c.pickChallenge(challenge, 'WWW-Authenticate', 'MD5'), { method: 'REGISTER', user: USER, password: PASSWORD, uri: 'sip:example.test' });
    const sent = c.build({ method: 'REGISTER', user: USER, callId: 'rtx@test', cseq: 2, expires: 600, authorization: { header: 'Authorization', value } });
    h.delegate.hold();
    c.sendRaw(sent.bytes);
    await eventually(() => h.delegate.commits.length === 1);
    c.sendRaw(sent.bytes); // retransmission in Trying: absorbed
    expect(await c.quiet(100)).toBe(0);
    h.delegate.release();
    const ok = await c.waitFor((r) => r.status === 200);
    const before = c.responses.length;
    c.sendRaw(sent.bytes); // retransmission in Completed: the same final response
    await eventually(() => c.responses.length === before + 1);
    const again = c.responses[before]!;
    expect(again.status).toBe(200);
    expect(header(again, 'To')).toBe(header(ok, 'To'));
    expect(headers(again, 'Contact')).toEqual(headers(ok, 'Contact'));
    expect(h.delegate.commits.filter((cm) => cm.upserts.length > 0)).toHaveLength(1);
    expect(h.delegate.eventsOf('registered')).toHaveLength(1);
  });

  it('answers a malformed datagram with 400 naming the problem, or drops it, and keeps working', async () => {
    h = await startHarness();
    const c = await h.client('udp');
    c.sendRaw(`REGISTER sip:example.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${c.localPort};branch=z9hG4bKbad;rport\r\nFrom: <sip:x@example.test>;tag=1\r\nTo: <sip:x@example.test>\r\nCall-ID: bad@test\r\nCSeq: nonsense\r\nContent-Length: 0\r\n\r\n`);
    const bad = await c.waitFor((r) => r.status === 400);
    expect(bad.reason).toMatch(/CSeq/i);
    c.sendRaw('\x00\x01garbage that is not SIP at all');
    c.sendRaw(Buffer.alloc(2000, 0xff));
    expect(await c.quiet(100)).toBe(0);
    expect((await c.register({ user: USER, password: PASSWORD })).final.status).toBe(200);
  });

  it('survives 500 mutated datagrams (byte flips, truncations) and still registers', async () => {
    h = await startHarness({ abuse: { allowList: ['127.0.0.1'] } });
    const c = await h.client('udp');
    const valid = c.build({ method: 'REGISTER', user: USER, expires: 600 }).bytes;
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const b = Buffer.from(valid);
      for (let k = 0; k < 1 + rand(4); k++) b[rand(b.length)] = rand(256);
      c.sendRaw(rand(5) === 0 ? b.subarray(0, rand(b.length)) : b);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(h.server.isBound()).toBe(true);
    expect((await c.register({ user: USER, password: PASSWORD })).final.status).toBe(200);
  });

  it('TCP: pipelined and split messages, CRLF keep-alive answered with CRLF', async () => {
    h = await startHarness();
    const c = await h.client('tcp');
    const a = c.build({ method: 'OPTIONS', user: USER });
    const b = c.build({ method: 'OPTIONS', user: USER });
    c.sendRaw(Buffer.concat([a.bytes, b.bytes])); // pipelined in one write
    await eventually(() => c.responses.length === 2);
    const d = c.build({ method: 'OPTIONS', user: USER });
    c.sendRaw(d.bytes.subarray(0, 17));
    await new Promise((r) => setTimeout(r, 20));
    c.sendRaw(d.bytes.subarray(17, 90));
    await new Promise((r) => setTimeout(r, 20));
    c.sendRaw(d.bytes.subarray(90));
    await eventually(() => c.responses.length === 3);
    expect(c.responses.every((r) => r.status === 200)).toBe(true);
    c.sendRaw('\r\n\r\n');
    await eventually(() => c.pongs === 1);
    expect((await c.register({ user: USER, password: PASSWORD, algorithm: 'SHA-256' })).final.status).toBe(200);
  });

  it('OPTIONS → 200 with Allow; SUBSCRIBE → 405 with Allow; unknown method → 501; BYE → 481', async () => {
    h = await startHarness();
    const c = await h.client('udp');
    const options = await c.request({ method: 'OPTIONS', user: USER });
    expect(options.response.status).toBe(200);
    expect(header(options.response, 'Allow')).toBe('REGISTER, OPTIONS, INVITE, ACK, CANCEL, BYE');
    // RFC 3581 §4: the server fills in rport with the source port.
    expect(header(options.response, 'Via')).toMatch(new RegExp(`;rport=${c.localPort}$`));
    const sub = await c.request({ method: 'SUBSCRIBE', user: USER });
    expect(sub.response.status).toBe(405);
    expect(header(sub.response, 'Allow')).toBe('REGISTER, OPTIONS, INVITE, ACK, CANCEL, BYE');
    expect((await c.request({ method: 'FROBNICATE', user: USER })).response.status).toBe(501);
    expect((await c.request({ method: 'BYE', user: USER })).response.status).toBe(481);
    expect((await c.request({ method: 'CANCEL', user: USER })).response.status).toBe(481);
  });

  it('IPv6 (::1) when available', async () => {
    const hasV6 = Object.values(networkInterfaces()).some((l) => l?.some((a) => a.address === '::1'));
    if (!hasV6) return;
    h = await startHarness({ host: '::1' });
    for (const t of ['udp', 'tcp'] as const) {
      const c = await h.client(t, { host: '::1' });
      expect((await c.register({ user: USER, password: PASSWORD, contact: `<sip:${USER}@[::1]:${c.localPort}>` })).final.status).toBe(200);
    }
    expect(h.delegate.eventsOf('registered')[0]!.source).toMatch(/^\[::1\]:\d+$/);
  });
});

describe('INVITE', () => {
  it('challenges with 407, a wrong password is 403 + auth_failed with method INVITE', async () => {
    h = await startHarness();
    const c = await h.client('udp');
    const { challenge, final } = await c.invite({ user: USER, password: 'wrong' });
    expect(challenge.status).toBe(407);
    expect(headers(challenge, 'Proxy-Authenticate')).toHaveLength(2);
    expect(final.status).toBe(403);
    await eventually(() => h.delegate.eventsOf('auth_failed').length === 1);
    expect(h.delegate.eventsOf('auth_failed')[0]).toMatchObject({ unique: USER, method: 'INVITE', detail: { reason: 'wrong_password', algorithm: 'MD5' } });
  });

  it('an unknown unique gets 403 + unknown_unique', async () => {
    h = await startHarness();
    const c = await h.client('udp');
    const { final } = await c.invite({ user: '0000009999', password: 'x' });
    expect(final.status).toBe(403);
    await eventually(() => h.delegate.eventsOf('unknown_unique').length === 1);
    expect(h.delegate.eventsOf('unknown_unique')[0]).toMatchObject({ method: 'INVITE', unique: '0000009999' });
  });

  it('an authenticated INVITE gets 501 with a Warning; the ACK is absorbed', async () => {
    h = await startHarness();
    const c = await h.client('tcp');
    const { final } = await c.invite({ user: USER, password: PASSWORD, algorithm: 'SHA-256' });
    expect(final.status).toBe(501);
    expect(header(final, 'Warning')).toBe('399 example.test "linewatch is a registrar and does not route calls"');
    expect(await c.quiet(50)).toBe(0);
  });
});

describe('abuse protection', () => {
  it('blocks a source after repeated wrong passwords: one blocked event, then silence', async () => {
    h = await startHarness({ abuse: { maxFailures: 3, maxDistinctUniques: 100 } });
    const c = await h.client('udp');
    for (let i = 0; i < 3; i++) expect((await c.register({ user: USER, password: 'bad' })).final.status).toBe(403);
    await eventually(() => h.delegate.eventsOf('blocked').length === 1);
    expect(h.delegate.eventsOf('blocked')[0]!.detail).toMatchObject({ reason: 'too_many_failures' });
    c.sendRaw(c.build({ method: 'OPTIONS', user: USER }).bytes);
    c.sendRaw(c.build({ method: 'OPTIONS', user: USER }).bytes);
    expect(await c.quiet(100)).toBe(0);
    expect(h.delegate.eventsOf('blocked')).toHaveLength(1);
  });

  it('blocks one source trying many distinct uniques', async () => {
    h = await startHarness({ abuse: { maxDistinctUniques: 3 } });
    const c = await h.client('udp');
    for (const u of ['0000000001', '0000000002', '0000000003']) await c.register({ user: u, password: 'x' });
    await eventually(() => h.delegate.eventsOf('blocked').length === 1);
    expect(h.delegate.eventsOf('blocked')[0]!.detail).toMatchObject({ reason: 'too_many_uniques' });
  });

  it('refuses a known scanner User-Agent with 403, flagged {scanner:true}', async () => {
    h = await startHarness();
    const c = await h.client('udp', { userAgent: 'friendly-scanner' });
    const { response } = await c.request({ method: 'REGISTER', user: '100', expires: 600 });
    expect(response.status).toBe(403);
    await eventually(() => h.delegate.eventsOf('rejected').length === 1);
    expect(h.delegate.eventsOf('rejected')[0]!.detail).toMatchObject({ scanner: true });
    expect(h.delegate.eventsOf('blocked')[0]!.detail).toMatchObject({ scanner: true });
  });
});
