import { bigint, bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './_columns.js';

/**
 * On-call escalation (issue 7). One escalation per incident carries the policy snapshot taken when
 * it started and a fencing token; every pending piece of work (the next step, a reminder, the end
 * of a snooze, a webhook page and its retries) is a row in `oncall_escalation_jobs` with a due time,
 * claimed by workers with `FOR UPDATE SKIP LOCKED` so that two instances never run it twice.
 */
export const oncallEscalations = pgTable(
  'oncall_escalations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: bigint('incident_id', { mode: 'number' }).notNull(),
    policyId: text('policy_id').notNull(),
    /** The escalation policy and the incident as they were at start (JSON). */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    state: text('state', { enum: ['active', 'acknowledged', 'paused', 'resolved', 'exhausted'] }).notNull(),
    fencingToken: integer('fencing_token').notNull().default(1),
    stepIndex: integer('step_index').notNull().default(0),
    repeatCount: integer('repeat_count').notNull().default(0),
    layerDepth: integer('layer_depth').notNull().default(0),
    remindersSent: integer('reminders_sent').notNull().default(0),
    startedAt: instant('started_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [uniqueIndex('oncall_escalations_incident_idx').on(t.incidentId)],
);

export const oncallEscalationJobs = pgTable(
  'oncall_escalation_jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    escalationId: bigint('escalation_id', { mode: 'number' })
      .notNull()
      .references(() => oncallEscalations.id, { onDelete: 'cascade' }),
    incidentId: bigint('incident_id', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: ['step', 'reminder', 'resume', 'page'] }).notNull(),
    stepIndex: integer('step_index').notNull(),
    dueAt: instant('due_at').notNull(),
    fencingToken: integer('fencing_token').notNull(),
    state: text('state', { enum: ['pending', 'running', 'done', 'stale', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: instant('lease_until'),
    claimedBy: text('claimed_by'),
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    lastError: text('last_error'),
    createdAt: createdAt(),
    finishedAt: instant('finished_at'),
  },
  (t) => [
    index('oncall_escalation_jobs_due_idx').on(t.state, t.dueAt),
    index('oncall_escalation_jobs_escalation_idx').on(t.escalationId),
  ],
);

/** Audit log of escalation: every action and transition with actor and source. */
export const escalationLog = pgTable(
  'escalation_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: bigint('incident_id', { mode: 'number' }).notNull(),
    escalationId: bigint('escalation_id', { mode: 'number' }),
    at: instant('at').notNull(),
    type: text('type').notNull(),
    actorSource: text('actor_source').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    reason: text('reason'),
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull(),
  },
  (t) => [index('escalation_log_incident_idx').on(t.incidentId, t.id)],
);

/** Overrides set at run time (`/oncall override`, `POST /api/v1/oncall/overrides`). */
export const oncallOverrides = pgTable(
  'oncall_overrides',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null: the person covers every schedule. */
    scheduleId: text('schedule_id'),
    personId: text('person_id').notNull(),
    startAt: instant('start_at').notNull(),
    endAt: instant('end_at').notNull(),
    createdBySource: text('created_by_source').notNull(),
    createdById: text('created_by_id'),
    createdByName: text('created_by_name'),
    createdAt: createdAt(),
  },
  (t) => [index('oncall_overrides_end_idx').on(t.endAt)],
);

/** People, schedules and policies changed through the API; they replace the YAML file's section. */
export const oncallSettings = pgTable('oncall_settings', {
  section: text('section', { enum: ['people', 'schedules', 'escalation_policies'] }).primaryKey(),
  body: jsonb('body').$type<unknown[]>().notNull(),
  updatedAt: instant('updated_at').notNull(),
  updatedBy: text('updated_by'),
});

export type OncallEscalationRow = typeof oncallEscalations.$inferSelect;
export type OncallEscalationJobRow = typeof oncallEscalationJobs.$inferSelect;
export type EscalationLogRow = typeof escalationLog.$inferSelect;
export type OncallOverrideRow = typeof oncallOverrides.$inferSelect;
