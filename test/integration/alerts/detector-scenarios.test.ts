import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/test-db.js';
import { buildHarness, ev } from './harness.js';

describe('alert detectors (pglite)', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb('pglite');
  });
  afterEach(async () => {
    await db.dispose();
  });

  it('30 of 40 lines of a circle drop within a minute → one site incident, per-line ones folded, not posted', async () => {
    const h = await buildHarness(db);
    const numbers = Array.from({ length: 40 }, (_, i) => `00000030${String(i).padStart(2, '0')}`);
    await h.provision('555555555', numbers);
    await h.feed(...numbers.map((n, i) => ev('registered', n, h.at(0), { source: `192.0.2.${i + 1}:5060`, contact: `sip:${n}@192.0.2.${i + 1}:5060` })));
    await h.feed(...numbers.slice(0, 30).map((n, i) => ev('expired', n, h.at(300 + 2 * i), { source: `192.0.2.${i + 1}:5060`, contact: `sip:${n}@192.0.2.${i + 1}:5060`, grantedExpires: 0 })));
    for (let s = 330; s <= 420; s += 1) await h.tickTo(s);
    const all = await h.service.list();
    const site = all.filter((i) => i.cause === 'site_down');
    expect(site).toHaveLength(1);
    expect(site[0]).toMatchObject({ scopeKey: 'circle:555555555', count: 30, accountLoginId: 'acme' });
    const lines = all.filter((i) => i.cause === 'deregistered');
    expect(lines).toHaveLength(30);
    expect(lines.every((i) => i.parentId === site[0]!.id)).toBe(true);
    await h.worker.runOnce();
    const posts = h.slack.calls.filter((c) => c.op === 'post');
    expect(posts).toHaveLength(1);
    expect((posts[0] as unknown as { view: { title: string; summary: string } }).view.title).toBe('🔴 Site down: circle 555555555');
    // The site recovers when its last line is back.
    for (const [i, n] of numbers.slice(0, 30).entries()) await h.feed(ev('registered', n, h.at(500), { source: `192.0.2.${i + 1}:5060` }));
    expect((await h.service.get(site[0]!.id)).state).toBe('resolved');
  });

  it('a single line drop alerts on its own after the grace period', async () => {
    const h = await buildHarness(db);
    const numbers = Array.from({ length: 10 }, (_, i) => `00000040${String(i).padStart(2, '0')}`);
    await h.provision('666666666', numbers);
    await h.feed(...numbers.map((n, i) => ev('registered', n, h.at(0), { source: `192.0.2.${i + 1}:5060`, contact: `sip:${n}@x` })));
    await h.feed(ev('expired', numbers[0]!, h.at(300), { contact: `sip:${numbers[0]}@x`, grantedExpires: 0 }));
    await h.tickTo(331);
    expect((await h.service.list()).map((i) => [i.cause, i.parentId])).toEqual([['deregistered', null]]);
  });

  it('late refresh → at_risk before the binding expires; the refresh resolves it', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    // refreshes every 60 s (±1 s) with a 300 s binding
    await h.feed(ev('registered', '0000000773', h.at(0)));
    for (const s of [60, 121, 180, 240]) await h.feed(ev('refreshed', '0000000773', h.at(s)));
    await h.tickTo(305); // 5 s late: within the allowance
    expect(await h.service.list()).toHaveLength(0);
    await h.tickTo(311); // 11 s late, binding valid until 540
    const [incident] = await h.service.list();
    expect(incident).toMatchObject({ cause: 'at_risk', state: 'open' });
    expect(incident!.detail).toMatchObject({ intervalSeconds: 60, lateSeconds: 11, expiresAt: h.at(540).toISOString() });
    await h.tickTo(330);
    expect(await h.service.list()).toHaveLength(1);
    h.clock.ms = h.at(331).getTime();
    await h.feed(ev('refreshed', '0000000773', h.at(331)));
    expect((await h.service.get(incident!.id)).state).toBe('resolved');
  });

  it('at_risk is watched again after a refresh: a second late refresh raises again, an on-time one does not', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000775']);
    await h.feed(ev('registered', '0000000775', h.at(0)));
    for (const s of [60, 120, 180, 240]) await h.feed(ev('refreshed', '0000000775', h.at(s)));
    await h.tickTo(311);
    expect((await h.service.list()).map((i) => [i.cause, i.state])).toEqual([['at_risk', 'open']]);
    h.clock.ms = h.at(320).getTime();
    await h.feed(ev('refreshed', '0000000775', h.at(320))); // resolves it
    for (const s of [380, 440]) {
      h.clock.ms = h.at(s).getTime();
      await h.feed(ev('refreshed', '0000000775', h.at(s)));
    }
    await h.tickTo(500); // on time
    expect((await h.service.list()).filter((i) => i.state === 'open')).toHaveLength(0);
    // The late refresh at 320 widened the allowance to 3 × 20 s jitter: due at 440 + 60 + 60.
    await h.tickTo(555);
    expect((await h.service.list()).filter((i) => i.state === 'open')).toHaveLength(0);
    await h.tickTo(562);
    expect((await h.service.list()).filter((i) => i.state === 'open').map((i) => i.cause)).toEqual(['at_risk']);
  });

  it('a line refreshing every few seconds that goes quiet raises no at_risk (its expiry is the signal)', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000774']);
    await h.feed(ev('registered', '0000000774', h.at(0)));
    for (const s of [5, 10, 15, 20, 25]) await h.feed(ev('refreshed', '0000000774', h.at(s)));
    await h.tickTo(120); // 90 s late on a 5 s rhythm, binding valid until 325
    expect(await h.service.list()).toHaveLength(0);
  });

  it('a flapping line → one flapping incident with a count; the snooze survives re-fires; quiet resolves it', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    const drop = async (s: number) => {
      await h.feed(ev('expired', '0000000773', h.at(s), { grantedExpires: 0 }));
      await h.feed(ev('registered', '0000000773', h.at(s + 10)));
    };
    await h.feed(ev('registered', '0000000773', h.at(0)));
    await drop(100);
    await drop(200);
    expect(await h.service.list()).toHaveLength(0);
    await drop(300);
    let [flap] = await h.service.list();
    expect(flap).toMatchObject({ cause: 'flapping', count: 3 });
    await h.service.snooze(flap!.id, h.at(3600), { source: 'api', id: 'ops', name: null });
    await drop(400);
    await drop(500);
    const list = await h.service.list();
    expect(list).toHaveLength(1);
    [flap] = list;
    expect(flap).toMatchObject({ cause: 'flapping', count: 5, state: 'snoozed' });
    await h.tickTo(510 + 1801);
    expect((await h.service.get(flap!.id)).state).toBe('resolved');
  });

  it('security: one source trying many uniques, and a scanner User-Agent, each raise one security incident per IP', async () => {
    const h = await buildHarness(db);
    const attack = Array.from({ length: 6 }, (_, i) => ev('unknown_unique', `09000000${i}0`, h.at(i), { source: '198.51.100.66:5070', userAgent: 'x', detail: { reason: 'unknown_unique' } }));
    await h.feed(...attack);
    const [sec] = (await h.service.list()).filter((i) => i.cause === 'security');
    expect(sec).toMatchObject({ scopeKey: 'ip:198.51.100.66', severity: 'critical' });
    expect(sec!.detail).toMatchObject({ kind: 'many_uniques', distinctUniques: 6 });
    await h.feed(ev('rejected', '0000000001', h.at(10), { source: '198.51.100.99:5060', userAgent: 'friendly-scanner', detail: { reason: 'scanner', scanner: true } }));
    expect((await h.service.list()).filter((i) => i.cause === 'security').map((i) => i.scopeKey).sort()).toEqual(['ip:198.51.100.66', 'ip:198.51.100.99']);
  });
});
