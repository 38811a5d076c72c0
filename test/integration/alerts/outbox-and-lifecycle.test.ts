import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryPermanentError, DeliveryRateLimitedError, systemActor } from '../../../src/alerts/index.js';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { buildHarness, ev, FakeDelivery } from './harness.js';

const sato = { source: 'slack' as const, id: 'U1', name: 'Sato' };

describe.each(testDbKinds())('outbox and incident lifecycle (%s)', (kind) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => {
    await db.dispose();
  });

  async function withIncident() {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.feed(ev('auth_failed', '0000000773', h.at(0), { detail: { reason: 'wrong_password' } }));
    const [incident] = await h.service.list();
    return { h, incident: incident! };
  }

  it('rows survive a restart (new worker on the same DB) and are delivered exactly once', async () => {
    const { h, incident } = await withIncident();
    const after = await buildHarness(db);
    await after.worker.runOnce();
    await after.worker.runOnce();
    expect(after.slack.calls).toHaveLength(1);
    expect(after.slack.calls[0]).toMatchObject({ op: 'post', key: `post:${incident.id}:slack:C-ALERTS` });
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(0);
  });

  it('wake() delivers planned rows at once instead of at the next poll, and a wake during a pass runs one more pass', async () => {
    const { h } = await withIncident();
    const worker = h.makeWorker(h.slack, { pollMs: 3_600_000 });
    worker.wake(); // not started: nothing happens
    await new Promise((r) => setTimeout(r, 50));
    expect(h.slack.calls).toHaveLength(0);
    worker.start();
    worker.wake();
    worker.wake(); // joins: one more pass after the running one, not a second concurrent one
    for (let i = 0; i < 100 && h.slack.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(h.slack.calls).toHaveLength(1);
  });

  it('tells the delivery that a retried row may have been posted already (the claim count survives restarts)', async () => {
    const { h } = await withIncident();
    h.slack.failures.push(new Error('socket hang up'));
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(0);
    h.clock.advance(600);
    const after = await buildHarness(db); // a new process on the same database
    after.clock.ms = h.clock.ms;
    await after.worker.runOnce();
    expect(after.slack.calls).toHaveLength(1);
    expect([...h.slack.postAttempts, ...after.slack.postAttempts]).toEqual([false, true]);
  });

  it('a 429 with Retry-After delays delivery by at least that long, then posts once', async () => {
    const { h } = await withIncident();
    h.slack.failures.push(new DeliveryRateLimitedError(30_000));
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(0);
    const [row] = await h.outboxRepo.list({ platform: 'slack' });
    expect(row!.nextAttemptAt.getTime() - h.clock.ms).toBeGreaterThanOrEqual(30_000);
    h.clock.advance(29);
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(0);
    h.clock.advance(2);
    await h.worker.runOnce();
    await h.worker.runOnce();
    expect(h.slack.calls.map((c) => c.op)).toEqual(['post']);
  });

  it('transient errors back off exponentially; a permanent error parks the row and its follow-ups', async () => {
    const { h, incident } = await withIncident();
    h.slack.failures.push(new Error('socket hang up'), new Error('socket hang up'));
    await h.worker.runOnce();
    let [row] = await h.outboxRepo.list({ platform: 'slack' });
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Error: socket hang up' });
    expect(row!.nextAttemptAt.getTime() - h.clock.ms).toBe(500); // base 1000 ms, jitter 0 → half
    h.clock.advance(1);
    await h.worker.runOnce();
    [row] = await h.outboxRepo.list({ platform: 'slack' });
    expect(row!.nextAttemptAt.getTime() - h.clock.ms).toBe(1000);
    h.slack.failures.push(new DeliveryPermanentError('channel_not_found'));
    h.clock.advance(2);
    await h.worker.runOnce();
    [row] = await h.outboxRepo.list({ platform: 'slack' });
    expect(row).toMatchObject({ state: 'parked', lastError: 'DeliveryPermanentError: channel_not_found' });
    await h.service.acknowledge(incident.id, sato);
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(0);
    expect((await h.outboxRepo.list({ incidentId: incident.id })).map((r) => r.state)).toEqual(['parked', 'parked', 'parked']);
  });

  it('acknowledge → update + note in the thread, stateLine names the person', async () => {
    const { h, incident } = await withIncident();
    await h.worker.runOnce();
    h.clock.advance(60);
    await h.service.acknowledge(incident.id, sato);
    await h.worker.runOnce();
    expect(h.slack.calls.map((c) => c.op)).toEqual(['post', 'update', 'reply']);
    const update = h.slack.calls[1] as unknown as { view: { stateLine: string; actions: string[] } };
    expect(update.view.stateLine).toBe('Acknowledged by Sato at 2026-11-26 10:01:00 JST');
    expect(update.view.actions).toEqual(['resolve', 'snooze', 'history']);
    expect((h.slack.calls[2] as unknown as { note: { text: string } }).note.text).toBe('Acknowledged by Sato');
  });

  it('illegal transitions are refused with ALERT_ERR codes; every transition is audited', async () => {
    const { h, incident } = await withIncident();
    await h.service.resolve(incident.id, sato);
    h.clock.advance(60);
    await expect(h.service.resolve(incident.id, sato)).rejects.toMatchObject({ code: 'ALERT_ERR_ILLEGAL_TRANSITION' });
    await expect(h.service.acknowledge(incident.id, sato)).rejects.toMatchObject({ code: 'ALERT_ERR_ILLEGAL_TRANSITION' });
    await expect(h.service.snooze(incident.id, new Date(h.clock.ms + 60_000), sato)).rejects.toMatchObject({ code: 'ALERT_ERR_ILLEGAL_TRANSITION' });
    await expect(h.service.get(999_999)).rejects.toMatchObject({ code: 'ALERT_ERR_INCIDENT_NOT_FOUND' });
    const audit = await h.service.audit(incident.id);
    expect(audit.map((a) => [a.type, a.actor.source, a.actor.name])).toEqual([
      ['opened', 'system', null],
      ['resolved', 'slack', 'Sato'],
    ]);
  });

  it('resolve wins over an ack arriving 2 s later: the ack is recorded, the incident stays resolved', async () => {
    const { h, incident } = await withIncident();
    await h.service.resolve(incident.id, sato);
    h.clock.advance(2);
    const after = await h.service.acknowledge(incident.id, { source: 'discord', id: 'D9', name: 'Kato' });
    expect(after.state).toBe('resolved');
    expect((await h.service.get(incident.id)).state).toBe('resolved');
    expect((await h.service.audit(incident.id)).map((a) => a.type)).toEqual(['opened', 'resolved', 'ack_ignored']);
  });

  it('snooze survives re-fires and ends on the tick with incident.unsnoozed', async () => {
    const { h, incident } = await withIncident();
    const changes: string[] = [];
    h.service.onChange((c) => {
      changes.push(c.type);
    });
    await h.service.snooze(incident.id, new Date(h.clock.ms + 30 * 60_000), sato);
    await h.feed(ev('auth_failed', '0000000773', h.at(5), { detail: { reason: 'wrong_password' } }));
    expect(await h.service.get(incident.id)).toMatchObject({ state: 'snoozed', count: 2 });
    await h.tickTo(29 * 60);
    expect((await h.service.get(incident.id)).state).toBe('snoozed');
    await h.tickTo(31 * 60);
    expect((await h.service.get(incident.id)).state).toBe('open');
    expect(changes).toEqual(['incident.snoozed', 'incident.repeated', 'incident.unsnoozed']);
    await expect(h.service.snooze(incident.id, new Date(h.clock.ms - 1), systemActor)).rejects.toMatchObject({ code: 'ALERT_ERR_INVALID_SNOOZE' });
  });

  it('a storm of 25 new incidents for one channel becomes one digest; follow-ups go to its thread', async () => {
    const h = await buildHarness(db, { workerOptions: { perDestinationIntervalMs: 1000 } });
    const numbers = Array.from({ length: 25 }, (_, i) => `00000010${String(i).padStart(2, '0')}`);
    await h.provision('123456789', numbers);
    // Each from its own site: 25 support problems, not one attacker.
    await h.feed(...numbers.map((n, i) => ev('auth_failed', n, h.at(i), { source: `198.51.100.${i + 1}:5060`, detail: { reason: 'wrong_password' } })));
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(1);
    const digest = h.slack.calls[0] as unknown as { op: string; view: { title: string; fields: unknown[]; actions: unknown[] } };
    expect(digest.view.title).toBe('🚨 25 new alerts (digest)');
    expect(digest.view.fields).toHaveLength(25);
    expect(digest.view.actions).toEqual([]);
    const first = (await h.service.list()).at(-1)!;
    h.clock.advance(5);
    await h.service.acknowledge(first.id, sato);
    await h.worker.runOnce();
    expect(h.slack.calls.map((c) => c.op)).toEqual(['post', 'reply']);
    expect((h.slack.calls[1] as unknown as { ref: string; note: { text: string } }).ref).toBe('C-ALERTS:m1');
    expect((h.slack.calls[1] as unknown as { note: { text: string } }).note.text).toBe(`#${first.id} ${first.unique}: Acknowledged by Sato`);
  });

  it('per-destination budget: one message per second to a channel', async () => {
    const h = await buildHarness(db, { workerOptions: { perDestinationIntervalMs: 1000 } });
    await h.provision('123456789', ['0000000773', '0000000774', '0000000775']);
    await h.feed(...['0000000773', '0000000774', '0000000775'].map((n) => ev('auth_failed', n, h.at(0), { detail: { reason: 'wrong_password' } })));
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(1);
    h.clock.advance(1);
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(2);
    h.clock.advance(1);
    await h.worker.runOnce();
    expect(h.slack.calls).toHaveLength(3);
  });

  it('enqueueNote and enqueueDirectMessage deliver escalation notes', async () => {
    const { h, incident } = await withIncident();
    await h.worker.runOnce();
    await h.planner.enqueueNote(incident.id, null, { incidentId: incident.id, text: 'paging Sato', mentions: [{ name: 'Sato', slackUserId: 'U1' }] }, 'step-1');
    await h.planner.enqueueNote(incident.id, null, { incidentId: incident.id, text: 'paging Sato', mentions: [] }, 'step-1');
    await h.planner.enqueueDirectMessage('slack', 'U1', { incidentId: incident.id, text: 'please look', mentions: [] }, 'step-2');
    await h.worker.runOnce();
    expect(h.slack.calls.map((c) => c.op)).toEqual(['post', 'reply', 'dm']);
  });
});

