import { describe, it, expect } from 'vitest';
import {
  buildResponse, getHeader, getHeaderValues, parseMessage, responseDestination, serializeResponse, parseVia,
  type SipRequest, type SipVia,
} from '../../../../src/sip/message/index.js';

const REGISTER =
  'REGISTER sip:example.com SIP/2.0\r\n' +
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;rport\r\n' +
  'v: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKb, SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKc\r\n' +
  'Max-Forwards: 70\r\nTo: <sip:alice@example.com>\r\nFrom: "Alice" <sip:alice@example.com>;tag=f1\r\n' +
  'Call-ID: c1@10.0.0.1\r\nCSeq: 7 REGISTER\r\nTimestamp: 54\r\nContact: <sip:alice@10.0.0.1>\r\nContent-Length: 0\r\n\r\n';

function request(text = REGISTER): SipRequest {
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.value.kind !== 'request') throw new Error('bad fixture');
  return r.value;
}

describe('buildResponse (RFC 3261 §8.2.6.2)', () => {
  it('copies all Via in order, From, Call-ID, CSeq and adds Content-Length', () => {
    const resp = buildResponse(request(), 200, 'OK', { toTag: 't1' });
    expect(resp.headers.map((h) => h.name)).toEqual(['Via', 'Via', 'To', 'From', 'Call-ID', 'CSeq', 'Content-Length']);
    expect(getHeaderValues(resp, 'Via').map((v) => (parseVia(v) as { value: SipVia }).value.branch)).toEqual(['z9hG4bKa', 'z9hG4bKb', 'z9hG4bKc']);
    expect(getHeader(resp, 'From')).toBe('"Alice" <sip:alice@example.com>;tag=f1');
    expect(getHeader(resp, 'CSeq')).toBe('7 REGISTER');
    expect(getHeader(resp, 'Content-Length')).toBe('0');
    expect(getHeader(resp, 'Server')).toBeUndefined();
  });
  it('MUST add a To tag when the request has none (given or random)', () => {
    expect(getHeader(buildResponse(request(), 401, 'Unauthorized', { toTag: 'abc' }), 'To')).toBe('<sip:alice@example.com>;tag=abc');
    const a = getHeader(buildResponse(request(), 200, 'OK'), 'To')!;
    const b = getHeader(buildResponse(request(), 200, 'OK'), 'To')!;
    expect(a).toMatch(/;tag=[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
  });
  it('keeps an existing To tag and adds none to 100 Trying, which copies Timestamp', () => {
    const withTag = request(REGISTER.replace('To: <sip:alice@example.com>', 'To: <sip:alice@example.com> ; TAG=x9'));
    expect(getHeader(buildResponse(withTag, 200, 'OK', { toTag: 'no' }), 'To')).toBe('<sip:alice@example.com> ; TAG=x9');
    const trying = buildResponse(request(), 100, 'Trying');
    expect(getHeader(trying, 'To')).toBe('<sip:alice@example.com>');
    expect(getHeader(trying, 'Timestamp')).toBe('54');
    expect(getHeader(buildResponse(request(), 200, 'OK'), 'Timestamp')).toBeUndefined();
  });
  it('appends extra headers (Server only when given) and a body with its length', () => {
    const resp = buildResponse(request(), 200, 'OK', {
      headers: [{ name: 'Server', value: 'linewatch' }, { name: 'Content-Length', value: '999' }],
      body: Buffer.from('hello'),
    });
    expect(getHeader(resp, 'Server')).toBe('linewatch');
    expect(getHeaderValues(resp, 'Content-Length')).toEqual(['5']);
    const wire = serializeResponse(resp);
    const back = parseMessage(wire);
    expect(back.ok && back.value.kind === 'response' && [back.value.status, back.value.body.toString()]).toEqual([200, 'hello']);
  });
});

describe('responseDestination (RFC 3261 §18.2.2, RFC 3581)', () => {
  const via = (v: string): SipVia => (parseVia(v) as { value: SipVia }).value;
  const udp = { address: '203.0.113.7', port: 40000, transport: 'udp' as const };
  it('rport without value: source address and port', () => {
    expect(responseDestination(via('SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK1'), udp)).toEqual({ address: '203.0.113.7', port: 40000 });
  });
  it('never trusts a received= or rport= the client wrote: the packet source wins (no reflection)', () => {
    expect(responseDestination(via('SIP/2.0/UDP 10.0.0.1;received=198.51.100.1;rport=5070'), udp)).toEqual({ address: '203.0.113.7', port: 40000 });
  });
  it('no rport: source address (received) and sent-by port, default 5060', () => {
    expect(responseDestination(via('SIP/2.0/UDP 10.0.0.1:5062'), udp)).toEqual({ address: '203.0.113.7', port: 5062 });
    expect(responseDestination(via('SIP/2.0/UDP 10.0.0.1'), udp)).toEqual({ address: '203.0.113.7', port: 5060 });
    expect(responseDestination(via('SIP/2.0/UDP h;received=[2001:db8::9]'), udp)).toEqual({ address: '203.0.113.7', port: 5060 });
    expect(responseDestination(via('SIP/2.0/UDP 10.0.0.1:0'), udp)).toEqual({ address: '203.0.113.7', port: 5060 });
  });
  it('ignores maddr', () => {
    expect(responseDestination(via('SIP/2.0/UDP 10.0.0.1;maddr=239.255.255.1;ttl=1'), udp)).toEqual({ address: '203.0.113.7', port: 5060 });
  });
  it('reliable transports answer on the connection (source)', () => {
    expect(responseDestination(via('SIP/2.0/TCP 10.0.0.1:5060'), { ...udp, transport: 'tcp' })).toEqual({ address: '203.0.113.7', port: 40000 });
  });
});
