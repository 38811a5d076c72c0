/**
 * The alert engine: registration events (in id order) and clock ticks in, incidents out.
 *
 * Durability: the engine keeps a cursor (last processed event id) in `event_cursors`. It reads
 * events from the event store after its cursor, so after a restart it catches up where it stopped;
 * `RegistrationWriter.onStored` only wakes it. Incidents remember the last event id applied to them
 * (`last_event_id`), so an event replayed after a crash between "incident updated" and "cursor
 * saved" is not counted twice. In-memory state (contacts, learned intervals, windows) is rebuilt
 * from the events it reads and, per line, seeded from the stored history on first sight.
 */
import { ACCEPTED_REGISTER_TYPES, type BindingLease, type BindingRepo, type Clock, type EventRepo, type Locale, type StoredRegistrationEvent } from '../domain/index.js';
import { createTimeFormatter } from '../domain/index.js';
import { RecentMap } from '../collections/index.js';
import { ActiveUniques, type EngineIncidentStore } from './active-uniques.js';
import { engineThresholds, type EngineThresholds } from './engine-options.js';
import { DropRollup, type DownLine } from './detectors/drop-rollup.js';
import { WindowCounter } from './detectors/window-counter.js';
import { DueSchedule } from './due-schedule.js';
import type { Incident, IncidentCause } from './incident.js';
import type { NewIncident } from './ports.js';
import type { IncidentService } from './incident-service.js';
import { LineDirectory, type LineInfo } from './line-directory.js';
import { addContact, goodFrom, ipOf, learnedInterval, newLineState, removeContact, type LineState } from './line-state.js';
import { TipWriter } from './tips.js';
import { SiteRollupActions } from './site-rollup-actions.js';

export interface AlertEngineLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface AlertEngineOptions {
  readonly incidents: IncidentService;
  /** With `activeUniques` (DrizzleIncidentRepo) healthy refreshes skip the incident lookup. */
  readonly store: EngineIncidentStore;
  readonly events: EventRepo;
  readonly directory: LineDirectory;
  readonly bindings?: BindingRepo;
  readonly clock: Clock;
  readonly locale: Locale;
  readonly timeZone: string;
  /** SIP_MIN_EXPIRES, for the 423 tip. */
  readonly minExpires: number;
  readonly thresholds?: Partial<EngineThresholds>;
  readonly logger?: AlertEngineLogger;
  readonly cursorName?: string;
  /** Events read per catch-up query. Default 500. */
  readonly batchSize?: number;
  /**
   * How long a wake-up waits for more events before its pass starts. Default 0. A pass costs
   * at least one statement (the cursor) and a page of new lines two more, whatever its size: at a
   * few registrations per commit, one pass per commit was most of the database round trips of
   * the registrar's load (bench/PERF-NOTES.md, "engine passes"). Alerts wait for the outbox anyway.
   */
  readonly passDelayMs?: number;
}

/** Event types whose handling reads the line's state (and seeds it on first sight). */
const LINE_EVENT_TYPES: ReadonlySet<StoredRegistrationEvent['type']> = new Set(['registered', 'refreshed', 'unregistered', 'expired', 'auth_failed', 'interval_too_brief']);

/** What `seed` reads about a line, fetched for all new lines of a page at once. */
interface SeedData {
  readonly bindings: readonly BindingLease[];
  readonly last: StoredRegistrationEvent | undefined;
}

/** Upper bound of events handed by `onStored` and kept until a pass takes them. */
const MAX_HANDED = 20_000;

const CAUSES_RESOLVED_BY_REGISTER: readonly IncidentCause[] = ['deregistered', 'at_risk', 'password_error'];

export class AlertEngine {
  readonly thresholds: EngineThresholds;
  private readonly lines: RecentMap<string, LineState>;
  private readonly drops: DropRollup;
  private readonly unknownAttempts: WindowCounter;
  private readonly sourceTargets: WindowCounter;
  private readonly tips: TipWriter;
  private readonly site: SiteRollupActions;
  /** Lines known to register from each public IP (for the IP rollup). */
  private readonly linesByIp = new Map<string, Set<string>>();
  private cursor: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly cursorName: string;
  private readonly active: ActiveUniques;
  /** Events handed by `onStored`, not yet processed (id order); used instead of re-reading them when contiguous with the cursor. */
  private handed: StoredRegistrationEvent[] = [];
  /** A wake-up without events (external ingest) or a dropped hand-over: the next pass reads from the store. */
  private mustRead = true;
  /** A pass is queued and has not started: later wake-ups join it. */
  private passQueued = false;
  /** Set while a queued pass waits out `passDelayMs`. */
  private passTimer: NodeJS.Timeout | null = null;
  /** Seed data of the current page's new lines. */
  private seeds = new Map<string, SeedData>();
  /** Lines by the second they would turn late (`at_risk`): the tick checks only those. */
  private readonly atRiskDue = new DueSchedule<LineState>();
  /** Lines with recent drops, waiting for `flapQuietSeconds` of quiet (flap hysteresis). */
  private readonly linesWithDrops = new Set<LineState>();

