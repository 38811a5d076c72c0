import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RecentMap } from '../../../src/collections/index.js';

describe('RecentMap', () => {
  it('never holds more than its capacity, and always the most recent half', () => {
    const m = new RecentMap<string, number>(10);
    for (let i = 0; i < 1000; i++) {
      m.set(`k${i}`, i);
      expect(m.size).toBeLessThanOrEqual(10);
      for (let j = Math.max(0, i - 4); j <= i; j++) expect(m.peek(`k${j}`)).toBe(j);
    }
  });

  it('keeps an entry that is read (get) while older ones are forgotten; peek does not keep it', () => {
    const m = new RecentMap<string, string>(4);
    m.set('read', 'r');
    m.set('peeked', 'p');
    for (let i = 0; i < 20; i++) {
      m.set(`filler${i}`, 'f');
      expect(m.get('read')).toBe('r');
    }
    expect(m.has('read')).toBe(true);
    expect(m.has('peeked')).toBe(false);
    expect(m.peek('peeked')).toBeUndefined();
  });

  it('writes an old entry into the young generation; the rest of the old one is forgotten as a whole', () => {
    const m = new RecentMap<string, number>(4); // generations of 2
    m.set('a', 1);
    m.set('b', 2); // the young generation is full: {a, b} becomes the old one
    m.set('c', 3);
    expect([...m.values()]).toEqual([1, 2, 3]);
    m.set('a', 10); // young {c, a} is full: it becomes the old generation, {b} is dropped
    expect([...m.values()]).toEqual([3, 10]);
    expect(m.has('b')).toBe(false);
    expect(m.delete('c')).toBe(true);
    expect(m.delete('c')).toBe(false);
    expect(m.peek('a')).toBe(10);
    expect(m.size).toBe(1);
  });

  it('refuses a capacity that cannot hold two generations', () => {
    expect(() => new RecentMap(1)).toThrow(RangeError);
    expect(() => new RecentMap(2.5)).toThrow(RangeError);
  });

  it('forgets an entry only after capacity/2 other entries were used after it, and never holds more than capacity (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 30 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.array(op, { maxLength: 300 }), (capacity, ops) => {
        const m = new RecentMap<number, number>(capacity);
        const model = new Map<number, number>(); // what was set and not deleted, unbounded
        const uses: number[] = []; // keys in the order they were used (set, or a get that found them)
        const usedSince = (key: number) => new Set(uses.slice(uses.lastIndexOf(key) + 1).filter((k) => k !== key)).size;
        for (const o of ops) {
          if (o.kind === 'set') {
            m.set(o.key, o.value);
            model.set(o.key, o.value);
            uses.push(o.key);
          } else if (o.kind === 'delete') {
            m.delete(o.key);
            model.delete(o.key);
          } else {
            const got = m.get(o.key);
            if (got !== undefined) {
              expect(got).toBe(model.get(o.key));
              uses.push(o.key);
            }
          }
          expect(m.size).toBeLessThanOrEqual(capacity);
          for (const [key, value] of model) {
            const held = m.peek(key);
            if (held !== undefined) expect(held).toBe(value);
            else expect(usedSince(key)).toBeGreaterThanOrEqual(Math.floor(capacity / 2));
          }
        }
      }),
    );
  });
});
