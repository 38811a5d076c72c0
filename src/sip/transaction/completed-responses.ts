/**
 * The final responses of completed non-INVITE UDP transactions, kept for Timer J without one heap
 * object per transaction.
 *
 * @remarks
 * "While in the "Completed" state, the server transaction MUST pass the final response to the
 * transport layer for retransmission whenever a retransmission of the request is received" until
 * "Timer J fires" 64*T1 = 32 s later (RFC 3261 §17.2.2). Every REGISTER's 200 is kept that long:
 * 128,000 responses at 4,000 registrations/s. Kept as JavaScript objects (the key string, the
 * response Buffer, the address, a record), they were promoted to the old generation between the
 * bindings made at the same moment, and when they died 32 s later they left those pages half empty:
 * 100,000 bindings registered at 4,000/s cost 227–236 MB RSS above idle against 130–145 MB without
 * them (bench/PERF-NOTES.md #30). Here the key, the address and the response are bytes in large
 * off-heap chunks, the bookkeeping is typed arrays, and the index maps a 30-bit hash of the key (a
 * small integer, no heap object) to the entry, whose stored key is compared on a hit. Keys whose
 * hash is taken by another live key go to a small overflow map by their full text.
 *
 * All entries have the same Timer J, so insertion order is expiry order: a FIFO queue, and a chunk
 * is released as soon as the oldest live entry lies beyond it.
 */

/** Bytes per off-heap chunk; a UDP response (≤ 64 KiB) always fits in one. */
const CHUNK_BYTES = 1 << 20;
const MIN_CAPACITY = 1024;

// Integer fields of an entry, stride INTS in `ints`.
const CHUNK = 0;
const OFFSET = 1;
const KEY_BYTES = 2;
const ADDRESS_BYTES = 3;
const RESPONSE_BYTES = 4;
const PORT = 5;
const HASH = 6;
const OVERFLOW = 7;
const INTS = 8;

/** FNV-1a over the UTF-16 code units, folded to 30 bits so that V8 keeps it a small integer. */
export function completedKeyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 2;
}

/** What a lookup found: the response and where it goes. */
export interface StoredResponse {
  readonly response: Buffer;
  readonly address: string;
  readonly port: number;
}

/** Options of {@link CompletedResponses}; `hash` is for tests that need colliding keys. */
export interface CompletedResponsesOptions {
  readonly hash?: (key: string) => number;
}

export class CompletedResponses {
  private readonly hash: (key: string) => number;
  private capacity = MIN_CAPACITY;
  private ints = new Int32Array(MIN_CAPACITY * INTS);
  private expiries = new Float64Array(MIN_CAPACITY);
  /** Entries are numbered in insertion order; live ones are [head, tail). Slot = number & (capacity - 1). */
  private head = 0;
  private tail = 0;
  /** Hash of a key → slot of the newest entry with that hash. */
  private readonly index = new Map<number, number>();
  /** Full key → slot, for keys whose hash another live key held when they were added. */
  private readonly overflow = new Map<string, number>();
  /** Chunks in order; `chunks[i]` is chunk number `firstChunk + i`. */
  private chunks: Buffer[] = [];
  private firstChunk = 0;
  private writeOffset = CHUNK_BYTES;

  constructor(options: CompletedResponsesOptions = {}) {
    this.hash = options.hash ?? completedKeyHash;
  }

  /** Number of responses held. */
  get size(): number {
    return this.tail - this.head;
  }

  /** Off-heap bytes held by the chunks (for tests and metrics). */
  get chunkBytes(): number {
    return this.chunks.length * CHUNK_BYTES;
  }

  /** Keep `response` for the transaction `key` until `expiresAt` (epoch ms, not before any earlier entry's). */
  add(key: string, response: Buffer, address: string, port: number, expiresAt: number): void {
    if (this.tail - this.head === this.capacity) this.resize(this.capacity * 2);
    const room = (key.length + address.length) * 3 + response.length;
    if (room > CHUNK_BYTES) return; // cannot happen for a UDP datagram; a retransmission is then answered anew
    if (this.writeOffset + room > CHUNK_BYTES) {
      this.chunks.push(Buffer.allocUnsafeSlow(CHUNK_BYTES));
      this.writeOffset = 0;
    }
    const chunkNumber = this.firstChunk + this.chunks.length - 1;
    const chunk = this.chunks[this.chunks.length - 1]!;
    const start = this.writeOffset;
    const keyBytes = chunk.write(key, start, 'utf8');
    const addressBytes = chunk.write(address, start + keyBytes, 'latin1');
    response.copy(chunk, start + keyBytes + addressBytes);
    this.writeOffset = start + keyBytes + addressBytes + response.length;

    const slot = this.tail & (this.capacity - 1);
    const base = slot * INTS;
    const ints = this.ints;
    const hash = this.hash(key);
    ints[base + CHUNK] = chunkNumber;
    ints[base + OFFSET] = start;
    ints[base + KEY_BYTES] = keyBytes;
    ints[base + ADDRESS_BYTES] = addressBytes;
    ints[base + RESPONSE_BYTES] = response.length;
    ints[base + PORT] = port;
    ints[base + HASH] = hash;
    this.expiries[slot] = expiresAt;
    this.tail++;
    const holder = this.index.get(hash);
    if (holder === undefined || this.keyAt(holder) === key) {
      ints[base + OVERFLOW] = 0;
      this.index.set(hash, slot);
    } else {
      ints[base + OVERFLOW] = 1;
      this.overflow.set(key, slot);
    }
  }

