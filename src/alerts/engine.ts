/**
 * The alert engine: registration events (in id order) and clock ticks in, incidents out.
 *
 * Durability: events come from an `EventFeed`, which keeps the engine's cursor in `event_cursors`,
 * so after a restart the engine catches up where it stopped. Incidents remember the last event id
 * applied to them (`last_event_id`), so an event replayed after a crash between "incident updated"
 * and "cursor saved" is not counted twice. In-memory state (contacts, learned intervals, windows)
 * is rebuilt from the events it reads and, per line, seeded from the stored history on first sight
 * (`LineStates`).
 */
import { createTimeFormatter, type BindingRepo, type Clock, type EventRepo, type Locale, type StoredRegistrationEvent } from '../domain/index.js';
import { ActiveUniques, type EngineIncidentStore } from './active-uniques.js';
import { engineThresholds, type EngineThresholds } from './engine-options.js';
import { DropRollup, type DownLine } from './detectors/drop-rollup.js';
import { AtRiskWatch } from './detectors/at-risk-watch.js';
import { SecurityDetector } from './detectors/security-detector.js';
import { EventFeed } from './event-feed.js';
import type { Incident, IncidentCause } from './incident.js';
import type { NewIncident } from './ports.js';
import type { IncidentService } from './incident-service.js';
import { LineDirectory, type LineInfo } from './line-directory.js';
import { addContact, goodFrom, ipOf, learnedInterval, removeContact, type LineState } from './line-state.js';
import { isWrongPassword, LineStates } from './line-states.js';
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

const CAUSES_RESOLVED_BY_REGISTER: readonly IncidentCause[] = ['deregistered', 'at_risk', 'password_error'];

export class AlertEngine {
  readonly thresholds: EngineThresholds;
  private readonly lines: LineStates;
  private readonly feed: EventFeed;
  private readonly drops: DropRollup;
  private readonly security: SecurityDetector;
  private readonly tips: TipWriter;
  private readonly site: SiteRollupActions;
  /** Lines known to register from each public IP (for the IP rollup). */
  private readonly linesByIp = new Map<string, Set<string>>();
  private chain: Promise<void> = Promise.resolve();
  private readonly active: ActiveUniques;
  /** A pass is queued and has not started: later wake-ups join it. */
  private passQueued = false;
  /** Set while a queued pass waits out `passDelayMs`. */
  private passTimer: NodeJS.Timeout | null = null;
  private readonly atRisk: AtRiskWatch;
  /** Lines with recent drops, waiting for `flapQuietSeconds` of quiet (flap hysteresis). */
  private readonly linesWithDrops = new Set<LineState>();

  constructor(private readonly o: AlertEngineOptions) {
    this.thresholds = engineThresholds(o.thresholds);
    const th = this.thresholds;
    this.feed = new EventFeed({ events: o.events, cursors: o.store, cursorName: o.cursorName ?? 'alert-engine', batchSize: o.batchSize ?? 500, clock: o.clock });
    this.lines = new LineStates({ events: o.events, bindings: o.bindings, clock: o.clock, maxTracked: th.maxTrackedLines, handledUpTo: () => this.feed.cursor ?? 0 });
    this.drops = new DropRollup(th, o.clock.now().getTime() + th.restartGraceSeconds * 1000);
    this.tips = new TipWriter({ locale: o.locale, time: createTimeFormatter(o.locale, o.timeZone), minExpires: o.minExpires, thresholds: th });
    this.site = new SiteRollupActions(o.incidents, o.store, this.tips, th);
    this.atRisk = new AtRiskWatch(th);
    this.security = new SecurityDetector(th, this.tips, (incident) => this.raise(incident));
    this.active = new ActiveUniques(o.store);
  }

  /**
   * `writer.onStored(engine.listener)`: wakes the engine. Stored events handed over are processed
   * as they are when they continue the cursor without a gap; otherwise (or when called without
   * events) the engine reads from its cursor. At most one pass runs and one waits: wake-ups while
   * a pass is queued join it.
   */
  readonly listener = (events?: readonly StoredRegistrationEvent[]): void => {
    this.feed.hand(events);
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
      this.feed.requireRead();
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
    await this.active.refresh(this.o.clock.now().getTime());
    await this.feed.drain((events) => this.handlePage(events));
  }

  private async handlePage(events: readonly StoredRegistrationEvent[]): Promise<void> {
    await this.lines.prefetch(events);
    try {
      for (const e of events) await this.handle(e);
    } finally {
      this.lines.endPage();
    }
  }

  // --- events -------------------------------------------------------------------------------

  private async handle(e: StoredRegistrationEvent): Promise<void> {
    switch (e.type) {
      case 'registered':
      case 'refreshed':
        return this.onAccepted(e);
      case 'unregistered': {
        // An explicit un-REGISTER is recorded and shown, never paged.
        const line = await this.lines.get(e.unique);
        removeContact(line, e.contact ?? '');
        if (line.contacts.length === 0) line.expiresAt = null;
        return;
      }
      case 'expired':
        return this.onExpired(e);
      case 'auth_failed':
        return this.onAuthFailed(e);
      case 'unknown_unique':
        return this.security.unknownUnique(e);
      case 'interval_too_brief': {
        const line = await this.lines.get(e.unique);
        line.lastIntervalTooBrief = { at: e.at.getTime(), requested: e.requestedExpires };
        return;
      }
      case 'blocked':
        return this.security.suspicious(e, 'blocked');
      case 'rejected':
        if (e.detail.scanner === true) return this.security.suspicious(e, 'scanner');
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
    const line = await this.lines.get(e.unique);
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
    this.atRisk.watch(line);
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
    const line = await this.lines.get(e.unique);
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
    const line = await this.lines.get(e.unique);
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
    if (!sameDevice) await this.security.sourceTried(e);
  }

  // --- clock --------------------------------------------------------------------------------

  private async decideDrops(now: Date): Promise<void> {
    for (const down of this.drops.due(now.getTime())) {
      this.drops.markDecided(down);
      const line = await this.lines.get(down.unique);
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

  /** Lines late beyond the allowance and not yet expired raise `at_risk`. */
  private async checkAtRisk(now: Date): Promise<void> {
    for (const { line, learned, lateMs, expiresAt } of this.atRisk.late(now.getTime(), (l) => this.lines.peek(l.unique) === l)) {
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

  private rememberIp(unique: string, oldIp: string | null, ip: string): void {
    if (oldIp !== null && oldIp !== ip) this.linesByIp.get(oldIp)?.delete(unique);
    if (!this.linesByIp.has(ip) && this.linesByIp.size >= this.thresholds.maxTrackedKeys) this.linesByIp.clear();
    const set = this.linesByIp.get(ip) ?? new Set<string>();
    set.add(unique);
    this.linesByIp.set(ip, set);
  }
}

/** The fields every per-line incident shares: one open incident per (cause, unique). */
function lineScope(unique: string, info: LineInfo | null, fallbackCircle: string | null = null) {
  return { unique, circle: info?.circle ?? fallbackCircle, accountLoginId: info?.accountLoginId ?? null, scopeKey: `unique:${unique}` };
}
