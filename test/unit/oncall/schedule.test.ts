import { describe, expect, it } from 'vitest';
import { ScheduleView } from '../../../src/oncall/schedule.js';
import type { ScheduleConfig } from '../../../src/oncall/config-schema.js';
import { Zone } from '../../../src/oncall/zone.js';

const daily = (timezone: string, start: string, participants: string[], handoff = '09:00'): ScheduleConfig => ({
  id: 's',
  timezone,
  layers: [{ name: 'primary', rotation: 'daily', handoff, start, participants }],
});

const at = (iso: string) => new Date(iso);

describe('Zone', () => {
  it('converts Berlin wall times across the spring gap and the autumn fold', () => {
    const z = new Zone('Europe/Berlin');
    // 02:30 does not exist on 2026-03-29: it moves forward to 03:30 CEST = 01:30Z.
    expect(new Date(z.fromWall(Date.UTC(2026, 2, 29, 2, 30))).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 2026-10-25: the earlier (CEST) instant is chosen.
    expect(new Date(z.fromWall(Date.UTC(2026, 9, 25, 2, 30))).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(z.offsetAt(Date.parse('2026-03-28T12:00:00Z'))).toBe(3_600_000);
    expect(z.offsetAt(Date.parse('2026-03-30T12:00:00Z'))).toBe(7_200_000);
  });
});

describe('ScheduleView: daily 09:00 handoff', () => {
  it('Asia/Tokyo (no DST): every handoff is 00:00Z, 24 h apart', () => {
    const s = new ScheduleView(daily('Asia/Tokyo', '2026-03-27', ['aoi', 'ben', 'chika']), []);
    expect(s.onCallAt(at('2026-03-27T00:00:00Z'))).toBe('aoi');
    expect(s.onCallAt(at('2026-03-27T23:59:59Z'))).toBe('aoi');
    expect(s.onCallAt(at('2026-03-28T00:00:00Z'))).toBe('ben');
    expect(s.onCallAt(at('2026-03-29T08:59:00+09:00'))).toBe('ben');
    expect(s.onCallAt(at('2026-03-29T09:00:00+09:00'))).toBe('chika');
    expect(s.onCallAt(at('2026-03-30T09:00:00+09:00'))).toBe('aoi');
    expect(s.nextHandoff(at('2026-03-29T12:00:00Z'))).toEqual({ at: at('2026-03-30T00:00:00Z'), from: 'chika', to: 'aoi' });
    // Before the rotation starts nobody is on call.
    expect(s.onCallAt(at('2026-03-26T23:59:59Z'))).toBeNull();
  });

  it('Europe/Berlin across the spring change 2026-03-29: handoff stays 09:00 local (08:00Z → 07:00Z)', () => {
    const s = new ScheduleView(daily('Europe/Berlin', '2026-03-28', ['anna', 'bernd']), []);
    expect(s.onCallAt(at('2026-03-28T08:00:00Z'))).toBe('anna'); // 09:00 CET
    expect(s.nextHandoff(at('2026-03-28T08:00:00Z'))).toEqual({ at: at('2026-03-29T07:00:00Z'), from: 'anna', to: 'bernd' });
    expect(s.onCallAt(at('2026-03-29T06:59:59Z'))).toBe('anna'); // 08:59:59 CEST, a 23 h shift
    expect(s.onCallAt(at('2026-03-29T07:00:00Z'))).toBe('bernd'); // 09:00 CEST
    expect(s.nextHandoff(at('2026-03-29T07:00:00Z'))?.at).toEqual(at('2026-03-30T07:00:00Z'));
  });

  it('Europe/Berlin across the autumn change 2026-10-25: 07:00Z → 08:00Z, a 25 h shift', () => {
    const s = new ScheduleView(daily('Europe/Berlin', '2026-10-24', ['anna', 'bernd']), []);
    expect(s.onCallAt(at('2026-10-24T07:00:00Z'))).toBe('anna'); // 09:00 CEST
    expect(s.nextHandoff(at('2026-10-24T07:00:00Z'))).toEqual({ at: at('2026-10-25T08:00:00Z'), from: 'anna', to: 'bernd' });
    expect(s.onCallAt(at('2026-10-25T07:59:59Z'))).toBe('anna');
    expect(s.onCallAt(at('2026-10-25T08:00:00Z'))).toBe('bernd');
  });

  it('a handoff inside the spring gap (02:30) moves to 03:30 local that day', () => {
    const s = new ScheduleView(daily('Europe/Berlin', '2026-03-27', ['a', 'b'], '02:30'), []);
    expect(s.nextHandoff(at('2026-03-28T12:00:00Z'))).toEqual({ at: at('2026-03-29T01:30:00Z'), from: 'b', to: 'a' });
  });
});

describe('ScheduleView: weekly, custom, layers, restrictions, overrides', () => {
  const cfg: ScheduleConfig = {
    id: 'ops',
    timezone: 'Asia/Tokyo',
    layers: [
      { name: 'base', rotation: 'weekly', handoff: '10:00', start: '2026-11-02', participants: ['aoi', 'ben'] },
      {
        name: 'day',
        rotation: 'custom',
        length_hours: 12,
        handoff: '08:00',
        start: '2026-11-02',
        participants: ['chika', 'daiki'],
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
      },
    ],
  };

  it('the higher layer wins where it has coverage; the base layer fills the rest', () => {
    const s = new ScheduleView(cfg, []);
    // Monday 2026-11-02 12:00 JST: day layer shift 0 (08:00–20:00) is chika, restricted window open.
    expect(s.onCallAt(at('2026-11-02T12:00:00+09:00'))).toBe('chika');
    expect(s.chainAt(at('2026-11-02T12:00:00+09:00'))).toEqual(['chika', 'aoi']);
    // 18:30 JST: outside the restriction → base layer.
    expect(s.onCallAt(at('2026-11-02T18:30:00+09:00'))).toBe('aoi');
    // Tuesday 12:00: shift 2 of the 12 h rotation → chika again (0 chika, 1 daiki, 2 chika).
    expect(s.onCallAt(at('2026-11-03T12:00:00+09:00'))).toBe('chika');
    // Saturday: restriction excludes it → base; second week base is ben.
    expect(s.onCallAt(at('2026-11-07T12:00:00+09:00'))).toBe('aoi');
    expect(s.onCallAt(at('2026-11-14T10:00:00+09:00'))).toBe('ben');
    expect(s.chainAt(at('2026-11-09T10:00:00+09:00'))).toEqual(['chika', 'ben']);
    expect(s.nextHandoff(at('2026-11-02T12:00:00+09:00'))).toEqual({ at: at('2026-11-02T18:00:00+09:00'), from: 'chika', to: 'aoi' });
  });

  it('an override covers its range on its schedule (or all schedules) and ends on time', () => {
    const s = new ScheduleView(cfg, [
      { scheduleId: null, personId: 'eri', start: at('2026-11-02T11:00:00+09:00'), end: at('2026-11-02T13:00:00+09:00') },
      { scheduleId: 'other', personId: 'fumi', start: at('2026-11-02T00:00:00+09:00'), end: at('2026-11-03T00:00:00+09:00') },
    ]);
    expect(s.onCallAt(at('2026-11-02T12:00:00+09:00'))).toBe('eri');
    expect(s.layersAt(at('2026-11-02T12:00:00+09:00'))[0]).toMatchObject({ layer: 'override', personId: 'eri', override: true });
    expect(s.nextHandoff(at('2026-11-02T12:00:00+09:00'))).toEqual({ at: at('2026-11-02T13:00:00+09:00'), from: 'eri', to: 'chika' });
    expect(s.onCallAt(at('2026-11-02T13:00:00+09:00'))).toBe('chika');
  });
});

describe('ScheduleView properties', () => {
  it('daily handoffs always land at 09:00 local and the person is constant until then (Berlin, New York, Tokyo)', async () => {
    const fc = await import('fast-check');
    for (const tz of ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo']) {
      const s = new ScheduleView(daily(tz, '2025-12-01', ['a', 'b', 'c']), []);
      const zone = new Zone(tz);
      fc.assert(
        fc.property(fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }), (t) => {
          const h = s.nextHandoff(new Date(t))!;
          const wall = new Date(zone.toWall(h.at.getTime()));
          expect([wall.getUTCHours(), wall.getUTCMinutes()]).toEqual([9, 0]);
          expect(h.at.getTime() - t).toBeLessThanOrEqual(25 * 3_600_000);
          expect(s.onCallAt(new Date(h.at.getTime() - 1))).toBe(s.onCallAt(new Date(t)));
          expect(s.onCallAt(h.at)).toBe(h.to);
        }),
        { numRuns: 300 },
      );
    }
  });
});