  /** The response kept for `key`, if its Timer J has not fired. Allocates only on a hit. */
  find(key: string): StoredResponse | undefined {
    let slot = this.index.get(this.hash(key));
    if (slot === undefined || this.keyAt(slot) !== key) slot = this.overflow.size === 0 ? undefined : this.overflow.get(key);
    if (slot === undefined) return undefined;
    const base = slot * INTS;
    const ints = this.ints;
    const chunk = this.chunkOf(slot);
    const addressStart = ints[base + OFFSET]! + ints[base + KEY_BYTES]!;
    const responseStart = addressStart + ints[base + ADDRESS_BYTES]!;
    return {
      response: chunk.subarray(responseStart, responseStart + ints[base + RESPONSE_BYTES]!),
      address: chunk.toString('latin1', addressStart, responseStart),
      port: ints[base + PORT]!,
    };
  }

  /** Forget every entry whose Timer J has fired by `now`, and the chunks only they used. */
  expire(now: number): void {
    const ints = this.ints;
    const mask = this.capacity - 1;
    while (this.head < this.tail && this.expiries[this.head & mask]! <= now) {
      const slot = this.head & mask;
      const base = slot * INTS;
      if (ints[base + OVERFLOW] === 1) {
        const key = this.keyAt(slot);
        if (this.overflow.get(key) === slot) this.overflow.delete(key);
      } else if (this.index.get(ints[base + HASH]!) === slot) this.index.delete(ints[base + HASH]!);
      this.head++;
    }
    // Chunks before the oldest live entry's hold nothing live; the one being written stays.
    const oldestChunk = this.head < this.tail ? ints[(this.head & mask) * INTS + CHUNK]! : this.firstChunk + this.chunks.length - 1;
    if (oldestChunk > this.firstChunk) {
      this.chunks = this.chunks.slice(oldestChunk - this.firstChunk);
      this.firstChunk = oldestChunk;
    }
    if (this.capacity > MIN_CAPACITY && (this.tail - this.head) * 8 < this.capacity) this.resize(this.capacity / 2);
  }

  /** Forget everything. */
  clear(): void {
    this.index.clear();
    this.overflow.clear();
    this.chunks = [];
    this.firstChunk = 0;
    this.writeOffset = CHUNK_BYTES;
    this.head = this.tail = 0;
    this.resize(MIN_CAPACITY);
  }

  private chunkOf(slot: number): Buffer {
    return this.chunks[this.ints[slot * INTS + CHUNK]! - this.firstChunk]!;
  }

  private keyAt(slot: number): string {
    const base = slot * INTS;
    const start = this.ints[base + OFFSET]!;
    return this.chunkOf(slot).toString('utf8', start, start + this.ints[base + KEY_BYTES]!);
  }

  /** Move the live entries to arrays of `capacity` slots (a power of two) and renumber the index. */
  private resize(capacity: number): void {
    const ints = new Int32Array(capacity * INTS);
    const expiries = new Float64Array(capacity);
    const oldMask = this.capacity - 1;
    const newMask = capacity - 1;
    for (let n = this.head; n < this.tail; n++) {
      const from = n & oldMask;
      const to = n & newMask;
      ints.set(this.ints.subarray(from * INTS, from * INTS + INTS), to * INTS);
      expiries[to] = this.expiries[from]!;
    }
    const remap = (slot: number): number => (this.head + ((slot - this.head) & oldMask)) & newMask;
    for (const [hash, slot] of this.index) this.index.set(hash, remap(slot));
    for (const [key, slot] of this.overflow) this.overflow.set(key, remap(slot));
    this.ints = ints;
    this.expiries = expiries;
    this.capacity = capacity;
  }
}
