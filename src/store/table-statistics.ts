/**
 * Keeps the planner statistics of the busiest tables fresh, whether or not autovacuum runs.
 *
 * @remarks
 * The per-line reads choose their plans from these statistics. Without them PostgreSQL assumes
 * 200 distinct values per column, i.e. thousands of events per line, and reads a line's latest
 * accepted REGISTER by fetching every accepted event of the line and sorting them, a cost that
 * grows with the history: `/circle status` (500 lines, ~30 events each) took 21 ms instead of
 * 12 ms, its latest-REGISTER read 12.6 ms instead of 2.1 ms (bench/PERF-NOTES.md #32). Statistics
 * come from ANALYZE, which autovacuum runs — but not where autovacuum is off (this project's CI
 * server, some managed setups) and never on PGlite, which has no autovacuum. So the service checks
 * the tables' change counters (`pg_stat_user_tables.n_mod_since_analyze`) every minute and
 * analyzes a table once the rows changed since its last analysis reach a tenth of the table
 * (PostgreSQL's own default, `autovacuum_analyze_scale_factor` = 0.1) and at least 1,000 rows.
 * Where autovacuum runs and keeps up, the counters stay below that and nothing is done. ANALYZE
 * reads a sample of at most 30,000 rows and takes a lock that does not block reads or writes
 * ("SHARE UPDATE EXCLUSIVE", PostgreSQL docs §13.3.1).
 */
import type { SqlQuery } from './db.js';

/** The tables whose statistics the hot reads depend on (fixed names: never from input). */
const ANALYZED_TABLES = ['registration_events', 'bindings', 'uniques', 'incidents'] as const;

export interface TableStatisticsOptions {
  readonly query: SqlQuery;
  readonly logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** How often the counters are checked; 60 s by default (autovacuum's default naptime). */
  readonly intervalMs?: number;
  /** Analyze once changed rows reach this share of the table (default 0.1)… */
  readonly scaleFactor?: number;
  /** …and at least this many (default 1,000). */
  readonly minChangedRows?: number;
}

const CHANGED_TABLES = `
  select relname as table_name, n_live_tup as live, n_mod_since_analyze as changed
  from pg_stat_user_tables
  where schemaname = current_schema() and relname in (${ANALYZED_TABLES.map((t) => `'${t}'`).join(', ')})`;

export class TableStatistics {
  private readonly intervalMs: number;
  private readonly scaleFactor: number;
  private readonly minChangedRows: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<string[]> | null = null;
  private failing = false;

  constructor(private readonly options: TableStatisticsOptions) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.scaleFactor = options.scaleFactor ?? 0.1;
    this.minChangedRows = options.minChangedRows ?? 1_000;
  }

  /** Checks now, then every interval. */
  start(): void {
    if (this.timer !== null) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops checking and waits for an analysis in progress. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * Analyzes every watched table whose changed rows reached the threshold; returns their names.
   * Never throws: a failure is logged and the next check tries again.
   */
  refresh(): Promise<string[]> {
    this.running ??= this.analyzeStale().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async analyzeStale(): Promise<string[]> {
    const analyzed: string[] = [];
    try {
      const rows = await this.options.query(CHANGED_TABLES, []);
      for (const row of rows) {
        const table = ANALYZED_TABLES.find((t) => t === row.table_name);
        const changed = Number(row.changed);
        if (table === undefined || changed < Math.max(this.minChangedRows, this.scaleFactor * Number(row.live))) continue;
        const started = performance.now();
        await this.options.query(`analyze ${table}`, []);
        analyzed.push(table);
        this.options.logger?.info({ table, changedRows: changed, ms: Math.round(performance.now() - started) }, 'table statistics refreshed');
      }
      if (this.failing) this.options.logger?.info({}, 'table statistics can be refreshed again');
      this.failing = false;
    } catch (err) {
      // Once per failure streak (e.g. a role that does not own the tables may not ANALYZE them),
      // not every minute.
      if (!this.failing) this.options.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not refresh table statistics; will try again');
      this.failing = true;
    }
    return analyzed;
  }
}
