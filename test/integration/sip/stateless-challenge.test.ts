import { afterEach, describe, expect, it } from 'vitest';
import { header } from '../../fakes/sip-client.js';
import { eventually, KNOWN, PASSWORD, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const USER = KNOWN[0]!;

/** RFC 3261 §8.2.7: challenges are answered statelessly (see sip-server.ts dispatch). */
describe('stateless 401 challenges', () => {
  it('answers a retransmitted REGISTER with a fresh challenge and the same To tag; the answer to either registers', async () => {
    const requests: string[] = [];
    let retransmissions = 0;
    h = await startHarness({
      metrics: {
        request: (m) => requests.push(m), response: () => undefined, authFailure: () => undefined, activeBindings: () => undefined,
        persistLatency: () => undefined, retransmission: () => retransmissions++, dropped: () => undefined,
      },
    });
    const c = await h.client('udp');
    const sent = c.build({ method: 'REGISTER', user: USER, callId: 'stateless@test', cseq: 1, expires: 600 });
    c.sendRaw(sent.bytes);
    const first = await c.waitFor((r) => r.status === 401);
    c.sendRaw(sent.bytes);
    await eventually(() => c.responses.length === 2);
    const second = c.responses[1]!;
    expect(second.status).toBe(401);
    expect(header(second, 'To')).toBe(header(first, 'To'));
    expect(header(second, 'WWW-Authenticate')).not.toBe(header(first, 'WWW-Authenticate'));
    // A stateless UAS regenerates the response: both count as requests, none as a retransmission.
    expect(requests.filter((m) => m === 'REGISTER')).toHaveLength(2);
    expect(retransmissions).toBe(0);
    const value = c.answer(c.pickChallenge(first, 'WWW-Authenticate', 'MD5'), { method: 'REGISTER', user: USER, password: PASSWORD, uri: 'sip:example.test' });
    c.sendRaw(c.build({ method: 'REGISTER', user: USER, callId: 'stateless@test', cseq: 2, expires: 600, authorization: { header: 'Authorization', value } }).bytes);
    await c.waitFor((r) => r.status === 200);
    expect(h.delegate.eventsOf('registered')).toHaveLength(1);
  });

  it('keeps the final response of an authenticated REGISTER for retransmissions', async () => {
    h = await startHarness();
    const c = await h.client('udp');
    const { response: challenge } = await c.request({ method: 'REGISTER', user: USER, callId: 'final@test', cseq: 1, expires: 600 });
    const value = c.answer(c.pickChallenge(challenge, 'WWW-Authenticate', 'MD5'), { method: 'REGISTER', user: USER, password: PASSWORD, uri: 'sip:example.test' });
    const sent = c.build({ method: 'REGISTER', user: USER, callId: 'final@test', cseq: 2, expires: 600, authorization: { header: 'Authorization', value } });
    c.sendRaw(sent.bytes);
    const ok = await c.waitFor((r) => r.status === 200);
    const before = c.responses.length;
    c.sendRaw(sent.bytes);
    await eventually(() => c.responses.length === before + 1);
    expect(header(c.responses[before]!, 'To')).toBe(header(ok, 'To'));
    expect(h.delegate.eventsOf('registered')).toHaveLength(1);
  });
});
