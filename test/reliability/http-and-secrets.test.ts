/**
 * Guarantees on the real process's HTTP side, and on what it writes to its log:
 * - `/api/v1` refuses calls without or with a wrong bearer token (401) on every route;
 * - oversized bodies are refused with 413 before anything is parsed or stored;
 * - SQL-looking input in every field of every provisioning endpoint is refused by validation
 *   (400) or stored verbatim as data, never executed: the tables and their rows survive;
 * - a full run at LOG_LEVEL=debug (API calls, right and wrong SIP passwords over UDP and TCP)
 *   logs no SIP password, no API token and no Authorization header value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipTestClient } from '../fakes/sip-client.js';
import { postOversized } from '../helpers/oversize-request.js';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';
import { CIRCLE, DOMAIN, keepLogs, makeLines, provision, withSql } from './support/harness.js';
import { Phone } from './support/phone.js';

const SQL_INPUTS = [
  "0000000001'; DROP TABLE uniques;--",
  "1 OR 1=1",
  "x\"); DELETE FROM accounts; --",
  "'; TRUNCATE registration_events; SELECT pg_sleep(5);--",
  "$$; DROP SCHEMA public CASCADE; $$",
];

const asPassword = (evil: string) => `${evil.replace(/\s/g, '')}Xx12345678`.slice(0, 64);

interface Call {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

describe('hostile HTTP input and secrets in the logs of a full run', { retry: 1 }, () => {
  let lw: SpawnedLinewatch;
  const lines = makeLines(7_600_000, 3, 'Sec');
  const wrongPassword = 'Wrong-Pass-7f3e9a';

  beforeAll(async () => {
    lw = await spawnLinewatch({ env: { LOG_LEVEL: 'debug' } });
    await provision(lw, lines);
  }, 120_000);

  afterAll(async () => {
    keepLogs(lw, 'http-and-secrets');
    if (lw) {
      await lw.stop('SIGKILL');
      await lw.cleanup();
    }
  });

  const raw = async (method: string, path: string, o: { token?: string | null; authorization?: string; body?: string; contentType?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (o.authorization !== undefined) headers.authorization = o.authorization;
    else if (o.token !== null) headers.authorization = `Bearer ${o.token ?? lw.apiToken}`;
    if (o.body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    const res = await fetch(`${lw.baseUrl}${path}`, { method, headers, ...(o.body !== undefined ? { body: o.body } : {}) });
    return { status: res.status, body: await res.text() };
  };

  const ROUTES: Call[] = [
    { method: 'POST', path: '/api/v1/accounts', body: { loginId: '' } },
    { method: 'POST', path: '/api/v1/circles', body: { number: 'x', accountLoginId: 'reliability' } },
    { method: 'POST', path: '/api/v1/uniques', body: { number: '0000000999', circleNumber: CIRCLE, type: 'no_such_type', password: 'x-password-1' } },
    { method: 'POST', path: '/api/v1/uniques/import', body: [] },
    { method: 'PUT', path: `/api/v1/uniques/${lines[0]!.unique}/password`, body: { password: 'short' } },
    { method: 'GET', path: `/api/v1/uniques/${lines[0]!.unique}` },
    { method: 'GET', path: `/api/v1/uniques/${lines[0]!.unique}/events?limit=5` },
    { method: 'GET', path: `/api/v1/circles/${CIRCLE}` },
    { method: 'GET', path: '/api/v1/incidents' },
  ];

  it('answers 401 to every API route without a token, with a wrong one, or with another scheme', async () => {
    const wrong = [
      { token: null },
      { token: 'not-the-token-but-long-enough' },
      { token: `${lw.apiToken}x` },
      { authorization: `Basic ${Buffer.from(`api:${lw.apiToken}`).toString('base64')}` },
      { authorization: `Bearer` },
      { authorization: lw.apiToken },
    ];
    const failures: string[] = [];
    // Only routes the process mounts (with the right token they answer something other than 404).
    const mounted: Call[] = [];
    for (const route of ROUTES) if ((await raw(route.method, route.path, route.body !== undefined ? { body: JSON.stringify(route.body) } : {})).status !== 404) mounted.push(route);
    expect(mounted.length).toBeGreaterThanOrEqual(ROUTES.length - 1);
    for (const route of mounted) {
      for (const w of wrong) {
        const r = await raw(route.method, route.path, { ...w, ...(route.body !== undefined ? { body: JSON.stringify(route.body) } : {}) });
        if (r.status !== 401) failures.push(`${route.method} ${route.path} with ${JSON.stringify(w).slice(0, 40)} → ${r.status}`);
      }
    }
    expect(failures).toEqual([]);
    // Nothing above was applied: the line still has its own password (it registers).
    const phone = await Phone.open({ serverPort: lw.sipPort, localAddress: '127.0.6.1', domain: DOMAIN, ...lines[0]! });
    expect((await phone.register()).status).toBe(200);
    await phone.close();
  });

  const declaredOversize = (path: string, contentType: string, body: string) =>
    postOversized(lw.baseUrl, path, { authorization: `Bearer ${lw.apiToken}`, 'content-type': contentType }, body);

  it('refuses oversized bodies with 413', async () => {
    const big = JSON.stringify({ loginId: 'big', name: 'n'.repeat(2 * 1024 * 1024) });
    expect(await declaredOversize('/api/v1/accounts', 'application/json', big)).toBe(413);
    const bigPassword = JSON.stringify({ password: 'p'.repeat(3 * 1024 * 1024) });
    expect(await declaredOversize(`/api/v1/uniques/${lines[0]!.unique}/password`, 'application/json', bigPassword)).toBe(413);
    const csvRow = `${lines[0]!.unique},${CIRCLE},sip_terminal,${'z'.repeat(60)}\n`;
    const hugeCsv = `number,circleNumber,type,password\n${csvRow.repeat(Math.ceil((21 * 1024 * 1024) / csvRow.length))}`;
    expect(await declaredOversize('/api/v1/uniques/import', 'text/csv', hugeCsv)).toBe(413);
    // A body just under the limit is still read and validated (here: refused as invalid, not as too large).
    expect((await raw('POST', '/api/v1/accounts', { body: JSON.stringify({ loginId: '', name: 'n'.repeat(900 * 1024) }) })).status).toBe(400);
  });

  it('refuses or stores verbatim SQL-looking input in every field, and executes none of it', async () => {
    const before = await lw.api('GET', `/circles/${CIRCLE}`);
    expect(before.status).toBe(200);
    const numberLike: string[] = [];
    const unexpected: string[] = [];
    for (const evil of SQL_INPUTS) {
      const attempts: { call: Call; numeric: boolean }[] = [
        { call: { method: 'POST', path: '/api/v1/accounts', body: { loginId: evil } }, numeric: false },
        { call: { method: 'POST', path: '/api/v1/accounts', body: { loginId: `acct-${SQL_INPUTS.indexOf(evil)}`, name: evil } }, numeric: false },
        { call: { method: 'POST', path: '/api/v1/circles', body: { number: evil, accountLoginId: 'reliability' } }, numeric: true },
        { call: { method: 'POST', path: '/api/v1/circles', body: { number: `90000000${SQL_INPUTS.indexOf(evil)}`, accountLoginId: evil } }, numeric: true },
        { call: { method: 'POST', path: '/api/v1/circles', body: { number: `91000000${SQL_INPUTS.indexOf(evil)}`, accountLoginId: 'reliability', userInfo: evil, department: evil, contact: evil } }, numeric: false },
        { call: { method: 'POST', path: '/api/v1/uniques', body: { number: evil, circleNumber: CIRCLE, type: 'sip_terminal', password: 'ok-password-1' } }, numeric: true },
        { call: { method: 'POST', path: '/api/v1/uniques', body: { number: '0000000998', circleNumber: evil, type: 'sip_terminal', password: 'ok-password-1' } }, numeric: true },
        { call: { method: 'POST', path: '/api/v1/uniques', body: { number: '0000000997', circleNumber: CIRCLE, type: evil, password: 'ok-password-1' } }, numeric: true },
        { call: { method: 'POST', path: '/api/v1/uniques', body: { number: '0000000996', circleNumber: CIRCLE, type: 'sip_terminal', password: 'ok-password-1', loginServer: evil } }, numeric: true },
        { call: { method: 'POST', path: '/api/v1/uniques/import', body: [{ number: evil, circleNumber: CIRCLE, type: 'sip_terminal', password: 'ok-password-1' }] }, numeric: true },
        { call: { method: 'PUT', path: `/api/v1/uniques/${encodeURIComponent(evil)}/password`, body: { password: 'ok-password-1' } }, numeric: true },
        { call: { method: 'GET', path: `/api/v1/uniques/${encodeURIComponent(evil)}` }, numeric: true },
        { call: { method: 'GET', path: `/api/v1/uniques/${lines[1]!.unique}/events?limit=${encodeURIComponent(evil)}` }, numeric: true },
        { call: { method: 'GET', path: `/api/v1/circles/${encodeURIComponent(evil)}` }, numeric: true },
      ];
      for (const { call, numeric } of attempts) {
        const r = await raw(call.method, call.path, call.body !== undefined ? { body: JSON.stringify(call.body) } : {});
        const label = `${call.method} ${call.path.slice(0, 60)} ${JSON.stringify(call.body ?? '').slice(0, 80)} → ${r.status}`;
        if (r.status >= 500) unexpected.push(label);
        else if (numeric && r.status !== 400 && r.status !== 404) numberLike.push(label);
      }
      // A password is opaque printable ASCII (no spaces, 8-64): SQL in it is just characters.
      const put = await lw.api('PUT', `/uniques/${lines[2]!.unique}/password`, { password: asPassword(evil) });
      expect(put.status, `password ${evil}`).toBe(200);
    }
    expect(unexpected, 'server errors').toEqual([]);
    expect(numberLike, 'numbers, codes and login servers must be validated (400), or be unknown (404)').toEqual([]);
    // Nothing was executed: every table and row is still there.
    const after = await lw.api('GET', `/circles/${CIRCLE}`);
    expect(after.status).toBe(200);
    expect(JSON.stringify(after.body.uniques?.map((u: { unique: string }) => u.unique) ?? after.body)).toBe(JSON.stringify(before.body.uniques?.map((u: { unique: string }) => u.unique) ?? before.body));
    const stored = await lw.api('GET', `/uniques/${lines[1]!.unique}/events?limit=5`);
    expect(stored.status).toBe(200);
    const evilPasswordPhone = await Phone.open({ serverPort: lw.sipPort, localAddress: '127.0.6.2', domain: DOMAIN, unique: lines[2]!.unique, password: asPassword(SQL_INPUTS.at(-1)!) });
    expect((await evilPasswordPhone.register()).status, 'an SQL-looking password is just a password').toBe(200);
    await evilPasswordPhone.close();
    if (lw.databaseUrl) {
      await withSql(lw.databaseUrl, async (sql) => {
        const tables = (await sql<{ t: string }[]>`select table_name as t from information_schema.tables where table_schema = 'public'`).map((r) => r.t);
        for (const t of ['accounts', 'circles', 'uniques', 'bindings', 'registration_events']) expect(tables).toContain(t);
        const accounts = await sql<{ login_id: string }[]>`select login_id from accounts`;
        expect(accounts.map((a) => a.login_id)).toContain('reliability');
      });
    }
  });

  it('logs no SIP password, API token or Authorization value during a full run at LOG_LEVEL=debug', async () => {
    // SIP traffic with right and wrong passwords, UDP and TCP, so the registrar logs what it logs.
    const udp = await Phone.open({ serverPort: lw.sipPort, localAddress: '127.0.6.3', domain: DOMAIN, ...lines[0]! });
    expect((await udp.register()).status).toBe(200);
    expect((await udp.register({ password: wrongPassword })).status).toBe(403);
    await udp.close();
    const tcp = await SipTestClient.open({ transport: 'tcp', host: '127.0.0.1', port: lw.sipPort, domain: DOMAIN });
    expect((await tcp.register({ user: lines[1]!.unique, password: lines[1]!.password })).final.status).toBe(200);
    expect((await tcp.register({ user: lines[1]!.unique, password: wrongPassword })).final.status).toBe(403);
    await tcp.close();
    await raw('GET', `/api/v1/uniques/${lines[0]!.unique}`, { token: 'a-wrong-token-value-123' });
    await new Promise((r) => setTimeout(r, 500));
    const logs = lw.logs();
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs, 'the log shows request handling').toContain('request completed');
    const secrets = [...lines.map((l) => l.password), wrongPassword, lw.apiToken, 'a-wrong-token-value-123', 'x-password-1', 'ok-password-1', ...SQL_INPUTS.map(asPassword)];
    const leaked = secrets.filter((s) => logs.includes(s));
    expect(leaked, 'secrets found in the log').toEqual([]);
    const authValues = [...logs.matchAll(/"authorization":"([^"]*)"/gi)].map((m) => m[1]).filter((v) => v !== '[redacted]');
    expect(authValues, 'Authorization header values in the log').toEqual([]);
    expect(logs.match(/Digest username="[^"]*", realm="[^"]*", nonce="[^"]*", uri="[^"]*", response="[0-9a-f]+"/g) ?? [], 'digest responses in the log').toEqual([]);
  });
});
