/**
 * The reference registrars: Kamailio from the Debian package with the configurations in
 * bench/kamailio/, credentials prepared in a PostgreSQL database of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

const SCHEMA_DIR = '/usr/share/kamailio/postgres';

/** Creates the Kamailio database (version, subscriber, location, htable tables) with HA1 values. */
export async function prepareKamailioDatabase(adminUrl: string, dbName: string, users: readonly { user: string; ha1: string }[], domain: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  for (const file of ['standard-create.sql', 'auth_db-create.sql', 'usrloc-create.sql']) {
    await sql.unsafe(readFileSync(join(SCHEMA_DIR, file), 'utf8'));
  }
  await sql.unsafe(readFileSync(join(SCHEMA_DIR, 'htable-create.sql'), 'utf8').replace(/\bhtable\b/g, 'kam_credentials').replace(/'kam_credentials'/, "'kam_credentials'"));
  for (let i = 0; i < users.length; i += 2000) {
    const chunk = users.slice(i, i + 2000);
    await sql`insert into subscriber ${sql(chunk.map((u) => ({ username: u.user, domain, password: '', ha1: u.ha1, ha1b: '' })))}`;
    // key_type 0 = string key, value_type 0 = string value
    await sql`insert into kam_credentials ${sql(chunk.map((u) => ({ key_name: u.user, key_type: 0, value_type: 0, key_value: u.ha1 })))}`;
  }
  await sql.end();
  return `postgres://${url.username || 'postgres'}${url.password ? `:${url.password}` : ''}@${url.host}/${dbName}`;
}

export interface RunningKamailio {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export async function startKamailio(options: { benchDir: string; config: 'registrar-memory' | 'registrar-postgres'; port: number; dbUrl: string }): Promise<RunningKamailio> {
  const dir = mkdtempSync(join(tmpdir(), 'kamailio-bench-'));
  const cfg = readFileSync(join(options.benchDir, 'kamailio', `${options.config}.cfg`), 'utf8')
    .replaceAll('__LISTEN__', `udp:127.0.0.1:${options.port}`)
    .replaceAll('__DB_URL__', options.dbUrl)
    .replaceAll('__BENCH_DIR__', options.benchDir);
  const file = join(dir, 'kamailio.cfg');
  writeFileSync(file, cfg);
  const child = spawn('kamailio', ['-f', file, '-DD', '-E', '-b', '4194304', '-m', '256', '-M', '16', '-w', dir, '-Y', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // Kamailio needs a moment to fork its children and (memory config) load the htable.
  await new Promise((r) => setTimeout(r, 2500));
  if (child.exitCode !== null) throw new Error(`kamailio exited (${child.exitCode}): ${stderr}`);
  return {
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
