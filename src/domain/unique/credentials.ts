import { createHash } from 'node:crypto';
import type { UniqueCredentials } from './unique.js';

/**
 * Derives the digest HA1 values stored in place of a password.
 *
 * @remarks
 * RFC 7616 §3.4.2 (https://www.rfc-editor.org/rfc/rfc7616#section-3.4.2):
 * `A1 = unq(username) ":" unq(realm) ":" passwd`; the server may store `H(A1)` instead of the
 * password. Both MD5 (RFC 2617 phones) and SHA-256 (RFC 8760) are kept so either challenge verifies.
 * A change of realm invalidates the values: passwords must then be set again.
 */
export function deriveCredentials(number: string, realm: string, password: string): UniqueCredentials {
  const a1 = `${number}:${realm}:${password}`;
  return {
    number,
    realm,
    ha1Md5: createHash('md5').update(a1).digest('hex'),
    ha1Sha256: createHash('sha256').update(a1).digest('hex'),
  };
}

/** Passwords a phone can be configured with: printable ASCII, 8–64 characters. */
export function validatePassword(password: string): 'ok' | 'too_short' | 'too_long' | 'bad_characters' {
  if (password.length < 8) return 'too_short';
  if (password.length > 64) return 'too_long';
  if (!/^[\x21-\x7e]+$/.test(password)) return 'bad_characters';
  return 'ok';
}
