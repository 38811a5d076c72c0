/**
 * Black box: the real `linewatch serve` process, real SIPp phones over UDP and TCP, the REST API.
 * Proves the loop a support agent relies on: a phone registers → the API says registered within a
 * second; a wrong password → 403 and `lastError.kind = auth_failed` within a second; 423; Contact: *;
 * an expiry event on time; no plaintext password in the database or the logs; SIGTERM exits 0.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSipp, runSipp } from '../helpers/sipp.js';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';

const DOMAIN = 'linewatch.test';
const PASSWORDS: Record<string, string> = {
  '0000000801': 'udp-Secret-801',
  '0000000802': 'tcp-Secret-802',
  '0000000803': 'right-Secret-803',
  '0000000804': 'expiry-Secret-804',
};

async function eventually<T>(probe: () => Promise<T>, accept: (v: T) => boolean, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  let last = await probe();
  while (!accept(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('linewatch serve, driven by SIPp', { retry: 1 }, () => {
  let lw: SpawnedLinewatch;

  beforeAll(async () => {
    requireSipp();
    lw = await spawnLinewatch({ env: { SIP_MIN_EXPIRES: '5', SIP_DOMAIN: DOMAIN, DEREGISTER_GRACE_S: '1', RESTART_GRACE_S: '2' } });
    expect((await lw.api('POST', '/accounts', { loginId: 'e2e' })).status).toBe(201);
    expect((await lw.api('POST', '/circles', { number: '800000001', accountLoginId: 'e2e' })).status).toBe(201);
    for (const [number, password] of Object.entries(PASSWORDS)) {
      const res = await lw.api('POST', '/uniques', { number, circleNumber: '800000001', type: 'sip_terminal', password });
      expect(res.status).toBe(201);
    }
  }, 180_000);

  afterAll(async () => {
    if (!lw) return;
    await lw.stop();
    await lw.cleanup();
  });

  const line = (unique: string, expires = 600, password = PASSWORDS[unique]!) => ({ unique, domain: DOMAIN, password, expires });
  const status = (unique: string) => lw.api('GET', `/uniques/${unique}`).then((r) => r.body);

  it('registers over UDP with digest auth, and the API shows it registered within a second', async () => {
    const run = await runSipp({ scenario: 'register', port: lw.sipPort, transport: 'udp', lines: [line('0000000801')] });
    expect(run.exitCode, run.output).toBe(0);
    const doc = await eventually(() => status('0000000801'), (d) => d.status === 'registered', 1000);
    expect(doc.status).toBe('registered');
    expect(doc.bindings).toHaveLength(1);
    expect(doc.bindings[0]).toMatchObject({ transport: 'udp', userAgent: 'SIPp-linewatch-test' });
    expect(doc.bindings[0].source).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(doc.lastRegisterAt).not.toBeNull();
  });

  it('registers over TCP', async () => {
    const run = await runSipp({ scenario: 'register', port: lw.sipPort, transport: 'tcp', lines: [line('0000000802')] });
    expect(run.exitCode, run.output).toBe(0);
    const doc = await eventually(() => status('0000000802'), (d) => d.status === 'registered', 1000);
    expect(doc.bindings[0]).toMatchObject({ transport: 'tcp' });
  });

  it('answers a wrong password with 403 and records auth_failed with the method within a second', async () => {
    const run = await runSipp({ scenario: 'register-refused', port: lw.sipPort, transport: 'udp', lines: [line('0000000803', 600, 'wrong-password')] });
    expect(run.exitCode, run.output).toBe(0);
    const doc = await eventually(() => status('0000000803'), (d) => d.lastError !== null, 1000);
    expect(doc.status).toBe('not_registered');
    expect(doc.lastError).toMatchObject({ kind: 'auth_failed', method: 'REGISTER' });
    expect(doc.tips.join('\n')).toMatch(/password/i);
    const incidents = await eventually(
      () => lw.api('GET', '/incidents?state=open').then((r) => r.body.incidents as { cause: string; unique: string; tips: string[] }[]),
      (list) => list.some((i) => i.unique === '0000000803'),
      5000,
    );
    const incident = incidents.find((i) => i.unique === '0000000803');
    expect(incident?.cause).toBe('password_error');
    expect(incident?.tips.join('\n')).toMatch(/password/i);
  });

  it('challenges an unknown unique like a known one, then refuses it with 403', async () => {
    const run = await runSipp({ scenario: 'register-refused', port: lw.sipPort, transport: 'udp', lines: [line('0000009999', 600, 'whatever-pass')] });
    expect(run.exitCode, run.output).toBe(0);
  });

  it('answers an expiry below the minimum with 423 and Min-Expires', async () => {
    const run = await runSipp({ scenario: 'register-too-brief', port: lw.sipPort, transport: 'udp', lines: [line('0000000801', 2)] });
    expect(run.exitCode, run.output).toBe(0);
  });

  it('removes every binding with Contact: * and Expires: 0, recorded as unregistered', async () => {
    const run = await runSipp({ scenario: 'unregister-all', port: lw.sipPort, transport: 'udp', lines: [line('0000000801', 0)] });
    expect(run.exitCode, run.output).toBe(0);
    const doc = await eventually(() => status('0000000801'), (d) => d.status === 'not_registered', 1000);
    expect(doc.status).toBe('not_registered');
    const events = (await lw.api('GET', '/uniques/0000000801/events?limit=5')).body.events;
    expect(events[0].type).toBe('unregistered');
  });

  it('records an expired binding within a second of its expiry', async () => {
    const run = await runSipp({ scenario: 'register', port: lw.sipPort, transport: 'udp', lines: [line('0000000804', 5)] });
    expect(run.exitCode, run.output).toBe(0);
    const registered = await eventually(() => status('0000000804'), (d) => d.status === 'registered', 1000);
    const expiresAt = Date.parse(registered.bindings[0].expiresAt);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now())));
    const events = await eventually(
      () => lw.api('GET', '/uniques/0000000804/events?limit=5').then((r) => r.body.events as { type: string; at: string }[]),
      (list) => list[0]?.type === 'expired',
      3000,
    );
    expect(events[0]!.type).toBe('expired');
    expect(Date.parse(events[0]!.at) - expiresAt).toBeLessThanOrEqual(1000);
    expect((await status('0000000804')).status).toBe('not_registered');
    // DEREGISTER_GRACE_S=1: a deregistration incident, with the portal's tips, reaches the API.
    const incidents = await eventually(
      () => lw.api('GET', '/incidents?state=open').then((r) => r.body.incidents as { cause: string; unique: string; tips: string[] }[]),
      (list) => list.some((i) => i.unique === '0000000804' && i.cause === 'deregistered'),
      8000,
    );
    const incident = incidents.find((i) => i.unique === '0000000804' && i.cause === 'deregistered');
    expect(incident, JSON.stringify(incidents)).toBeDefined();
    expect(incident!.tips.join('\n')).toMatch(/internet/i);
  });

  it('accepts the new password and refuses the old one right after a password overwrite', async () => {
    const newPassword = 'overwritten-Secret-802';
    const res = await lw.api('PUT', '/uniques/0000000802/password', { password: newPassword });
    expect(res.status).toBe(200);
    const old = await runSipp({ scenario: 'register-refused', port: lw.sipPort, transport: 'udp', lines: [line('0000000802')] });
    expect(old.exitCode, old.output).toBe(0);
    const fresh = await runSipp({ scenario: 'register', port: lw.sipPort, transport: 'udp', lines: [line('0000000802', 600, newPassword)] });
    expect(fresh.exitCode, fresh.output).toBe(0);
    PASSWORDS['0000000802-new'] = newPassword;
  });

  it('stores and logs no plaintext password, then exits 0 on SIGTERM', async () => {
    const secrets = Object.values(PASSWORDS);
    const logs = lw.logs();
    for (const secret of secrets) expect(logs.includes(secret), `log contains ${secret}`).toBe(false);
    if (lw.databaseUrl) {
      const { default: postgres } = await import('postgres');
      const sql = postgres(lw.databaseUrl, { max: 1, onnotice: () => {} });
      const tables = await sql<{ table_schema: string; table_name: string }[]>`select table_schema, table_name from information_schema.tables where table_schema in ('public', 'drizzle')`;
      expect(tables.length).toBeGreaterThan(5);
      for (const { table_schema, table_name } of tables) {
        const rows = await sql.unsafe(`select t::text as row from "${table_schema}"."${table_name}" t`);
        const dump = rows.map((r) => r.row).join('\n');
        for (const secret of secrets) expect(dump.includes(secret), `${table_name} contains a password`).toBe(false);
      }
      await sql.end();
      expect(await lw.stop()).toBe(0);
    } else {
      expect(await lw.stop()).toBe(0);
      for (const file of filesUnder(lw.dataDir)) {
        const bytes = readFileSync(file);
        for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${file} contains a password`).toBe(false);
      }
    }
  });
});
