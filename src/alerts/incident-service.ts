/**
 * Incident lifecycle: the only place incidents change state. Every transition is checked against
 * the legal ones, written with a compare-and-set (two instances or a button and an API call racing
 * cannot both win), appended to the audit log in the same transaction, and emitted as an
 * `IncidentChange` to subscribers (outbox planner, on-call escalation).
 *
 * Legal transitions:
 * ```
 * open         → acknowledged | snoozed | resolved
 * acknowledged → snoozed | resolved
 * snoozed      → acknowledged | snoozed (new until) | resolved | open/acknowledged (snooze ended)
 * resolved     → (final)
 * ```
 * Resolve wins over an acknowledge that arrives within `ackAfterResolveWindowMs` after it (a
 * second person pressing the button while it resolves): the ack is audited and ignored.
 */
import type { Clock } from '../domain/index.js';
import { illegalTransition, incidentNotFound, invalidSnooze } from './errors.js';
import { systemActor, type Actor, type Incident, type IncidentChange, type IncidentState } from './incident.js';
import type { IncidentAuditEntry, IncidentPatch, IncidentStore, NewIncident } from './ports.js';

export type IncidentChangeListener = (change: IncidentChange) => void | Promise<void>;

export interface IncidentServiceLogger {
  error(obj: object, msg: string): void;
}

export interface IncidentServiceOptions {
  readonly store: IncidentStore;
  readonly clock: Clock;
  readonly logger?: IncidentServiceLogger;
  /** Default 5000 ms. */
  readonly ackAfterResolveWindowMs?: number;
  /** Longest snooze accepted. Default 7 days. */
  readonly maxSnoozeMs?: number;
}

const LEGAL: Record<IncidentState, readonly IncidentState[]> = {
  open: ['acknowledged', 'snoozed', 'resolved'],
  acknowledged: ['snoozed', 'resolved'],
  snoozed: ['acknowledged', 'snoozed', 'resolved', 'open'],
  resolved: [],
};

const sourcesFor = (to: IncidentState): IncidentState[] =>
  (Object.keys(LEGAL) as IncidentState[]).filter((from) => LEGAL[from].includes(to));

export class IncidentService {
  private readonly listeners = new Set<IncidentChangeListener>();
  private readonly ackWindowMs: number;
  private readonly maxSnoozeMs: number;

  constructor(private readonly o: IncidentServiceOptions) {
    this.ackWindowMs = o.ackAfterResolveWindowMs ?? 5000;
    this.maxSnoozeMs = o.maxSnoozeMs ?? 7 * 86_400_000;
  }

