/**
 * Shared pieces of the reliability suite: provisioning through the real API, bounded polling,
 * direct SQL on the test's own database, process memory, the DATABASE_URL requirement, and a serve
 * whose database sits behind a TCP proxy the test can cut.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { startTcpProxy, type TcpProxy } from '../../fakes/tcp-proxy.js';
import { createTestDatabaseUrl, dropTestDatabase, spawnLinewatch, type SpawnedLinewatch } from '../../helpers/spawn-linewatch.js';

export const DOMAIN = 'linewatch.test';
export const CIRCLE = '700000001';

export interface Line {
  readonly unique: string;
  readonly password: string;
}

/** `count` lines numbered from `first` (10 digits), each with its own password. */
export function makeLines(first: number, count: number, tag = 'Rel'): Line[] {
  return Array.from({ length: count }, (_, i) => {
    const unique = String(first + i).padStart(10, '0');
    return { unique, password: `${tag}-pw-${unique}-x9` };
  });
}

/** One account, one circle, the lines as sip_terminal uniques (bulk import). */
export async function provision(lw: SpawnedLinewatch, lines: readonly Line[]): Promise<void> {
  const account = await lw.api('POST', '/accounts', { loginId: 'reliability' });
  if (account.status !== 201 && account.status !== 409) throw new Error(`account: ${account.status} ${JSON.stringify(account.body)}`);
  const circle = await lw.api('POST', '/circles', { number: CIRCLE, accountLoginId: 'reliability' });
  if (circle.status !== 201 && circle.status !== 409) throw new Error(`circle: ${circle.status} ${JSON.stringify(circle.body)}`);
  const rows = lines.map((l) => ({ number: l.unique, circleNumber: CIRCLE, type: 'sip_terminal', password: l.password }));
  const res = await lw.api('POST', '/uniques/import', rows);
  if (res.status >= 300) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Poll `probe` until `accept` (bounded by `withinMs`); returns the last value. */
export async function eventually<T>(probe: () => Promise<T>, accept: (v: T) => boolean, withinMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + withinMs;
  let last = await probe();
  while (!accept(last) && Date.now() < deadline) {
    await sleep(everyMs);
    last = await probe();
  }
  return last;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resident set size of a process in kB (Linux /proc). */
export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}

/** The PostgreSQL tests need a real server; CI sets DATABASE_URL. Fails (not skips) without it. */
export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('this reliability test needs a real PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (CI does)');
  return url;
}

/** A short-lived postgres.js client on a test database. */
export async function withSql<T>(url: string, body: (sql: import('postgres').Sql) => Promise<T>): Promise<T> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await body(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** GET /readyz; status 0 when no answer came within `timeoutMs` (a hung readiness check). */
export async function readyz(lw: SpawnedLinewatch, timeoutMs = 5000): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(`${lw.baseUrl}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return { status: 0, body: null };
    throw err;
  }
}

export async function healthz(lw: SpawnedLinewatch): Promise<number> {
  const res = await fetch(`${lw.baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
  return res.status;
}

/** Run `worker` on every item with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await worker(item);
    }
  });
  await Promise.all(runners);
}

/**
 * Rows from the database a (stopped or running) linewatch used: PostgreSQL when it had a URL,
 * else its PGlite data directory (only once the process has exited: PGlite is single-process).
 */
export async function queryDatabase<T>(target: { databaseUrl: string | null; dataDir: string }, text: string): Promise<T[]> {
  if (target.databaseUrl) return withSql(target.databaseUrl, async (sql) => (await sql.unsafe(text)) as unknown as T[]);
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create({ dataDir: target.dataDir });
  try {
    return (await pg.query<T>(text)).rows;
  } finally {
    await pg.close();
  }
}

/** With RELIABILITY_KEEP_LOGS=dir, copy the process log there before cleanup (debugging). */
export function keepLogs(lw: SpawnedLinewatch | undefined, name: string): void {
  const dir = process.env.RELIABILITY_KEEP_LOGS;
  if (!dir || !lw) return;
  copyFileSync(lw.logFile, `${dir}/${name}-${lw.process.pid}.log`);
}

/** A test database, a TCP proxy in front of it, and a serve that reaches the database only through it. */
export async function startBehindProxy(): Promise<{ databaseUrl: string; proxy: TcpProxy; lw: SpawnedLinewatch }> {
  requireDatabaseUrl();
  const databaseUrl = (await createTestDatabaseUrl())!;
  const target = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxied = new URL(databaseUrl);
  proxied.port = String(proxy.port);
  try {
    const lw = await spawnLinewatch({ databaseUrl: proxied.toString(), env: { LOG_LEVEL: 'info' } });
    return { databaseUrl, proxy, lw };
  } catch (err) {
    await proxy.close();
    await dropTestDatabase(databaseUrl);
    throw err;
  }
}
