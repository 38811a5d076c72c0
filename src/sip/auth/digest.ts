/**
 * HTTP Digest authentication for SIP (RFC 3261 §22, RFC 7616, RFC 8760): challenges and verification.
 *
 * @remarks
 * https://www.rfc-editor.org/rfc/rfc3261#section-22, https://www.rfc-editor.org/rfc/rfc7616,
 * https://www.rfc-editor.org/rfc/rfc8760. Verification uses stored HA1 values (no plaintext
 * passwords) and `crypto.timingSafeEqual`. An unknown user is challenged exactly like a known one,
 * and its answer is checked against a dummy HA1 so that both take the same time: user names
 * cannot be enumerated (the caller then answers 403 in both cases).
 */
import { hash } from 'node:crypto';
import type { SipCredentials } from '../registrar/delegates.js';
import type { NonceService } from './nonce.js';

/** Digest algorithms we accept; RFC 8760 §2.4: the server lists SHA-256 first. */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

const HASH_NAME: Readonly<Record<DigestAlgorithm, string>> = { MD5: 'md5', 'SHA-256': 'sha256' };

/**
 * H(data) as lower-case hex (UTF-8 of `text`).
 *
 * @remarks One-shot `crypto.hash` (Node ≥ 20.12) instead of `createHash().update().digest()`: no
 * Hash object per call; bench/PERF-NOTES.md (digest one-shot hashing).
 */
function h(algorithm: DigestAlgorithm, text: string): string {
  return hash(HASH_NAME[algorithm], text, 'hex');
}

/** HA1 = H(username ":" realm ":" password) — what the store keeps instead of the password. */
export function computeHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return h(algorithm, `${username}:${realm}:${password}`);
}

/** The parameters of a digest response that enter the hash. */
export interface DigestResponseInput {
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  /** `null` for RFC 2069 compatibility (no qop). */
  readonly qop: 'auth' | null;
  readonly nc: string;
  readonly cnonce: string;
}

/**
 * H(method:uri) depends on neither the password nor the nonce, and a fleet registers to a handful
 * of request URIs: computed once per (algorithm, method, uri). The URI is the client's text, so
 * the cache is bounded and simply emptied when full.
 */
const ha2Cache = new Map<string, string>();
const HA2_CACHE_MAX = 1024;

function ha2Of(algorithm: DigestAlgorithm, method: string, uri: string): string {
  const key = `${algorithm} ${method}:${uri}`;
  let ha2 = ha2Cache.get(key);
  if (ha2 === undefined) {
    if (ha2Cache.size >= HA2_CACHE_MAX) ha2Cache.clear();
    ha2 = h(algorithm, `${method}:${uri}`);
    ha2Cache.set(key, ha2);
  }
  return ha2;
}

/**
 * request-digest (RFC 7616 §3.4.1): with qop=auth, KD(HA1, nonce:nc:cnonce:qop:H(method:uri));
 * without qop (RFC 2069), KD(HA1, nonce:H(method:uri)).
 */
export function computeDigestResponse(algorithm: DigestAlgorithm, ha1: string, input: DigestResponseInput): string {
  const ha2 = ha2Of(algorithm, input.method, input.uri);
  const data =
    input.qop === null
      ? `${ha1}:${input.nonce}:${ha2}`
      : `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`;
  return h(algorithm, data);
}

/**
 * Constant-time comparison of a lower-case hex digest with a received one (any case).
 *
 * @remarks The loop never exits early and accumulates differences with OR, so its time depends on
 * the length only (like `timingSafeEqual`, without two Buffer copies and a lower-cased string per
 * check). Only the received value (the attacker's own input) decides the upper-case branch.
 */
export function digestEquals(expected: string, received: string): boolean {
  if (expected.length !== received.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    let r = received.charCodeAt(i);
    if (r >= 0x41 && r <= 0x5a) r += 0x20;
    diff |= expected.charCodeAt(i) ^ r;
  }
  return diff === 0;
}

const DUMMY_HA1: Readonly<Record<DigestAlgorithm, string>> = { MD5: '0'.repeat(32), 'SHA-256': '0'.repeat(64) };

/** What {@link DigestAuthenticator.authenticate} decided. */
export type DigestOutcome =
  | { readonly kind: 'challenge' }
  | { readonly kind: 'stale'; readonly username: string; readonly reason: 'expired' | 'nc_replay' }
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'ok'; readonly username: string; readonly algorithm: DigestAlgorithm }
  | { readonly kind: 'wrong_password'; readonly username: string; readonly algorithm: DigestAlgorithm }
  | { readonly kind: 'unknown_unique'; readonly username: string; readonly algorithm: DigestAlgorithm };

