/**
 * A map of at most `capacity` entries that forgets the least recently used ones, in O(1) per
 * operation.
 *
 * @remarks
 * Why not one `Map` that deletes `keys().next()` when full: V8 leaves a deleted entry as a hole in
 * a Map's insertion-ordered table until the table is rehashed, and an iterator from the front steps
 * over every hole. A Map held at its cap, dropping its oldest entry on every insert, pays a scan
 * that grows with each eviction: 6 → 63–73 µs per insert over 160,000 inserts at 200,000 entries, and
 * the nonce-count cache built that way took 9–25 % of the registrar's CPU once 200,000 nonces had
 * been issued (bench/PERF-NOTES.md #25).
 *
 * So two generations: entries are written to the young Map; when it holds half the capacity it
 * becomes the old one and the previous old one is dropped whole. An old entry that is read (`get`)
 * or written moves to the young generation. What is forgotten is therefore what was used least
 * recently, by generation: an entry is forgotten only once `capacity / 2` other entries have been
 * used (written, or read with `get`) after it, and the map never holds more than `capacity`.
 * Values cannot be `undefined` or `null`.
 */
export class RecentMap<K, V extends {}> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generationSize: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`RecentMap capacity must be an integer ≥ 2, got ${capacity}`);
    this.generationSize = Math.floor(capacity / 2);
  }

  /** The value, which becomes the most recently used. */
  get(key: K): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    if (old !== undefined) {
      this.old.delete(key);
      this.insertYoung(key, old);
    }
    return old;
  }

  /** The value, without making it the most recently used. */
  peek(key: K): V | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }

  has(key: K): boolean {
    return this.young.has(key) || this.old.has(key);
  }

  set(key: K, value: V): void {
    this.old.delete(key);
    this.insertYoung(key, value);
  }

  delete(key: K): boolean {
    const young = this.young.delete(key);
    return this.old.delete(key) || young;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Every value, least recently used generation first. */
  *values(): IterableIterator<V> {
    yield* this.old.values();
    yield* this.young.values();
  }

  private insertYoung(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}
