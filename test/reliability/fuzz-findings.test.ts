/**
 * Regressions for what the fuzzer found, replayed deterministically against the SIP module
 * (`createSipServer` on loopback, port 0), so each finding stays fixed.
 *
 * 1. (seed 388966561, 10^5 run) A request whose top Via names port 0 and has no `rport` makes the
 *    response destination port 0; `dgram.send` throws synchronously (ERR_SOCKET_BAD_PORT) although
 *    `UdpTransport.send` promises never to throw. The server's catch-all saves the process, but the
 *    request is handled halfway (logged as "SIP request handling failed"). The test also checks
 *    that such requests cannot hold up the expiry sweep (retransmissions run in the ticker).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createSipServer, type RegistrarCommit, type SipServer } from '../../src/sip/index.js';
import { SipTestClient } from '../fakes/sip-client.js';

const REALM = 'linewatch.test';
const ha1 = (alg: string, user: string, pw: string) => createHash(alg).update(`${user}:${REALM}:${pw}`).digest('hex');

describe('fuzzer findings, replayed', { retry: 1 }, () => {
  let server: SipServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('a Via with port 0 and no rport neither throws in a handler nor delays binding expiry', async () => {
    const errors: string[] = [];
    const commits: RegistrarCommit[] = [];
    const log = (level: string) => (obj: object, msg: string) => {
      if (level === 'error') errors.push(`${msg}: ${JSON.stringify(obj, (_k, v) => (v instanceof Error ? v.message : v))}`);
    };
    server = createSipServer({
      host: '127.0.0.1',
      port: 0,
      domain: REALM,
      realm: REALM,
      minExpires: 1,
      maxExpires: 3600,
      defaultExpires: 600,
      maxBindingsPerAor: 3,
      nonceSecret: randomBytes(16),
      nonceLifetimeSeconds: 300,
      credentials: { lookup: (u) => (u === '0000000902' ? { ha1Md5: ha1('md5', u, 'pw-0000902'), ha1Sha256: ha1('sha256', u, 'pw-0000902') } : undefined) },
      delegate: { persist: async (c) => void commits.push(c) },
      logger: { debug() {}, info() {}, warn: log('warn'), error: log('error') } as never,
    });
    const { udpPort } = await server.start();
    const phone = await SipTestClient.open({ transport: 'udp', host: '127.0.0.1', port: udpPort, domain: REALM });
    try {
      expect((await phone.register({ user: '0000000902', password: 'pw-0000902', expires: 2 })).final.status).toBe(200);
      const registeredAt = Date.now();
      const attacker = createSocket('udp4');
      await new Promise<void>((r) => attacker.bind(0, '127.0.0.1', () => r()));
      for (const method of ['INVITE', 'OPTIONS']) {
        const bytes = [
          `${method} sip:someone@${REALM} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:0;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
          'Max-Forwards: 70',
          `From: <sip:0000000902@${REALM}>;tag=a1`,
          `To: <sip:someone@${REALM}>`,
          `Call-ID: ${randomBytes(6).toString('hex')}@port0`,
          `CSeq: 1 ${method}`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        attacker.send(Buffer.from(bytes), udpPort, '127.0.0.1');
      }
      // The binding lapses 2 s after the 200; the sweep runs every 50 ms.
      const deadline = registeredAt + 2000 + 1500;
      while (Date.now() < deadline && !commits.some((c) => c.events.some((e) => e.type === 'expired'))) await new Promise((r) => setTimeout(r, 50));
      attacker.close();
      expect(commits.some((c) => c.events.some((e) => e.type === 'expired')), 'expired within 1.5 s of the expiry').toBe(true);
      expect(errors, 'errors logged by the SIP server').toEqual([]);
    } finally {
      await phone.close();
    }
  }, 20_000);
});