/** Options of {@link DigestAuthenticator}. */
export interface DigestAuthenticatorOptions {
  readonly realm: string;
  readonly opaque: string;
  readonly nonces: NonceService;
  lookup(username: string): SipCredentials | undefined;
  /**
   * Algorithms offered, most preferred first (default SHA-256, MD5 as RFC 8760 §2.4 orders them).
   * Many deployed phones, and SIPp 3.6, answer only the first challenge they see, so a deployment
   * with such phones puts MD5 first; an algorithm not offered is never accepted.
   */
  readonly algorithms?: readonly DigestAlgorithm[];
}

/** Builds challenges and checks credentials (already split into parameters, lower-case names). */
export class DigestAuthenticator {
  private readonly prefix: string;
  private readonly suffixes: readonly string[];
  private readonly offered: ReadonlySet<DigestAlgorithm>;

  constructor(private readonly options: DigestAuthenticatorOptions) {
    // Precomputed once: a challenge costs one nonce and four string concatenations.
    this.prefix = `Digest realm="${options.realm}", nonce="`;
    const algorithms = options.algorithms?.length ? options.algorithms : (['SHA-256', 'MD5'] as const);
    this.offered = new Set(algorithms);
    this.suffixes = algorithms.map((a) => `", opaque="${options.opaque}", algorithm=${a}, qop="auth"`);
  }

  /**
   * One challenge header value per offered algorithm, most preferred first.
   *
   * @remarks
   * RFC 8760 §2.4: "the server MUST add one challenge for each supported algorithm ... in order of
   * preference, starting with the most preferred algorithm". Both carry the same nonce.
   */
  challenges(stale: boolean): string[] {
    const nonce = this.options.nonces.issue();
    const tail = stale ? ', stale=true' : '';
    return this.suffixes.map((suffix) => this.prefix + nonce + suffix + tail);
  }

  /**
   * Check the digest credentials of a request.
   *
   * @param candidates parameter maps of every Authorization/Proxy-Authorization value; the one for our realm is used.
   */
  authenticate(method: string, candidates: readonly ReadonlyMap<string, string>[]): DigestOutcome {
    const params = candidates.find((c) => c.get('realm') === this.options.realm);
    // RFC 3261 §22.3: credentials for another realm are not ours to check: challenge.
    if (params === undefined) return { kind: 'challenge' };
    const username = params.get('username');
    const nonce = params.get('nonce');
    const uri = params.get('uri');
    const response = params.get('response');
    if (username === undefined || nonce === undefined || uri === undefined || response === undefined) {
      return { kind: 'malformed', reason: 'Digest credentials lack username, nonce, uri or response' };
    }
    const algorithmText = (params.get('algorithm') ?? 'MD5').toUpperCase();
    if ((algorithmText !== 'MD5' && algorithmText !== 'SHA-256') || !this.offered.has(algorithmText)) return { kind: 'challenge' };
    const algorithm: DigestAlgorithm = algorithmText;
    const qopText = params.get('qop');
    let qop: 'auth' | null = null;
    let nc = '';
    let cnonce = '';
    if (qopText !== undefined) {
      if (qopText.toLowerCase() !== 'auth') return { kind: 'challenge' };
      qop = 'auth';
      nc = params.get('nc') ?? '';
      cnonce = params.get('cnonce') ?? '';
      if (!/^[0-9a-fA-F]{8}$/.test(nc) || cnonce === '') {
        return { kind: 'malformed', reason: 'Digest qop=auth requires nc (8 hex digits) and cnonce' };
      }
    }
    const check = this.options.nonces.check(nonce);
    // A nonce we did not issue (or another deployment's): challenge afresh, not stale.
    if (check.kind === 'invalid') return { kind: 'challenge' };
    // RFC 7616 §3.3: stale "indicating that the previous request from the client was rejected because
    // the nonce value was stale ... the client may wish to simply retry the request with a new nonce".
    if (check.kind === 'stale') return { kind: 'stale', username, reason: 'expired' };

    const credentials = this.options.lookup(username);
    const ha1 = credentials === undefined ? DUMMY_HA1[algorithm] : algorithm === 'MD5' ? credentials.ha1Md5 : credentials.ha1Sha256;
    const expected = computeDigestResponse(algorithm, ha1, { method, uri, nonce, qop, nc, cnonce });
    const matches = digestEquals(expected, response);
    if (credentials === undefined) return { kind: 'unknown_unique', username, algorithm };
    if (!matches) return { kind: 'wrong_password', username, algorithm };
    if (qop !== null && !this.options.nonces.acceptNonceCount(nonce, parseInt(nc, 16))) {
      return { kind: 'stale', username, reason: 'nc_replay' };
    }
    return { kind: 'ok', username, algorithm };
  }
}
