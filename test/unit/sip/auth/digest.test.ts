import { describe, expect, it } from 'vitest';
import { computeDigestResponse, computeHa1, DigestAuthenticator, digestEquals } from '../../../../src/sip/auth/digest.js';
import { NonceService } from '../../../../src/sip/auth/nonce.js';

describe('RFC 7616 §3.9.1 test vectors', () => {
  const input = {
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  it('MD5', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    expect(computeDigestResponse('MD5', ha1, input)).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });
  it('SHA-256', () => {
    const ha1 = computeHa1('SHA-256', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    expect(computeDigestResponse('SHA-256', ha1, input)).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });
  it('compares case-insensitively and refuses different lengths', () => {
    expect(digestEquals('8ca523f5e9506fed4657c9700eebdbec', '8CA523F5E9506FED4657C9700EEBDBEC')).toBe(true);
    expect(digestEquals('8ca523f5e9506fed4657c9700eebdbec', '8ca523')).toBe(false);
  });
});

function setup(nowRef: { t: number }) {
  const realm = 'example.test';
  const nonces = new NonceService({ secret: 's3cret', realm, lifetimeSeconds: 300, now: () => nowRef.t, maxTrackedNonces: 4 });
  const creds = new Map([['0000000773', { ha1Md5: computeHa1('MD5', '0000000773', realm, 'pw'), ha1Sha256: computeHa1('SHA-256', '0000000773', realm, 'pw') }]]);
  const auth = new DigestAuthenticator({ realm, opaque: 'op', nonces, lookup: (u) => creds.get(u) });
  const answer = (nonce: string, o: { user?: string; password?: string; nc?: number; algorithm?: 'MD5' | 'SHA-256' } = {}): Map<string, string> => {
    const algorithm = o.algorithm ?? 'MD5';
    const user = o.user ?? '0000000773';
    const nc = (o.nc ?? 1).toString(16).padStart(8, '0');
    const ha1 = computeHa1(algorithm, user, realm, o.password ?? 'pw');
    const response = computeDigestResponse(algorithm, ha1, { method: 'REGISTER', uri: 'sip:example.test', nonce, qop: 'auth', nc, cnonce: 'abc' });
    return new Map([
      ['username', user], ['realm', realm], ['nonce', nonce], ['uri', 'sip:example.test'], ['response', response],
      ['algorithm', algorithm], ['qop', 'auth'], ['nc', nc], ['cnonce', 'abc'],
    ]);
  };
  const nonceOf = (challenge: string): string => /nonce="([^"]+)"/.exec(challenge)![1]!;
  return { auth, nonces, answer, nonceOf };
}

