/**
 * Runs once per `vitest run`: prepares migrated database templates so each test file starts from
 * a ready schema in well under a second (PGlite's initdb alone costs ~2.5 s per instance).
 * - PGlite: a migrated instance dumped to a tarball; files load it with `loadDataDir`.
 * - PostgreSQL (when DATABASE_URL is set): a migrated template database; files clone it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb, migrateDb } from '../src/store/db.js';
import { adminUrl, templateName } from './helpers/pg-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'linewatch-test-'));
  const pg = await createDb({ kind: 'pglite', dataDir: null });
  await migrateDb(pg);
  const { PGlite } = await import('@electric-sql/pglite');
  void PGlite;
  const client = (pg.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  const file = join(dir, 'pglite-template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await pg.close();
  project.provide('pgliteTemplate', file);

  let postgresTemplate: string | null = null;
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: postgres } = await import('postgres');
    const admin = postgres(adminUrl(url), { max: 1, onnotice: () => {} });
    const name = templateName();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const handle = await createDb({ kind: 'postgres', url: withDatabase(url, name), maxConnections: 1 });
    await migrateDb(handle);
    await migrateDb(handle); // migrations must be idempotent
    await handle.close();
    postgresTemplate = name;
    project.provide('postgresTemplate', name);
    return async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  project.provide('postgresTemplate', postgresTemplate);
  return () => rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
