/**
 * Fuzz finding (seed 424242, 10^6 run, 2026-11-26): one datagram whose Call-ID carries a NUL byte
 * is answered (404 domain not served) and recorded as a `rejected` event; PostgreSQL refuses text
 * containing 0x00, so the whole batch fails. The writer then retries that same batch forever:
 * it stays `degraded`, no registration event is ever stored again, `/readyz` stays 503 and the
 * queue grows without bound. One packet from anyone stops event persistence.
 *
 * Guarantee: an event carrying bytes the database cannot store never blocks the others.
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';
import { DOMAIN, eventually, keepLogs, makeLines, provision, readyz } from './support/harness.js';
import { Phone } from './support/phone.js';

describe('an unstorable event does not stop event persistence', { retry: 1 }, () => {
  let lw: SpawnedLinewatch | undefined;

  afterAll(async () => {
    keepLogs(lw, 'poison-event');
    if (lw) {
      await lw.stop('SIGKILL');
      await lw.cleanup();
    }
  });

  it('keeps storing events after a request whose Call-ID contains a NUL byte', async () => {
    if (lw) {
      // A retry: the previous attempt's process must not linger.
      await lw.stop('SIGKILL');
      await lw.cleanup();
    }
    lw = await spawnLinewatch({ env: { LOG_LEVEL: 'info' } });
    const [line] = makeLines(7_700_000, 1);
    await provision(lw, [line!]);
    const attacker = createSocket('udp4');
    await new Promise<void>((r) => attacker.bind(0, '127.0.7.1', () => r()));
    const port = attacker.address().port;
    const poison = Buffer.from(
      [
        'REGISTER sip:example.com SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.7.1:${port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
        'Max-Forwards: 70',
        'From: <sip:user@example.com>;tag=p1',
        'To: <sip:user@example.com>',
        'Call-ID: poison\u0000pill@192.0.2.1',
        'CSeq: 1 REGISTER',
        'Contact: <sip:user@127.0.7.1>',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      'latin1',
    );
    const answered = new Promise<boolean>((resolve) => {
      attacker.once('message', () => resolve(true));
      setTimeout(() => resolve(false), 3000);
    });
    attacker.send(poison, lw.sipPort, '127.0.0.1');
    const gotAnswer = await answered;
    attacker.close();

    // A normal phone afterwards: its registration must be stored, and the writer healthy.
    const phone = await Phone.open({ serverPort: lw.sipPort, localAddress: '127.0.7.2', domain: DOMAIN, ...line! });
    expect((await phone.register()).status).toBe(200);
    await phone.close();
    const events = await eventually(
      () => lw!.api('GET', `/uniques/${line!.unique}/events?limit=5`).then((r) => (r.body?.events ?? []) as { type: string }[]),
      (list) => list.some((e) => e.type === 'registered'),
      8000,
      250,
    );
    const ready = await readyz(lw);
    const writes = (ready.body?.checks as { name: string; ok: boolean; detail?: string }[] | undefined)?.find((c) => c.name === 'database_writes');
    expect({ answeredPoison: gotAnswer, registeredStored: events.some((e) => e.type === 'registered'), readyz: ready.status, databaseWrites: writes?.detail }).toEqual({
      answeredPoison: gotAnswer,
      registeredStored: true,
      readyz: 200,
      databaseWrites: 'ok',
    });
  }, 120_000);
});
