import type { Locale } from './locale.js';

/**
 * Formats instants for people: in the display timezone (JST by default), with the zone named,
 * because support agents and customers compare these times with their phones' clocks.
 */
export interface TimeFormatter {
  /** e.g. `2026/11/26 17:38:05 JST` (ja) or `2026-11-26 17:38:05 GMT+9` (en). */
  dateTime(at: Date): string;
  /** e.g. `3 min ago` / `3分前`, for "last REGISTER" lines. */
  relative(at: Date, now: Date): string;
  readonly timeZone: string;
}

/** Every UTC offset in use is a multiple of 15 minutes, so zone transitions fall on 15-minute UTC boundaries. */
const OFFSET_BUCKET_MS = 15 * 60_000;
/** Buckets remembered per formatter: ~100 days of distinct quarter hours. */
const MAX_CACHED_BUCKETS = 10_000;

export function createTimeFormatter(locale: Locale, timeZone: string): TimeFormatter {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const zoneLabel = (name: string): string => (timeZone === 'Asia/Tokyo' ? 'JST' : name);
  // `formatToParts` costs ~5 µs a call, and a 500-line circle overview formats ~1,000 instants
  // (PERF-NOTES.md #35). The zone's offset and name are constant within a quarter hour, so they are
  // asked of Intl once per quarter hour and the fields are computed from the shifted instant.
  const zones = new Map<number, { readonly offsetMs: number; readonly zone: string }>();
  const zoneAt = (t: number) => {
    const bucket = Math.floor(t / OFFSET_BUCKET_MS);
    let z = zones.get(bucket);
    if (z === undefined) {
      const p: Record<string, string> = {};
      const start = bucket * OFFSET_BUCKET_MS;
      for (const part of parts.formatToParts(start)) p[part.type] = part.value;
      const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
      z = { offsetMs: wall - start, zone: zoneLabel(p.timeZoneName ?? timeZone) };
      if (zones.size >= MAX_CACHED_BUCKETS) zones.clear();
      zones.set(bucket, z);
    }
    return z;
  };
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  return {
    timeZone,
    dateTime(at) {
      const t = at.getTime();
      if (!Number.isFinite(t)) return String(at);
      const { offsetMs, zone } = zoneAt(t);
      const wall = new Date(t + offsetMs);
      const year = String(wall.getUTCFullYear()).padStart(4, '0');
      const date = locale === 'ja' ? `${year}/${two(wall.getUTCMonth() + 1)}/${two(wall.getUTCDate())}` : `${year}-${two(wall.getUTCMonth() + 1)}-${two(wall.getUTCDate())}`;
      return `${date} ${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}:${two(wall.getUTCSeconds())} ${zone}`;
    },
    relative(at, now) {
      const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
      const future = seconds < 0;
      const s = Math.abs(seconds);
      const [value, unitJa, unitEn] =
        s < 60 ? [s, '秒', 's'] : s < 3600 ? [Math.floor(s / 60), '分', 'min'] : s < 86400 ? [Math.floor(s / 3600), '時間', 'h'] : [Math.floor(s / 86400), '日', 'd'];
      if (locale === 'ja') return future ? `${value}${unitJa}後` : `${value}${unitJa}前`;
      return future ? `in ${value} ${unitEn}` : `${value} ${unitEn} ago`;
    },
  };
}
