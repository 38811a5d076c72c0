/**
 * Stateless digest nonces and the bounded nonce-count replay cache.
 *
 * @remarks
 * RFC 7616 §3.3 (https://www.rfc-editor.org/rfc/rfc7616#section-3.3) suggests a nonce of
 * "time-stamp H(time-stamp ":" ETag ":" secret)". Ours is
 * `base64url(issuedAtMs[6] ‖ instance[4] ‖ counter[4] ‖ HMAC-SHA-256(secret, payload ‖ realm)[0..16])`:
 * verifiable without a table (any worker sharing the secret can check it), unique per challenge
 * (the instance + counter make two challenges in the same millisecond differ, so their nonce-count
 * histories never collide), and expiring after `lifetimeSeconds`.
 *
 * The source IP is deliberately NOT part of the MAC: phones behind carrier-grade NAT, dual-stack
 * phones that switch between IPv4 and IPv6, and phones that fall back from UDP to TCP legitimately
 * answer a challenge from a different address, and binding the nonce to the IP would turn each of
 * those into a spurious stale challenge. Replay is bounded instead by the short lifetime and by the
 * nonce-count cache below (a repeated or lower `nc` is refused).
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { RecentMap } from '../../collections/index.js';
import { ownCopy } from '../message/index.js';

const PAYLOAD_BYTES = 14;
const MAC_BYTES = 16;
const NONCE_BYTES = PAYLOAD_BYTES + MAC_BYTES;
/** Accepted clock skew between workers for a nonce "from the future". */
const FUTURE_SKEW_MS = 5_000;
/** SHA-256 block and output sizes (RFC 2104 B and L). */
const BLOCK = 64;
const SHA256_BYTES = 32;

/** Result of checking a nonce. */
export type NonceCheck =
  | { readonly kind: 'valid'; readonly issuedAt: number }
  | { readonly kind: 'stale'; readonly issuedAt: number }
  | { readonly kind: 'invalid' };

/** Options of {@link NonceService}. */
export interface NonceServiceOptions {
  /** Shared by every worker: nonces issued by one are accepted by the others. */
  readonly secret: string | Buffer;
  readonly realm: string;
  readonly lifetimeSeconds: number;
  now(): number;
  /** Capacity of the nonce-count LRU (default 200,000 ≈ 10 s of traffic at 20k/s... and far more at normal rates). */
  readonly maxTrackedNonces?: number;
}

/** Issues and verifies nonces; remembers the highest nonce-count per nonce. */
export class NonceService {
  private readonly secret: Buffer;
  private readonly realm: Buffer;
  private readonly instance = randomBytes(4);
  private counter = 0;
  private readonly lifetimeMs: number;
  private readonly highestNc: RecentMap<string, number>;
  /** HMAC scratch: (K ⊕ ipad) ‖ payload ‖ realm, and (K ⊕ opad) ‖ inner hash. */
  private readonly inner: Buffer;
  private readonly outer: Buffer;

  constructor(private readonly options: NonceServiceOptions) {
    this.secret = Buffer.isBuffer(options.secret) ? options.secret : Buffer.from(options.secret, 'utf8');
    this.realm = Buffer.from(options.realm, 'utf8');
    this.lifetimeMs = options.lifetimeSeconds * 1000;
    this.highestNc = new RecentMap(options.maxTrackedNonces ?? 200_000);
    // RFC 2104 §2: keys longer than B bytes are hashed first; shorter ones are padded with zeros.
    const key = Buffer.alloc(BLOCK);
    (this.secret.length > BLOCK ? hash('sha256', this.secret, 'buffer') : this.secret).copy(key);
    this.inner = Buffer.alloc(BLOCK + PAYLOAD_BYTES + this.realm.length);
    this.outer = Buffer.alloc(BLOCK + SHA256_BYTES);
    for (let i = 0; i < BLOCK; i++) {
      this.inner[i] = key[i]! ^ 0x36;
      this.outer[i] = key[i]! ^ 0x5c;
    }
    this.realm.copy(this.inner, BLOCK + PAYLOAD_BYTES);
  }

  /** A fresh nonce for a challenge. */
  issue(): string {
    const raw = Buffer.allocUnsafe(NONCE_BYTES);
    raw.writeUIntBE(Math.max(0, Math.floor(this.options.now())), 0, 6);
    this.instance.copy(raw, 6);
    this.counter = (this.counter + 1) >>> 0;
    raw.writeUInt32BE(this.counter, 10);
    this.mac(raw.subarray(0, PAYLOAD_BYTES)).copy(raw, PAYLOAD_BYTES, 0, MAC_BYTES);
    return raw.toString('base64url');
  }

  /** Whether `nonce` is one of ours and still fresh. */
  check(nonce: string): NonceCheck {
    if (nonce.length !== 40) return { kind: 'invalid' };
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== NONCE_BYTES) return { kind: 'invalid' };
    const expected = this.mac(raw.subarray(0, PAYLOAD_BYTES)).subarray(0, MAC_BYTES);
    if (!timingSafeEqual(expected, raw.subarray(PAYLOAD_BYTES))) return { kind: 'invalid' };
    const issuedAt = raw.readUIntBE(0, 6);
    const now = this.options.now();
    if (issuedAt > now + FUTURE_SKEW_MS) return { kind: 'invalid' };
    if (now - issuedAt > this.lifetimeMs) return { kind: 'stale', issuedAt };
    return { kind: 'valid', issuedAt };
  }

  /**
   * Record `nc` for `nonce`; false when it is not higher than every nc seen before (a replay).
   *
   * @remarks
   * RFC 7616 §3.4: "The nc value ... permits the server to detect request replays by maintaining
   * its own copy of this count -- if the same nc value is seen twice, then the request is a replay."
   * The cache keeps the most recently used nonces, at most `maxTrackedNonces`; a nonce is forgotten
   * only after half that many others were used ({@link RecentMap}). A nonce that is not (or no
   * longer) in the cache is only accepted with nc=1: a client whose entry was forgotten is
   * re-challenged (stale), never let through with an nc it may have used before.
   */
  acceptNonceCount(nonce: string, nc: number): boolean {
    const previous = this.highestNc.peek(nonce);
    if (previous === undefined ? nc !== 1 : nc <= previous) return false;
    // The nonce is a slice of the request text: the cache keeps a copy of its own.
    this.highestNc.set(ownCopy(nonce), nc);
    return true;
  }

  /** Number of nonces in the nonce-count cache. */
  get trackedNonces(): number {
    return this.highestNc.size;
  }

  /**
   * HMAC-SHA-256(secret, payload ‖ realm), RFC 2104: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ text)).
   *
   * @remarks Two one-shot `crypto.hash` calls on preallocated buffers instead of a `createHmac`
   * object per nonce (issue and check both need one): bench/PERF-NOTES.md (nonce HMAC).
   * Equality with `createHmac` is tested in test/unit/sip/auth/nonce.test.ts.
   */
  private mac(payload: Buffer): Buffer {
    payload.copy(this.inner, BLOCK, 0, PAYLOAD_BYTES);
    hash('sha256', this.inner, 'buffer').copy(this.outer, BLOCK);
    return hash('sha256', this.outer, 'buffer');
  }
}
