/**
 * Reacts to incident changes: starts an escalation (policy snapshot, first step due now) when an
 * incident opens, stops it on acknowledge (and plans reminders), pauses it on snooze and resumes
 * it when the snooze ends, ends everything on resolve. Every transition bumps the fencing token, so
 * pending jobs of the old state do nothing.
 *
 * The alert engine's IncidentService owns incident state; this module never changes an incident.
 * Resolve wins: once resolved, a late acknowledge (or any other change) is logged and ignored.
 */
import { systemActor, type Actor, type IncidentChange } from '../alerts/index.js';
import type { Clock } from '../domain/index.js';
import { businessHoursFor, matchPolicy, snapshotIncident, type EscalationSnapshot, type EscalationState } from './escalation-chain.js';
import type { NoteBuilder } from './note-builder.js';
import type { OncallConfigSource } from './oncall-config-source.js';
import { buildPageRequest } from './paging.js';
import type { EscalationLogEntry, EscalationLogType, EscalationStore, NewJob, OncallLogger, PageRequest } from './ports.js';

const MINUTE = 60_000;
const NOT_RESOLVED: readonly EscalationState[] = ['active', 'acknowledged', 'paused', 'exhausted'];

export interface EscalationServiceDeps {
  readonly store: EscalationStore;
  readonly config: OncallConfigSource;
  readonly clock: Clock;
  readonly notes: NoteBuilder;
  readonly logger: OncallLogger;
}

export class EscalationService {
  constructor(private readonly deps: EscalationServiceDeps) {}

  /**
   * Subscriber for the alert engine's changes (`incidents.onChange(service.listener)`): awaitable,
   * never rejects, so a database hiccup here cannot fail the acknowledge or resolve itself.
   */
  readonly listener = (change: IncidentChange): Promise<void> =>
    this.handle(change).catch((err: unknown) => this.deps.logger.error({ err, type: change.type, incidentId: change.incident.id }, 'oncall: handling an incident change failed'));

  private entry(incidentId: number, at: Date, type: EscalationLogType, actor: Actor, reason: string | null, detail: EscalationLogEntry['detail'] = {}): EscalationLogEntry {
    return { incidentId, escalationId: null, at, type, actor, reason, detail };
  }

  async handle(change: IncidentChange): Promise<void> {
    const now = this.deps.clock.now();
    const id = change.incident.id;
    switch (change.type) {
      case 'incident.opened':
        return this.open(change, now);
      case 'incident.repeated':
      case 'incident.escalated':
        return;
      case 'incident.acknowledged': {
        const esc = await this.deps.store.getByIncident(id);
        if (!esc) return;
        if (esc.state === 'resolved' || change.incident.state === 'resolved') {
          await this.deps.store.appendLog([this.entry(id, now, 'change.ignored', change.actor, 'acknowledge after resolve: resolve wins', { change: change.type })]);
          return;
        }
        const remind = esc.snapshot.policy.reminders > 0 ? [{ kind: 'reminder' as const, stepIndex: esc.stepIndex, dueAt: new Date(now.getTime() + esc.snapshot.policy.remind_after * MINUTE) }] : [];
        const moved = await this.deps.store.transition(id, ['active', 'paused', 'exhausted'], 'acknowledged', now, [...remind, ...(await this.followUpPages(esc.id, esc.snapshot, 'acknowledge', now))], [
          this.entry(id, now, 'escalation.acknowledged', change.actor, 'escalation stopped', { step: esc.stepIndex }),
        ]);
        if (!moved) await this.ignored(id, now, change.actor, change.type, esc.state);
        return;
      }
      case 'incident.snoozed': {
        const moved = await this.deps.store.transition(id, ['active', 'acknowledged', 'exhausted'], 'paused', now, [{ kind: 'resume', stepIndex: 0, dueAt: change.until }], [
          this.entry(id, now, 'escalation.paused', change.actor, `snoozed until ${change.until.toISOString()}`),
        ]);
        if (!moved) await this.ignoredIfEscalated(id, now, change.actor, change.type);
        return;
      }
      case 'incident.unsnoozed': {
        const esc = await this.deps.store.getByIncident(id);
        if (!esc || esc.state !== 'paused') return;
        if (change.incident.state === 'acknowledged') {
          const remind = [{ kind: 'reminder' as const, stepIndex: esc.stepIndex, dueAt: new Date(now.getTime() + esc.snapshot.policy.remind_after * MINUTE) }];
          await this.deps.store.transition(id, ['paused'], 'acknowledged', now, remind, [this.entry(id, now, 'escalation.resumed', systemActor, 'snooze ended; still acknowledged')]);
          return;
        }
        await this.deps.store.transition(id, ['paused'], 'active', now, [{ kind: 'step', stepIndex: esc.stepIndex, dueAt: now }], [
          this.entry(id, now, 'escalation.resumed', systemActor, 'snooze ended', { step: esc.stepIndex }),
        ]);
        return;
      }
      case 'incident.resolved': {
        const esc = await this.deps.store.getByIncident(id);
        if (!esc) return;
        await this.deps.store.transition(id, NOT_RESOLVED, 'resolved', now, await this.followUpPages(esc.id, esc.snapshot, 'resolve', now), [
          this.entry(id, now, 'escalation.resolved', change.actor, change.reason),
        ]);
        return;
      }
      default: {
        const never: never = change;
        throw new Error(`unknown change ${JSON.stringify(never)}`);
      }
    }
  }

