/**
 * Databases for storage tests: PGlite always, the real PostgreSQL too when DATABASE_URL is set.
 * Each call gives a fresh, migrated, private database.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../src/store/db.js';
import { adminUrl } from './pg-admin.js';

export interface TestDb extends DbHandle {
  /** Closes and drops the database. */
  dispose(): Promise<void>;
}

export type TestDbKind = 'pglite' | 'postgres';

/** The kinds to run storage tests on in this run: `describe.each(testDbKinds())`. */
export function testDbKinds(): TestDbKind[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

let pgliteDump: Buffer | null = null;

export async function openTestDb(kind: TestDbKind = 'pglite'): Promise<TestDb> {
  if (kind === 'pglite') {
    pgliteDump ??= readFileSync(inject('pgliteTemplate'));
    const handle = await createDb({ kind: 'pglite', dataDir: null, loadDataDir: new Blob([pgliteDump]) });
    return { ...handle, dispose: () => handle.close() };
  }
  const template = inject('postgresTemplate');
  const url = process.env.DATABASE_URL;
  if (!template || !url) throw new Error('postgres test database requested but DATABASE_URL is not set');
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl(url), { max: 1, onnotice: () => {} });
  const name = `lw_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const handle = await createDb({ kind: 'postgres', url: u.toString(), maxConnections: 5 });
  return {
    ...handle,
    async dispose() {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
