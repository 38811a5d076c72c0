import { asc, eq, like } from 'drizzle-orm';
import type { Circle, CircleRepo, NewCircle } from '../../domain/index.js';
import { accountNotFound, duplicate } from '../../domain/index.js';
import type { Db } from '../db.js';
import { circles } from '../schema/index.js';
import { isForeignKeyViolation, isUniqueViolation } from '../pg-errors.js';

export class DrizzleCircleRepo implements CircleRepo {
  constructor(private readonly db: Db) {}

  async create(circle: NewCircle): Promise<Circle> {
    try {
      const [row] = await this.db.insert(circles).values(circle).returning();
      return row!;
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('Circle', circle.number);
      if (isForeignKeyViolation(err)) throw accountNotFound(circle.accountLoginId);
      throw err;
    }
  }

  async get(number: string): Promise<Circle | null> {
    const [row] = await this.db.select().from(circles).where(eq(circles.number, number));
    return row ?? null;
  }

  async searchNumbers(prefix: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ number: circles.number })
      .from(circles)
      .where(like(circles.number, `${escapeLike(prefix)}%`))
      .orderBy(asc(circles.number))
      .limit(limit);
    return rows.map((r) => r.number);
  }
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
