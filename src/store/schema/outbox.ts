import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './_columns.js';

export const OUTBOX_KINDS = ['post', 'update', 'reply', 'dm'] as const;
export const OUTBOX_STATES = ['pending', 'delivered', 'parked'] as const;

/**
 * The durable alert outbox: every notification and every later edit is a row, delivered by a
 * worker per platform. `idempotency_key` is unique so an enqueue retried never doubles a message.
 * Pending updates of one incident+destination that no worker has picked up yet are coalesced by a
 * partial unique index (the update renders the incident's current state when it is delivered).
 */
export const outbox = pgTable(
  'alert_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: bigint('incident_id', { mode: 'number' }).notNull(),
    platform: text('platform').notNull(),
    destination: text('destination').notNull(),
    kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown> | null>(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    state: text('state', { enum: OUTBOX_STATES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: instant('delivered_at'),
  },
  (t) => [
    index('alert_outbox_due_idx').on(t.platform, t.state, t.nextAttemptAt),
    index('alert_outbox_thread_idx').on(t.incidentId, t.platform, t.destination, t.id),
    uniqueIndex('alert_outbox_coalesce_idx')
      .on(t.incidentId, t.platform, t.destination)
      .where(sql`${t.kind} = 'update' and ${t.state} = 'pending' and ${t.attempts} = 0`),
  ],
);

/** The platform message that shows an incident in one destination; edits and thread replies use it. */
export const alertMessages = pgTable(
  'alert_messages',
  {
    incidentId: bigint('incident_id', { mode: 'number' }).notNull(),
    platform: text('platform').notNull(),
    destination: text('destination').notNull(),
    messageRef: text('message_ref').notNull(),
    /** True when the incident was announced inside a storm digest rather than its own message. */
    digest: boolean('digest').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.platform, t.destination] })],
);

export type OutboxRow = typeof outbox.$inferSelect;
