import { timestamp } from 'drizzle-orm/pg-core';

/** timestamptz returned as a Date: every instant in the database is UTC-anchored. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => instant('created_at').notNull().defaultNow();
