import { eq, inArray } from 'drizzle-orm';
import type { Binding, BindingRepo } from '../../domain/index.js';
import type { Db } from '../db.js';
import { bindings, type BindingRow } from '../schema/index.js';

export const toBinding = (row: BindingRow): Binding => ({ ...row, path: row.path ?? [] });

export class DrizzleBindingRepo implements BindingRepo {
  constructor(private readonly db: Db) {}

  async listForUnique(unique: string): Promise<Binding[]> {
    const rows = await this.db.select().from(bindings).where(eq(bindings.unique, unique));
    return rows.map(toBinding);
  }

  async listForUniques(list: readonly string[]): Promise<Map<string, Binding[]>> {
    const result = new Map<string, Binding[]>();
    if (list.length === 0) return result;
    const rows = await this.db.select().from(bindings).where(inArray(bindings.unique, list as string[]));
    for (const row of rows) {
      const existing = result.get(row.unique);
      if (existing) existing.push(toBinding(row));
      else result.set(row.unique, [toBinding(row)]);
    }
    return result;
  }

  async listAll(): Promise<Binding[]> {
    const rows = await this.db.select().from(bindings);
    return rows.map(toBinding);
  }
}
