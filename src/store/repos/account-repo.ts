import { eq } from 'drizzle-orm';
import type { Account, AccountRepo } from '../../domain/index.js';
import { duplicate } from '../../domain/index.js';
import type { Db } from '../db.js';
import { accounts } from '../schema/index.js';
import { isUniqueViolation } from '../pg-errors.js';

export class DrizzleAccountRepo implements AccountRepo {
  constructor(private readonly db: Db) {}

  async create(account: { loginId: string; name: string | null }): Promise<Account> {
    try {
      const [row] = await this.db.insert(accounts).values(account).returning();
      return row!;
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('Account', account.loginId);
      throw err;
    }
  }

  async get(loginId: string): Promise<Account | null> {
    const [row] = await this.db.select().from(accounts).where(eq(accounts.loginId, loginId));
    return row ?? null;
  }
}
