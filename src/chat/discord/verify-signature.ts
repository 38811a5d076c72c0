/**
 * Ed25519 verification of Discord HTTP interactions, as a pure function with an injected clock.
 *
 * @remarks
 * "Every interaction is sent with the X-Signature-Ed25519 and X-Signature-Timestamp headers…
 * If the signature fails validation, your app should respond with a 401 error code."
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 * The signed message is `timestamp + rawBody`. Discord does not state a freshness window; like
 * Slack's five minutes, we also refuse timestamps more than 5 minutes away from our clock (in
 * either direction), so a captured request cannot be replayed later.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 raw key bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const SIGNATURE_MAX_SKEW_MS = 5 * 60 * 1000;

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'stale' };

/** Imports the 64-hex-character key shown in the Developer Portal. */
export function importDiscordPublicKey(publicKeyHex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(publicKeyHex)) throw new TypeError('a Discord public key is 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
}

export interface VerifyDiscordSignatureInput {
  /** Hex key, or a key already imported with `importDiscordPublicKey` (import once per process). */
  readonly publicKeyHex: string | KeyObject;
  readonly timestamp: string | undefined;
  readonly rawBody: string;
  readonly signatureHex: string | undefined;
  readonly now: Date;
}

export function verifyDiscordSignature(input: VerifyDiscordSignatureInput): SignatureCheck {
  const { timestamp, signatureHex } = input;
  if (!timestamp || !signatureHex) return { ok: false, reason: 'missing' };
  if (!/^[0-9]{1,12}$/.test(timestamp) || !/^[0-9a-fA-F]{128}$/.test(signatureHex)) return { ok: false, reason: 'invalid' };
  const key = typeof input.publicKeyHex === 'string' ? importDiscordPublicKey(input.publicKeyHex) : input.publicKeyHex;
  const valid = verify(null, Buffer.from(timestamp + input.rawBody, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  if (!valid) return { ok: false, reason: 'invalid' };
  // Checked after the signature so the timestamp is known to come from Discord.
  if (Math.abs(input.now.getTime() - Number(timestamp) * 1000) > SIGNATURE_MAX_SKEW_MS) return { ok: false, reason: 'stale' };
  return { ok: true };
}
