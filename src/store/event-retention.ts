/**
 * Deletes registration events past their retention, so the history does not grow without end.
 *
 * @remarks
 * Every refresh of every phone is an event: 10,000 lines refreshing every 5 minutes write 2.9
 * million rows a day. Refreshes are kept `REFRESH_RETENTION_DAYS` (default 7), every other event
 * `EVENT_RETENTION_DAYS` (default 90); 0 keeps them for good. Whatever the age, the newest event
 * of each type of a provisioned line stays, so "last REGISTER received at", the latest error and
 * the alert engine's seeds read the same after pruning as before (a phone unplugged for a month
 * still shows when it last registered). Events of numbers that are not provisioned (scanners
 * guessing numbers: `unknown_unique`) have no such floor.
 *
 * How: two walks over the primary key in id order, each with its position in `event_cursors`:
 * one deletes refreshes, one every type. A step reads a window of rows after the position (an
 * index range, however large the table), deletes those old enough and not the newest of their
 * (line, type), and advances. A walk stops at the first row of its kind that is not old enough
 * yet (the frontier) and resumes there next time, so a row is examined about once in its life:
 * 9.5 µs per deleted row on PostgreSQL, 15.2 µs on PGlite; a window of 1,000 rows p50 8.3 / 13.2 ms,
 * at most 17 / 26 ms (`bench/perf/retention-driver.ts`, 500,000 events, 364,168 deleted). Steps yield to the event loop in between, so on PGlite's one
 * connection a group commit waits for at most one step.
 *
 * A row kept as the newest of its (line, type) when a walk passed it is not visited again: when
 * the line later writes a newer one, the old row stays. That is at most one row per line and type
 * each time a line falls silent for longer than the retention.
 *
 * Deleted rows are reclaimed by VACUUM: autovacuum where it runs; this job runs it after a run that
 * deleted rows where autovacuum is off or on PGlite, which has none (63–71 ms after that run). The
 * file does not shrink: its free space is reused by new events.
 */
import { refreshKeptDays, type HistoryRetention } from '../domain/index.js';
import type { SqlQuery } from './db.js';
import { EventCursorRepo } from './repos/event-cursor-repo.js';

export interface RetentionMetrics {
  deleted(count: number): void;
}

export interface EventRetentionOptions {
  readonly query: SqlQuery;
  readonly retention: HistoryRetention;
  /** `DbHandle.driver`: PGlite has no autovacuum. */
  readonly driver: 'postgres' | 'pglite';
  readonly now?: () => Date;
  /** Between runs (default 10 minutes); the first run waits `firstRunAfterMs` (default 60 s). */
  readonly intervalMs?: number;
  readonly firstRunAfterMs?: number;
  /** Rows read per step (default 1,000). */
  readonly windowRows?: number;
  /** Steps per run at most (default 300: 300,000 rows; the rest waits for the next run). */
  readonly maxStepsPerRun?: number;
  readonly logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  readonly metrics?: RetentionMetrics;
}

export interface RetentionRun {
  readonly refreshesDeleted: number;
  readonly eventsDeleted: number;
  /** True when a walk stopped at its step limit, not at its frontier. */
  readonly more: boolean;
  readonly vacuumed: boolean;
}

interface Walk {
  /** Which count of `RetentionRun` its deletions go to. */
  readonly counts: 'refreshesDeleted' | 'eventsDeleted';
  /** `event_cursors.name` of its position. */
  readonly cursor: string;
  /** SQL condition on the window row `w` for the rows this walk deletes (fixed text, never input). */
  readonly kind: string;
  readonly days: number;
}

const DAY_MS = 86_400_000;
/** Between runs while a walk has more to do than one run's steps. */
const BACKLOG_PAUSE_MS = 5_000;

export class EventRetention {
  private readonly walks: readonly Walk[];
  private readonly cursors: EventCursorRepo;
  private readonly windowRows: number;
  private readonly maxStepsPerRun: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionRun> | null = null;
  private stopped = false;
  private failing = false;

  constructor(private readonly options: EventRetentionOptions) {
    const all = options.retention.eventDays;
    const refresh = refreshKeptDays(options.retention);
    const walks: Walk[] = [];
    // A refresh walk only where refreshes go sooner than the rest.
    if (refresh > 0 && refresh !== all) walks.push({ counts: 'refreshesDeleted', cursor: 'retention:refreshed', kind: "w.type = 'refreshed'", days: refresh });
    if (all > 0) walks.push({ counts: 'eventsDeleted', cursor: 'retention:events', kind: 'true', days: all });
    this.walks = walks;
    this.cursors = new EventCursorRepo(options.query);
    this.windowRows = options.windowRows ?? 1000;
    this.maxStepsPerRun = options.maxStepsPerRun ?? 300;
  }

