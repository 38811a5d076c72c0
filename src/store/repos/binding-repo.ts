import { eq, sql } from 'drizzle-orm';
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
    // One jsonb parameter, not one bind parameter per unique: a fixed statement text, prepared once.
    const rows = await this.db
      .select()
      .from(bindings)
      .where(sql`${bindings.unique} = any(array(select jsonb_array_elements_text(${JSON.stringify(list)}::jsonb)))`);
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
