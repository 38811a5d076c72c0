/**
 * PGlite is one process's database: a second process opening the same directory would corrupt it.
 * `serve` holds a lock file naming its pid and HTTP address; CLI commands that open the database
 * directly refuse while it is held and point at the running server's API instead.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DataDirLock {
  release(): void;
}

export interface LockHolder {
  readonly pid: number;
  readonly httpHost: string;
  readonly httpPort: number;
}

const LOCK_FILE = 'linewatch.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process holding the directory, if any (a stale lock of a dead process is ignored). */
export function lockHolder(dataDir: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockHolder;
    return holder.pid !== process.pid && isAlive(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

export function acquireDataDirLock(dataDir: string, http: { host: string; port: number }): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const holder = lockHolder(dataDir);
  if (holder) {
    throw new Error(`DATA_DIR ${dataDir} is in use by linewatch process ${holder.pid}: stop it or set another DATA_DIR`);
  }
  const file = join(dataDir, LOCK_FILE);
  writeFileSync(file, JSON.stringify({ pid: process.pid, httpHost: http.host, httpPort: http.port }));
  return { release: () => rmSync(file, { force: true }) };
}