  /** Subscribes to incident changes; listeners run in subscription order and are awaited. */
  onChange(listener: IncidentChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(state?: IncidentState, limit = 100): Promise<Incident[]> {
    return this.o.store.list(state, Math.min(Math.max(limit, 1), 1000));
  }

  async get(id: number): Promise<Incident> {
    const incident = await this.o.store.get(id);
    if (!incident) throw incidentNotFound(id);
    return incident;
  }

  openForUnique(unique: string): Promise<Incident[]> {
    return this.o.store.activeForUnique(unique);
  }

  audit(id: number): Promise<IncidentAuditEntry[]> {
    return this.o.store.audit(id);
  }

  async acknowledge(id: number, actor: Actor): Promise<Incident> {
    const now = this.o.clock.now();
    const current = await this.get(id);
    if (current.state === 'resolved' && current.resolvedAt && now.getTime() - current.resolvedAt.getTime() <= this.ackWindowMs) {
      // Resolve wins: the late ack is recorded, the incident stays resolved.
      await this.o.store.appendAudit({ incidentId: id, at: now, type: 'ack_ignored', actor, reason: 'resolved_just_before' });
      return current;
    }
    const next = await this.apply(current, 'acknowledged', 'acknowledge', { acknowledgedBy: actor, acknowledgedAt: now, snoozedUntil: null }, actor, null);
    if (next.state !== 'acknowledged') return next;
    await this.emit({ type: 'incident.acknowledged', incident: next, actor });
    return next;
  }

  async resolve(id: number, actor: Actor, reason: 'manual' | 'recovered' | 'folded' = 'manual'): Promise<Incident> {
    const now = this.o.clock.now();
    const current = await this.get(id);
    const next = await this.apply(current, 'resolved', 'resolve', { resolvedAt: now, resolvedBy: actor, snoozedUntil: null }, actor, reason);
    await this.emit({ type: 'incident.resolved', incident: next, actor, reason });
    return next;
  }

  async snooze(id: number, until: Date, actor: Actor): Promise<Incident> {
    const now = this.o.clock.now();
    if (!(until instanceof Date) || Number.isNaN(until.getTime())) throw invalidSnooze('until is not a valid time');
    if (until.getTime() <= now.getTime()) throw invalidSnooze('until must be in the future');
    if (until.getTime() - now.getTime() > this.maxSnoozeMs) throw invalidSnooze(`until must be within ${Math.round(this.maxSnoozeMs / 3_600_000)} h`);
    const current = await this.get(id);
    const next = await this.apply(current, 'snoozed', 'snooze', { snoozedUntil: until }, actor, `until ${until.toISOString()}`);
    await this.emit({ type: 'incident.snoozed', incident: next, actor, until });
    return next;
  }

  // --- engine-facing ------------------------------------------------------------------------

  /** Opens or counts an occurrence; emits `incident.opened` / `incident.repeated`. */
  async raise(incident: NewIncident): Promise<Incident> {
    const outcome = await this.o.store.openOrRepeat(incident);
    if (outcome.kind === 'opened') {
      await this.o.store.appendAudit({ incidentId: outcome.incident.id, at: incident.at, type: 'opened', actor: systemActor, reason: incident.cause });
      await this.emit({ type: 'incident.opened', incident: outcome.incident });
    } else if (outcome.kind === 'repeated') {
      await this.emit({ type: 'incident.repeated', incident: outcome.incident });
    }
    return outcome.incident;
  }

  /** Resolves an active incident because the line recovered; resolves its site_down parent when it was the last child. */
  async recover(incident: Incident): Promise<Incident | null> {
    const now = this.o.clock.now();
    const next = await this.o.store.transition(
      incident.id,
      sourcesFor('resolved'),
      { state: 'resolved', updatedAt: now, resolvedAt: now, resolvedBy: systemActor, snoozedUntil: null },
      { incidentId: incident.id, at: now, type: 'resolved', actor: systemActor, reason: 'recovered' },
    );
    if (!next) return null;
    await this.emit({ type: 'incident.resolved', incident: next, actor: systemActor, reason: 'recovered' });
    if (next.parentId !== null) {
      const siblings = await this.o.store.activeChildren(next.parentId);
      const parent = await this.o.store.get(next.parentId);
      if (siblings.length === 0 && parent && parent.cause === 'site_down' && parent.state !== 'resolved') await this.recover(parent);
    }
    return next;
  }

  /**
   * Folds an active incident into a parent (site rollup): it stays active for its own recovery but
   * is no longer notified or escalated on its own. Emitted as `incident.repeated` with `parentId` set.
   */
  async fold(incident: Incident, parentId: number): Promise<Incident | null> {
    const now = this.o.clock.now();
    const next = await this.o.store.transition(
      incident.id,
      [incident.state],
      { state: incident.state, updatedAt: now, parentId },
      { incidentId: incident.id, at: now, type: 'folded', actor: systemActor, reason: `into #${parentId}` },
    );
    if (next) await this.emit({ type: 'incident.repeated', incident: next });
    return next;
  }

  /** Ends due snoozes (called from the 1 s tick): back to acknowledged if it was, else open. */
  async tick(now: Date = this.o.clock.now()): Promise<number> {
    const due = await this.o.store.snoozeEnded(now, 100);
    let ended = 0;
    for (const incident of due) {
      const to: IncidentState = incident.acknowledgedBy ? 'acknowledged' : 'open';
      const next = await this.o.store.transition(
        incident.id,
        ['snoozed'],
        { state: to, updatedAt: now, snoozedUntil: null },
        { incidentId: incident.id, at: now, type: 'unsnoozed', actor: systemActor, reason: null },
      );
      if (!next) continue;
      ended++;
      await this.emit({ type: 'incident.unsnoozed', incident: next });
    }
    return ended;
  }

  /** Lets other modules (escalation) announce a change through the same stream. */
  async publish(change: IncidentChange): Promise<void> {
    await this.emit(change);
  }

  // --- internals ----------------------------------------------------------------------------

  private async apply(
    current: Incident,
    to: IncidentState,
    action: string,
    patch: Omit<IncidentPatch, 'state' | 'updatedAt'>,
    actor: Actor,
    reason: string | null,
  ): Promise<Incident> {
    if (!LEGAL[current.state].includes(to)) throw illegalTransition(current.id, current.state, action);
    const now = this.o.clock.now();
    const next = await this.o.store.transition(
      current.id,
      [current.state],
      { state: to, updatedAt: now, ...patch },
      { incidentId: current.id, at: now, type: to === 'resolved' ? 'resolved' : to, actor, reason },
    );
    if (next) return next;
    // Someone else moved it meanwhile: judge again against the state that won.
    const latest = await this.get(current.id);
    if (to === 'acknowledged' && latest.state === 'resolved') {
      await this.o.store.appendAudit({ incidentId: current.id, at: now, type: 'ack_ignored', actor, reason: 'resolved_concurrently' });
      return latest;
    }
    throw illegalTransition(current.id, latest.state, action);
  }

  private async emit(change: IncidentChange): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(change);
      } catch (err) {
        this.o.logger?.error({ err, change: change.type, incidentId: change.incident.id }, 'incident change listener failed');
      }
    }
  }
}