  private async open(change: Extract<IncidentChange, { type: 'incident.opened' }>, now: Date): Promise<void> {
    const incident = change.incident;
    if (incident.state !== 'open') return;
    const { config } = await this.deps.config.load(now);
    const policy = matchPolicy(config.escalation_policies, incident);
    if (!policy) return;
    const snapshot: EscalationSnapshot = {
      policy,
      businessHours: businessHoursFor(config.business_hours, incident.accountLoginId),
      incident: snapshotIncident(incident),
    };
    const started = await this.deps.store.start({ incidentId: incident.id, policyId: policy.id, snapshot, at: now }, [{ kind: 'step', stepIndex: 0, dueAt: now }], [
      this.entry(incident.id, now, 'escalation.started', systemActor, `policy ${policy.id} matched`, { policy: policy.id, steps: policy.steps.length }),
    ]);
    if (!started) this.deps.logger.warn({ incidentId: incident.id }, 'oncall: incident already has an escalation (replayed open)');
  }

  /** Acknowledge/resolve events to every target that was paged (PagerDuty correlates by dedup key). */
  private async followUpPages(escalationId: number, snapshot: EscalationSnapshot, action: 'acknowledge' | 'resolve', now: Date): Promise<NewJob[]> {
    const sent = (await this.deps.store.pageJobs(escalationId))
      .map((j) => j.payload?.request as PageRequest | undefined)
      .filter((r): r is PageRequest => r !== undefined && r.eventAction === 'trigger');
    const seen = new Set<string>();
    const jobs: NewJob[] = [];
    for (const r of sent) {
      const routingKey = typeof r.body.routing_key === 'string' ? r.body.routing_key : undefined;
      const target = `${r.webhook} ${r.url} ${routingKey ?? ''}`;
      if (seen.has(target)) continue;
      seen.add(target);
      const request = buildPageRequest({ webhook: r.webhook, url: r.url, ...(routingKey ? { routingKey } : {}) }, action, snapshot.incident, this.deps.notes.pageSummary(snapshot.incident), now);
      jobs.push({ kind: 'page', stepIndex: -1, dueAt: now, payload: { request } });
    }
    return jobs;
  }

  private async ignored(id: number, now: Date, actor: Actor, type: string, state: string): Promise<void> {
    await this.deps.store.appendLog([this.entry(id, now, 'change.ignored', actor, `escalation is ${state}`, { change: type })]);
  }

  private async ignoredIfEscalated(id: number, now: Date, actor: Actor, type: string): Promise<void> {
    const esc = await this.deps.store.getByIncident(id);
    if (esc) await this.ignored(id, now, actor, type, esc.state);
  }

  /** The incident's escalation audit log, oldest first (`/line history` shows it). */
  history(incidentId: number): Promise<EscalationLogEntry[]> {
    return this.deps.store.history(incidentId);
  }
}
