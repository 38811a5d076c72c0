/**
 * Wall-clock arithmetic in an IANA timezone with `Intl` only (no dependency).
 *
 * A "wall" value is a local date-time encoded as milliseconds as if it were UTC, so that adding
 * 24 h of wall time means "same clock time tomorrow" whatever DST does. Converting back picks the
 * earlier instant for an ambiguous local time (autumn) and moves a non-existent one (spring gap)
 * forward by the gap, the way calendars do.
 */
const HOUR = 3_600_000;

export class Zone {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Local wall time of an instant. */
  toWall(utcMs: number): number {
    const p: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const ms = ((utcMs % 1000) + 1000) % 1000;
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) + ms;
  }

  /** UTC offset (ms) in effect at an instant. */
  offsetAt(utcMs: number): number {
    return this.toWall(utcMs) - utcMs;
  }

  /** The instant a wall time denotes (earlier one when ambiguous, shifted forward inside a gap). */
  fromWall(wallMs: number): number {
    // Offsets a day and more on either side bracket any single DST transition near this time.
    const before = this.offsetAt(wallMs - 30 * HOUR);
    const after = this.offsetAt(wallMs + 30 * HOUR);
    const valid = [before, after].map((o) => wallMs - o).filter((utc) => this.toWall(utc) === wallMs);
    if (valid.length > 0) return Math.min(...valid);
    return wallMs - before;
  }
}

/** Wall-time helpers on the UTC-encoded value. */
export const wallDay = (wall: number): number => new Date(wall).getUTCDay();
export const wallMidnight = (wall: number): number => wall - (((wall % 86_400_000) + 86_400_000) % 86_400_000);
export const wallMinuteOfDay = (wall: number): number => Math.floor((wall - wallMidnight(wall)) / 60_000);

/** `HH:MM` → minutes after midnight. */
export const parseClock = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** `YYYY-MM-DD` → wall midnight. */
export const parseLocalDate = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
};
