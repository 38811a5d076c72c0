/**
 * IncidentChange → outbox rows. Posts and updates carry no payload: the worker renders the
 * incident's current state when it delivers, so a late or coalesced edit is never stale. Replies
 * carry their note (rendered now, in LOCALE).
 *
 * - opened → post to every routed target (not for folded incidents: their parent speaks for them)
 * - repeated → update, due `repeatUpdateSeconds` later (coalesced: at most one per incident and
 *   destination per window); a fold (parentId set) adds a "folded into #N" note
 * - acknowledged / snoozed / unsnoozed / resolved → update now + a thread note
 * - escalation (issue 7) adds mentions and DMs through `enqueueNote` / `enqueueDirectMessage`
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/index.js';
import type { AlertNote } from '../alert-view.js';
import type { AlertViewBuilder } from '../alert-view-builder.js';
import type { Incident, IncidentChange } from '../incident.js';
import type { NewOutboxRow, OutboxStore } from '../ports.js';
import type { AlertRouter, RouteTarget } from '../routing.js';

export interface OutboxPlannerOptions {
  readonly store: OutboxStore;
  readonly router: AlertRouter;
  readonly views: AlertViewBuilder;
  readonly clock: Clock;
  /** At most one repeat-driven edit per incident and destination per this many seconds. Default 10. */
  readonly repeatUpdateSeconds?: number;
}

export class OutboxPlanner {
  private readonly repeatDelayMs: number;

  constructor(private readonly o: OutboxPlannerOptions) {
    this.repeatDelayMs = (o.repeatUpdateSeconds ?? 10) * 1000;
  }

  /** Subscribe with `incidents.onChange((c) => planner.handle(c))`. */
  async handle(change: IncidentChange): Promise<void> {
    const now = this.o.clock.now();
    const incident = change.incident;
    const v = this.o.views;
    switch (change.type) {
      case 'incident.opened':
        if (incident.parentId !== null || incident.state === 'snoozed') return;
        await this.o.store.enqueue(this.targets(incident).map((t) => this.row(incident, t, 'post', null, `post:${incident.id}:${t.platform}:${t.destination}`, now)));
        return;
      case 'incident.repeated': {
        const targets = await this.threadTargets(incident);
        const due = new Date(now.getTime() + (incident.parentId !== null ? 0 : this.repeatDelayMs));
        const rows = targets.map((t) => this.row(incident, t, 'update', null, `update:${incident.id}:${randomUUID()}`, due));
        if (incident.parentId !== null) {
          const note = v.foldedNote(incident);
          rows.push(...targets.map((t) => this.row(incident, t, 'reply', { note }, `fold:${incident.id}:${t.platform}:${t.destination}:${incident.parentId}`, now)));
        }
        await this.o.store.enqueue(rows);
        return;
      }
      case 'incident.acknowledged':
        return this.updateAndNote(incident, v.acknowledgedNote(incident, change.actor), `ack:${incident.updatedAt.getTime()}`, now);
      case 'incident.snoozed':
        return this.updateAndNote(incident, v.snoozedNote(incident, change.actor, change.until), `snooze:${incident.updatedAt.getTime()}`, now);
      case 'incident.unsnoozed':
        return this.updateAndNote(incident, v.unsnoozedNote(incident), `unsnooze:${incident.updatedAt.getTime()}`, now);
      case 'incident.resolved': {
        const note = change.reason === 'recovered' ? v.recoveryNote(incident) : v.resolvedNote(incident, change.actor);
        return this.updateAndNote(incident, note, `resolved:${incident.id}`, now);
      }
      case 'incident.escalated':
        return;
      default: {
        const never: never = change;
        throw new Error(`unhandled incident change ${JSON.stringify(never)}`);
      }
    }
  }

  /** A thread note to the incident's destinations (or the given ones), e.g. an escalation mention. */
  async enqueueNote(incidentId: number, targets: readonly RouteTarget[] | null, note: AlertNote, idempotencyKey?: string): Promise<number> {
    const now = this.o.clock.now();
    const incident = { id: incidentId } as Pick<Incident, 'id'>;
    const list = targets ?? (await this.threadTargetsById(incidentId));
    const base = idempotencyKey ?? randomUUID();
    return this.o.store.enqueue(list.map((t) => this.row(incident, t, 'reply', { note }, `note:${incidentId}:${t.platform}:${t.destination}:${base}`, now)));
  }

  /** A direct message to a person (escalation step), delivered by that platform's worker. */
  async enqueueDirectMessage(platform: string, userId: string, note: AlertNote, idempotencyKey?: string): Promise<number> {
    const now = this.o.clock.now();
    const key = `dm:${note.incidentId}:${platform}:${userId}:${idempotencyKey ?? randomUUID()}`;
    return this.o.store.enqueue([this.row({ id: note.incidentId }, { platform, destination: userId }, 'dm', { note }, key, now)]);
  }

  private async updateAndNote(incident: Incident, note: AlertNote, keyPart: string, now: Date): Promise<void> {
    const targets = await this.threadTargets(incident);
    const rows: NewOutboxRow[] = [];
    for (const t of targets) {
      rows.push(this.row(incident, t, 'update', null, `update:${incident.id}:${randomUUID()}`, now));
      rows.push(this.row(incident, t, 'reply', { note }, `reply:${incident.id}:${t.platform}:${t.destination}:${keyPart}`, now));
    }
    await this.o.store.enqueue(rows);
  }

  private targets(incident: Incident): RouteTarget[] {
    return this.o.router.route(incident);
  }

  /** Destinations that were (or will be) posted for this incident: follow-ups go only there. */
  private async threadTargets(incident: Incident): Promise<RouteTarget[]> {
    return this.threadTargetsById(incident.id);
  }

  private async threadTargetsById(incidentId: number): Promise<RouteTarget[]> {
    const rows = await this.o.store.list({ incidentId });
    const seen = new Map<string, RouteTarget>();
    for (const r of rows) if (r.kind === 'post') seen.set(`${r.platform}\u0000${r.destination}`, { platform: r.platform, destination: r.destination });
    return [...seen.values()];
  }

  private row(incident: Pick<Incident, 'id'>, t: RouteTarget, kind: NewOutboxRow['kind'], payload: Record<string, unknown> | null, key: string, due: Date): NewOutboxRow {
    return { incidentId: incident.id, platform: t.platform, destination: t.destination, kind, payload, idempotencyKey: key, nextAttemptAt: due };
  }
}
