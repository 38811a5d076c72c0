/**
 * POST /api/v1/ingest/events with each documented source format, stored in a real (PGlite) event
 * store; bad bodies and unknown login servers answer 4xx and store nothing.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock, StoredRegistrationEvent } from '../../../src/domain/index.js';
import { EventIngest, parseLoginServers } from '../../../src/external/index.js';
import { installErrorHandler } from '../../../src/http/error-handler.js';
import { ingestRoutes } from '../../../src/http/routes/ingest.js';
import { DrizzleEventRepo } from '../../../src/store/index.js';
import { openTestDb, type TestDb } from '../../helpers/test-db.js';

const NOW = new Date('2026-11-26T03:00:00.000Z');
const clock: Clock = { now: () => NOW };
const CONFIG = `
served: [sip3.example.net]
external:
  - loginServer: kam.example.net
    adapter: kamailio-jsonrpc
    url: http://127.0.0.1:9/RPC
  - loginServer: osips.example.net
    adapter: none
  - loginServer: fs.example.net
    adapter: none
  - loginServer: other.example.net
    adapter: none
`;

interface Ctx {
  db: TestDb;
  app: FastifyInstance;
  repo: DrizzleEventRepo;
}

async function open(): Promise<Ctx> {
  const db = await openTestDb('pglite');
  const repo = new DrizzleEventRepo(db);
  const { external } = parseLoginServers(CONFIG, 'test.yaml');
  const app = Fastify();
  installErrorHandler(app);
  await app.register(ingestRoutes, { ingest: new EventIngest({ sink: repo, loginServers: external, clock }) });
  return { db, app, repo };
}

async function close(ctx: Ctx | undefined): Promise<void> {
  await ctx?.app.close();
  await ctx?.db.dispose();
}

function helpers(get: () => Ctx) {
  return {
    post: (payload: unknown) => get().app.inject({ method: 'POST', url: '/api/v1/ingest/events', payload: payload as object }),
    history: (unique: string): Promise<StoredRegistrationEvent[]> => get().repo.listForUnique(unique, { limit: 50 }),
    allEvents: () => get().repo.listAfter(0, 10_000),
  };
}

describe('POST /api/v1/ingest/events stores', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await open();
  });
  afterEach(async () => {
    await close(ctx);
  });
  const { post, history, allEvents } = helpers(() => ctx);

  it('stores Kamailio save/auth/expired events mapped by return code', async () => {
    const res = await post({
      source: 'kamailio',
      loginServer: 'kam.example.net',
      events: [
        { kind: 'save', rc: 1, time: 1795600000, user: '0000000773', srcIp: '203.0.113.7', srcPort: 5062, proto: 'udp', userAgent: 'Yealink T54W', contact: 'sip:0000000773@192.168.1.20:5062', callId: 'c-1', expires: 600 },
        { kind: 'save', rc: 2, time: 1795600300, user: '0000000773', srcIp: '203.0.113.7', srcPort: '5062', proto: 'udp', contact: 'sip:0000000773@192.168.1.20:5062', expires: '600' },
        { kind: 'auth', rc: -5, user: '0000000773', srcIp: '203.0.113.7', srcPort: 5062 },
        { kind: 'auth', rc: -2, time: 1795600400, user: '0000000774', srcIp: '198.51.100.9', srcPort: 5060, proto: 'tls', userAgent: 'friendly-scanner', code: 403 },
        { kind: 'auth', rc: -3, time: 1795600401, user: 'admin', srcIp: '198.51.100.9', srcPort: 5060 },
        { kind: 'save', rc: 3, time: 1795600500, user: 'sip:0000000773@kam.example.net', srcIp: '203.0.113.7', srcPort: 5062, contact: 'sip:0000000773@192.168.1.20:5062', expires: 0 },
        { kind: 'expired', time: 1795601000, user: '0000000775@kam.example.net', received: 'sip:203.0.113.8:40000;transport=tcp', contact: 'sip:0000000775@10.0.0.5:5060;transport=tcp' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stored: 6, skipped: 1 });
    expect(res.json().ids).toHaveLength(6);

    const h773 = await history('0000000773');
    expect(h773.map((e) => e.type)).toEqual(['unregistered', 'refreshed', 'registered']);
    const reg = h773[2]!;
    expect(reg).toMatchObject({
      at: new Date(1795600000 * 1000), source: '203.0.113.7:5062', transport: 'udp', userAgent: 'Yealink T54W',
      contact: 'sip:0000000773@192.168.1.20:5062', callId: 'c-1', requestedExpires: 600, grantedExpires: 600, method: 'REGISTER',
    });
    expect(reg.detail).toMatchObject({ ingest: 'kamailio', loginServer: 'kam.example.net', rc: 1 });
    expect(await history('0000000774')).toEqual([expect.objectContaining({ type: 'auth_failed', transport: 'tcp', responseCode: 403, source: '198.51.100.9:5060' })]);
    expect(await history('admin')).toEqual([expect.objectContaining({ type: 'unknown_unique' })]);
    expect(await history('0000000775')).toEqual([expect.objectContaining({ type: 'expired', source: '203.0.113.8:40000', transport: 'tcp', at: new Date(1795601000 * 1000) })]);
  });

  it('stores OpenSIPS usrloc events (event_route form and JSON-RPC form) and the auth event', async () => {
    const contact = (over: Record<string, unknown>) => ({
      domain: 'location', aor: '0000000773', uri: 'sip:0000000773@192.168.1.20:5062;transport=udp', received: 'sip:203.0.113.7:61000',
      path: null, qval: -1, user_agent: 'Grandstream GXP1625', socket: 'udp:10.0.0.1:5060', bflags: 0, callid: 'os-1', cseq: 10, attr: '', latency: 0, shtag: '',
      ...over,
    });
    const t = 1795600000;
    const res = await post([
      {
        source: 'opensips',
        loginServer: 'osips.example.net',
        events: [
          { event: 'E_UL_AOR_INSERT', time: t, params: { domain: 'location', aor: '0000000773' } },
          { event: 'E_UL_CONTACT_INSERT', time: t, params: contact({ expires: t + 3600 }) },
          { jsonrpc: '2.0', method: 'E_UL_CONTACT_UPDATE', time: t + 60, params: contact({ expires: t + 3660 }) },
          { event: 'E_UL_CONTACT_DELETE', time: t + 120, params: contact({ expires: t + 3660 }) },
          { event: 'E_UL_CONTACT_DELETE', time: t + 4000, params: contact({ aor: '0000000776', expires: t + 3600, received: '' }) },
        ],
      },
      {
        source: 'opensips',
        loginServer: 'osips.example.net',
        events: { event: 'E_LINEWATCH_AUTH', time: t + 5, params: { aor: '0000000774', rc: -2, source_ip: '2001:db8::7', source_port: 5060, proto: 'udp', user_agent: 'x' } },
      },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stored: 5, skipped: 1 });
    const h = await history('0000000773');
    expect(h.map((e) => e.type)).toEqual(['unregistered', 'refreshed', 'registered']);
    expect(h[2]).toMatchObject({ source: '203.0.113.7:61000', transport: 'udp', userAgent: 'Grandstream GXP1625', grantedExpires: 3600, contact: 'sip:0000000773@192.168.1.20:5062;transport=udp', callId: 'os-1' });
    expect(h[2]!.detail).toMatchObject({ ingest: 'opensips', event: 'E_UL_CONTACT_INSERT' });
    // Deleted after its expiry time: a timer expiry, not an un-REGISTER; no received → the contact's address.
    expect(await history('0000000776')).toEqual([expect.objectContaining({ type: 'expired', source: '192.168.1.20:5062' })]);
    expect(await history('0000000774')).toEqual([expect.objectContaining({ type: 'auth_failed', source: '[2001:db8::7]:5060' })]);
  });

  it('stores FreeSWITCH sofia events as the event socket sends them in JSON', async () => {
    const base = {
      'Event-Name': 'CUSTOM', 'Core-UUID': 'c0ffee', 'FreeSWITCH-Hostname': 'fs1', 'Event-Calling-Function': 'sofia_reg_handle_register_token',
      'profile-name': 'internal', 'from-user': '0000000773', 'from-host': 'fs.example.net', 'network-ip': '203.0.113.7', 'network-port': '5062',
      'user-agent': 'Zoiper rv2.10', 'call-id': 'fs-1', contact: '"0000000773" <sip:0000000773@192.168.1.20:5062;transport=tcp>',
    };
    const res = await post({
      source: 'freeswitch',
      loginServer: 'fs.example.net',
      events: [
        { ...base, 'Event-Subclass': 'sofia::register_attempt', 'Event-Date-Timestamp': '1795600000000000' },
        { ...base, 'Event-Subclass': 'sofia::register', 'Event-Date-Timestamp': '1795600000123456', status: 'Registered(TCP)', expires: '3600' },
        { ...base, 'Event-Subclass': 'sofia::unregister', 'Event-Date-Timestamp': '1795600100000000', expires: '0' },
        { ...base, 'Event-Subclass': 'sofia::expire', 'Event-Date-Timestamp': '1795610000000000', 'from-user': '0000000775' },
        { 'Event-Name': 'CUSTOM', 'Event-Subclass': 'sofia::register_failure', 'Event-Date-Timestamp': '1795600200000000', 'to-user': '0000000774', 'to-host': 'fs.example.net', 'network-ip': '198.51.100.9', 'network-port': '5070', 'user-agent': 'sipvicious' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stored: 4, skipped: 1 });
    const h = await history('0000000773');
    expect(h.map((e) => e.type)).toEqual(['unregistered', 'registered']);
    expect(h[1]).toMatchObject({
      at: new Date(1795600000123), source: '203.0.113.7:5062', transport: 'tcp', userAgent: 'Zoiper rv2.10', grantedExpires: 3600,
      contact: '<sip:0000000773@192.168.1.20:5062;transport=tcp>', callId: 'fs-1',
    });
    expect(h[1]!.detail).toMatchObject({ ingest: 'freeswitch', event: 'sofia::register', profile: 'internal' });
    expect(await history('0000000775')).toEqual([expect.objectContaining({ type: 'expired' })]);
    expect(await history('0000000774')).toEqual([expect.objectContaining({ type: 'auth_failed', source: '198.51.100.9:5070', userAgent: 'sipvicious', responseCode: 403 })]);
  });

  it('stores generic events, defaulting the time to when linewatch received them', async () => {
    const res = await post({
      source: 'generic',
      loginServer: 'other.example.net',
      events: { type: 'interval_too_brief', unique: '0000000773', source: '203.0.113.7:5062', requestedExpires: 10, responseCode: 423, reason: 'Min-Expires 60' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await history('0000000773')).toEqual([
      expect.objectContaining({ type: 'interval_too_brief', at: NOW, transport: 'udp', requestedExpires: 10, responseCode: 423, detail: expect.objectContaining({ reason: 'Min-Expires 60' }) }),
    ]);
  });

  it('accepts exactly 1000 events in one request (login server names are case-insensitive)', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({ kind: 'save', rc: 2, user: String(1000000000 + i), srcIp: '203.0.113.7', srcPort: 5062 }));
    const res = await post({ source: 'kamailio', loginServer: 'KAM.example.net', events });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stored).toBe(1000);
    expect(await allEvents()).toHaveLength(1000);
  });
});

describe('POST /api/v1/ingest/events rejects and stores nothing', () => {
  // Nothing is ever stored in this group, so one database serves every case.
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await open();
  });
  afterAll(async () => {
    await close(ctx);
  });
  const { post, allEvents } = helpers(() => ctx);
  const good = { kind: 'save', rc: 1, user: '0000000773', srcIp: '203.0.113.7', srcPort: 5062 };
  const cases: [string, unknown, number, string, string][] = [
    ['an unknown login server', { source: 'kamailio', loginServer: 'nowhere.example.net', events: [good] }, 422, 'EXTERNAL_ERR_INGEST_UNKNOWN_LOGIN_SERVER', "loginServer: login server 'nowhere.example.net'"],
    ['a login server this registrar serves', { source: 'kamailio', loginServer: 'sip3.example.net', events: [good] }, 422, 'EXTERNAL_ERR_INGEST_UNKNOWN_LOGIN_SERVER', 'sip3.example.net'],
    ['an unknown unknown source', { source: 'asterisk', loginServer: 'kam.example.net', events: [good] }, 422, 'EXTERNAL_ERR_INGEST_INVALID', 'source: Invalid enum value'],
    ['a bad event after good ones (index named)', { source: 'kamailio', loginServer: 'kam.example.net', events: [good, good, { ...good, rc: 7 }] }, 422, 'EXTERNAL_ERR_INGEST_INVALID', 'events[2].rc: 7 is not a return code of save()'],
    ['a missing field', { source: 'kamailio', loginServer: 'kam.example.net', events: [good, { kind: 'save', rc: 1, srcIp: '1.2.3.4', srcPort: 1 }] }, 422, 'EXTERNAL_ERR_INGEST_INVALID', 'events[1].user: Required'],
    ['no address at all', { source: 'kamailio', loginServer: 'kam.example.net', events: [{ kind: 'save', rc: 1, user: '0000000773' }] }, 422, 'EXTERNAL_ERR_INGEST_INVALID', 'events[0].srcIp'],
    ['a bad second envelope', [{ source: 'generic', loginServer: 'other.example.net', events: [{ type: 'registered', unique: '0000000773', source: '1.2.3.4:5060' }] }, { source: 'opensips', loginServer: 'osips.example.net', events: [{ event: 'E_UL_CONTACT_INSERT', params: { uri: 'sip:x@h' } }] }], 422, 'EXTERNAL_ERR_INGEST_INVALID', '[1].events[0].params.aor: Required'],
    ['an unknown FreeSWITCH subclass', { source: 'freeswitch', loginServer: 'fs.example.net', events: [{ 'Event-Name': 'CUSTOM', 'Event-Subclass': 'sofia::gateway_state', 'network-ip': '1.2.3.4', 'network-port': '5060' }] }, 422, 'EXTERNAL_ERR_INGEST_INVALID', "events[0].Event-Subclass: must be one of"],
    ['a generic event with a bad type', { source: 'generic', loginServer: 'other.example.net', events: [{ type: 'online', unique: '0000000773', source: '1.2.3.4:5060' }] }, 422, 'EXTERNAL_ERR_INGEST_INVALID', 'events[0].type'],
    ['a generic event with a bad source', { source: 'generic', loginServer: 'other.example.net', events: [{ type: 'registered', unique: '0000000773', source: '1.2.3.4' }] }, 422, 'EXTERNAL_ERR_INGEST_INVALID', "events[0].source: must be 'ip:port'"],
    ['an unexpected envelope field', { source: 'generic', loginServer: 'other.example.net', events: [], event: [] }, 422, 'EXTERNAL_ERR_INGEST_INVALID', 'Unrecognized key'],
    ['an empty array', [], 422, 'EXTERNAL_ERR_INGEST_INVALID', '(body): is an empty array'],
    ['more than 1000 events', { source: 'kamailio', loginServer: 'kam.example.net', events: Array.from({ length: 1001 }, () => good) }, 413, 'EXTERNAL_ERR_INGEST_TOO_MANY_EVENTS', 'at most 1000 events'],
  ];
  it.each(cases)('%s', async (_name, payload, status, code, message) => {
    const res = await post(payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toContain(message);
    expect(await allEvents()).toEqual([]);
  });

  it('a body that is not JSON', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/ingest/events', headers: { 'content-type': 'application/json' }, payload: '{"source":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBeTypeOf('string');
    expect(await allEvents()).toEqual([]);
  });

  it('a JSON string body', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/ingest/events', headers: { 'content-type': 'application/json' }, payload: '"hello"' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'EXTERNAL_ERR_INGEST_INVALID' });
    expect(await allEvents()).toEqual([]);
  });
});
