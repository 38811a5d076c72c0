import { RecentMap } from '../../collections/index.js';

/**
 * Sliding-window counters for the unknown-unique and security detectors: occurrences per key and
 * distinct values per key within a window. Bounded in keys (keys are what the network sends: unknown
 * user names, source IPs; the least recently seen are forgotten) and in samples per key.
 */
export class WindowCounter {
  private readonly hits: RecentMap<string, number[]>;
  private readonly distinct: RecentMap<string, Map<string, number>>;

  constructor(
    private readonly windowMs: number,
    maxKeys: number,
    private readonly maxSamples = 1000,
  ) {
    this.hits = new RecentMap(maxKeys);
    this.distinct = new RecentMap(maxKeys);
  }

  /** Counts one occurrence; returns the occurrences of `key` within the window. */
  hit(key: string, nowMs: number): number {
    const list = (this.hits.get(key) ?? []).filter((t) => nowMs - t <= this.windowMs);
    list.push(nowMs);
    if (list.length > this.maxSamples) list.splice(0, list.length - this.maxSamples);
    this.hits.set(key, list);
    return list.length;
  }

  /** Records `value` under `key`; returns how many distinct values the key saw within the window. */
  addDistinct(key: string, value: string, nowMs: number): number {
    const values = this.distinct.get(key) ?? new Map<string, number>();
    for (const [v, t] of values) if (nowMs - t > this.windowMs) values.delete(v);
    values.delete(value);
    values.set(value, nowMs);
    if (values.size > this.maxSamples) {
      const oldest = values.keys().next().value;
      if (oldest !== undefined) values.delete(oldest);
    }
    this.distinct.set(key, values);
    return values.size;
  }
}
