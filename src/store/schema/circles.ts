import { date, index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns.js';
import { accounts } from './accounts.js';

export const circles = pgTable(
  'circles',
  {
    number: text('number').primaryKey(),
    accountLoginId: text('account_login_id')
      .notNull()
      .references(() => accounts.loginId),
    userInfo: text('user_info'),
    department: text('department'),
    contact: text('contact'),
    appliedOn: date('applied_on', { mode: 'string' }),
    state: text('state', { enum: ['active', 'cancelled', 'other'] }).notNull().default('active'),
    createdAt: createdAt(),
  },
  (t) => [index('circles_account_idx').on(t.accountLoginId)],
);

export type CircleRow = typeof circles.$inferSelect;
