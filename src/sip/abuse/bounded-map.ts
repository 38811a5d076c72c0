/**
 * A Map with a hard size cap that evicts its oldest insertion.
 *
 * @remarks
 * Abuse state is keyed by source IP, which a UDP attacker can spoof at will: every per-source map
 * must be bounded so a spoofed flood cannot grow memory without limit. Eviction of the oldest
 * entry only forgets state about a source (it gets a fresh bucket / window), which is safe.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly cap: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (!this.map.has(key) && this.map.size >= this.cap) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}
