import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { buildHarness, ev } from './harness.js';

describe.each(testDbKinds())('alert engine scenarios (%s)', (kind) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => {
    await db.dispose();
  });

  it('expiry → one alert after the grace period → re-register → edit + recovery note', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(ev('registered', '0000000773', h.at(0)));
    await h.feed(ev('expired', '0000000773', h.at(300), { responseCode: null, grantedExpires: 0 }));
    await h.tickTo(329);
    expect(await h.service.list()).toHaveLength(0);
    await h.tickTo(331);
    const [incident] = await h.service.list();
    expect(incident).toMatchObject({ cause: 'deregistered', unique: '0000000773', circle: '123456789', accountLoginId: 'acme', state: 'open', count: 1 });
    expect(incident!.tips.join(' ')).toContain('internet');
    expect(incident!.tips.join(' ')).toContain('UDP binding expired');
    await h.tickTo(340);
    expect(await h.service.list()).toHaveLength(1);

    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(1);
    expect(h.slack.calls[0]).toMatchObject({ op: 'post', destination: 'C-ALERTS' });
    const post = h.slack.calls[0] as Extract<(typeof h.slack.calls)[number], { op: 'post' }>;
    expect(post.view.title).toBe('🔴 Deregistered: 0000000773 (circle 123456789)');
    expect(post.view.actions).toEqual(['ack', 'resolve', 'snooze', 'history']);

    h.clock.ms = h.at(400).getTime();
    await h.feed(ev('registered', '0000000773', h.at(400)));
    const resolved = await h.service.get(incident!.id);
    expect(resolved.state).toBe('resolved');
    await h.worker.runOnce();
    expect(h.slack.calls.map((c) => c.op)).toEqual(['post', 'update', 'reply']);
    const update = h.slack.calls[1] as Extract<(typeof h.slack.calls)[number], { op: 'update' }>;
    expect(update.ref).toBe('C-ALERTS:m1');
    expect(update.view.state).toBe('resolved');
    expect(update.view.stateLine).toBe('Recovered at 2026-11-26 10:06:40 JST');
    expect(update.view.actions).toEqual(['history']);
    const reply = h.slack.calls[2] as Extract<(typeof h.slack.calls)[number], { op: 'reply' }>;
    expect(reply.note.text).toBe('✅ Recovered: registered again at 2026-11-26 10:06:40 JST');
    const rows = await h.outboxRepo.list({ incidentId: incident!.id });
    expect(rows.map((r) => [r.kind, r.state])).toEqual([
      ['post', 'delivered'],
      ['update', 'delivered'],
      ['reply', 'delivered'],
    ]);
  });

  it('re-registration within the grace period raises nothing', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(ev('registered', '0000000773', h.at(0)), ev('expired', '0000000773', h.at(300), { grantedExpires: 0 }));
    await h.feed(ev('registered', '0000000773', h.at(310)));
    await h.tickTo(400);
    expect(await h.service.list()).toHaveLength(0);
  });

  it('an explicit unregister is recorded and never paged', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(ev('registered', '0000000773', h.at(0)), ev('unregistered', '0000000773', h.at(60), { grantedExpires: 0 }));
    await h.tickTo(1000);
    expect(await h.service.list()).toHaveLength(0);
    expect(await h.outboxRepo.list({})).toHaveLength(0);
  });

  it('50 wrong-password failures in a row → one incident with count 50, posted once', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    const failures = Array.from({ length: 50 }, (_, i) =>
      ev('auth_failed', '0000000773', h.at(i), { responseCode: 403, grantedExpires: null, detail: { reason: 'wrong_password', algorithm: 'MD5' } }),
    );
    await h.feed(...failures.slice(0, 20));
    await h.feed(...failures.slice(20));
    const list = await h.service.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ cause: 'password_error', count: 50, lastSource: '203.0.113.7:5062' });
    expect(list[0]!.tips[0]).toBe('The terminal password configured on the phone is probably wrong.');
    expect(list[0]!.tips[1]).toContain('PUT /api/v1/uniques/0000000773/password');
    h.clock.ms = h.at(100).getTime();
    await h.worker.runOnce();
    expect(h.slack.calls.map((c) => c.op)).toEqual(['post', 'update']);
    expect((h.slack.calls[1] as unknown as { view: { fields: { label: string; value: string }[] } }).view.fields).toContainEqual({ label: 'Count', value: '50' });
    const rows = await h.outboxRepo.list({ incidentId: list[0]!.id });
    expect(rows.filter((r) => r.kind === 'update')).toHaveLength(1);
  });

  it('password changed at T and the phone still sends the old one; same device → support tip', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(ev('registered', '0000000773', h.at(0)));
    await h.uniques.setCredentials({ number: '0000000773', realm: 'r', ha1Md5: 'a', ha1Sha256: 'b' }, h.at(100));
    await h.feed(ev('auth_failed', '0000000773', h.at(200), { detail: { reason: 'wrong_password' } }));
    const [incident] = await h.service.list();
    expect(incident!.tips[0]).toBe('The password was changed at 2026-11-26 10:01:40 JST and the phone still sends the old one: enter the new password on the phone.');
    expect(incident!.tips).toContain('The failures come from the same IP and User-Agent as the last good registration: a password problem on the phone, not an attack.');
  });

  it('unknown unique: below the threshold nothing, then one incident counting every attempt', async () => {
    const h = await buildHarness(db);
    const attempt = (s: number) => ev('unknown_unique', '0999999999', h.at(s), { responseCode: 403, detail: { reason: 'unknown_unique' } });
    await h.feed(attempt(0), attempt(10));
    expect(await h.service.list()).toHaveLength(0);
    await h.feed(attempt(20), attempt(30));
    const [incident] = await h.service.list();
    expect(incident).toMatchObject({ cause: 'unknown_unique', scopeKey: 'number:0999999999', count: 4, unique: null });
  });

  it('replaying events after a restart (cursor lost) counts nothing twice', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(...Array.from({ length: 5 }, (_, i) => ev('auth_failed', '0000000773', h.at(i), { detail: { reason: 'wrong_password' } })));
    await h.incidentRepo.setCursor('other', 0, h.at(10));
    const again = await buildHarness(db);
    // A fresh engine with a different cursor name re-reads every event.
    const replay = new (h.engine.constructor as typeof import('../../../src/alerts/index.js').AlertEngine)({
      ...(h.engine as unknown as { o: ConstructorParameters<typeof import('../../../src/alerts/index.js').AlertEngine>[0] }).o,
      cursorName: 'other',
    });
    void again;
    await replay.wake();
    const [incident] = await h.service.list();
    expect(incident!.count).toBe(5);
  });

  it('after a restart, a line first seen in a page of its own registrations keeps its previous good registration', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(ev('registered', '0000000773', h.at(0), { source: '198.51.100.9:5060' }));
    const restarted = await buildHarness(db);
    // The seed of the restarted engine must find the REGISTER from 198.51.100.9 (handled before the
    // restart), not the one from 203.0.113.7 it is about to handle.
    await restarted.feed(ev('registered', '0000000773', restarted.at(100)), ev('expired', '0000000773', restarted.at(400), { grantedExpires: 0 }));
    await restarted.tickTo(431);
    const [incident] = await restarted.service.list();
    expect(incident).toMatchObject({ cause: 'deregistered', unique: '0000000773' });
    expect(incident!.tips.join(' ')).toContain('198.51.100.9 → 203.0.113.7');
  });

  it('the engine resumes from its durable cursor after a restart', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(ev('auth_failed', '0000000773', h.at(0), { detail: { reason: 'wrong_password' } }));
    expect(await h.incidentRepo.getCursor('alert-engine')).toBeGreaterThan(0);
    const restarted = await buildHarness(db);
    await restarted.events.append([ev('auth_failed', '0000000773', h.at(5), { detail: { reason: 'wrong_password' } })]);
    await restarted.engine.wake();
    const [incident] = await restarted.service.list();
    expect(incident!.count).toBe(2);
  });
});
