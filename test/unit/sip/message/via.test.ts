import { describe, it, expect } from 'vitest';
import { parseVia } from '../../../../src/sip/message/index.js';

describe('parseVia (RFC 3261 §20.42, RFC 3581)', () => {
  it('parses protocol, host, port and params', () => {
    const r = parseVia('SIP/2.0/udp 192.0.2.1:5062;branch=z9hG4bK776asdhds;rport;received=192.0.2.9');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ protocol: 'SIP/2.0/UDP', transport: 'UDP', host: '192.0.2.1', port: 5062, branch: 'z9hG4bK776asdhds' });
    expect(r.value.params.get('rport')).toBeNull();
    expect(r.value.params.get('received')).toBe('192.0.2.9');
  });
  it('accepts rport with a value, IPv6 sent-by and LWS around separators', () => {
    const r = parseVia(' SIP / 2.0 / TCP  [2001:db8::9:1]:6050 ; rport = 5060 ; branch = z9hG4bKx');
    expect(r.ok && [r.value.host, r.value.port, r.value.params.get('rport'), r.value.branch]).toEqual(['2001:db8::9:1', 6050, '5060', 'z9hG4bKx']);
  });
  it('accepts received with or without brackets (RFC 5118 §4.5)', () => {
    expect(parseVia('SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255]').ok).toBe(true);
    expect(parseVia('SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255').ok).toBe(true);
  });
  it('no branch gives null (RFC 2543 peers)', () => {
    expect(parseVia('SIP/2.0/UDP h').ok && (parseVia('SIP/2.0/UDP h') as { value: { branch: null } }).value.branch).toBeNull();
  });
  it.each([
    ['empty params (RFC 4475 badinv01)', 'SIP/2.0/UDP 192.0.2.15;;'],
    ['missing sent-by', 'SIP/2.0/UDP'],
    ['missing transport', 'SIP/2.0 host'],
    ['bad port', 'SIP/2.0/UDP host:99999'],
    ['received not an IP', 'SIP/2.0/UDP host;received=evil.example.com'],
    ['bad rport', 'SIP/2.0/UDP host;rport=abc'],
    ['branch without value', 'SIP/2.0/UDP host;branch'],
    ['unbracketed IPv6 host', 'SIP/2.0/UDP 2001:db8::1;branch=z9hG4bK1'],
  ])('refuses %s', (_n, v) => {
    expect(parseVia(v).ok).toBe(false);
  });
});
