import { describe, expect, it } from 'vitest';
import { DueSchedule } from '../../../src/alerts/due-schedule.js';

const item = (name: string) => ({ name, dueSecond: 0 });

describe('DueSchedule', () => {
  it('hands an item out at the first whole second after its due time, once', () => {
    const s = new DueSchedule<ReturnType<typeof item>>();
    const a = item('a');
    s.schedule(a, 10_500);
    expect(s.takeDue(10_999)).toEqual([]);
    expect(s.takeDue(11_000)).toEqual([a]);
    expect(a.dueSecond).toBe(0);
    expect(s.takeDue(20_000)).toEqual([]);
    expect(s.size).toBe(0);
  });

  it('skips stale entries: only the latest schedule of an item counts', () => {
    const s = new DueSchedule<ReturnType<typeof item>>();
    const a = item('a');
    s.schedule(a, 5_000);
    s.schedule(a, 9_000); // rescheduled (e.g. the line refreshed): the 6 s entry is stale
    expect(s.size).toBe(2);
    expect(s.takeDue(8_000)).toEqual([]);
    expect(s.takeDue(10_000)).toEqual([a]);
    expect(s.size).toBe(0);
  });

  it('a cancelled item is not handed out; overdue seconds are all taken by one late call', () => {
    const s = new DueSchedule<ReturnType<typeof item>>();
    const [a, b, c] = [item('a'), item('b'), item('c')];
    s.schedule(a, 1_000);
    s.schedule(b, 2_000);
    s.schedule(c, 3_000);
    s.cancel(b);
    expect(s.takeDue(60_000).map((x) => x.name).sort()).toEqual(['a', 'c']);
  });
});
