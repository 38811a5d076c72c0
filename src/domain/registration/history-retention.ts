/**
 * How long registration events are kept, in days (0: for good). Refreshes, the bulk of the history,
 * may go sooner than the rest (`REFRESH_RETENTION_DAYS`, `EVENT_RETENTION_DAYS`). Whatever the age,
 * the newest event of each type of a provisioned line stays.
 */
export interface HistoryRetention {
  readonly eventDays: number;
  readonly refreshDays: number;
}

/**
 * Days a refresh really stays: its own retention, unless the one for every event is shorter or
 * its own is 0 (then as long as the rest); 0 when refreshes are kept for good.
 */
export function refreshKeptDays(r: HistoryRetention): number {
  if (r.refreshDays === 0) return r.eventDays;
  return r.eventDays === 0 ? r.refreshDays : Math.min(r.refreshDays, r.eventDays);
}
