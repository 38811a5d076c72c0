import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { verifyDiscordSignature } from '../../../../src/chat/discord/index.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
const now = new Date('2026-11-26T08:00:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const body = '{"type":1}';
const sig = (t: string, b: string) => sign(null, Buffer.from(t + b), privateKey).toString('hex');

describe('verifyDiscordSignature', () => {
  it('accepts a valid signature', () => {
    expect(verifyDiscordSignature({ publicKeyHex, timestamp: ts, rawBody: body, signatureHex: sig(ts, body), now })).toEqual({ ok: true });
  });

  it('rejects a tampered body, a wrong key and missing headers', () => {
    expect(verifyDiscordSignature({ publicKeyHex, timestamp: ts, rawBody: '{"type":2}', signatureHex: sig(ts, body), now })).toEqual({ ok: false, reason: 'invalid' });
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
    expect(verifyDiscordSignature({ publicKeyHex: other, timestamp: ts, rawBody: body, signatureHex: sig(ts, body), now }).ok).toBe(false);
    expect(verifyDiscordSignature({ publicKeyHex, timestamp: undefined, rawBody: body, signatureHex: sig(ts, body), now })).toEqual({ ok: false, reason: 'missing' });
    expect(verifyDiscordSignature({ publicKeyHex, timestamp: ts, rawBody: body, signatureHex: 'zz', now })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('rejects timestamps more than 5 minutes away, either way', () => {
    for (const offset of [-301, 301]) {
      const t = String(Number(ts) + offset);
      expect(verifyDiscordSignature({ publicKeyHex, timestamp: t, rawBody: body, signatureHex: sig(t, body), now })).toEqual({ ok: false, reason: 'stale' });
    }
    const edge = String(Number(ts) - 299);
    expect(verifyDiscordSignature({ publicKeyHex, timestamp: edge, rawBody: body, signatureHex: sig(edge, body), now }).ok).toBe(true);
  });
});
