import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm';
import type { Actor, ActorSource, Incident, IncidentCause, IncidentState } from '../../alerts/incident.js';
import type { IncidentAuditEntry, IncidentPatch, IncidentStore, NewIncident, OpenOutcome } from '../../alerts/ports.js';
import type { Db, StoreAccess } from '../db.js';
import { incidentAudit, incidents, type IncidentRow } from '../schema/index.js';
import { EventCursorRepo } from './event-cursor-repo.js';

const toActor = (a: { source: string; id: string | null; name: string | null } | null): Actor | null =>
  a ? { source: a.source as ActorSource, id: a.id, name: a.name } : null;

export const toIncident = (r: IncidentRow): Incident => ({
  id: r.id,
  cause: r.cause,
  severity: r.severity,
  state: r.state,
  unique: r.unique,
  circle: r.circle,
  accountLoginId: r.accountLoginId,
  scopeKey: r.scopeKey,
  openedAt: r.openedAt,
  updatedAt: r.updatedAt,
  resolvedAt: r.resolvedAt,
  snoozedUntil: r.snoozedUntil,
  count: r.count,
  lastSeenAt: r.lastSeenAt,
  lastSource: r.lastSource,
  lastUserAgent: r.lastUserAgent,
  tips: r.tips,
  parentId: r.parentId,
  detail: r.detail,
  acknowledgedBy: toActor(r.acknowledgedBy ?? null),
  acknowledgedAt: r.acknowledgedAt,
  resolvedBy: toActor(r.resolvedBy ?? null),
});

const active = ne(incidents.state, 'resolved');

/** Incidents, their audit log and the engine's event cursor. */
export class DrizzleIncidentRepo implements IncidentStore {
  private readonly db: Db;
  private readonly cursors: EventCursorRepo;

  constructor(store: StoreAccess) {
    this.db = store.db;
    this.cursors = new EventCursorRepo(store.query);
  }

  async openOrRepeat(n: NewIncident): Promise<OpenOutcome> {
    const occurrences = n.occurrences ?? 1;
    // `xmax = 0` holds for a freshly inserted row and not for one updated by ON CONFLICT.
    const rows = await this.db
      .insert(incidents)
      .values({
        cause: n.cause,
        severity: n.severity,
        state: 'open',
        unique: n.unique,
        circle: n.circle,
        accountLoginId: n.accountLoginId,
        scopeKey: n.scopeKey,
        openedAt: n.at,
        updatedAt: n.at,
        count: occurrences,
        lastSeenAt: n.at,
        lastSource: n.source,
        lastUserAgent: n.userAgent,
        tips: [...n.tips],
        parentId: n.parentId,
        detail: { ...n.detail },
        lastEventId: n.eventId,
      })
      .onConflictDoUpdate({
        target: [incidents.cause, incidents.scopeKey],
        targetWhere: sql`${incidents.state} <> 'resolved'`,
        set: {
          count: sql`${incidents.count} + ${occurrences}`,
          lastSeenAt: sql`greatest(${incidents.lastSeenAt}, excluded.last_seen_at)`,
          updatedAt: sql`excluded.updated_at`,
          lastSource: sql`coalesce(excluded.last_source, ${incidents.lastSource})`,
          lastUserAgent: sql`coalesce(excluded.last_user_agent, ${incidents.lastUserAgent})`,
          tips: sql`excluded.tips`,
          detail: sql`${incidents.detail} || excluded.detail`,
          lastEventId: sql`greatest(${incidents.lastEventId}, excluded.last_event_id)`,
        },
        setWhere: sql`excluded.last_event_id = 0 or excluded.last_event_id > ${incidents.lastEventId}`,
      })
      .returning({ ...getTableColumns(incidents), inserted: sql<boolean>`(xmax = 0)` });
    const first = rows[0];
    if (first) {
      const { inserted, ...row } = first;
      return { kind: inserted ? 'opened' : 'repeated', incident: toIncident(row) };
    }
    const existing = await this.findActive(n.cause, n.scopeKey);
    if (!existing) throw new Error(`incident (${n.cause}, ${n.scopeKey}) vanished during upsert`);
    return { kind: 'unchanged', incident: existing };
  }

  async get(id: number): Promise<Incident | null> {
    const [row] = await this.db.select().from(incidents).where(eq(incidents.id, id));
    return row ? toIncident(row) : null;
  }

  async list(state: IncidentState | undefined, limit: number): Promise<Incident[]> {
    const rows = await this.db
      .select()
      .from(incidents)
      .where(state ? eq(incidents.state, state) : undefined)
      .orderBy(desc(incidents.id))
      .limit(limit);
    return rows.map(toIncident);
  }

  async findActive(cause: IncidentCause, scopeKey: string): Promise<Incident | null> {
    const [row] = await this.db
      .select()
      .from(incidents)
      .where(and(eq(incidents.cause, cause), eq(incidents.scopeKey, scopeKey), active));
    return row ? toIncident(row) : null;
  }

  async activeForUnique(unique: string): Promise<Incident[]> {
    const rows = await this.db.select().from(incidents).where(and(eq(incidents.unique, unique), active)).orderBy(asc(incidents.id));
    return rows.map(toIncident);
  }

  /** Uniques with at least one not-resolved incident (the engine's `ActiveUniques`). */
  async activeUniques(): Promise<string[]> {
    const rows = await this.db.selectDistinct({ unique: incidents.unique }).from(incidents).where(and(active, isNotNull(incidents.unique)));
    return rows.flatMap((r) => (r.unique === null ? [] : [r.unique]));
  }

  async activeChildren(parentId: number): Promise<Incident[]> {
    const rows = await this.db.select().from(incidents).where(and(eq(incidents.parentId, parentId), active)).orderBy(asc(incidents.id));
    return rows.map(toIncident);
  }

  async snoozeEnded(now: Date, limit: number): Promise<Incident[]> {
    const rows = await this.db
      .select()
      .from(incidents)
      .where(and(eq(incidents.state, 'snoozed'), lte(incidents.snoozedUntil, now)))
      .orderBy(asc(incidents.id))
      .limit(limit);
    return rows.map(toIncident);
  }

  async transition(id: number, from: readonly IncidentState[], patch: IncidentPatch, audit: IncidentAuditEntry): Promise<Incident | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(incidents)
        .set(patch)
        .where(and(eq(incidents.id, id), inArray(incidents.state, from as IncidentState[])))
        .returning();
      if (!row) return null;
      await tx.insert(incidentAudit).values(auditRow(audit));
      return toIncident(row);
    });
  }

  async appendAudit(entry: IncidentAuditEntry): Promise<void> {
    await this.db.insert(incidentAudit).values(auditRow(entry));
  }

  async audit(id: number): Promise<IncidentAuditEntry[]> {
    const rows = await this.db.select().from(incidentAudit).where(eq(incidentAudit.incidentId, id)).orderBy(asc(incidentAudit.id));
    return rows.map((r) => ({
      incidentId: r.incidentId,
      at: r.at,
      type: r.type,
      actor: { source: r.actorSource as ActorSource, id: r.actorId, name: r.actorName },
      reason: r.reason,
    }));
  }

  getCursor(name: string): Promise<number> {
    return this.cursors.getCursor(name);
  }

  setCursor(name: string, lastEventId: number, at: Date): Promise<void> {
    return this.cursors.setCursor(name, lastEventId, at);
  }
}

const auditRow = (e: IncidentAuditEntry) => ({
  incidentId: e.incidentId,
  at: e.at,
  type: e.type,
  actorSource: e.actor.source,
  actorId: e.actor.id,
  actorName: e.actor.name,
  reason: e.reason,
});
