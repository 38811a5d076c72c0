import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './_columns.js';
import { ERROR_EVENT_TYPES, REGISTRATION_EVENT_TYPES } from '../../domain/index.js';

/**
 * `<column> in ('auth_failed', …)` for a list of event types (fixed identifiers of the domain, so
 * quoting them is safe): the partial index of errors below and the repository's "latest of these
 * types" query write their predicate with this, so PostgreSQL can prove one implies the other.
 */
export const eventTypeIn = (column: string, types: readonly string[]) => `${column} in (${types.map((t) => `'${t}'`).join(', ')})`;

/**
 * Append-only registration history. `event_key` is unique so a batch retried after an ambiguous
 * commit failure never stores an event twice.
 */
export const registrationEvents = pgTable(
  'registration_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventKey: text('event_key').notNull().unique(),
    type: text('type', { enum: REGISTRATION_EVENT_TYPES }).notNull(),
    unique: text('unique_number').notNull(),
    at: instant('at').notNull(),
    method: text('method').notNull(),
    source: text('source').notNull(),
    transport: text('transport').notNull(),
    userAgent: text('user_agent'),
    contact: text('contact'),
    callId: text('call_id'),
    requestedExpires: integer('requested_expires'),
    grantedExpires: integer('granted_expires'),
    responseCode: integer('response_code'),
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull(),
  },
  (t) => [
    index('registration_events_unique_idx').on(t.unique, t.id),
    index('registration_events_type_unique_idx').on(t.unique, t.type, t.id),
    // "Latest error" of a line is one backward probe here: without it the newest-first scan of a
    // healthy line's (unique_number, id) entries went through its whole history (bench/PERF-NOTES.md #19).
    index('registration_events_error_idx').on(t.unique, t.id).where(sql.raw(eventTypeIn('"type"', ERROR_EVENT_TYPES))),
  ],
);

export type RegistrationEventRow = typeof registrationEvents.$inferSelect;
