/**
 * Guarantee: slow and half-open TCP clients cannot hold the registrar's connections: a client that
 * connects and sends nothing, one that sends a header and never finishes it, and one that drips a
 * byte at a time are all disconnected by limits and timeouts, while normal TCP clients register.
 *
 * `linewatch serve` exposes no TCP timeout variable yet (src/config.ts), so this drives the SIP
 * module itself, `createSipServer` with a short `tcp.idleTimeoutMs`, over real sockets.
 */
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSipServer, type SipServer } from '../../src/sip/index.js';
import { SipTestClient } from '../fakes/sip-client.js';

const REALM = 'linewatch.test';
const IDLE_MS = 1000;
const ha1 = (alg: string, user: string, pw: string) => createHash(alg).update(`${user}:${REALM}:${pw}`).digest('hex');

describe('slow and half-open TCP clients', { retry: 1 }, () => {
  let server: SipServer;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createSipServer({
      host: '127.0.0.1',
      port: 0,
      domain: REALM,
      realm: REALM,
      minExpires: 60,
      maxExpires: 3600,
      defaultExpires: 600,
      maxBindingsPerAor: 3,
      nonceSecret: 'slow-tcp-secret',
      nonceLifetimeSeconds: 300,
      credentials: { lookup: (u) => (u === '0000000901' ? { ha1Md5: ha1('md5', u, 'pw-901'), ha1Sha256: ha1('sha256', u, 'pw-901') } : undefined) },
      delegate: { persist: async () => {} },
      tcp: { idleTimeoutMs: IDLE_MS, maxMessageBytes: 8192 },
    });
    port = (await server.start()).tcpPort;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await server.stop();
  });

  /** Connect; resolves with a promise of the close time (ms after connect), or null if still open at `withinMs`. */
  async function open(): Promise<{ socket: Socket; closedAfter: (withinMs: number) => Promise<number | null> }> {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const t0 = Date.now();
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - t0)));
    return {
      socket,
      closedAfter: (withinMs) => Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), withinMs))]),
    };
  }

  it('closes a connection that sends nothing', async () => {
    const c = await open();
    const after = await c.closedAfter(IDLE_MS * 4);
    expect(after, 'closed by the idle timeout').not.toBeNull();
  });

  it('closes a connection that sends a header and never ends it', async () => {
    const c = await open();
    c.socket.write('REGISTER sip:linewatch.test SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bKslow\r\nTo: <sip:0000000901@linewatch.test>\r\n');
    expect(await c.closedAfter(IDLE_MS * 4)).not.toBeNull();
  });

  it('closes a connection that drips one byte at a time without ever completing a message', async () => {
    // Faster than the idle timeout, so only a per-message deadline (or a size limit) can stop it.
    const c = await open();
    const header = Buffer.from(`REGISTER sip:linewatch.test SIP/2.0\r\nX-Slow: ${'a'.repeat(200)}`);
    let i = 0;
    const drip = setInterval(() => {
      if (c.socket.destroyed || i >= header.length) return;
      c.socket.write(header.subarray(i, ++i));
    }, IDLE_MS / 4);
    try {
      const after = await c.closedAfter(IDLE_MS * 12);
      expect(after, `still open after ${(IDLE_MS * 12) / 1000} s of one byte every ${IDLE_MS / 4} ms`).not.toBeNull();
    } finally {
      clearInterval(drip);
    }
  }, 20_000);

  it('closes a connection that streams an endless header past the message size limit', async () => {
    const c = await open();
    c.socket.write('REGISTER sip:linewatch.test SIP/2.0\r\nX-Long: ');
    for (let k = 0; k < 20 && !c.socket.destroyed; k++) c.socket.write('b'.repeat(1024));
    expect(await c.closedAfter(IDLE_MS * 2)).not.toBeNull();
  });

  it('still serves a normal TCP client meanwhile', async () => {
    const phone = await SipTestClient.open({ transport: 'tcp', host: '127.0.0.1', port, domain: REALM });
    try {
      const r = await phone.register({ user: '0000000901', password: 'pw-901' });
      expect(r.final.status).toBe(200);
    } finally {
      await phone.close();
    }
  });
});
