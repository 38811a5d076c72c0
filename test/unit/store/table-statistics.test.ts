import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { TableStatistics } from '../../../src/store/table-statistics.js';

/**
 * Statistics must not depend on autovacuum (off on this project's CI server, absent from PGlite):
 * without them the latest-REGISTER read of a line fetched and sorted its whole accepted history
 * (PERF-NOTES.md #32).
 */
describe.each(testDbKinds())('table statistics on %s', (kind) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb(kind);
    // Where autovacuum runs it must not analyze behind the test's back.
    await db.query('alter table registration_events set (autovacuum_enabled = false)', []);
  });
  afterEach(async () => {
    await db.dispose();
  });

  /** Inserts `n` events on one connection and makes its change counters visible at once. */
  async function insertEvents(n: number, from: number, lines = 50): Promise<void> {
    await db.commitQuery(
      `insert into registration_events (event_key, type, unique_number, at, method, source, transport, detail)
       select 'k' || g, 'refreshed', 'u' || (g % $3::int), now(), 'REGISTER', '192.0.2.1:5060', 'udp', '{}'::jsonb
       from generate_series($1::int, $2::int) g`,
      [from, from + n - 1, lines],
    );
    await db.commitQuery('select pg_stat_force_next_flush()', []);
    await db.commitQuery('select 1', []);
  }

  const lastAnalyzed = async (table: string): Promise<unknown> =>
    (await db.query(`select coalesce(last_analyze, last_autoanalyze) as at from pg_stat_user_tables where relname = '${table}'`, []))[0]?.at ?? null;

  it('analyzes a table once a tenth of it (and at least the minimum) changed, and not before', async () => {
    const stats = new TableStatistics({ query: db.query, minChangedRows: 1_000 });
    await insertEvents(999, 1);
    expect(await stats.refresh()).toEqual([]);
    expect(await lastAnalyzed('registration_events')).toBeNull();

    await insertEvents(1, 1_000);
    expect(await stats.refresh()).toEqual(['registration_events']);
    expect(await lastAnalyzed('registration_events')).not.toBeNull();
    const [row] = await db.query(`select n_mod_since_analyze as changed from pg_stat_user_tables where relname = 'registration_events'`, []);
    expect(Number(row!.changed)).toBe(0);

    // 1,000 rows analyzed: the next analysis needs max(1,000, 10 %) = 1,000 more changes.
    await insertEvents(500, 2_000);
    expect(await stats.refresh()).toEqual([]);
    await insertEvents(500, 3_000);
    expect(await stats.refresh()).toEqual(['registration_events']);
  });

  it('turns the latest-REGISTER read from fetching and sorting a line\'s history into one backward index probe', async () => {
    await insertEvents(30_000, 1, 2_000); // 2,000 lines with 15 events each
    const latest = `explain select r.id from registration_events r where r.unique_number = 'u7'
      and r.type in ('registered', 'refreshed', 'unregistered') order by r.id desc limit 1`;
    const plan = async () => (await db.query(latest, [])).map((r) => String(Object.values(r)[0])).join('\n');
    expect(await plan()).toMatch(/Sort/);
    expect(await new TableStatistics({ query: db.query }).refresh()).toEqual(['registration_events']);
    expect(await plan()).not.toMatch(/Sort/);
    expect(await plan()).toMatch(/Index Scan Backward using registration_events_unique_idx/);
  });

  it('reports a failure in the log once per streak, and its end, and does not throw', async () => {
    const warnings: string[] = [];
    let down = true;
    const infos: string[] = [];
    const logger = { info: (_: unknown, msg: string) => infos.push(msg), warn: (_: unknown, msg: string) => warnings.push(msg) } as never;
    const stats = new TableStatistics({ query: async (text, params) => (down ? Promise.reject(new Error('connection reset')) : db.query(text, params)), logger: logger });
    expect(await stats.refresh()).toEqual([]);
    expect(await stats.refresh()).toEqual([]);
    expect(warnings).toEqual(['could not refresh table statistics; will try again']); // once per streak
    down = false;
    expect(await stats.refresh()).toEqual([]);
    expect(infos).toEqual(['table statistics can be refreshed again']);
  });
});
