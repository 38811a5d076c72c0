import { integer, jsonb, pgTable, primaryKey, real, text } from 'drizzle-orm/pg-core';
import { instant } from './_columns.js';

/**
 * Current registrar bindings (RFC 3261 §10.3). The registrar serves them from memory; this table
 * is the durable copy restored at startup. No foreign key to uniques: it would cost a lookup per
 * row on the group-commit path and the registrar only binds provisioned uniques anyway.
 */
export const bindings = pgTable(
  'bindings',
  {
    unique: text('unique_number').notNull(),
    contact: text('contact').notNull(),
    source: text('source').notNull(),
    transport: text('transport', { enum: ['udp', 'tcp'] }).notNull(),
    userAgent: text('user_agent'),
    callId: text('call_id').notNull(),
    cseq: integer('cseq').notNull(),
    path: jsonb('path').$type<string[]>().notNull(),
    instanceId: text('instance_id'),
    regId: integer('reg_id'),
    q: real('q'),
    requestedExpires: integer('requested_expires'),
    grantedExpires: integer('granted_expires').notNull(),
    registeredAt: instant('registered_at').notNull(),
    refreshedAt: instant('refreshed_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unique, t.contact] })],
);

export type BindingRow = typeof bindings.$inferSelect;
