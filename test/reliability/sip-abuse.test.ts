/**
 * Guarantees against hostile SIP sources, on the real process:
 * - a flood from one source is limited without hurting other sources (their success rate: 100 %);
 * - password guessing against one unique, or one password against many uniques, gets the source
 *   blocked with a `blocked` event, while the attacked line and other sources keep registering;
 * - responses never go to an address the request merely claims (Via `received`): no reflection.
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';
import { DOMAIN, eventually, keepLogs, makeLines, provision, sleep, type Line } from './support/harness.js';
import { Phone } from './support/phone.js';

async function udpSocket(address: string, port = 0): Promise<Socket & { received: number }> {
  const s = createSocket('udp4') as Socket & { received: number };
  s.received = 0;
  s.on('message', () => s.received++);
  s.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, address, () => resolve());
  });
  return s;
}

function plainRegister(unique: string, via: string, callId = `${randomBytes(6).toString('hex')}@flood`): Buffer {
  return Buffer.from(
    [
      `REGISTER sip:${DOMAIN} SIP/2.0`,
      `Via: ${via};branch=z9hG4bK${randomBytes(8).toString('hex')}`,
      'Max-Forwards: 70',
      `From: <sip:${unique}@${DOMAIN}>;tag=f1`,
      `To: <sip:${unique}@${DOMAIN}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 REGISTER',
      `Contact: <sip:${unique}@127.0.0.1:5099>`,
      'Expires: 600',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    'latin1',
  );
}

describe('hostile SIP sources against linewatch serve', { retry: 1 }, () => {
  let lw: SpawnedLinewatch;
  const lines = makeLines(7_500_000, 40);
  const legit = lines.slice(0, 20);
  const victims = lines.slice(20, 30);
  const bystanders = lines.slice(30, 40);
  const closers: (() => Promise<void>)[] = [];
  const events = (l: Line) => lw.api('GET', `/uniques/${l.unique}/events?limit=50`).then((r) => (r.body?.events ?? []) as { type: string; source: string; detail?: Record<string, unknown> }[]);

  beforeAll(async () => {
    lw = await spawnLinewatch({ env: { LOG_LEVEL: 'info' } });
    await provision(lw, lines);
  }, 120_000);

  afterAll(async () => {
    keepLogs(lw, 'sip-abuse');
    for (const c of closers) await c();
    if (lw) {
      await lw.stop('SIGKILL');
      await lw.cleanup();
    }
  });

  const phone = async (line: Line, localAddress: string) => {
    const p = await Phone.open({ serverPort: lw.sipPort, localAddress, domain: DOMAIN, ...line });
    closers.push(() => p.close());
    return p;
  };

  it('limits a flooding source while 20 other sources keep a 100 % success rate', async () => {
    const flooder = await udpSocket('127.0.3.1');
    closers.push(() => new Promise((r) => flooder.close(() => r())));
    const phones = await Promise.all(legit.map((l, i) => phone(l, `127.0.3.${2 + i}`)));
    const FLOOD = 8000;
    let sent = 0;
    const flood = (async () => {
      // About 2,000 REGISTERs/s for 4 s, in bursts of 20 every 10 ms.
      for (let burst = 0; burst < FLOOD / 20; burst++) {
        for (let k = 0; k < 20; k++, sent++) flooder.send(plainRegister(victims[0]!.unique, `SIP/2.0/UDP 127.0.3.1:${flooder.address().port};rport`), lw.sipPort, '127.0.0.1');
        await sleep(10);
      }
    })();
    const outcomes: (number | null)[] = [];
    await Promise.all(
      phones.map(async (p) => {
        for (let round = 0; round < 3; round++) {
          outcomes.push((await p.register({ expires: 600 })).status);
          await sleep(300);
        }
      }),
    );
    await flood;
    await sleep(500);
    const ok = outcomes.filter((s) => s === 200).length;
    console.info(`[flood] flooder sent ${sent}, got ${flooder.received} answers; others ${ok}/${outcomes.length} 200 OK`);
    expect(ok, `other sources' outcomes: ${outcomes.join(',')}`).toBe(outcomes.length);
    expect(flooder.received, 'the flooder is limited').toBeLessThan(sent / 2);
    expect(flooder.received, 'the flooder was answered at first (burst)').toBeGreaterThan(0);
  });

  it('blocks many passwords against one unique, and the line itself keeps registering from its own address', async () => {
    const target = victims[1]!;
    const attacker = await phone(target, '127.0.4.1');
    const statuses: (number | null)[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await attacker.register({ password: `guess-${i}`, budgetMs: 1200 })).status);
    console.info(`[brute force, one unique] statuses: ${statuses.join(',')}`);
    expect(statuses.slice(0, 9).every((s) => s === 403), 'first guesses are refused with 403').toBe(true);
    expect(statuses.slice(-3), 'after the block: no answer at all (no 401, no 403)').toEqual([null, null, null]);
    const list = await eventually(() => events(target), (l) => l.some((e) => e.type === 'blocked'), 3000);
    const blocked = list.filter((e) => e.type === 'blocked');
    expect(blocked, 'exactly one blocked event per block').toHaveLength(1);
    expect(blocked[0]!.source).toMatch(/^127\.0\.4\.1:/);
    const owner = await phone(target, '127.0.4.3');
    expect((await owner.register()).status, 'the attacked line registers from its own address').toBe(200);
  });

  it('blocks one password tried against many uniques, and other sources are unaffected', async () => {
    const attacker = '127.0.4.2';
    const statuses: (number | null)[] = [];
    for (const [i, v] of victims.slice(2, 10).entries()) {
      const p = await phone(v, attacker);
      statuses.push((await p.register({ password: 'Summer2024!', budgetMs: 1200 })).status);
      void i;
    }
    console.info(`[brute force, many uniques] statuses: ${statuses.join(',')}`);
    expect(statuses.slice(0, 4).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(-2), 'after the block: no answer').toEqual([null, null]);
    const all = (await Promise.all(victims.slice(2, 10).map(events))).flat();
    const blocked = all.filter((e) => e.type === 'blocked' && e.source.startsWith('127.0.4.2:'));
    expect(blocked).toHaveLength(1);
    const bystander = await phone(bystanders[0]!, '127.0.4.4');
    expect((await bystander.register()).status).toBe(200);
    const incidents = await lw.api('GET', '/incidents?state=open');
    if (incidents.status === 200) {
      const list = (incidents.body.incidents ?? incidents.body) as { cause: string }[];
      expect(list.some((i) => i.cause === 'security'), 'a security incident is open').toBe(true);
    } else console.info(`[brute force] GET /api/v1/incidents answered ${incidents.status}: security incident not checked`);
  });

  it('answers to the packet source, never to a Via received= address the sender claims (no reflection)', async () => {
    const claimed = await udpSocket('127.0.5.9');
    const port = claimed.address().port;
    const real = await udpSocket('127.0.0.1', port).catch(() => null);
    if (real === null) throw new Error(`port ${port} busy on 127.0.0.1; rerun`);
    const sender = await udpSocket('127.0.0.1');
    closers.push(() => new Promise((r) => claimed.close(() => r())), () => new Promise((r) => real.close(() => r())), () => new Promise((r) => sender.close(() => r())));
    // No rport: RFC 3261 §18.2.2 sends to the received address and the sent-by port. The server
    // must set received to the packet's source (127.0.0.1), overriding what the request claims.
    sender.send(plainRegister(bystanders[1]!.unique, `SIP/2.0/UDP 127.0.5.9:${port};received=127.0.5.9`), lw.sipPort, '127.0.0.1');
    // A malformed request (bad CSeq) takes the stateless 400 path, which must not reflect either.
    sender.send(Buffer.from(plainRegister(bystanders[1]!.unique, `SIP/2.0/UDP 127.0.5.9:${port};received=127.0.5.9`).toString('latin1').replace('CSeq: 1 REGISTER', 'CSeq: x REGISTER'), 'latin1'), lw.sipPort, '127.0.0.1');
    await eventually(async () => real.received + claimed.received, (n) => n >= 2, 3000);
    expect({ claimedAddress: claimed.received, packetSource: real.received }).toEqual({ claimedAddress: 0, packetSource: 2 });
  });
});
