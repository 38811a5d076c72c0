import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './_columns.js';
import { circles } from './circles.js';
import { UNIQUE_TYPES } from '../../domain/index.js';

/**
 * Lines. The SIP password is never stored: only its digest HA1 values (RFC 7616 §3.4.2) for the
 * realm they were derived with.
 */
export const uniques = pgTable(
  'uniques',
  {
    number: text('number').primaryKey(),
    circleNumber: text('circle_number')
      .notNull()
      .references(() => circles.number),
    type: text('type', { enum: UNIQUE_TYPES }).notNull(),
    loginServer: text('login_server').notNull(),
    realm: text('realm').notNull(),
    ha1Md5: text('ha1_md5').notNull(),
    ha1Sha256: text('ha1_sha256').notNull(),
    passwordChangedAt: instant('password_changed_at'),
    createdAt: createdAt(),
  },
  (t) => [index('uniques_circle_idx').on(t.circleNumber, t.number)],
);

export type UniqueRow = typeof uniques.$inferSelect;
