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
  return {
    timeZone,
    dateTime(at) {
      const p: Record<string, string> = {};
      for (const part of parts.formatToParts(at)) p[part.type] = part.value;
      const zone = zoneLabel(p.timeZoneName ?? timeZone);
      return locale === 'ja'
        ? `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}:${p.second} ${zone}`
        : `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zone}`;
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
