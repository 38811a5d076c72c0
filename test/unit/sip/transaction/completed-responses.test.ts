import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CompletedResponses, completedKeyHash } from '../../../../src/sip/transaction/completed-responses.js';

const B = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('CompletedResponses', () => {
  it('returns the response and destination kept for a key until its expiry', () => {
    const store = new CompletedResponses();
    store.add('z9hG4bK1|192.0.2.1:5060|REGISTER', B('SIP/2.0 200 OK\r\n\r\n'), '192.0.2.1', 5060, 32_000);
    const found = store.find('z9hG4bK1|192.0.2.1:5060|REGISTER');
    expect(found?.response.toString()).toBe('SIP/2.0 200 OK\r\n\r\n');
    expect(found?.address).toBe('192.0.2.1');
    expect(found?.port).toBe(5060);
    expect(store.find('z9hG4bK2|192.0.2.1:5060|REGISTER')).toBeUndefined();
    store.expire(31_999);
    expect(store.size).toBe(1);
    store.expire(32_000);
    expect(store.find('z9hG4bK1|192.0.2.1:5060|REGISTER')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('keeps non-ASCII keys and IPv6 destinations exactly', () => {
    const store = new CompletedResponses();
    const key = '2543|sip:テスト@example.com|f|c|1|SIP/2.0/UDP [2001:db8::1]:5060|REGISTER';
    store.add(key, B('200'), '2001:db8::1', 5062, 1);
    expect(store.find(key)).toMatchObject({ address: '2001:db8::1', port: 5062 });
    expect(store.find(key)!.response.toString()).toBe('200');
  });

  it('tells apart keys whose hashes collide (every key hashes alike here)', () => {
    const store = new CompletedResponses({ hash: () => 7 });
    store.add('a', B('A'), '192.0.2.1', 1, 10);
    store.add('b', B('B'), '192.0.2.2', 2, 20);
    store.add('c', B('C'), '192.0.2.3', 3, 30);
    expect(store.find('a')!.response.toString()).toBe('A');
    expect(store.find('b')!.response.toString()).toBe('B');
    expect(store.find('c')!.response.toString()).toBe('C');
    expect(store.find('d')).toBeUndefined();
    store.expire(10); // 'a' held the index; 'b' and 'c' overflowed
    expect(store.find('a')).toBeUndefined();
    expect(store.find('b')!.port).toBe(2);
    store.add('d', B('D'), '192.0.2.4', 4, 40); // takes the free index entry
    expect(store.find('d')!.port).toBe(4);
    store.expire(30);
    expect(store.find('b')).toBeUndefined();
    expect(store.find('c')).toBeUndefined();
    expect(store.find('d')!.port).toBe(4);
  });

  it('a key added again answers with its newest response, and the older entry expiring does not drop it', () => {
    const store = new CompletedResponses();
    store.add('k', B('old'), '192.0.2.1', 1, 10);
    store.add('k', B('new'), '192.0.2.1', 1, 20);
    expect(store.find('k')!.response.toString()).toBe('new');
    store.expire(10);
    expect(store.find('k')!.response.toString()).toBe('new');
  });

  it('grows past its initial capacity, shrinks when emptied and releases the chunks no live entry uses', () => {
    const store = new CompletedResponses();
    const body = Buffer.alloc(1000, 0x61);
    for (let i = 0; i < 50_000; i++) store.add(`k${i}`, body, '192.0.2.1', 5060, i);
    expect(store.size).toBe(50_000);
    expect(store.chunkBytes).toBeGreaterThanOrEqual(50_000 * 1000);
    expect(store.find('k0')!.response.equals(body)).toBe(true);
    expect(store.find('k49999')!.response.equals(body)).toBe(true);
    store.expire(44_999);
    expect(store.size).toBe(5_000);
    expect(store.find('k44999')).toBeUndefined();
    expect(store.find('k45000')!.response.equals(body)).toBe(true);
    expect(store.chunkBytes).toBeLessThan(8 * 1024 * 1024);
    store.expire(49_999);
    expect(store.size).toBe(0);
    expect(store.chunkBytes).toBe(1024 * 1024); // the chunk being written
  });

  it('hashes to small non-negative integers', () => {
    for (const key of ['', 'a', 'z9hG4bK-524287-1---ab|127.0.0.1:5070|REGISTER', 'テスト']) {
      const h = completedKeyHash(key);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 30).toBe(true);
    }
  });

  it('behaves like a map with a FIFO expiry, whatever the collisions, growth and shrinking (model check)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 40 }), body: fc.string({ maxLength: 20 }), burst: fc.integer({ min: 1, max: 400 }) }),
      fc.record({ kind: fc.constant('expire' as const), by: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ kind: fc.constant('find' as const), key: fc.integer({ min: 0, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (ops, buckets) => {
        const store = new CompletedResponses({ hash: (k) => completedKeyHash(k) % buckets });
        // The model: key → [body, expiry] of its newest entry, and every entry in insertion order.
        const model = new Map<string, { body: string; expiresAt: number }>();
        const queue: { key: string; expiresAt: number }[] = [];
        // Long enough for more than the initial 1,024 slots to be live at once (growth), short
        // enough for expiries to empty it again (shrinking).
        const LIFETIME = 1500;
        let now = 0;
        let clock = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            // A burst of fillers forces resizes and new chunks between the keys under test.
            for (let i = 0; i < o.burst; i++) {
              clock++;
              const key = i === o.burst - 1 ? `key${o.key}` : `filler${clock}`;
              const body = i === o.burst - 1 ? o.body : 'x';
              store.add(key, B(body), '192.0.2.9', 9, now + LIFETIME + clock);
              model.set(key, { body, expiresAt: now + LIFETIME + clock });
              queue.push({ key, expiresAt: now + LIFETIME + clock });
            }
          } else if (o.kind === 'expire') {
            now += o.by;
            store.expire(now + clock);
            while (queue.length > 0 && queue[0]!.expiresAt <= now + clock) {
              const gone = queue.shift()!;
              if (model.get(gone.key)?.expiresAt === gone.expiresAt) model.delete(gone.key);
            }
            expect(store.size).toBe(queue.length);
          } else {
            const found = store.find(`key${o.key}`);
            const expected = model.get(`key${o.key}`);
            expect(found?.response.toString()).toBe(expected?.body);
          }
        }
        for (const [key, { body }] of model) expect(store.find(key)?.response.toString()).toBe(body);
      }),
      { numRuns: 200 },
    );
  });
});
