import { describe, expect, it } from 'vitest';
import type { StoredRegistrationEvent } from '../../../src/domain/index.js';
import { EventFeed } from '../../../src/alerts/event-feed.js';

const ev = (id: number): StoredRegistrationEvent => ({
  id, type: 'refreshed', unique: '100', at: new Date(0), method: 'REGISTER', source: '192.0.2.1:5060', transport: 'udp', userAgent: null,
  contact: null, callId: null, requestedExpires: null, grantedExpires: null, responseCode: 200, detail: {},
});

/** A store holding events 1..stored; counts reads; `failOn` makes one page fail. */
function setup(stored: number, options: { cursor?: number; batchSize?: number } = {}) {
  const reads: number[] = [];
  const saved: number[] = [];
  let cursor = options.cursor ?? 0;
  let available = stored;
  const feed = new EventFeed({
    events: {
      listAfter: async (after: number, limit: number) => {
        reads.push(after);
        const out: StoredRegistrationEvent[] = [];
        for (let id = after + 1; id <= available && out.length < limit; id++) out.push(ev(id));
        return out;
      },
    },
    cursors: { getCursor: async () => cursor, setCursor: async (_name, id) => void saved.push((cursor = id)) },
    cursorName: 'test',
    batchSize: options.batchSize ?? 100,
    clock: { now: () => new Date(0) },
  });
  const seen: number[] = [];
  const collect = async (page: readonly StoredRegistrationEvent[]) => void seen.push(...page.map((e) => e.id));
  return { feed, reads, saved, seen, collect, store: (n: number) => (available = n) };
}

describe('EventFeed', () => {
  it('reads the store from its saved cursor first, then uses contiguous hand-overs without reading', async () => {
    const t = setup(5, { cursor: 2 });
    await t.feed.drain(t.collect);
    expect(t.seen).toEqual([3, 4, 5]);
    expect(t.saved).toEqual([5]);
    const readsBefore = t.reads.length;
    t.store(7);
    t.feed.hand([ev(6), ev(7)]);
    await t.feed.drain(t.collect);
    expect(t.seen).toEqual([3, 4, 5, 6, 7]);
    expect(t.reads.length).toBe(readsBefore);
    expect(t.feed.cursor).toBe(7);
  });

  it('reads the store when a hand-over leaves a gap (an event stored by someone else) or comes out of order', async () => {
    const t = setup(3);
    await t.feed.drain(t.collect);
    t.store(6);
    t.feed.hand([ev(5), ev(6)]); // 4 was stored by the external ingest
    await t.feed.drain(t.collect);
    expect(t.seen).toEqual([1, 2, 3, 4, 5, 6]);
    t.store(8);
    t.feed.hand([ev(8), ev(7)]);
    await t.feed.drain(t.collect);
    expect(t.seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives the events of a failed page again on the next drain, and pages by batchSize', async () => {
    const t = setup(5, { batchSize: 2 });
    let fail = true;
    const flaky = async (page: readonly StoredRegistrationEvent[]) => {
      if (fail && page.some((e) => e.id === 3)) throw new Error('database gone');
      await t.collect(page);
    };
    await expect(t.feed.drain(flaky)).rejects.toThrow('database gone');
    expect(t.seen).toEqual([1, 2]);
    fail = false;
    await t.feed.drain(flaky);
    expect(t.seen).toEqual([1, 2, 3, 4, 5]);
    expect(t.saved).toEqual([2, 4, 5]);
  });

  it('a wake-up without events reads the store', async () => {
    const t = setup(1);
    await t.feed.drain(t.collect);
    t.store(2);
    await t.feed.drain(t.collect);
    expect(t.seen).toEqual([1]); // nothing handed, nothing asked: no read
    t.feed.hand();
    await t.feed.drain(t.collect);
    expect(t.seen).toEqual([1, 2]);
  });
});
