/** The Kamailio adapter against a fake Kamailio: a real HTTP server on 127.0.0.1 port 0. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KamailioJsonRpcAdapter } from '../../../src/external/index.js';

const NOW = new Date('2026-11-26T00:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;

/** A ul.lookup answer as Kamailio 5.6.3 printed it (recorded), with times moved to NOW. */
const FOUND = {
  jsonrpc: '2.0',
  result: {
    AoR: '0000000773',
    Contacts: [
      {
        Contact: {
          Address: 'sip:0000000773@192.168.1.20:5062;transport=udp', Expires: 300, Q: -1, 'Call-ID': 'abc123@127.0.0.1', CSeq: 1,
          'User-Agent': 'TestPhone/1.0', Received: 'sip:203.0.113.7:61000', Path: '[not set]', State: 'CS_NEW', Flags: 0, CFlags: 0,
          Socket: 'udp:10.0.0.5:5060', Methods: 4294967295, Ruid: 'uloc-1', Instance: '<urn:uuid:00000000-0000-0000-0000-000000000001>',
          'Reg-Id': 1, 'Server-Id': 0, 'Tcpconn-Id': -1, Keepalive: 0, 'Last-Keepalive': NOW_S - 10, 'KA-Roundtrip': 0, 'Last-Modified': NOW_S - 10,
        },
      },
    ],
  },
  id: 1,
};

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

describe('KamailioJsonRpcAdapter', () => {
  let server: Server;
  let base: string;
  let handler: Handler = () => {};
  const requests: { body: string; auth: string | undefined; path: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ body, auth: req.headers.authorization, path: req.url });
        handler(req, body, res);
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  const adapter = (over: Partial<ConstructorParameters<typeof KamailioJsonRpcAdapter>[0]> = {}) =>
    new KamailioJsonRpcAdapter(
      { loginServer: 'sip5.example.net', url: `${base}/RPC`, timeoutMs: 2000, table: 'location', ...over },
      { clock: { now: () => NOW }, locale: 'en' },
    );
  const reply = (status: number, body: string, type = 'application/json'): Handler => (_req, _body, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

  it('sends ul.lookup <table> <aor> with the Authorization header and maps the contact', async () => {
    handler = reply(200, JSON.stringify(FOUND));
    requests.length = 0;
    const state = await adapter({ authorization: 'Bearer t0k', aorDomain: 'sip5.example.net' }).lookup('0000000773');
    expect(JSON.parse(requests[0]!.body)).toEqual({ jsonrpc: '2.0', method: 'ul.lookup', params: ['location', '0000000773@sip5.example.net'], id: 1 });
    expect(requests[0]!.auth).toBe('Bearer t0k');
    expect(requests[0]!.path).toBe('/RPC');
    expect(state).toEqual({
      ok: true,
      lastRegisterAt: new Date((NOW_S - 10) * 1000),
      bindings: [
        {
          unique: '0000000773', contact: 'sip:0000000773@192.168.1.20:5062;transport=udp', source: '203.0.113.7:61000', transport: 'udp',
          userAgent: 'TestPhone/1.0', callId: 'abc123@127.0.0.1', cseq: 1, path: [], instanceId: '<urn:uuid:00000000-0000-0000-0000-000000000001>',
          regId: 1, q: null, requestedExpires: null, grantedExpires: 310,
          registeredAt: new Date((NOW_S - 10) * 1000), refreshedAt: new Date((NOW_S - 10) * 1000), expiresAt: new Date(NOW.getTime() + 300_000),
        },
      ],
    });
  });

  it.each([
    ['Kamailio 5.6 (HTTP 500, code 500)', 500, { code: 500, message: 'AOR not found in location table' }],
    ['newer Kamailio (code 404)', 404, { code: 404, message: 'Not found' }],
  ])('answers "not registered" for an unknown AOR: %s', async (_name, status, error) => {
    handler = reply(status, JSON.stringify({ jsonrpc: '2.0', error, id: 1 }));
    expect(await adapter().lookup('0000000773')).toEqual({ ok: true, bindings: [], lastRegisterAt: null });
  });

  it('reports other RPC errors (e.g. a wrong usrloc table) as errors', async () => {
    handler = reply(500, JSON.stringify({ jsonrpc: '2.0', error: { code: 500, message: 'Domain table not found' }, id: 1 }));
    expect(await adapter({ table: 'nolocation' }).lookup('0000000773')).toEqual({
      ok: false, reason: 'error', message: 'Login server sip5.example.net answered with an error: 500 Domain table not found',
    });
  });

  it('reports a refused request (401 text) as an error naming the status', async () => {
    handler = reply(401, 'bad or missing bearer token', 'text/plain');
    expect(await adapter().lookup('0000000773')).toEqual({
      ok: false, reason: 'error', message: expect.stringContaining('refused the query (HTTP 401)'),
    });
  });

  it('reports an answer that is not JSON or not a ul.lookup result', async () => {
    handler = reply(200, '<html>hi</html>', 'text/html');
    expect(await adapter().lookup('1')).toMatchObject({ ok: false, reason: 'error', message: expect.stringContaining('not JSON') });
    handler = reply(200, JSON.stringify({ jsonrpc: '2.0', result: { AoR: 'x', Contacts: [{ Contact: { Expires: 5 } }] }, id: 1 }));
    expect(await adapter().lookup('1')).toMatchObject({ ok: false, reason: 'error', message: expect.stringContaining('ul.lookup answer: Contacts') });
  });

  it('gives up after timeoutMs with reason timeout', async () => {
    handler = () => {}; // never answers
    const started = Date.now();
    const state = await adapter({ timeoutMs: 200 }).lookup('0000000773');
    expect(state).toEqual({ ok: false, reason: 'timeout', message: 'Login server sip5.example.net did not answer within 200 ms; try again in a moment' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out too when the headers come but the body stalls', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"jsonrpc":"2.0",');
    };
    expect(await adapter({ timeoutMs: 200 }).lookup('0000000773')).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('says unreachable, in Japanese too, when nothing listens; the message shows no query or credentials', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const ja = new KamailioJsonRpcAdapter(
      { loginServer: 'sip5.example.net', url: `http://127.0.0.1:${port}/RPC?token=x`, timeoutMs: 500, table: 'location' },
      { clock: { now: () => NOW }, locale: 'ja' },
    );
    const state = await ja.lookup('0000000773');
    expect(state).toEqual({
      ok: false, reason: 'unreachable',
      message: `ログインサーバ sip5.example.net が応答しませんでした（http://127.0.0.1:${port}/RPC に接続できません: ECONNREFUSED）`,
    });
  });

  it('never echoes URL credentials (fetch refuses them and quotes the URL)', async () => {
    const state = await adapter({ url: `${base.replace('http://', 'http://user:pw@')}/RPC` }).lookup('0000000773');
    expect(state).toMatchObject({ ok: false, reason: 'unreachable' });
    if (!state.ok) expect(state.message).not.toContain('pw');
  });
});
