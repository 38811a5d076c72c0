/**
 * Per-source token bucket for request admission.
 *
 * @remarks
 * Sized for an office NAT: hundreds of phones behind one IP re-registering after a power cut send
 * a burst of 2 requests each (REGISTER + authenticated REGISTER); the default burst absorbs that.
 */
import { RecentMap } from '../../collections/index.js';

/** Options of {@link TokenBucketLimiter}. */
export interface TokenBucketOptions {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly maxSources: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** One bucket per source IP, bounded in number. */
export class TokenBucketLimiter {
  private readonly buckets: RecentMap<string, Bucket>;

  constructor(private readonly options: TokenBucketOptions) {
    this.buckets = new RecentMap(options.maxSources);
  }

  /** Take one token for `source`; false when the bucket is empty. */
  take(source: string, now: number): boolean {
    let bucket = this.buckets.get(source);
    if (bucket === undefined) {
      bucket = { tokens: this.options.burst, updatedAt: now };
      this.buckets.set(source, bucket);
    } else {
      const refill = ((now - bucket.updatedAt) / 1000) * this.options.ratePerSecond;
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + refill);
      bucket.updatedAt = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get trackedSources(): number {
    return this.buckets.size;
  }
}
