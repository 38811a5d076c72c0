import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './_columns.js';
import { ERROR_EVENT_TYPES, REGISTRATION_EVENT_TYPES } from '../../domain/index.js';

/** `type in ('auth_failed', …)`: which events the partial index of errors holds. */
const errorTypesPredicate = (column: string) => `${column} in (${ERROR_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})`;

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
    index('registration_events_error_idx').on(t.unique, t.id).where(sql.raw(errorTypesPredicate('"type"'))),
  ],
);

export type RegistrationEventRow = typeof registrationEvents.$inferSelect;
