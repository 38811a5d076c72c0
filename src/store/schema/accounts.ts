import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns.js';

export const accounts = pgTable('accounts', {
  loginId: text('login_id').primaryKey(),
  name: text('name'),
  createdAt: createdAt(),
});

export type AccountRow = typeof accounts.$inferSelect;
