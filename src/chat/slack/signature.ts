/**
 * Slack request signing, version 0, as a pure function with an injectable clock.
 *
 * @remarks
 * https://api.slack.com/authentication/verifying-requests-from-slack — the basestring is
 * `v0:{X-Slack-Request-Timestamp}:{raw body}`, HMAC-SHA256 with the signing secret, hex, prefixed
 * `v0=`. Slack recommends refusing timestamps more than five minutes from local time to stop
 * replays. Bolt only rejects old timestamps; we reject future ones as well, since a signed request
 * stamped in the future could be replayed for as long as it stays "fresh".
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SlackSignatureFailure } from './errors.js';

/** Slack's replay window: five minutes either side of our clock. */
export const SLACK_SIGNATURE_WINDOW_SECONDS = 5 * 60;

export interface SlackSignatureInput {
  readonly signingSecret: string;
  /** The body bytes exactly as received (the signature covers them, not a re-serialization). */
  readonly rawBody: string | Buffer;
  /** `X-Slack-Request-Timestamp` header, unix seconds; undefined when absent. */
  readonly timestamp: string | undefined;
  /** `X-Slack-Signature` header; undefined when absent. */
  readonly signature: string | undefined;
  readonly now: Date;
}

export type SlackSignatureResult = { readonly ok: true } | { readonly ok: false; readonly reason: SlackSignatureFailure };

/** Computes the `v0=` signature Slack sends for a body and timestamp (also used by test fakes). */
export function signSlackRequest(signingSecret: string, timestamp: string | number, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** Verifies a request signature; never throws on malformed input. */
export function verifySlackSignature(input: SlackSignatureInput): SlackSignatureResult {
  const { timestamp, signature } = input;
  if (timestamp === undefined || signature === undefined || timestamp === '' || signature === '') return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed_timestamp' };
  const skew = Math.abs(Math.floor(input.now.getTime() / 1000) - Number(timestamp));
  if (skew > SLACK_SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  if (!signature.startsWith('v0=')) return { ok: false, reason: 'unsupported_version' };
  const expected = Buffer.from(signSlackRequest(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual requires equal lengths; a length difference is itself no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
