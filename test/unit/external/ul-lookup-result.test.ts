import { describe, expect, it } from 'vitest';
import { mapUlLookupResult } from '../../../src/external/index.js';

const NOW = new Date('2026-11-26T00:00:00.000Z');
const contact = (over: Record<string, unknown>) => ({
  Address: 'sip:0000000773@192.168.1.20:5062', Expires: 600, Q: -1, 'Call-ID': 'c', CSeq: 3, 'User-Agent': '[not set]', Received: '[not set]',
  Path: '[not set]', Socket: '[not set]', Instance: '[not set]', 'Reg-Id': 0, 'Last-Modified': NOW.getTime() / 1000, ...over,
});

describe('mapUlLookupResult', () => {
  it('takes source from the contact when no received address is set; unset strings become null', () => {
    const r = mapUlLookupResult({ AoR: '0000000773', Contacts: [{ Contact: contact({}) }] }, '0000000773', NOW);
    expect(r).toMatchObject({ ok: true, bindings: [{ source: '192.168.1.20:5062', transport: 'udp', userAgent: null, instanceId: null, regId: null, q: null, grantedExpires: 600 }] });
  });

  it('maps TLS/WS sockets to the stream transport, q to 0..1, and splits the Path vector', () => {
    const r = mapUlLookupResult(
      { AoR: 'a', Contacts: [{ Contact: contact({ Socket: 'tls:10.0.0.5:5061', Q: 500, Path: '<sip:p1.example.net;lr>,<sip:p2.example.net;lr;x=a,b>', Received: 'sip:[2001:db8::1]:5061;transport=tls' }) }] },
      'a',
      NOW,
    );
    if (!r.ok) throw new Error(r.detail);
    expect(r.bindings[0]).toMatchObject({ transport: 'tcp', q: 0.5, source: '[2001:db8::1]:5061', path: ['<sip:p1.example.net;lr>', '<sip:p2.example.net;lr;x=a,b>'] });
  });

  it('leaves out expired and deleted contacts, keeps permanent ones', () => {
    const r = mapUlLookupResult(
      { AoR: 'a', Contacts: [{ Contact: contact({ Expires: 'expired' }) }, { Contact: contact({ Expires: 'deleted' }) }, { Contact: contact({ Expires: 'permanent', Address: 'sip:a@10.0.0.9' }) }] },
      'a',
      NOW,
    );
    if (!r.ok) throw new Error(r.detail);
    expect(r.bindings).toHaveLength(1);
    expect(r.bindings[0]).toMatchObject({ contact: 'sip:a@10.0.0.9', source: '10.0.0.9:5060', grantedExpires: 0, expiresAt: new Date('9999-12-31T23:59:59.000Z') });
  });

  it('accepts contacts without the Contact wrapper and reports a malformed answer', () => {
    const r = mapUlLookupResult({ AoR: 'a', Contacts: [contact({})] }, 'a', NOW);
    expect(r.ok && r.bindings.length).toBe(1);
    expect(mapUlLookupResult({ Contacts: [] }, 'a', NOW)).toEqual({ ok: false, detail: 'ul.lookup answer: AoR: Required' });
    expect(mapUlLookupResult(null, 'a', NOW)).toMatchObject({ ok: false });
  });
});
