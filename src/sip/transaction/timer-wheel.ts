/**
 * Coarse hashed timer wheel: one ticker for every transaction timer.
 *
 * @remarks
 * At 20k requests/s with Timer J = 32 s on UDP, ~640k completed transactions are alive at once
 * (bench-facts.md; `bench/registrar-inproc.bench.ts` drives this path). One `setTimeout` per
 * transaction would put hundreds of thousands of timer objects into libuv's heap and allocate a
 * closure + Timeout per request; a wheel costs one array push per timer and one `setInterval`
 * for the whole process. Timers fire at most one tick late (default 50 ms), which RFC 3261 timers
 * (T1 = 500 ms granularity) tolerate. Cancelling is O(1): the entry is flagged and skipped.
 */

/** A scheduled callback; `cancel()` is O(1). */
export interface WheelTimer {
  readonly due: number;
  cancel(): void;
}

class Entry implements WheelTimer {
  cancelled = false;
  constructor(
    readonly due: number,
    readonly fire: () => void,
  ) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** Beyond this many empty slots, advancing iterates the occupied slots instead of every slot. */
const SCAN_LIMIT = 4096;

/** Bucketed expiry driven by explicit `advance(now)` calls (from one interval, or a test). */
export class TimerWheel {
  private readonly slots = new Map<number, Entry[]>();
  private cursor: number;
  private count = 0;

  constructor(
    private readonly tickMs: number,
    now: number,
  ) {
    this.cursor = Math.floor(now / tickMs);
  }

  /** Number of scheduled (possibly cancelled but not yet swept) timers. */
  get size(): number {
    return this.count;
  }

  /** Run `fire` at the first tick at or after `due` (ms since the epoch). */
  schedule(due: number, fire: () => void): WheelTimer {
    const entry = new Entry(due, fire);
    let slot = Math.ceil(due / this.tickMs);
    if (slot <= this.cursor) slot = this.cursor + 1;
    const bucket = this.slots.get(slot);
    if (bucket === undefined) this.slots.set(slot, [entry]);
    else bucket.push(entry);
    this.count++;
    return entry;
  }

  /** Fire every timer whose slot is at or before `now`. Callbacks may schedule new timers. */
  advance(now: number): void {
    const target = Math.floor(now / this.tickMs);
    if (target <= this.cursor) return;
    if (target - this.cursor > SCAN_LIMIT) {
      const due = [...this.slots.keys()].filter((s) => s <= target).sort((a, b) => a - b);
      this.cursor = target;
      for (const slot of due) this.fireSlot(slot);
      return;
    }
    while (this.cursor < target) {
      this.cursor++;
      this.fireSlot(this.cursor);
    }
  }

  private fireSlot(slot: number): void {
    const bucket = this.slots.get(slot);
    if (bucket === undefined) return;
    this.slots.delete(slot);
    this.count -= bucket.length;
    for (const entry of bucket) {
      if (!entry.cancelled) entry.fire();
    }
  }
}
