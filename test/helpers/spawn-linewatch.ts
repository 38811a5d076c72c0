/**
 * Starts the real `linewatch serve` process for black-box tests: free ports, its own database
 * (a fresh PostgreSQL database when DATABASE_URL is set, else a PGlite data directory), logs
 * captured to a file so tests can grep them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { adminUrl } from './pg-admin.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin', 'linewatch.js');

/** A port free for both UDP and TCP (SIP listens on both with one number). */
export async function freeDualPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const tcpFree = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (!tcpFree) continue;
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port found');
}

export interface SpawnedLinewatch {
  readonly sipPort: number;
  readonly httpPort: number;
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly logFile: string;
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly process: ChildProcess;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  logs(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Drops the database/data directory. */
  cleanup(): Promise<void>;
}

export interface SpawnOptions {
  readonly env?: Record<string, string>;
  /** Reuse a database (restart tests). */
  readonly databaseUrl?: string | null;
  readonly dataDir?: string;
  readonly startTimeoutMs?: number;
  /** Extra Node.js flags for the serve process (e.g. `--cpu-prof` from `npm run bench -- --profile`). */
  readonly nodeArgs?: readonly string[];
}

export async function createTestDatabaseUrl(): Promise<string | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl(url), { max: 1, onnotice: () => {} });
  const name = `lw_e2e_${randomBytes(5).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl(databaseUrl), { max: 1, onnotice: () => {} });
  const name = new URL(databaseUrl).pathname.slice(1);
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  await admin.end();
}

export async function spawnLinewatch(options: SpawnOptions = {}): Promise<SpawnedLinewatch> {
  const sipPort = await freeDualPort();
  const httpPort = await freeDualPort();
  const apiToken = `e2e-${randomBytes(12).toString('hex')}`;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'linewatch-e2e-'));
  const databaseUrl = options.databaseUrl !== undefined ? options.databaseUrl : await createTestDatabaseUrl();
  const logFile = join(dataDir, `serve-${Date.now()}.log`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    DATA_DIR: dataDir,
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(sipPort),
    SIP_DOMAIN: 'linewatch.test',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    API_TOKEN: apiToken,
    LOG_LEVEL: 'debug',
    LOCALE: 'en',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  };
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, 'serve'], { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  let ready = false;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) {
        ready = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const logs = () => readFileSync(logFile, 'utf8');
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`linewatch did not become ready; log:\n${logs().slice(-4000)}`);
  }
  return {
    sipPort,
    httpPort,
    baseUrl,
    apiToken,
    logFile,
    databaseUrl,
    dataDir,
    process: child,
    async api(method, path, body) {
      const res = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${apiToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async cleanup() {
      if (databaseUrl && options.databaseUrl === undefined) await dropTestDatabase(databaseUrl);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
