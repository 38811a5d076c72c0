/**
 * Guarantee: after `kill -9` under registration load, a restart on the same database brings every
 * binding back; bindings that lapsed while the process was down get RESTART_GRACE_S before they
 * expire (no `expired` event, no deregistration, hence no alert storm, right after the restart);
 * phones that re-register in the window keep their line; the others then expire exactly once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';
import { DOMAIN, eventually, keepLogs, makeLines, provision, sleep } from './support/harness.js';
import { Phone } from './support/phone.js';

const GRACE_S = 12;
const SHORT_EXPIRES = 6;

interface EventView {
  type: string;
  at: string;
}

describe('kill -9 during load, then restart on the same database', { retry: 1 }, () => {
  let first: SpawnedLinewatch | undefined;
  let second: SpawnedLinewatch | undefined;
  const phones: Phone[] = [];

  afterAll(async () => {
    keepLogs(first, 'crash-first');
    keepLogs(second, 'crash-second');
    for (const p of phones) await p.close();
    if (second) await second.stop('SIGKILL');
    if (first) {
      await first.stop('SIGKILL');
      await first.cleanup();
    }
  });

  it('restores bindings, holds lapsed ones for the grace window, then expires the ones not renewed', async () => {
    const env = { LOG_LEVEL: 'info', SIP_MIN_EXPIRES: '5', RESTART_GRACE_S: String(GRACE_S) };
    first = await spawnLinewatch({ env });
    const lines = makeLines(7_200_000, 14);
    await provision(first, lines);
    for (const [i, line] of lines.entries()) {
      phones.push(await Phone.open({ serverPort: first.sipPort, localAddress: `127.0.2.${2 + i}`, domain: DOMAIN, ...line }));
    }
    const long = phones.slice(0, 6); // valid for 10 minutes: still valid after the restart
    const lapsing = phones.slice(6, 11); // lapse while the process is down, never come back
    const returning = phones.slice(11); // lapse too, but re-register within the grace window
    for (const p of long) expect((await p.register({ expires: 600 })).status).toBe(200);

    // Load while the process dies: the long phones keep refreshing.
    let running = true;
    const load = Promise.all(
      long.map(async (p) => {
        for (let round = 0; round < 100 && running; round++) {
          await p.register({ expires: 600, budgetMs: 1500 });
          await sleep(200);
        }
      }),
    );
    for (const p of [...lapsing, ...returning]) expect((await p.register({ expires: SHORT_EXPIRES })).status).toBe(200);
    const lapseAt = Date.now() + SHORT_EXPIRES * 1000;
    await sleep(500);
    first.process.kill('SIGKILL');
    await first.stop('SIGKILL');
    running = false;
    await load;

    await sleep(Math.max(0, lapseAt + 1000 - Date.now()));
    // The grace window starts when the new process restores bindings: after this instant.
    const spawnedAt = Date.now();
    second = await spawnLinewatch({ databaseUrl: first.databaseUrl, dataDir: first.dataDir, env });
    const status = (p: Phone) => second!.api('GET', `/uniques/${p.o.unique}`).then((r) => r.body as { status: string; bindings: { contact: string }[] });
    const events = (p: Phone) => second!.api('GET', `/uniques/${p.o.unique}/events?limit=20`).then((r) => r.body.events as EventView[]);

    // Right after the restart: everyone registered (lapsed ones in their grace window), nothing expired.
    for (const p of phones) {
      const doc = await status(p);
      // Soft: when this fails the rest still runs, so one run shows every broken promise.
      expect.soft(doc.status, `${p.o.unique} right after restart`).toBe('registered');
      expect.soft(doc.bindings.map((b) => b.contact), `${p.o.unique} binding right after restart`).toContain(p.contact);
      expect((await events(p)).filter((e) => e.type === 'expired'), `${p.o.unique} expired right after restart`).toEqual([]);
    }
    const incidents = await second.api('GET', '/incidents?state=open');
    if (incidents.status === 200) {
      const mine = new Set(phones.map((p) => p.o.unique));
      const storm = (incidents.body.incidents ?? incidents.body ?? []).filter((i: { cause: string; unique: string }) => i.cause === 'deregistered' && mine.has(i.unique));
      expect(storm, 'deregistration incidents right after restart').toEqual([]);
    }

    // Phones re-register within the window: they keep their line.
    for (const p of phones) p.retarget(second.sipPort);
    for (const p of returning) expect((await p.register({ expires: 600 })).status).toBe(200);

    // After the window: the lapsed, unrenewed bindings expire, each exactly once, not before the window ends.
    for (const p of lapsing) {
      const list = await eventually(() => events(p), (l) => l.some((e) => e.type === 'expired'), GRACE_S * 1000 + 8000, 250);
      const expired = list.filter((e) => e.type === 'expired');
      expect(expired, `${p.o.unique} expired events`).toHaveLength(1);
      expect(Date.parse(expired[0]!.at), `${p.o.unique} expired before the grace window ended`).toBeGreaterThanOrEqual(spawnedAt + GRACE_S * 1000);
      expect((await status(p)).status).toBe('not_registered');
    }
    for (const p of [...long, ...returning]) {
      expect((await status(p)).status, `${p.o.unique} after the window`).toBe('registered');
      expect((await events(p)).filter((e) => e.type === 'expired'), `${p.o.unique} expired`).toEqual([]);
    }
  }, 150_000);
});
