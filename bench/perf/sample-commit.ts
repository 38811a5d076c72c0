import type { Binding, RegistrationEvent } from '../../src/domain/index.js';

/** The group commit of the i-th first registration of a 10,000-line fleet (one binding, one event), at `at`. */
export function sampleCommit(i: number, at: Date): { upserts: Binding[]; removals: []; events: RegistrationEvent[] } {
  const unique = String(700_000_000 + (i % 10_000));
  const source = `192.0.2.${i % 250}:5060`;
  return {
    upserts: [{
      unique, contact: `sip:${unique}@${source};transport=udp`, source, transport: 'udp',
      userAgent: 'Yealink SIP-T46U 108.86.0.45', callId: `call-${i}@phone`, cseq: 2, path: [], instanceId: null, regId: null, q: null,
      requestedExpires: 600, grantedExpires: 600, registeredAt: at, refreshedAt: at, expiresAt: new Date(at.getTime() + 600_000),
    }],
    removals: [],
    events: [{ type: 'registered', unique, at, method: 'REGISTER', source, transport: 'udp', userAgent: 'Yealink', contact: null, callId: `call-${i}@phone`, requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {} }],
  };
}