describe.skipIf(!testDbKinds().includes('postgres'))('two workers on one PostgreSQL database', () => {
  it('deliver each row exactly once', async () => {
    const db = await openTestDb('postgres');
    try {
      const h = await buildHarness(db);
      const numbers = Array.from({ length: 15 }, (_, i) => `00000020${String(i).padStart(2, '0')}`);
      await h.provision('123456789', numbers);
      await h.feed(...numbers.map((n, i) => ev('auth_failed', n, h.at(i), { source: `198.51.100.${i + 1}:5060`, detail: { reason: 'wrong_password' } })));
      for (const incident of await h.service.list()) await h.service.acknowledge(incident.id, sato);
      const a = new FakeDelivery('slack');
      const b = new FakeDelivery('slack');
      const wa = h.makeWorker(a, { batchSize: 2 });
      const wb = h.makeWorker(b, { batchSize: 2 });
      for (let i = 0; i < 30; i++) await Promise.all([wa.runOnce(), wb.runOnce()]);
      const all = [...a.calls, ...b.calls];
      expect(all.filter((c) => c.op === 'post')).toHaveLength(15);
      expect(all.filter((c) => c.op === 'update')).toHaveLength(15);
      expect(all.filter((c) => c.op === 'reply')).toHaveLength(15);
      expect(a.calls.length).toBeGreaterThan(0);
      expect(b.calls.length).toBeGreaterThan(0);
      const rows = await h.outboxRepo.list({ platform: 'slack' });
      expect(rows.every((r) => r.state === 'delivered')).toBe(true);
    } finally {
      await db.dispose();
    }
  });
});
