/**
 * Digest credentials (`Authorization`, `Proxy-Authorization`) and challenge (`WWW-Authenticate`) values.
 *
 * @remarks
 * RFC 3261 §22.4 and §25.1 (https://www.rfc-editor.org/rfc/rfc3261#section-22.4), RFC 2617 §3.2.2,
 * RFC 8760 (algorithm names). Parameter names are case-insensitive and returned lower-cased; quoted
 * values are unquoted with their `\` escapes undone. Verification lives in `sip/auth`, not here.
 */
import type { ParseResult } from './types.js';
import { isToken, readQuoted, skipWs } from './lexical.js';

function fail(reason: string): ParseResult<Map<string, string>> {
  return { ok: false, reason };
}

/**
 * Parse `Digest name=value, name="quoted", ...` into a map of lower-case names to unquoted values.
 *
 * @remarks RFC 3261 §25.1: `credentials = ("Digest" LWS digest-response) / other-response`,
 * `digest-response = dig-resp *(COMMA dig-resp)`. A scheme other than Digest fails (RFC 4475
 * §3.3.7 regaut01: the registrar then challenges afresh). A repeated parameter fails (RFC 7616
 * §3.4: each directive at most once).
 */
export function parseDigestCredentials(value: string): ParseResult<Map<string, string>> {
  const len = value.length;
  let i = skipWs(value, 0);
  const schemeStart = i;
  while (i < len && value.charCodeAt(i) !== 0x20 && value.charCodeAt(i) !== 0x09) i++;
  if (value.slice(schemeStart, i).toLowerCase() !== 'digest') return fail('authentication scheme is not Digest');
  const out = new Map<string, string>();
  for (;;) {
    i = skipWs(value, i);
    if (i >= len) break;
    const nameStart = i;
    while (i < len) {
      const c = value.charCodeAt(i);
      if (c === 0x3d || c === 0x20 || c === 0x09 || c === 0x2c) break;
      i++;
    }
    const name = value.slice(nameStart, i).toLowerCase();
    if (!isToken(name)) return fail('bad digest parameter name');
    i = skipWs(value, i);
    if (value.charCodeAt(i) !== 0x3d) return fail(`digest parameter '${name}' has no value`);
    i = skipWs(value, i + 1);
    let v: string;
    if (value.charCodeAt(i) === 0x22) {
      const qs = readQuoted(value, i);
      if (qs === null) return fail('unterminated quoted string');
      v = qs.value;
      i = qs.end;
    } else {
      const vStart = i;
      while (i < len) {
        const c = value.charCodeAt(i);
        if (c === 0x2c || c === 0x20 || c === 0x09) break;
        i++;
      }
      v = value.slice(vStart, i);
      if (!isToken(v)) return fail(`bad value for digest parameter '${name}'`);
    }
    if (out.has(name)) return fail(`repeated digest parameter '${name}'`);
    out.set(name, v);
    i = skipWs(value, i);
    if (i >= len) break;
    if (value.charCodeAt(i) !== 0x2c) return fail("expected ',' between digest parameters");
    i++;
  }
  if (out.size === 0) return fail('no digest parameters');
  return { ok: true, value: out };
}

/** Quote a string for a quoted-string (RFC 3261 §25.1), escaping `"` and `\`. */
export function quoteString(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

/** Inputs of a Digest challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  readonly stale?: boolean;
  /** e.g. `MD5`, `SHA-256` (RFC 8760); emitted as a token. */
  readonly algorithm?: string;
  /** e.g. `['auth']`; emitted as a quoted comma list. */
  readonly qop?: readonly string[];
}

/**
 * Build a `WWW-Authenticate` / `Proxy-Authenticate` value.
 *
 * @remarks RFC 3261 §22.4 / RFC 2617 §3.2.1: `Digest realm="...", nonce="...", algorithm=MD5, qop="auth"`.
 * `stale=TRUE` tells the UA to retry with the new nonce without asking the user.
 */
export function buildDigestChallenge(c: DigestChallenge): string {
  let out = `Digest realm=${quoteString(c.realm)}, nonce=${quoteString(c.nonce)}`;
  if (c.opaque !== undefined) out += `, opaque=${quoteString(c.opaque)}`;
  if (c.stale === true) out += ', stale=TRUE';
  if (c.algorithm !== undefined) out += `, algorithm=${c.algorithm}`;
  if (c.qop !== undefined && c.qop.length > 0) out += `, qop=${quoteString(c.qop.join(','))}`;
  return out;
}
