import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signSlackRequest, verifySlackSignature } from '../../../../src/chat/slack/signature.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const now = new Date('2026-11-26T08:40:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const body = 'token=x&command=%2Fline&text=status+0000000773';

describe('verifySlackSignature (v0)', () => {
  it('accepts the signature Slack computes over v0:timestamp:body', () => {
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, timestamp: ts, signature: signSlackRequest(secret, ts, body), now })).toEqual({ ok: true });
  });

  it('matches the example of Slack documentation', () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack (documented example)
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', docBody)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('rejects a wrong secret, a tampered body and a non-v0 signature', () => {
    const sig = signSlackRequest(secret, ts, body);
    expect(verifySlackSignature({ signingSecret: 'other', rawBody: body, timestamp: ts, signature: sig, now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySlackSignature({ signingSecret: secret, rawBody: `${body}x`, timestamp: ts, signature: sig, now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, timestamp: ts, signature: sig.replace('v0=', 'v1='), now })).toEqual({ ok: false, reason: 'unsupported_version' });
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, timestamp: ts, signature: 'v0=short', now })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects missing headers and malformed timestamps', () => {
    const sig = signSlackRequest(secret, ts, body);
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, timestamp: undefined, signature: sig, now }).ok).toBe(false);
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, timestamp: ts, signature: undefined, now })).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, timestamp: '12e3', signature: sig, now })).toEqual({ ok: false, reason: 'malformed_timestamp' });
  });

  it('accepts exactly five minutes of skew either way and rejects one second more, in the past and in the future', () => {
    for (const skew of [-300, 300]) {
      const at = String(Number(ts) + skew);
      expect(verifySlackSignature({ signingSecret: secret, rawBody: body, timestamp: at, signature: signSlackRequest(secret, at, body), now }).ok).toBe(true);
    }
    for (const skew of [-301, 301]) {
      const at = String(Number(ts) + skew);
      expect(verifySlackSignature({ signingSecret: secret, rawBody: body, timestamp: at, signature: signSlackRequest(secret, at, body), now })).toEqual({ ok: false, reason: 'stale_timestamp' });
    }
  });

  it('never throws on arbitrary header values', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), fc.string(), (timestamp, signature, raw) => {
        const r = verifySlackSignature({ signingSecret: secret, rawBody: raw, timestamp: timestamp ?? undefined, signature: signature ?? undefined, now });
        expect(r.ok).toBe(false);
      }),
    );
  });
});
