import { describe, it, expect } from 'vitest';
import { parseContactList, parseNameAddr, parseUri } from '../../../../src/sip/message/index.js';

function uri(text: string) {
  const r = parseUri(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('parseUri (RFC 3261 §19.1.1)', () => {
  it('parses user, password, host, port, params and headers', () => {
    const u = uri('sips:alice:secret@Example.COM:5061;transport=tcp;LR;maddr=239.0.0.1?subject=hi&priority=urgent');
    expect(u).toMatchObject({ scheme: 'sips', user: 'alice', password: 'secret', host: 'Example.COM', port: 5061 });
    expect([...u.params]).toEqual([['transport', 'tcp'], ['lr', null], ['maddr', '239.0.0.1']]);
    expect([...u.headers]).toEqual([['subject', 'hi'], ['priority', 'urgent']]);
  });
  it('lower-cases the scheme and accepts a host without user', () => {
    expect(uri('SIP:registrar.example.com')).toMatchObject({ scheme: 'sip', user: null, host: 'registrar.example.com', port: null });
  });
  it('unescapes the user part', () => {
    expect(uri('sip:%61lice%20smith@h').user).toBe('alice smith');
  });
  it('parses IPv4 and IPv6 references (RFC 5118 §4.3, §4.4)', () => {
    expect(uri('sip:192.0.2.1:5070')).toMatchObject({ host: '192.0.2.1', port: 5070 });
    expect(uri('sip:bob@[2001:db8::1]:5070')).toMatchObject({ host: '2001:db8::1', port: 5070 });
    expect(uri('sip:[2001:db8::10:5070]')).toMatchObject({ host: '2001:db8::10:5070', port: null });
    expect(uri('sip:[::ffff:192.0.2.2]').host).toBe('::ffff:192.0.2.2');
  });
  it('parses tel: URIs (RFC 3966), number in user', () => {
    expect(uri('tel:+1-201-555-0123;phone-context=example.com')).toMatchObject({ scheme: 'tel', user: '+1-201-555-0123', host: '' });
  });
  it.each([
    ['no scheme', 'alice@example.com'],
    ['unknown scheme', 'http://example.com'],
    ['unbracketed IPv6 (RFC 5118 §4.2)', 'sip:2001:db8::10'],
    ['embedded space', 'sip:user@example.com; lr'],
    ['port out of range', 'sip:h:70000'],
    ['non-numeric port', 'sip:h:50a'],
    ['bad escape', 'sip:%zz@h'],
    ['empty user', 'sip:@h'],
    ['empty host', 'sip:user@'],
    ['unterminated IPv6', 'sip:[2001:db8::1'],
    ['empty param name', 'sip:h;;lr'],
    ['empty header', 'sip:h?'],
    ['angle brackets', '<sip:h>'],
  ])('refuses %s', (_n, text) => {
    expect(parseUri(text).ok).toBe(false);
  });
});

describe('parseNameAddr (RFC 3261 §20.10)', () => {
  it('parses a quoted display name with escapes and header params', () => {
    const r = parseNameAddr('"Alice \\"A\\" \\\\ Smith" <sip:alice@example.com;transport=udp> ;tag = 88sja8x ;expires=60');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.displayName).toBe('Alice "A" \\ Smith');
    expect(r.value.rawUri).toBe('sip:alice@example.com;transport=udp');
    expect(r.value.uri.params.get('transport')).toBe('udp');
    expect([...r.value.params]).toEqual([['tag', '88sja8x'], ['expires', '60']]);
  });
  it('token display names and no LWS before <', () => {
    const r = parseNameAddr('Alice Smith<sip:alice@example.com>');
    expect(r.ok && r.value.displayName).toBe('Alice Smith');
  });
  it('bare addr-spec: params after it are header params (RFC 4475 cparam01)', () => {
    const r = parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam;q=0.5');
    expect(r.ok && r.value.rawUri).toBe('sip:+19725552222@gw1.example.net');
    expect(r.ok && [...r.value.params.keys()]).toEqual(['unknownparam', 'q']);
    expect(r.ok && r.value.displayName).toBeNull();
  });
  it('keeps quoted header-param values with their quotes for echoing', () => {
    const r = parseNameAddr('<sip:a@b>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1');
    expect(r.ok && r.value.params.get('+sip.instance')).toBe('"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"');
  });
  it.each([
    ['unterminated quote', '"Mr. J. User <sip:j.user@example.com>'],
    ['unquoted comma in display name', 'Bell, Alexander <sip:a@b>'],
    ['bare URI with ?headers (RFC 4475 regbadct)', 'sip:user@example.com?Route=%3Csip:x%3E'],
    ['spaces inside <> (badaspec)', '< sip:a@b >'],
    ['missing >', '<sip:a@b'],
    ['empty param', '<sip:a@b>;;;'],
    ['garbage after >', '<sip:a@b> junk'],
    ['unknown scheme', '<http://example.com>'],
  ])('refuses %s', (_n, text) => {
    expect(parseNameAddr(text).ok).toBe(false);
  });
});

describe('parseContactList', () => {
  it('accepts * alone', () => {
    expect(parseContactList(' * ')).toEqual({ ok: true, value: '*' });
    expect(parseContactList('*, <sip:a@b>').ok).toBe(false);
  });
  it('splits on commas outside quotes and <>', () => {
    const r = parseContactList('"Doe, J" <sip:a,b@h>;q=0.7, sip:c@d;expires=10');
    expect(r.ok && r.value !== '*' && r.value.map((c) => c.rawUri)).toEqual(['sip:a,b@h', 'sip:c@d']);
  });
  it('fails if any element fails', () => {
    expect(parseContactList('<sip:a@b>, <http://x>').ok).toBe(false);
    expect(parseContactList('').ok).toBe(false);
  });
});