  constructor(private readonly o: AlertEngineOptions) {
    this.thresholds = engineThresholds(o.thresholds);
    const th = this.thresholds;
    this.lines = new RecentMap(th.maxTrackedLines);
    this.drops = new DropRollup(th, o.clock.now().getTime() + th.restartGraceSeconds * 1000);
    this.unknownAttempts = new WindowCounter(th.unknownUniqueWindowSeconds * 1000, th.maxTrackedKeys);
    this.sourceTargets = new WindowCounter(th.securityWindowSeconds * 1000, th.maxTrackedKeys);
    this.tips = new TipWriter({ locale: o.locale, time: createTimeFormatter(o.locale, o.timeZone), minExpires: o.minExpires, thresholds: th });
    this.site = new SiteRollupActions(o.incidents, o.store, this.tips, th);
    this.cursorName = o.cursorName ?? 'alert-engine';
    this.active = new ActiveUniques(o.store);
  }

  /**
   * `writer.onStored(engine.listener)`: wakes the engine. Stored events handed over are processed
   * as they are when they continue the cursor without a gap; otherwise (or when called without
   * events) the engine reads from its cursor. At most one pass runs and one waits: wake-ups while
   * a pass is queued join it.
   */
  readonly listener = (events?: readonly StoredRegistrationEvent[]): void => {
    if (events && events.length > 0) {
      if (this.handed.length + events.length > MAX_HANDED) {
        this.handed = [];
        this.mustRead = true;
      } else {
        let last = this.handed[this.handed.length - 1]?.id ?? 0;
        for (const e of events) {
          if (e.id <= last) {
            // Not in id order: forget the hand-over and read from the store.
            this.handed = [];
            this.mustRead = true;
            break;
          }
          this.handed.push(e);
          last = e.id;
        }
      }
    } else {
      this.mustRead = true;
    }
    if (this.passQueued) return;
    this.passQueued = true;
    const delay = this.o.passDelayMs ?? 0;
    if (delay <= 0) return this.startPass();
    this.passTimer = setTimeout(() => this.startPass(), delay);
    this.passTimer.unref();
  };

  private startPass(): void {
    if (this.passTimer) clearTimeout(this.passTimer);
    this.passTimer = null;
    this.serial(() => {
      this.passQueued = false;
      return this.catchUp();
    }).catch((err: unknown) => this.o.logger?.error({ err }, 'alert engine failed to process events'));
  }

  /** Processes every stored event after the cursor (serialized with ticks). */
  wake(): Promise<void> {
    return this.serial(() => {
      this.mustRead = true;
      return this.catchUp();
    });
  }

  /** Resolves when every pass and tick queued so far has finished (a delayed pass starts now). */
  idle(): Promise<void> {
    if (this.passTimer) this.startPass();
    return this.serial(async () => undefined);
  }

  /** The 1 s clock tick: due deregistrations, at-risk checks, flap hysteresis, snooze ends. */
  tick(now: Date = this.o.clock.now()): Promise<void> {
    return this.serial(async () => {
      await this.active.refresh(now.getTime());
      await this.decideDrops(now);
      await this.checkAtRisk(now);
      await this.checkFlapQuiet(now);
      await this.o.incidents.tick(now);
    });
  }

