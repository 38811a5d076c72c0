/**
 * Abuse protection of the registrar: rate limiting, brute-force blocking, scanner detection.
 *
 * @remarks
 * Every per-source map is a bounded {@link RecentMap}: source IPs are spoofable over UDP, so a
 * spoofed flood must not grow memory, and forgetting the least recently seen sources only resets
 * their state (a fresh bucket or window). A block is reported once (the caller emits one
 * `blocked` event when {@link AbuseGuard.recordFailure} returns a block), never per packet.
 */
import { RecentMap } from '../../collections/index.js';
import { FailureTracker, type FailureVerdict } from './failure-tracker.js';
import { isScannerUserAgent } from './scanner-user-agents.js';
import { TokenBucketLimiter } from './token-bucket.js';

/** Thresholds; every field has a default. */
export interface AbuseOptions {
  /** Sustained requests/s per source IP (default 100). */
  readonly ratePerSecond?: number;
  /** Burst per source IP (default 400: a NAT'd office rebooting). */
  readonly burst?: number;
  /** Sliding window for failures, seconds (default 60). */
  readonly failureWindowSeconds?: number;
  /** Authentication failures per source in the window before a block (default 10). */
  readonly maxFailures?: number;
  /** Distinct uniques failing from one source in the window before a block (default 5). */
  readonly maxDistinctUniques?: number;
  /** Block duration, seconds (default 600). */
  readonly blockSeconds?: number;
  /** What a blocked source gets: nothing (default) or 403. */
  readonly blockResponse?: 'drop' | '403';
  /** Cap on tracked sources per map (default 100,000). */
  readonly maxSources?: number;
  /** Source IPs never rate limited or blocked (monitoring probes, SBCs). */
  readonly allowList?: readonly string[];
}

/** Admission decision for one packet. */
export type Admission = 'ok' | 'rate_limited' | 'blocked';

/** A new block, to be reported once. */
export interface BlockStarted {
  readonly reason: Exclude<FailureVerdict, 'ok'> | 'scanner';
  readonly until: number;
}

/** Combines token bucket, failure window and block list. */
export class AbuseGuard {
  private readonly limiter: TokenBucketLimiter;
  private readonly failures: FailureTracker;
  private readonly blocked: RecentMap<string, number>;
  private readonly blockMs: number;
  private readonly allow: ReadonlySet<string>;
  readonly blockResponse: 'drop' | '403';

  constructor(options: AbuseOptions = {}) {
    const maxSources = options.maxSources ?? 100_000;
    this.limiter = new TokenBucketLimiter({ ratePerSecond: options.ratePerSecond ?? 100, burst: options.burst ?? 400, maxSources });
    this.failures = new FailureTracker({
      windowSeconds: options.failureWindowSeconds ?? 60,
      maxFailures: options.maxFailures ?? 10,
      maxDistinctUniques: options.maxDistinctUniques ?? 5,
      maxSources,
    });
    this.blocked = new RecentMap(maxSources);
    this.blockMs = (options.blockSeconds ?? 600) * 1000;
    this.blockResponse = options.blockResponse ?? 'drop';
    this.allow = new Set(options.allowList ?? []);
  }

  /** Decide whether a packet from `ip` is processed at all. */
  admit(ip: string, now: number): Admission {
    if (this.allow.has(ip)) return 'ok';
    const until = this.blocked.get(ip);
    if (until !== undefined) {
      if (until > now) return 'blocked';
      this.blocked.delete(ip);
    }
    return this.limiter.take(ip, now) ? 'ok' : 'rate_limited';
  }

  /** Whether `ip` is currently blocked. */
  isBlocked(ip: string, now: number): boolean {
    const until = this.blocked.get(ip);
    return until !== undefined && until > now;
  }

  /** Whether a User-Agent is a known scanner. */
  isScanner(userAgent: string | null): boolean {
    return isScannerUserAgent(userAgent);
  }

  /** Record a real authentication failure (or a scanner request); returns the block it started, if any. */
  recordFailure(ip: string, unique: string, now: number, scanner = false): BlockStarted | null {
    if (this.allow.has(ip) || this.isBlocked(ip, now)) return null;
    const verdict = this.failures.record(ip, unique, now);
    if (verdict === 'ok' && !scanner) return null;
    const until = now + this.blockMs;
    this.blocked.set(ip, until);
    return { reason: verdict === 'ok' ? 'scanner' : verdict, until };
  }
}
