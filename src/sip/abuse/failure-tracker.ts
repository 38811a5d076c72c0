/**
 * Authentication failures per source IP in a sliding window, and distinct uniques tried per source.
 *
 * @remarks
 * Only real failures count (a wrong password or an unknown unique after a challenge was answered,
 * a scanner's request): a plain 401 challenge is the normal first half of every registration.
 */
import { RecentMap } from '../../collections/index.js';

/** Options of {@link FailureTracker}. */
export interface FailureTrackerOptions {
  readonly windowSeconds: number;
  /** Failures within the window that trigger a block. */
  readonly maxFailures: number;
  /** Distinct uniques failing from one source within the window that trigger a block. */
  readonly maxDistinctUniques: number;
  readonly maxSources: number;
}

interface SourceFailures {
  /** Failure timestamps, oldest first; never longer than maxFailures. */
  readonly times: number[];
  /** unique → last failure time; never larger than maxDistinctUniques. */
  readonly uniques: Map<string, number>;
}

/** Why a source crossed a threshold. */
export type FailureVerdict = 'ok' | 'too_many_failures' | 'too_many_uniques';

/** Sliding-window failure counts, bounded per source and in number of sources. */
export class FailureTracker {
  private readonly sources: RecentMap<string, SourceFailures>;

  constructor(private readonly options: FailureTrackerOptions) {
    this.sources = new RecentMap(options.maxSources);
  }

  /** Record one failure; says whether the source is now over a threshold. */
  record(source: string, unique: string, now: number): FailureVerdict {
    const windowStart = now - this.options.windowSeconds * 1000;
    let s = this.sources.get(source);
    if (s === undefined) {
      s = { times: [], uniques: new Map() };
      this.sources.set(source, s);
    }
    while (s.times.length > 0 && s.times[0]! <= windowStart) s.times.shift();
    s.times.push(now);
    for (const [u, at] of s.uniques) if (at <= windowStart) s.uniques.delete(u);
    s.uniques.delete(unique);
    s.uniques.set(unique, now);
    if (s.times.length >= this.options.maxFailures) return this.reset(source, 'too_many_failures');
    if (s.uniques.size >= this.options.maxDistinctUniques) return this.reset(source, 'too_many_uniques');
    return 'ok';
  }

  private reset(source: string, verdict: FailureVerdict): FailureVerdict {
    this.sources.delete(source);
    return verdict;
  }

  get trackedSources(): number {
    return this.sources.size;
  }
}
