import { eq } from 'drizzle-orm';
import type { Binding, BindingLease, BindingRepo, BindingView, UniqueType } from '../../domain/index.js';
import type { Db, SqlQuery, StoreAccess } from '../db.js';
import { bindings, type BindingRow } from '../schema/index.js';
import { asDate } from './raw-row.js';
import { UNIQUES_IN_LIST, UNIQUES_OF_CIRCLE } from './wanted-uniques.js';

export const toBinding = (row: BindingRow): Binding => ({ ...row, path: row.path ?? [] });

export class DrizzleBindingRepo implements BindingRepo {
  private readonly db: Db;
  private readonly query: SqlQuery;

  constructor(store: StoreAccess) {
    this.db = store.db;
    this.query = store.query;
  }

  async listForUnique(unique: string): Promise<Binding[]> {
    const rows = await this.db.select().from(bindings).where(eq(bindings.unique, unique));
    return rows.map(toBinding);
  }

  async leasesForUniques(list: readonly string[]): Promise<Map<string, BindingLease[]>> {
    const result = new Map<string, BindingLease[]>();
    if (list.length === 0) return result;
    // The alert engine's seed for every page of newly seen lines (a registration storm sees them
    // all): one prepared statement, the list as one jsonb parameter whatever its length, and 3 of
    // the 16 columns. Whole bindings cost the engine 4.9 % of its CPU in decoding alone (PERF-NOTES.md #31).
    const rows = await this.query(LEASES_FOR_UNIQUES, [JSON.stringify(list)]);
    for (const r of rows) addTo(result, String(r.unique_number), { contact: String(r.contact), expiresAt: asDate(r.expires_at) });
    return result;
  }

  async listViewsForCircle(circle: string, type?: UniqueType): Promise<Map<string, BindingView[]>> {
    const result = new Map<string, BindingView[]>();
    // The circle overview (500 lines): 7 of the 16 columns. Every column value is a string the
    // driver decodes and the GC then copies while the request runs: 826 → 302 KB allocated and
    // 2.3 → 1.0 ms per 500-line read (bench/perf/circle-driver.ts, PERF-NOTES.md #26). The circle's
    // uniques are selected in the statement, so it runs alongside the read of the uniques.
    const rows = await this.query(LIST_VIEWS_FOR_CIRCLE, [circle, type ?? null]);
    for (const r of rows) addTo(result, String(r.unique_number), viewFromRawRow(r));
    return result;
  }

  async listAll(): Promise<Binding[]> {
    const rows = await this.db.select().from(bindings);
    return rows.map(toBinding);
  }
}

/**
 * One primary-key probe per unique, whatever the statistics say. `= any(array(...))` got a generic
 * plan that scanned the table (0.45 ms for 3 uniques); a plain LATERAL subquery is pulled up into
 * the join, and before the table is first analyzed (PostgreSQL then assumes 200 distinct uniques,
 * i.e. hundreds of bindings each) the planner hashed the whole table instead: a sequential scan of
 * 100,000 bindings, 12–22 ms per call, for every page of the alert engine's seeds and every circle
 * overview (EXPLAIN in bench/PERF-NOTES.md #27). `OFFSET 0` keeps the subquery a subquery
 * (PostgreSQL does not pull up a subquery with LIMIT/OFFSET), so it runs once per unique through
 * the primary key (unique_number, contact). test/unit/store/binding-plans.test.ts checks the plan.
 */
const byUnique = (columns: string, wanted: string) =>
  `select ${columns} from ${wanted} cross join lateral (select * from bindings where unique_number = wanted.n offset 0) b`;
export const LEASES_FOR_UNIQUES = byUnique('b.unique_number, b.contact, b.expires_at', UNIQUES_IN_LIST);
export const LIST_VIEWS_FOR_CIRCLE = byUnique(
  'b.unique_number, b.contact, b.source, b.transport, b.user_agent, b.registered_at, b.expires_at',
  UNIQUES_OF_CIRCLE,
);

function addTo<T>(byUnique: Map<string, T[]>, unique: string, item: T): void {
  const list = byUnique.get(unique);
  if (list) list.push(item);
  else byUnique.set(unique, [item]);
}

/** The columns of a raw `bindings` row (snake_case) that a status document shows. */
function viewFromRawRow(r: Record<string, unknown>): BindingView {
  return {
    contact: String(r.contact),
    source: String(r.source),
    transport: r.transport === 'tcp' ? 'tcp' : 'udp',
    userAgent: (r.user_agent as string | null) ?? null,
    registeredAt: asDate(r.registered_at),
    expiresAt: asDate(r.expires_at),
  };
}