  /** Deregistrations whose grace ended (the light part of {@link tick}, run more often). */
  decideDue(now: Date = this.o.clock.now()): Promise<void> {
    return this.serial(() => this.decideDrops(now));
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const next = this.chain.then(task);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async catchUp(): Promise<void> {
    try {
      await this.catchUpPages();
    } catch (err) {
      // The failed page's events were taken from the hand-over: the next pass reads them again.
      this.mustRead = true;
      throw err;
    }
  }

  private async catchUpPages(): Promise<void> {
    this.cursor ??= await this.o.store.getCursor(this.cursorName);
    await this.active.refresh(this.o.clock.now().getTime());
    const batchSize = this.o.batchSize ?? 500;
    for (let pages = 0; pages < 10_000; pages++) {
      let events = this.takeHanded(this.cursor, batchSize);
      if (events === null) {
        // Nothing handed continues the cursor: read, unless every hand-over so far was contiguous.
        if (!this.mustRead) return;
        events = await this.o.events.listAfter(this.cursor, batchSize);
        if (events.length === 0) {
          this.mustRead = false;
          return;
        }
      }
      await this.prefetchSeeds(events);
      try {
        for (const e of events) await this.handle(e);
      } finally {
        this.seeds.clear();
      }
      this.cursor = events[events.length - 1]!.id;
      await this.o.store.setCursor(this.cursorName, this.cursor, this.o.clock.now());
    }
  }

  /**
   * The handed events that continue `cursor` without a gap in their ids (so no event stored by
   * anyone else can hide between them), at most `limit`; null when the next handed event does not
   * continue the cursor (the store is read instead). Events at or below the cursor are dropped.
   */
  private takeHanded(cursor: number, limit: number): StoredRegistrationEvent[] | null {
    let start = 0;
    while (start < this.handed.length && this.handed[start]!.id <= cursor) start++;
    if (start === this.handed.length) {
      this.handed = [];
      return null;
    }
    if (this.handed[start]!.id !== cursor + 1) {
      // A gap: the store has (or will have) events we were not handed.
      this.mustRead = true;
      this.handed = this.handed.slice(start);
      return null;
    }
    let end = start + 1;
    while (end < this.handed.length && end - start < limit && this.handed[end]!.id === this.handed[end - 1]!.id + 1) end++;
    const taken = this.handed.slice(start, end);
    this.handed = this.handed.slice(end);
    return taken;
  }

  // --- events -------------------------------------------------------------------------------

  private async handle(e: StoredRegistrationEvent): Promise<void> {
    switch (e.type) {
      case 'registered':
      case 'refreshed':
        return this.onAccepted(e);
      case 'unregistered': {
        // An explicit un-REGISTER is recorded and shown, never paged.
        const line = await this.line(e.unique);
        removeContact(line, e.contact ?? '');
        if (line.contacts.length === 0) line.expiresAt = null;
        return;
      }
      case 'expired':
        return this.onExpired(e);
      case 'auth_failed':
        return this.onAuthFailed(e);
      case 'unknown_unique':
        return this.onUnknownUnique(e);
      case 'interval_too_brief': {
        const line = await this.line(e.unique);
        line.lastIntervalTooBrief = { at: e.at.getTime(), requested: e.requestedExpires };
        return;
      }
      case 'blocked':
        return this.raiseSecurity(e, 'blocked');
      case 'rejected':
        if (e.detail.scanner === true) return this.raiseSecurity(e, 'scanner');
        return;
      case 'stale_nonce':
        return;
      default: {
        const never: never = e.type;
        throw new Error(`unhandled event type ${String(never)}`);
      }
    }
  }

  private async onAccepted(e: StoredRegistrationEvent): Promise<void> {
    const line = await this.line(e.unique);
    if (e.contact) addContact(line, e.contact);
    if (line.lastRegisterAt !== null) {
      const seconds = (e.at.getTime() - line.lastRegisterAt) / 1000;
      // A re-registration after a drop is not a refresh interval.
      if (seconds > 0 && !this.drops.isDown(e.unique) && e.type === 'refreshed') {
        line.intervals.push(Math.round(seconds));
        if (line.intervals.length > 8) line.intervals.shift();
        line.learned = learnedInterval(line.intervals, this.thresholds.atRiskMinSamples);
      }
    }
    line.lastRegisterAt = e.at.getTime();
    line.expiresAt = e.grantedExpires ? line.lastRegisterAt + e.grantedExpires * 1000 : line.expiresAt;
    line.atRiskRaised = false;
    this.watchAtRisk(line);
    const oldIp = line.lastGood?.ip ?? null;
    if (!line.lastGood || line.lastGood.ip !== ipOf(e.source)) line.previousGood = line.lastGood;
    line.lastGood = goodFrom(e);
    this.rememberIp(e.unique, oldIp, line.lastGood.ip);
    this.drops.recovered(e.unique);
    // A line without active incidents (most refreshes) needs no lookup.
    if (!this.active.mayHave(e.unique)) return;
    const resolves = e.type === 'registered' ? CAUSES_RESOLVED_BY_REGISTER : (['at_risk'] as const);
    let left = 0;
    for (const incident of await this.o.store.activeForUnique(e.unique)) {
      if (resolves.includes(incident.cause)) await this.o.incidents.recover(incident);
      else left++;
    }
    if (left === 0) this.active.clear(e.unique);
  }

  /** Every incident the engine raises about a line goes through here (see `ActiveUniques`). */
  private raise(incident: NewIncident): Promise<Incident> {
    this.active.add(incident.unique);
    return this.o.incidents.raise(incident);
  }

  private async onExpired(e: StoredRegistrationEvent): Promise<void> {
    const line = await this.line(e.unique);
    removeContact(line, e.contact ?? '');
    if (line.contacts.length > 0) return;
    line.expiresAt = null;
    const drops = (line.drops ??= []);
    drops.push(e.at.getTime());
    this.linesWithDrops.add(line);
    const flapWindowMs = this.thresholds.flapWindowSeconds * 1000;
    while (drops.length > 0 && e.at.getTime() - drops[0]! > flapWindowMs) drops.shift();
    const info = await this.o.directory.line(e.unique);
    this.drops.dropped({ unique: e.unique, circle: info?.circle ?? null, ip: line.lastGood?.ip ?? null, at: e.at, event: e });
    if (drops.length >= this.thresholds.flapDrops) {
      const first = drops.length === this.thresholds.flapDrops;
      await this.raise({
        cause: 'flapping',
        severity: 'warning',
        ...lineScope(e.unique, info),
        at: e.at,
        source: line.lastGood?.source ?? e.source,
        userAgent: line.lastGood?.userAgent ?? e.userAgent,
        tips: this.tips.flapping(line),
        parentId: null,
        detail: { windowSeconds: this.thresholds.flapWindowSeconds, lastDropAt: e.at.toISOString() },
        eventId: e.id,
        occurrences: first ? drops.length : 1,
      });
    }
  }

  private async onAuthFailed(e: StoredRegistrationEvent): Promise<void> {
    if (!isWrongPassword(e)) return;
    const line = await this.line(e.unique);
    const info = await this.o.directory.line(e.unique);
    const ip = ipOf(e.source);
    const sameDevice = line.lastGood !== null && line.lastGood.ip === ip && line.lastGood.userAgent === e.userAgent;
    await this.raise({
      cause: 'password_error',
      severity: 'warning',
      ...lineScope(e.unique, info),
      at: e.at,
      source: e.source,
      userAgent: e.userAgent,
      tips: this.tips.passwordError(line, info?.unique ?? null, { at: e.at, ip, userAgent: e.userAgent }, e.at),
      parentId: null,
      detail: { method: e.method, sameDevice },
      eventId: e.id,
    });
    // Failures from the line's own last good device are a support matter, not an attack.
    if (!sameDevice) await this.countSourceTarget(e);
  }

  private async onUnknownUnique(e: StoredRegistrationEvent): Promise<void> {
    const attempts = this.unknownAttempts.hit(e.unique, e.at.getTime());
    await this.countSourceTarget(e);
    const threshold = this.thresholds.unknownUniqueThreshold;
    if (attempts < threshold) return;
    await this.raise({
      cause: 'unknown_unique',
      severity: 'warning',
      unique: null,
      circle: null,
      accountLoginId: null,
      scopeKey: `number:${e.unique}`,
      at: e.at,
      source: e.source,
      userAgent: e.userAgent,
      tips: this.tips.unknownUnique(e.unique),
      parentId: null,
      detail: { number: e.unique, method: e.method },
      eventId: e.id,
      occurrences: attempts === threshold ? attempts : 1,
    });
  }

  private async countSourceTarget(e: StoredRegistrationEvent): Promise<void> {
    const distinct = this.sourceTargets.addDistinct(ipOf(e.source), e.unique, e.at.getTime());
    if (distinct >= this.thresholds.securityDistinctUniques) await this.raiseSecurity(e, 'many_uniques', distinct);
  }

  private async raiseSecurity(e: StoredRegistrationEvent, kind: 'many_uniques' | 'scanner' | 'blocked', distinct?: number): Promise<void> {
    const ip = ipOf(e.source);
    await this.raise({
      cause: 'security',
      severity: 'critical',
      unique: null,
      circle: null,
      accountLoginId: null,
      scopeKey: `ip:${ip}`,
      at: e.at,
      source: e.source,
      userAgent: e.userAgent,
      tips: this.tips.security(ip),
      parentId: null,
      detail: { kind, ...(distinct !== undefined ? { distinctUniques: distinct } : {}), ...(e.detail.reason !== undefined ? { reason: e.detail.reason } : {}) },
      eventId: e.id,
    });
  }

  // --- clock --------------------------------------------------------------------------------

  private async decideDrops(now: Date): Promise<void> {
    for (const down of this.drops.due(now.getTime())) {
      this.drops.markDecided(down);
      const line = await this.line(down.unique);
      if (line.contacts.length > 0) continue;
      const info = await this.o.directory.line(down.unique);
      const circleSize = down.circle ? await this.o.directory.circleSize(down.circle, now.getTime()) : 0;
      const behindIp = down.ip ? (this.linesByIp.get(down.ip)?.size ?? 0) : 0;
      const scope = this.drops.site(down, circleSize, behindIp);
      let parentId: number | null = null;
      if (scope) parentId = (await this.site.ensure(scope, down, info?.accountLoginId ?? null, this.drops.inScope(scope))).id;
      else parentId = (await this.o.store.findActive('flapping', `unique:${down.unique}`))?.id ?? null;
      await this.raiseDeregistered(down, line, parentId);
    }
  }

  private async raiseDeregistered(down: DownLine, line: LineState, parentId: number | null): Promise<Incident> {
    const info = await this.o.directory.line(down.unique);
    return this.raise({
      cause: 'deregistered',
      severity: 'critical',
      ...lineScope(down.unique, info, down.circle),
      at: down.at,
      source: line.lastGood?.source ?? down.event.source,
      userAgent: line.lastGood?.userAgent ?? down.event.userAgent,
      tips: this.tips.deregistered(line, info?.unique ?? null),
      parentId,
      detail: { graceSeconds: this.thresholds.deregisterGraceSeconds, expiredAt: down.at.toISOString(), transport: down.event.transport },
      eventId: down.event.id,
    });
  }

  /**
   * When the line turns late: its last REGISTER + the learned interval + the allowance (the larger
   * of `atRiskMinLatenessSeconds` and 3 × jitter). Null when it is not watched (no learned interval,
   * or one shorter than `atRiskMinIntervalSeconds`).
   */
  private lateAfterMs(line: LineState): number | null {
    const learned = line.learned;
    if (!learned || learned.interval < this.thresholds.atRiskMinIntervalSeconds || line.lastRegisterAt === null) return null;
    return line.lastRegisterAt + learned.interval * 1000 + Math.max(this.thresholds.atRiskMinLatenessSeconds, 3 * learned.jitter) * 1000;
  }

  /** Schedules the line's at-risk check for the moment it would be late (nothing if not watched). */
  private watchAtRisk(line: LineState): void {
    const lateAfter = this.lateAfterMs(line);
    if (lateAfter === null) this.atRiskDue.cancel(line);
    else this.atRiskDue.schedule(line, lateAfter);
  }

  /** Lines whose check is due: late beyond the allowance and not yet expired raise `at_risk`. */
  private async checkAtRisk(now: Date): Promise<void> {
    for (const line of this.atRiskDue.takeDue(now.getTime())) {
      // Forgotten by the line map since it was scheduled: its state is no longer maintained.
      if (this.lines.peek(line.unique) !== line) continue;
      const lateAfter = this.lateAfterMs(line);
      const { learned, lastRegisterAt, expiresAt } = line;
      if (lateAfter === null || !learned || lastRegisterAt === null || expiresAt === null || line.atRiskRaised || line.contacts.length === 0) continue;
      if (now.getTime() <= lateAfter) {
        // Not late yet (its allowance grew since it was scheduled): check again then.
        this.atRiskDue.schedule(line, lateAfter);
        continue;
      }
      if (now.getTime() >= expiresAt) continue;
      const lateMs = now.getTime() - lastRegisterAt - learned.interval * 1000;
      line.atRiskRaised = true;
      const info = await this.o.directory.line(line.unique);
      await this.raise({
        cause: 'at_risk',
        severity: 'warning',
        ...lineScope(line.unique, info),
        at: now,
        source: line.lastGood?.source ?? null,
        userAgent: line.lastGood?.userAgent ?? null,
        tips: this.tips.atRisk(line, info?.unique ?? null),
        parentId: null,
        detail: { intervalSeconds: learned.interval, jitterSeconds: learned.jitter, lateSeconds: Math.round(lateMs / 1000), expiresAt: new Date(expiresAt).toISOString() },
        eventId: 0,
      });
    }
  }

  /** Hysteresis: a flapping incident resolves only after the line stayed up `flapQuietSeconds`. */
  private async checkFlapQuiet(now: Date): Promise<void> {
    for (const line of this.linesWithDrops) {
      const last = line.drops?.[line.drops.length - 1];
      if (last === undefined || this.lines.peek(line.unique) !== line) {
        this.linesWithDrops.delete(line);
        continue;
      }
      if (line.contacts.length === 0) continue;
      if (now.getTime() - last < this.thresholds.flapQuietSeconds * 1000) continue;
      line.drops = null;
      this.linesWithDrops.delete(line);
      const flapping = await this.o.store.findActive('flapping', `unique:${line.unique}`);
      if (flapping) await this.o.incidents.recover(flapping);
    }
  }

  // --- line state ---------------------------------------------------------------------------

  private async line(unique: string): Promise<LineState> {
    let line = this.lines.get(unique);
    if (!line) {
      line = newLineState(unique);
      this.lines.set(unique, line);
    }
    if (!line.seeded) {
      line.seeded = true;
      await this.seed(line);
    }
    return line;
  }

  /**
   * First sight of a line: current bindings and last good registration from the store.
   *
   * @remarks The last good registration is the newest accepted REGISTER already handled (an id at
   * or below the cursor); newer ones are still to come as events. Asking for the newest of all
   * returned, for a line first seen in a page of its own registrations (every line after a restart
   * or in a registration storm), the very REGISTER about to be handled: it was set aside, and the
   * line's real previous registration, which the "source IP changed" tip needs, was lost.
   */
  private async seed(line: LineState): Promise<void> {
    const now = this.o.clock.now().getTime();
    let data = this.seeds.get(line.unique);
    if (data) this.seeds.delete(line.unique);
    else data = (await this.readSeeds([line.unique])).get(line.unique)!;
    for (const b of data.bindings) if (b.expiresAt.getTime() > now) addContact(line, b.contact);
    if (data.last) line.lastGood = goodFrom(data.last);
  }

  /** One query per kind for all lines of the page seen for the first time (instead of two per line). */
  private async prefetchSeeds(events: readonly StoredRegistrationEvent[]): Promise<void> {
    const fresh = new Set<string>();
    for (const e of events) {
      if (!LINE_EVENT_TYPES.has(e.type) || fresh.has(e.unique)) continue;
      if (e.type === 'auth_failed' && !isWrongPassword(e)) continue;
      if (this.lines.peek(e.unique)?.seeded) continue;
      fresh.add(e.unique);
    }
    if (fresh.size === 0) return;
    for (const [unique, data] of await this.readSeeds([...fresh])) this.seeds.set(unique, data);
  }

  /** What {@link seed} needs of each line, for all of them in two reads. */
  private async readSeeds(list: readonly string[]): Promise<Map<string, SeedData>> {
    const [bindings, latest] = await Promise.all([
      this.o.bindings ? this.o.bindings.leasesForUniques(list) : Promise.resolve(new Map<string, BindingLease[]>()),
      this.o.events.latestForUniques(list, ACCEPTED_REGISTER_TYPES, this.cursor ?? 0),
    ]);
    return new Map(list.map((unique) => [unique, { bindings: bindings.get(unique) ?? [], last: latest.get(unique) }]));
  }

  private rememberIp(unique: string, oldIp: string | null, ip: string): void {
    if (oldIp !== null && oldIp !== ip) this.linesByIp.get(oldIp)?.delete(unique);
    if (!this.linesByIp.has(ip) && this.linesByIp.size >= this.thresholds.maxTrackedKeys) this.linesByIp.clear();
    const set = this.linesByIp.get(ip) ?? new Set<string>();
    set.add(unique);
    this.linesByIp.set(ip, set);
  }
}

/** An `auth_failed` about the password (other reasons, e.g. a stale nonce, say nothing about the line). */
function isWrongPassword(e: StoredRegistrationEvent): boolean {
  return e.detail.reason === undefined || e.detail.reason === 'wrong_password';
}

/** The fields every per-line incident shares: one open incident per (cause, unique). */
function lineScope(unique: string, info: LineInfo | null, fallbackCircle: string | null = null) {
  return { unique, circle: info?.circle ?? fallbackCircle, accountLoginId: info?.accountLoginId ?? null, scopeKey: `unique:${unique}` };
}
