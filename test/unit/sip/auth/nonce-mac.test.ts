import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NonceService } from '../../../../src/sip/auth/nonce.js';

/** The nonce MAC must stay HMAC-SHA-256(secret, payload ‖ realm): other workers and old nonces depend on it. */
describe('NonceService MAC', () => {
  const cases: [string, string | Buffer][] = [
    ['short string secret', 'bench-secret'],
    ['64-byte secret (one block)', Buffer.alloc(64, 7)],
    ['100-byte secret (hashed first)', Buffer.alloc(100, 0xa5)],
    ['empty secret', ''],
  ];
  it.each(cases)('matches createHmac for a %s', (_name, secret) => {
    const realm = 'pbx.example.com';
    const nonces = new NonceService({ secret, realm, lifetimeSeconds: 300, now: () => 1_700_000_000_123 });
    for (let i = 0; i < 5; i++) {
      const raw = Buffer.from(nonces.issue(), 'base64url');
      const expected = createHmac('sha256', secret).update(raw.subarray(0, 14)).update(realm).digest().subarray(0, 16);
      expect(raw.subarray(14).equals(expected)).toBe(true);
    }
  });

  it('refuses a nonce whose MAC was made with another secret', () => {
    const a = new NonceService({ secret: 'a', realm: 'r', lifetimeSeconds: 300, now: () => 1000 });
    const b = new NonceService({ secret: 'b', realm: 'r', lifetimeSeconds: 300, now: () => 1000 });
    expect(a.check(a.issue()).kind).toBe('valid');
    expect(b.check(a.issue()).kind).toBe('invalid');
  });
});
