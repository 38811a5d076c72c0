import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './_columns.js';
import { INCIDENT_CAUSES, INCIDENT_STATES } from '../../alerts/incident.js';

/**
 * Incidents raised by the alert engine. At most one incident per (cause, scope_key) is not
 * resolved: a partial unique index enforces it, so two linewatch instances cannot open the same
 * incident twice and repeats become `ON CONFLICT … DO UPDATE` counts.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    cause: text('cause', { enum: INCIDENT_CAUSES }).notNull(),
    severity: text('severity', { enum: ['critical', 'warning', 'info'] }).notNull(),
    state: text('state', { enum: INCIDENT_STATES }).notNull(),
    unique: text('unique_number'),
    circle: text('circle_number'),
    accountLoginId: text('account_login_id'),
    scopeKey: text('scope_key').notNull(),
    openedAt: instant('opened_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    resolvedAt: instant('resolved_at'),
    snoozedUntil: instant('snoozed_until'),
    count: integer('count').notNull().default(1),
    lastSeenAt: instant('last_seen_at').notNull(),
    lastSource: text('last_source'),
    lastUserAgent: text('last_user_agent'),
    tips: jsonb('tips').$type<string[]>().notNull(),
    parentId: bigint('parent_id', { mode: 'number' }),
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull(),
    acknowledgedBy: jsonb('acknowledged_by').$type<{ source: string; id: string | null; name: string | null } | null>(),
    acknowledgedAt: instant('acknowledged_at'),
    resolvedBy: jsonb('resolved_by').$type<{ source: string; id: string | null; name: string | null } | null>(),
    /** Highest registration event id applied: a replayed event never counts twice. */
    lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    uniqueIndex('incidents_one_active_idx').on(t.cause, t.scopeKey).where(sql`${t.state} <> 'resolved'`),
    index('incidents_state_idx').on(t.state, t.id),
    index('incidents_unique_idx').on(t.unique, t.id),
    index('incidents_parent_idx').on(t.parentId),
  ],
);

/** Every transition and action on an incident, with who did it. Append-only. */
export const incidentAudit = pgTable(
  'incident_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: bigint('incident_id', { mode: 'number' }).notNull(),
    at: instant('at').notNull(),
    type: text('type').notNull(),
    actorSource: text('actor_source').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    reason: text('reason'),
  },
  (t) => [index('incident_audit_incident_idx').on(t.incidentId, t.id)],
);

/** Durable cursors of event consumers (the alert engine): the last registration event id processed. */
export const eventCursors = pgTable('event_cursors', {
  name: text('name').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
  updatedAt: instant('updated_at').notNull(),
});

export type IncidentRow = typeof incidents.$inferSelect;
export type IncidentAuditRow = typeof incidentAudit.$inferSelect;
