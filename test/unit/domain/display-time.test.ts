import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTimeFormatter } from '../../../src/domain/index.js';

/** What the formatter printed before it cached zone offsets: one `formatToParts` per instant. */
const intl = new Map<string, Intl.DateTimeFormat>();
function reference(locale: 'ja' | 'en', timeZone: string, at: Date): string {
  let parts = intl.get(timeZone);
  if (parts === undefined) {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    });
    intl.set(timeZone, parts);
  }
  const p: Record<string, string> = {};
  for (const part of parts.formatToParts(at)) p[part.type] = part.value;
  const zone = timeZone === 'Asia/Tokyo' ? 'JST' : (p.timeZoneName ?? timeZone);
  return locale === 'ja'
    ? `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}:${p.second} ${zone}`
    : `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zone}`;
}

// Zones with daylight saving time (also one shifting by 30 minutes) and quarter-hour offsets.
const ZONES = ['Asia/Tokyo', 'UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns'];

describe('TimeFormatter.dateTime', () => {
  it('prints the documented forms', () => {
    const at = new Date('2026-11-26T08:38:05.900Z');
    expect(createTimeFormatter('ja', 'Asia/Tokyo').dateTime(at)).toBe('2026/11/26 17:38:05 JST');
    expect(createTimeFormatter('en', 'Asia/Tokyo').dateTime(at)).toBe('2026-11-26 17:38:05 JST');
    expect(createTimeFormatter('en', 'America/New_York').dateTime(at)).toBe('2026-11-26 03:38:05 EST');
  });

  it('agrees with Intl for any instant, in zones with DST and quarter-hour offsets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom('ja' as const, 'en' as const),
        fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (zone, locale, t) => {
          const formatter = createTimeFormatter(locale, zone);
          expect(formatter.dateTime(new Date(t))).toBe(reference(locale, zone, new Date(t)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with Intl second by second across a DST change (cache filled from either side)', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe']) {
      const formatter = createTimeFormatter('en', zone);
      // 2026's transitions of each zone lie in these windows; step 61 s through two days of each.
      for (const start of [Date.UTC(2026, 2, 7), Date.UTC(2026, 2, 28), Date.UTC(2026, 3, 4), Date.UTC(2026, 9, 3), Date.UTC(2026, 9, 24), Date.UTC(2026, 10, 1)]) {
        for (let t = start; t < start + 2 * 86_400_000; t += 61_000) {
          expect(formatter.dateTime(new Date(t))).toBe(reference('en', zone, new Date(t)));
        }
      }
    }
  });
});
