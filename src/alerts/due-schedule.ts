/**
 * Lines keyed by the second at which a check about them is due, so that the 1 s tick looks only at
 * those instead of walking every tracked line: the walk cost ~100 ns per line (each line's state is
 * its own heap object, mostly a cache miss), i.e. a 10–20 ms stall every second at 100,000 lines,
 * felt by every SIP response and query in flight (bench/PERF-NOTES.md #20).
 *
 * Entries are never removed when a line is rescheduled: the line remembers its current due second,
 * and an entry for another second is stale and skipped when its second comes. A line refreshing
 * every interval therefore has about one or two entries at a time.
 */
export interface Scheduled {
  /** The second (epoch seconds) of the line's current entry; 0 when none. */
  dueSecond: number;
}

export class DueSchedule<T extends Scheduled> {
  private readonly buckets = new Map<number, T[]>();

  /** Due after `dueMs`: handed out by the first `takeDue` at or after the next whole second. */
  schedule(item: T, dueMs: number): void {
    const second = Math.floor(dueMs / 1000) + 1;
    item.dueSecond = second;
    const bucket = this.buckets.get(second);
    if (bucket) bucket.push(item);
    else this.buckets.set(second, [item]);
  }

  /** Forgets the item's current entry (it stays in its bucket, stale). */
  cancel(item: T): void {
    item.dueSecond = 0;
  }

  /** Removes and returns the items due at or before `nowMs` whose entry is still current. */
  takeDue(nowMs: number): T[] {
    const nowSecond = Math.floor(nowMs / 1000);
    const due: T[] = [];
    for (const [second, bucket] of this.buckets) {
      if (second > nowSecond) continue;
      this.buckets.delete(second);
      for (const item of bucket) {
        if (item.dueSecond !== second) continue;
        item.dueSecond = 0;
        due.push(item);
      }
    }
    return due;
  }

  /** Entries held, stale ones included (tests and metrics). */
  get size(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.length;
    return n;
  }
}
