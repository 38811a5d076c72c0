import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.js';

/** One drizzle type for both drivers: code that works on PGlite works on postgres.js. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbTx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * A statement with a fixed text, sent past drizzle for the few per-batch hot paths. drizzle's
 * postgres.js driver sends every statement unnamed, so PostgreSQL parses and plans it on every
 * execution and the driver describes it again; this one is prepared once per connection (named
 * statement, postgres.js `prepare: true`). Rows come back as plain objects keyed by column name.
 */
export type SqlQuery = (text: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** What repositories need: drizzle for most statements, `query` for the per-batch hot ones. */
export type StoreAccess = Pick<DbHandle, 'db' | 'query'>;

export interface DbHandle {
  readonly db: Db;
  readonly driver: 'postgres' | 'pglite';
  readonly query: SqlQuery;
  /**
   * `query` on a connection of its own, for the registrar's group commit: on the shared pool a
   * commit could be pipelined behind a burst of reads (postgres.js queues on a busy connection
   * once every pooled one is busy), and every phone waiting for its 200 waits behind them too.
   */
  readonly commitQuery: SqlQuery;
  /**
   * Replaces the commit connection (for a statement that never settled: `RegistrationWriter`
   * `abandonAfterMs`). The old one is destroyed at once, and the new one's first statement ends
   * every other server session of this process's commit connection (`pg_terminate_backend`), so
   * a statement left on the old one, still running or still in the network to arrive, cannot
   * commit after the retried batch and overwrite newer rows. A no-op on PGlite.
   */
  resetCommit(): Promise<void>;
  /** A cheap round trip, for `/readyz`. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

export type DbTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly maxConnections?: number }
  | {
      readonly kind: 'pglite';
      readonly dataDir: string | null;
      readonly loadDataDir?: Blob | File;
      /** PostgreSQL's `shared_buffers` inside PGlite (its default, 128 MB, is touched at start). */
      readonly sharedBuffersMb?: number;
    };

/**
 * Opens the database: postgres.js for a real server, PGlite (embedded PostgreSQL in WASM) otherwise.
 * No singleton: the composition root and each test own their handle.
 */
export async function createDb(target: DbTarget): Promise<DbHandle> {
  if (target.kind === 'postgres') {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    // JIT compiles a plan whose estimated cost passes jit_above_cost (100,000): for the short
    // lookups of this service that is pure overhead (18.8 ms of JIT in an 85 ms read of a
    // 500-line circle, bench/PERF-NOTES.md #19). PGlite has no JIT.
    const client = (applicationName: string, max: number) =>
      postgres(target.url, { max, onnotice: () => {}, connection: { application_name: applicationName, jit: 'off' } });
    const sql = client('linewatch', target.maxConnections ?? 10);
    // Unique per process, so the fence below ends this process's sessions and no other's.
    const commitName = `linewatch-commit ${randomUUID().slice(0, 8)}`;
    let commitSql = client(commitName, 1);
    let fencePending = false;
    const fence = async (on: typeof commitSql) => {
      try {
        // PostgreSQL 14+: waits up to 5 s for each session to exit (it rolls back what it has not committed).
        await on.unsafe('select pg_terminate_backend(pid, 5000) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [commitName]);
      } catch (err) {
        // A role that may not signal its own sessions: nothing to fence with, write on.
        if ((err as { code?: unknown }).code !== '42501') throw err;
      }
    };
    const db = drizzle({ client: sql, schema }) as unknown as Db;
    /** `SqlQuery` on a client: a named statement, prepared once per connection. */
    const prepared = (on: typeof sql, text: string, params: readonly unknown[]) =>
      on.unsafe(text, params as never[], { prepare: true }) as unknown as Promise<Record<string, unknown>[]>;
    return {
      db,
      driver: 'postgres',
      query: (text, params) => prepared(sql, text, params),
      commitQuery: (text, params) => {
        const on = commitSql;
        if (!fencePending) return prepared(on, text, params);
        // A failed fence leaves fencePending set: the next statement tries it again.
        return fence(on).then(() => {
          if (commitSql === on) fencePending = false;
          return prepared(on, text, params);
        });
      },
      async resetCommit() {
        const old = commitSql;
        commitSql = client(commitName, 1);
        fencePending = true;
        // Destroyed without waiting: its statement may never be answered.
        void old.end({ timeout: 0 }).catch(() => {});
      },
      async ping() {
        try {
          await sql`select 1`;
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        await Promise.all([sql.end({ timeout: 5 }), commitSql.end({ timeout: 5 })]);
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const pg = await PGlite.create({
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
    ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    // PGlite starts PostgreSQL with initdb's shared_buffers = 128MB, and the whole pool is resident
    // from the start: RSS of an open PGlite 297 MB at 128 MB, 193 MB at 32 MB, 160 MB at 16 MB
    // (bench/PERF-NOTES.md #37). Pages it does not hold are read through the WASM file system
    // from the OS page cache. Given as a start parameter, after PGlite's own: its `postgresqlconf`
    // option would replace the data directory's postgresql.conf (timezone, locale) instead.
    ...(target.sharedBuffersMb !== undefined ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${target.sharedBuffersMb}MB`] } : {}),
  });
  const db = drizzle({ client: pg, schema }) as unknown as Db;
  const query: SqlQuery = async (text, params) => (await pg.query<Record<string, unknown>>(text, params as unknown[])).rows;
  return {
    db,
    driver: 'pglite',
    query,
    // PGlite is one connection: every statement already runs in turn.
    commitQuery: query,
    resetCommit: async () => {},
    async ping() {
      try {
        await pg.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pg.close(),
  };
}

/** Applies the drizzle-kit migrations in `drizzle/`; re-running is a no-op. */
export async function migrateDb(handle: DbHandle, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (handle.driver === 'postgres') {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    await migrate(handle.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.db as never, { migrationsFolder });
  }
}

export const defaultDataDir = (cwd: string) => join(cwd, 'data');
