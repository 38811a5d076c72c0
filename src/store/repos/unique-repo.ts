import { and, asc, count, eq, inArray, like } from 'drizzle-orm';
import type { NewUnique, Unique, UniqueCredentials, UniqueRepo, UniqueType } from '../../domain/index.js';
import { circleNotFound, duplicate } from '../../domain/index.js';
import type { Db } from '../db.js';
import { uniques, type UniqueRow } from '../schema/index.js';
import { escapeLike } from './circle-repo.js';
import { isForeignKeyViolation, isUniqueViolation } from '../pg-errors.js';

const toUnique = (row: Pick<UniqueRow, 'number' | 'circleNumber' | 'type' | 'loginServer' | 'passwordChangedAt' | 'createdAt'>): Unique => ({
  number: row.number,
  circleNumber: row.circleNumber,
  type: row.type,
  loginServer: row.loginServer,
  passwordChangedAt: row.passwordChangedAt,
  createdAt: row.createdAt,
});

const publicColumns = {
  number: uniques.number,
  circleNumber: uniques.circleNumber,
  type: uniques.type,
  loginServer: uniques.loginServer,
  passwordChangedAt: uniques.passwordChangedAt,
  createdAt: uniques.createdAt,
};

const toRow = (u: NewUnique, at: Date) => ({
  number: u.number,
  circleNumber: u.circleNumber,
  type: u.type,
  loginServer: u.loginServer,
  realm: u.credentials.realm,
  ha1Md5: u.credentials.ha1Md5,
  ha1Sha256: u.credentials.ha1Sha256,
  passwordChangedAt: null,
  createdAt: at,
});

/** Rows per INSERT in a bulk import: 15 columns × 1000 stays far below PostgreSQL's 65,535 parameters. */
const IMPORT_CHUNK = 1000;

export class DrizzleUniqueRepo implements UniqueRepo {
  constructor(private readonly db: Db) {}

  async create(unique: NewUnique, at: Date): Promise<Unique> {
    try {
      const [row] = await this.db.insert(uniques).values(toRow(unique, at)).returning(publicColumns);
      return toUnique(row!);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('Unique', unique.number);
      if (isForeignKeyViolation(err)) throw circleNotFound(unique.circleNumber);
      throw err;
    }
  }

  async importMany(list: readonly NewUnique[], at: Date): Promise<number> {
    try {
      await this.db.transaction(async (tx) => {
        for (let i = 0; i < list.length; i += IMPORT_CHUNK) {
          await tx.insert(uniques).values(list.slice(i, i + IMPORT_CHUNK).map((u) => toRow(u, at)));
        }
      });
      return list.length;
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('Unique', 'in import');
      if (isForeignKeyViolation(err)) throw circleNotFound('in import');
      throw err;
    }
  }

  async get(number: string): Promise<Unique | null> {
    const [row] = await this.db.select(publicColumns).from(uniques).where(eq(uniques.number, number));
    return row ? toUnique(row) : null;
  }

  async listByCircle(circleNumber: string, type?: UniqueType): Promise<Unique[]> {
    const where = type ? and(eq(uniques.circleNumber, circleNumber), eq(uniques.type, type)) : eq(uniques.circleNumber, circleNumber);
    const rows = await this.db.select(publicColumns).from(uniques).where(where).orderBy(asc(uniques.number));
    return rows.map(toUnique);
  }

  async existingNumbers(numbers: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < numbers.length; i += 5000) {
      const rows = await this.db
        .select({ number: uniques.number })
        .from(uniques)
        .where(inArray(uniques.number, numbers.slice(i, i + 5000) as string[]));
      for (const r of rows) found.push(r.number);
    }
    return found;
  }

  async setCredentials(credentials: UniqueCredentials, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(uniques)
      .set({ realm: credentials.realm, ha1Md5: credentials.ha1Md5, ha1Sha256: credentials.ha1Sha256, passwordChangedAt: at })
      .where(eq(uniques.number, credentials.number))
      .returning({ number: uniques.number });
    return rows.length === 1;
  }

  async allCredentials(): Promise<UniqueCredentials[]> {
    return this.db
      .select({ number: uniques.number, realm: uniques.realm, ha1Md5: uniques.ha1Md5, ha1Sha256: uniques.ha1Sha256 })
      .from(uniques);
  }

  async searchNumbers(prefix: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ number: uniques.number })
      .from(uniques)
      .where(like(uniques.number, `${escapeLike(prefix)}%`))
      .orderBy(asc(uniques.number))
      .limit(limit);
    return rows.map((r) => r.number);
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(uniques);
    return Number(row?.n ?? 0);
  }
}
