/**
 * Recurring weekly windows in a timezone ("mon–fri 09:00–18:00"): schedule layer restrictions and
 * accounts' business hours. A window whose `to` is before `from` runs overnight into the next day;
 * `days` name the day it starts on.
 */
import { WEEKDAYS, type Weekday } from './config-schema.js';
import { parseClock, wallDay, wallMidnight, wallMinuteOfDay, type Zone } from './zone.js';

export interface WeeklyWindow {
  readonly days: readonly Weekday[];
  readonly from: string;
  readonly to: string;
}

const DAY = 86_400_000;

/** Whether an instant lies inside the window (in `zone`). */
export function inWindow(w: WeeklyWindow, zone: Zone, at: number): boolean {
  const wall = zone.toWall(at);
  const minute = wallMinuteOfDay(wall);
  const from = parseClock(w.from);
  const to = parseClock(w.to);
  const today = WEEKDAYS[wallDay(wall)]!;
  const yesterday = WEEKDAYS[(wallDay(wall) + 6) % 7]!;
  if (from < to) return w.days.includes(today) && minute >= from && minute < to;
  return (w.days.includes(today) && minute >= from) || (w.days.includes(yesterday) && minute < to);
}

/** Instants after `at` (within 8 days) where the window opens or closes, ascending. */
export function windowBoundariesAfter(w: WeeklyWindow, zone: Zone, at: number): number[] {
  const base = wallMidnight(zone.toWall(at));
  const out: number[] = [];
  for (let d = -1; d <= 8; d++) {
    const day = base + d * DAY;
    if (!w.days.includes(WEEKDAYS[wallDay(day)]!)) continue;
    const from = parseClock(w.from);
    const to = parseClock(w.to);
    const open = zone.fromWall(day + from * 60_000);
    const close = zone.fromWall(day + (to > from ? to : to + 24 * 60) * 60_000);
    if (open > at) out.push(open);
    if (close > at) out.push(close);
  }
  return out.sort((a, b) => a - b);
}

/** The first instant at or after `at` inside any of the windows; null when none within 8 days. */
export function nextOpening(windows: readonly WeeklyWindow[], zone: Zone, at: number): number | null {
  if (windows.some((w) => inWindow(w, zone, at))) return at;
  const candidates = windows.flatMap((w) => windowBoundariesAfter(w, zone, at)).filter((t) => windows.some((w) => inWindow(w, zone, t)));
  return candidates.length > 0 ? Math.min(...candidates) : null;
}