  /** True when some events are ever deleted. */
  get enabled(): boolean {
    return this.walks.length > 0;
  }

  /** Runs after `firstRunAfterMs`, then every interval; nothing when every retention is 0. */
  start(): void {
    if (!this.enabled || this.timer !== null || this.stopped) return;
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => {
        void this.run().then((run) => {
          // A backlog (the first run on a long history) is worked off in runs a few seconds apart.
          if (!this.stopped) schedule(run.more ? BACKLOG_PAUSE_MS : (this.options.intervalMs ?? 10 * 60_000));
        });
      }, ms);
      this.timer.unref();
    };
    schedule(this.options.firstRunAfterMs ?? 60_000);
  }

  /** Stops scheduling and waits for a run in progress (it ends after its current step). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One run of every walk. Never throws: a failure is logged and the next run resumes. */
  run(): Promise<RetentionRun> {
    this.running ??= this.prune().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async prune(): Promise<RetentionRun> {
    const run = { refreshesDeleted: 0, eventsDeleted: 0, more: false, vacuumed: false };
    try {
      const now = this.options.now?.() ?? new Date();
      for (const walk of this.walks) {
        const result = await this.walk(walk, new Date(now.getTime() - walk.days * DAY_MS), now);
        run[walk.counts] += result.deleted;
        run.more ||= result.more;
      }
      const total = run.refreshesDeleted + run.eventsDeleted;
      if (total > 0 && (await this.mustVacuum())) {
        await this.options.query('vacuum registration_events', []);
        run.vacuumed = true;
      }
      if (total > 0) this.options.logger?.info({ deleted: total, more: run.more, vacuumed: run.vacuumed }, 'old registration events deleted');
      if (this.failing) this.options.logger?.info({}, 'event retention runs again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.options.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not delete old registration events; will try again');
      this.failing = true;
    }
    return run;
  }

  private async walk(walk: Walk, cutoff: Date, now: Date): Promise<{ deleted: number; more: boolean }> {
    let position = await this.cursors.getCursor(walk.cursor);
    const statement = stepStatement(walk.kind, this.windowRows);
    let deleted = 0;
    for (let step = 0; step < this.maxStepsPerRun; step++) {
      if (this.stopped) return { deleted, more: true };
      const [r] = await this.options.query(statement, [String(position), cutoff.toISOString()]);
      const removed = Number(r?.deleted ?? 0);
      deleted += removed;
      if (removed > 0) this.options.metrics?.deleted(removed);
      const seen = Number(r?.seen ?? 0);
      const frontier = r?.frontier == null ? null : Number(r.frontier);
      const next = frontier !== null ? frontier - 1 : seen > 0 ? Number(r?.last_id) : position;
      if (next !== position) {
        await this.cursors.setCursor(walk.cursor, next, now);
        position = next;
      }
      if (frontier !== null || seen < this.windowRows) return { deleted, more: false };
      // Let group commits and reads run between steps (PGlite has one connection).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { deleted, more: true };
  }

  private async mustVacuum(): Promise<boolean> {
    if (this.options.driver === 'pglite') return true;
    const [row] = await this.options.query("select current_setting('autovacuum') as autovacuum", []);
    return row?.autovacuum === 'off';
  }
}

/**
 * One step: the window after the position ($1) in id order; its frontier, the first row of the
 * walk's kind not older than the cutoff ($2); and the deletion of the rows of that kind before the
 * frontier that are older than the cutoff and not the newest of their (line, type) — the newest
 * probed on `registration_events_type_unique_idx` (unique_number, type, id).
 */
function stepStatement(kind: string, windowRows: number): string {
  return (
    `with win as (select id, type, unique_number, at from registration_events where id > $1::text::bigint order by id limit ${windowRows}), ` +
    `frontier as (select min(w.id) as id from win w where ${kind} and w.at >= $2::text::timestamptz), ` +
    `doomed as (select w.id from win w cross join frontier f where ${kind} and w.at < $2::text::timestamptz and (f.id is null or w.id < f.id) ` +
    'and (not exists (select 1 from uniques u where u.number = w.unique_number) ' +
    'or exists (select 1 from registration_events n where n.unique_number = w.unique_number and n.type = w.type and n.id > w.id))), ' +
    'removed as (delete from registration_events d using doomed where d.id = doomed.id returning 1) ' +
    'select (select count(*) from removed)::int as deleted, (select count(*) from win)::int as seen, ' +
    '(select max(id) from win)::text as last_id, (select id from frontier)::text as frontier'
  );
}