describe('DigestAuthenticator', () => {
  it('challenges with SHA-256 then MD5 sharing one nonce; stale=true when asked', () => {
    const { auth, nonceOf } = setup({ t: 1_000_000 });
    const [sha, md5] = auth.challenges(false);
    expect(sha).toMatch(/algorithm=SHA-256, qop="auth"$/);
    expect(md5).toMatch(/algorithm=MD5, qop="auth"$/);
    expect(nonceOf(sha)).toBe(nonceOf(md5));
    expect(auth.challenges(true)[0]).toMatch(/, stale=true$/);
  });

  it('offers the configured algorithms in the configured order and accepts only those', () => {
    const realm = 'example.test';
    const nonces = new NonceService({ secret: 's3cret', realm, lifetimeSeconds: 300, now: () => 1_000_000 });
    const ha1 = { ha1Md5: computeHa1('MD5', '0000000773', realm, 'pw'), ha1Sha256: computeHa1('SHA-256', '0000000773', realm, 'pw') };
    const md5First = new DigestAuthenticator({ realm, opaque: 'op', nonces, lookup: () => ha1, algorithms: ['MD5', 'SHA-256'] });
    const [first, second] = md5First.challenges(false);
    expect(first).toMatch(/algorithm=MD5/);
    expect(second).toMatch(/algorithm=SHA-256/);
    const md5Only = new DigestAuthenticator({ realm, opaque: 'op', nonces, lookup: () => ha1, algorithms: ['MD5'] });
    const challenges = md5Only.challenges(false);
    expect(challenges).toHaveLength(1);
    const nonce = /nonce="([^"]+)"/.exec(challenges[0]!)![1]!;
    const response = computeDigestResponse('SHA-256', ha1.ha1Sha256, { method: 'REGISTER', uri: 'sip:example.test', nonce, qop: 'auth', nc: '00000001', cnonce: 'abc' });
    const sha256Answer = new Map([
      ['username', '0000000773'], ['realm', realm], ['nonce', nonce], ['uri', 'sip:example.test'], ['response', response],
      ['algorithm', 'SHA-256'], ['qop', 'auth'], ['nc', '00000001'], ['cnonce', 'abc'],
    ]);
    expect(md5Only.authenticate('REGISTER', [sha256Answer]).kind).toBe('challenge');
  });

  it('accepts MD5 and SHA-256 answers; wrong password and unknown user are told apart for events only', () => {
    const now = { t: 1_000_000 };
    const { auth, answer, nonceOf } = setup(now);
    const nonce = nonceOf(auth.challenges(false)[0]);
    expect(auth.authenticate('REGISTER', [answer(nonce)])).toMatchObject({ kind: 'ok', algorithm: 'MD5' });
    const n2 = nonceOf(auth.challenges(false)[0]);
    expect(auth.authenticate('REGISTER', [answer(n2, { algorithm: 'SHA-256' })])).toMatchObject({ kind: 'ok', algorithm: 'SHA-256' });
    expect(auth.authenticate('REGISTER', [answer(n2, { password: 'bad', nc: 2 })])).toMatchObject({ kind: 'wrong_password', algorithm: 'MD5' });
    expect(auth.authenticate('REGISTER', [answer(n2, { user: '0000009999', nc: 3 })])).toMatchObject({ kind: 'unknown_unique', username: '0000009999' });
  });

  it('a nonce older than its lifetime is stale', () => {
    const now = { t: 1_000_000 };
    const { auth, answer, nonceOf } = setup(now);
    const nonce = nonceOf(auth.challenges(false)[0]);
    now.t += 300_001;
    expect(auth.authenticate('REGISTER', [answer(nonce)])).toMatchObject({ kind: 'stale', reason: 'expired' });
  });

  it('a repeated or lower nonce-count is a replay (stale), a higher one is fine', () => {
    const { auth, answer, nonceOf } = setup({ t: 1_000_000 });
    const nonce = nonceOf(auth.challenges(false)[0]);
    expect(auth.authenticate('REGISTER', [answer(nonce, { nc: 1 })]).kind).toBe('ok');
    expect(auth.authenticate('REGISTER', [answer(nonce, { nc: 1 })])).toMatchObject({ kind: 'stale', reason: 'nc_replay' });
    expect(auth.authenticate('REGISTER', [answer(nonce, { nc: 3 })]).kind).toBe('ok');
    expect(auth.authenticate('REGISTER', [answer(nonce, { nc: 2 })])).toMatchObject({ kind: 'stale', reason: 'nc_replay' });
  });

  it('a nonce we did not issue, or credentials for another realm, get a fresh challenge', () => {
    const { auth, answer } = setup({ t: 1_000_000 });
    expect(auth.authenticate('REGISTER', [answer('A'.repeat(40))]).kind).toBe('challenge');
    const other = answer('x');
    other.set('realm', 'elsewhere');
    expect(auth.authenticate('REGISTER', [other]).kind).toBe('challenge');
  });

  it('missing response parameters are malformed (400)', () => {
    const { auth } = setup({ t: 1 });
    expect(auth.authenticate('REGISTER', [new Map([['realm', 'example.test'], ['username', 'u']])]).kind).toBe('malformed');
  });
});

describe('NonceService', () => {
  it('verifies nonces issued by another instance sharing the secret (workers)', () => {
    const now = () => 5_000_000;
    const a = new NonceService({ secret: 'k', realm: 'r', lifetimeSeconds: 300, now });
    const b = new NonceService({ secret: 'k', realm: 'r', lifetimeSeconds: 300, now });
    const c = new NonceService({ secret: 'other', realm: 'r', lifetimeSeconds: 300, now });
    const nonce = a.issue();
    expect(b.check(nonce).kind).toBe('valid');
    expect(c.check(nonce).kind).toBe('invalid');
    expect(a.issue()).not.toBe(nonce);
  });

  it('keeps the nonce-count cache bounded; an evicted nonce is only accepted again with nc=1', () => {
    const n = new NonceService({ secret: 'k', realm: 'r', lifetimeSeconds: 300, now: () => 1, maxTrackedNonces: 4 });
    expect(n.acceptNonceCount('a', 1)).toBe(true);
    for (const other of ['b', 'c', 'd', 'e', 'f']) expect(n.acceptNonceCount(other, 1)).toBe(true);
    expect(n.trackedNonces).toBeLessThanOrEqual(4);
    expect(n.acceptNonceCount('a', 5)).toBe(false); // forgotten: a higher nc is not trusted
    expect(n.acceptNonceCount('f', 1)).toBe(false); // still tracked: a replay
    expect(n.acceptNonceCount('f', 2)).toBe(true);
  });

  it('stays bounded through twice its size of nonces and keeps tracking the newest', () => {
    // The cost per nonce at this size is measured by bench/perf/recent-map.ts (PERF-NOTES.md #25).
    const n = new NonceService({ secret: 'k', realm: 'r', lifetimeSeconds: 300, now: () => 1 });
    for (let i = 0; i < 400_000; i++) n.acceptNonceCount(`nonce-${i}`, 1);
    expect(n.trackedNonces).toBeLessThanOrEqual(200_000);
    expect(n.trackedNonces).toBeGreaterThanOrEqual(100_000);
    expect(n.acceptNonceCount('nonce-399999', 1)).toBe(false);
    expect(n.acceptNonceCount('nonce-399999', 2)).toBe(true);
  });
});
