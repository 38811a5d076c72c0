/**
 * The Kamailio adapter against a real Kamailio 5.6 running examples/kamailio/kamailio.cfg: a SIPp
 * client registers, linewatch's status shows `registered` with the real contact, un-registers, shows
 * `not_registered`; Kamailio stopped gives a clear "did not answer" and no crash.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineQueries } from '../../../src/app/line-queries.js';
import { createTimeFormatter, deriveCredentials, systemClock } from '../../../src/domain/index.js';
import { loadLoginServers, type LoginServers } from '../../../src/external/index.js';
import { DrizzleAccountRepo, DrizzleBindingRepo, DrizzleCircleRepo, DrizzleEventRepo, DrizzleUniqueRepo } from '../../../src/store/index.js';
import { openTestDb, type TestDb } from '../../helpers/test-db.js';
import { freePort, sippRegister, startKamailio, type RunningKamailio } from './kamailio-harness.js';

const LOGIN_SERVER = 'sip9.example.net';
const UNIQUE = '0000000773';
const RPC_TOKEN = 'kamailio-rpc-test-token';

describe('Kamailio adapter against a real Kamailio', () => {
  let kamailio: RunningKamailio;
  let db: TestDb;
  let servers: LoginServers;
  let queries: LineQueries;
  let configDir: string;
  let sippPort: number;

  beforeAll(async () => {
    kamailio = await startKamailio({ rpcToken: RPC_TOKEN });
    db = await openTestDb('pglite');
    configDir = mkdtempSync(join(tmpdir(), 'lw-login-servers-'));
    const file = join(configDir, 'login-servers.yaml');
    writeFileSync(
      file,
      [
        'served:',
        '  - sip3.example.net',
        'external:',
        `  - loginServer: ${LOGIN_SERVER}`,
        '    adapter: kamailio-jsonrpc',
        `    url: ${kamailio.rpcUrl}`,
        '    timeoutMs: 1500',
        '    authHeaderEnv: KAMAILIO_SIP9_AUTH',
        '',
      ].join('\n'),
    );
    servers = await loadLoginServers(file, { locale: 'en', env: { KAMAILIO_SIP9_AUTH: `Bearer ${RPC_TOKEN}` } });
    const at = new Date();
    await new DrizzleAccountRepo(db.db).create({ loginId: 'acme', name: 'ACME' });
    await new DrizzleCircleRepo(db.db).create({ number: '123456789', accountLoginId: 'acme', userInfo: null, department: null, contact: null, appliedOn: null, state: 'active' });
    await new DrizzleUniqueRepo(db.db).create(
      { number: UNIQUE, circleNumber: '123456789', type: 'sip_terminal', loginServer: LOGIN_SERVER, credentials: deriveCredentials(UNIQUE, LOGIN_SERVER, 'secret-0773') },
      at,
    );
    queries = new LineQueries({
      uniques: new DrizzleUniqueRepo(db.db),
      circles: new DrizzleCircleRepo(db.db),
      bindings: new DrizzleBindingRepo(db),
      events: new DrizzleEventRepo(db),
      clock: systemClock,
      locale: 'en',
      minExpires: 60,
      servedLoginServers: new Set(['localhost', ...servers.served]),
      external: servers.external,
      formatTime: (d) => createTimeFormatter('en', 'Asia/Tokyo').dateTime(d),
    });
    sippPort = await freePort('udp');
  });

  afterAll(async () => {
    await kamailio?.stop();
    await db?.dispose();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('answers "not registered" (no failure) for an AOR Kamailio has never seen', async () => {
    const state = await servers.external.query(UNIQUE, LOGIN_SERVER);
    expect(state).toEqual({ ok: true, bindings: [], lastRegisterAt: null });
    const { document } = await queries.status(UNIQUE);
    expect(document.status).toBe('not_registered');
  });

  it('shows the real contact as registered after SIPp registers to Kamailio', async () => {
    const before = Date.now();
    const sipp = await sippRegister({ kamailio, unique: UNIQUE, domain: LOGIN_SERVER, expires: 300, localPort: sippPort, cseq: 1 });
    expect(sipp.code, `sipp failed:\n${sipp.output}\nkamailio:\n${kamailio.log().slice(-3000)}`).toBe(0);

    const state = await servers.external.query(UNIQUE, LOGIN_SERVER);
    if (!state.ok) throw new Error(`query failed: ${state.message}`);
    expect(state.bindings).toHaveLength(1);
    const b = state.bindings[0]!;
    expect(b.contact).toBe(`sip:${UNIQUE}@127.0.0.1:${sippPort};transport=udp`);
    expect(b.source).toBe(`127.0.0.1:${sippPort}`);
    expect(b.transport).toBe('udp');
    expect(b.userAgent).toBe('SIPp linewatch-test');
    expect(b.callId).toMatch(new RegExp(`^linewatch-reg-${UNIQUE}-1-\\d+@127\\.0\\.0\\.1$`));
    expect(b.expiresAt.getTime()).toBeGreaterThan(before + 290_000);
    expect(b.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);
    expect(b.grantedExpires).toBeGreaterThanOrEqual(299);
    expect(b.grantedExpires).toBeLessThanOrEqual(301);
    expect(state.lastRegisterAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);

    const result = await queries.status(UNIQUE);
    expect(result.external?.ok).toBe(true);
    expect(result.document.status).toBe('registered');
    expect(result.document.loginServer).toBe(LOGIN_SERVER);
    expect(result.document.bindings).toEqual([
      expect.objectContaining({ contact: `sip:${UNIQUE}@127.0.0.1:${sippPort};transport=udp`, source: `127.0.0.1:${sippPort}`, transport: 'udp', userAgent: 'SIPp linewatch-test' }),
    ]);
  });

  it('shows not_registered after the client un-registers (Expires: 0)', async () => {
    const sipp = await sippRegister({ kamailio, unique: UNIQUE, domain: LOGIN_SERVER, expires: 0, localPort: sippPort, cseq: 2 });
    expect(sipp.code, `sipp failed:\n${sipp.output}`).toBe(0);
    expect(await servers.external.query(UNIQUE, LOGIN_SERVER)).toEqual({ ok: true, bindings: [], lastRegisterAt: null });
    const { document } = await queries.status(UNIQUE);
    expect(document.status).toBe('not_registered');
    expect(document.bindings).toEqual([]);
  });

  it('reports a refused query (wrong RPC token) as an error, not as "not registered"', async () => {
    const file = join(configDir, 'wrong-token.yaml');
    writeFileSync(file, `external:\n  - loginServer: ${LOGIN_SERVER}\n    adapter: kamailio-jsonrpc\n    url: ${kamailio.rpcUrl}\n    authHeader: Bearer wrong\n`);
    const wrong = await loadLoginServers(file, { locale: 'en' });
    const state = await wrong.external.query(UNIQUE, LOGIN_SERVER);
    expect(state).toEqual({ ok: false, reason: 'error', message: expect.stringContaining('HTTP 401') });
  });

  it('says the login server did not answer once Kamailio is stopped, without crashing', async () => {
    await kamailio.stop();
    const started = Date.now();
    const state = await servers.external.query(UNIQUE, LOGIN_SERVER);
    expect(state.ok).toBe(false);
    if (state.ok) return;
    expect(state.reason).toBe('unreachable');
    expect(state.message).toContain(`Login server ${LOGIN_SERVER} did not answer`);
    expect(state.message).toContain('ECONNREFUSED');
    expect(state.message).not.toContain(RPC_TOKEN);
    expect(Date.now() - started).toBeLessThan(1500);

    const result = await queries.status(UNIQUE);
    expect(result.external).toEqual(state);
    expect(result.document.status).toBe('unknown');
  });
});
