import { describe, it, expect } from 'vitest';
import { buildDigestChallenge, parseDigestCredentials } from '../../../../src/sip/message/index.js';

describe('parseDigestCredentials (RFC 3261 §22.4, RFC 2617 §3.2.2)', () => {
  it('parses quoted and token values, lower-cases names', () => {
    const r = parseDigestCredentials(
      'Digest username="bob", Realm="biloxi.com",nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", ' +
        'qop=auth, NC=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", algorithm=MD5',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.get('username')).toBe('bob');
    expect(r.value.get('realm')).toBe('biloxi.com');
    expect(r.value.get('nc')).toBe('00000001');
    expect(r.value.get('qop')).toBe('auth');
    expect(r.value.get('algorithm')).toBe('MD5');
    expect(r.value.size).toBe(10);
  });
  it('unescapes quoted-pairs and keeps commas inside quotes', () => {
    const r = parseDigestCredentials('digest username="a\\"b\\\\c, d", realm = "r"');
    expect(r.ok && r.value.get('username')).toBe('a"b\\c, d');
    expect(r.ok && r.value.get('realm')).toBe('r');
  });
  it.each([
    ['another scheme (RFC 4475 regaut01)', 'NoOneKnowsThisScheme opaque-data=here'],
    ['Basic', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
    ['no params', 'Digest'],
    ['unterminated quote', 'Digest username="bob'],
    ['param without value', 'Digest username'],
    ['repeated param', 'Digest nonce="a", nonce="b"'],
    ['missing comma', 'Digest a="1" b="2"'],
  ])('refuses %s', (_n, v) => {
    expect(parseDigestCredentials(v).ok).toBe(false);
  });
});

describe('buildDigestChallenge', () => {
  it('builds a WWW-Authenticate value that parses back', () => {
    const v = buildDigestChallenge({ realm: 'ex"ample', nonce: 'n1', opaque: 'o', stale: true, algorithm: 'MD5', qop: ['auth'] });
    expect(v).toBe('Digest realm="ex\\"ample", nonce="n1", opaque="o", stale=TRUE, algorithm=MD5, qop="auth"');
    const back = parseDigestCredentials(v);
    expect(back.ok && back.value.get('realm')).toBe('ex"ample');
  });
});
