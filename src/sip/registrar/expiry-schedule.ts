/**
 * Binding expiry: one binary min-heap, swept by the server's single ticker.
 *
 * @remarks
 * No `setTimeout` per binding (10k+ bindings would mean 10k+ libuv timers and a closure each; see
 * bench-facts.md and bench/registrar-inproc.bench.ts). A refresh does not remove the old entry:
 * entries are checked against the table when they come due (lazy deletion), so a refresh costs one
 * O(log n) push. The ticker runs every few hundred ms, so an `expired` event fires within 1 s.
 *
 * A superseded entry keeps its old record (a refresh makes a new one) until the old expiry: a phone
 * granted 3600 s that refreshes every 60 s would leave 59 of them, ~850 B each, per binding. So the
 * owner calls {@link ExpirySchedule.compact} with the current records once superseded entries
 * outnumber them (`needsCompaction`): an O(n) rebuild after at least n refreshes, amortized O(1).
 */
import type { BindingRecord } from './delegates.js';

/** Superseded entries tolerated beyond one per current record before a rebuild is due. */
const COMPACTION_SLACK = 1024;

/**
 * Min-heap of records by `expiresAt`. The records themselves are the entries (a record never
 * changes: a refresh makes a new one), not a {due, record} pair: 56 bytes less per binding.
 */
export class ExpirySchedule {
  private readonly heap: BindingRecord[] = [];

  /** Number of entries, including superseded ones not yet swept. */
  get size(): number {
    return this.heap.length;
  }

  /** Schedule `record` to be checked at its expiry (`expiresAt`, ms since the epoch). */
  add(record: BindingRecord): void {
    const heap = this.heap;
    heap.push(record);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.expiresAt <= heap[i]!.expiresAt) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  /** Whether superseded entries outnumber the `current` records (plus some slack). */
  needsCompaction(current: number): boolean {
    return this.heap.length > 2 * current + COMPACTION_SLACK;
  }

  /** Replace every entry by one per current record, due at its expiry (drops superseded ones). */
  compact(records: Iterable<BindingRecord>): void {
    const heap = this.heap;
    heap.length = 0;
    for (const record of records) heap.push(record);
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Remove and return every record whose due time is ≤ now, earliest first. */
  popDue(now: number): BindingRecord[] {
    const out: BindingRecord[] = [];
    while (this.heap.length > 0 && this.heap[0]!.expiresAt <= now) out.push(this.pop());
    return out;
  }

  private pop(): BindingRecord {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l]!.expiresAt < heap[m]!.expiresAt) m = l;
      if (r < heap.length && heap[r]!.expiresAt < heap[m]!.expiresAt) m = r;
      if (m === i) break;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  }
}
