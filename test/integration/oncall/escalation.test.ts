import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { EscalationWorker } from '../../../src/oncall/index.js';
import { buildOncall, FakeWebhookServer, incident, sato, TestClock, yamlFor } from './harness.js';

const T0 = new Date('2026-11-26T01:00:00Z'); // Thursday 10:00 JST
const at = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * 60_000 + seconds * 1000);

describe.each(testDbKinds())('escalation on %s', (kind) => {
  let db: TestDb;
  const hook = new FakeWebhookServer();
  beforeAll(() => hook.start());
  afterAll(() => hook.stop());
  beforeEach(async () => {
    db = await openTestDb(kind);
    hook.received.length = 0;
    hook.statuses = [];
  });
  afterEach(() => db.dispose());

  it('runs channel → wait → mention → DM → page → repeat at exact times, then stops', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(db.db, clock, yamlFor(hook.url), 'w1');
    await o.emit({ type: 'incident.opened', incident: incident(42) });
    for (const m of [0, 4, 5, 14, 15, 29, 30, 35, 45, 59, 60, 120]) await o.runAt(at(m));
    expect(o.notifier.timeline(T0)).toEqual([
      [0, 'channel', ''],
      [5, 'mention', 'Aoi'],
      [15, 'dm', 'Aoi'],
      [15, 'page', 'pagerduty:trigger'],
      [30, 'channel', ''],
      [35, 'mention', 'Aoi'],
      [45, 'dm', 'Aoi'],
      [45, 'page', 'pagerduty:trigger'],
    ]);
    // The first channel note stands beside the alert that was just posted: it says what runs;
    // the one after the repeat says nobody acknowledged yet.
    const channelNotes = o.notifier.calls.filter((c) => c.kind === 'channel').map((c) => c.text);
    expect(channelNotes).toHaveLength(2);
    expect(channelNotes[0]).toMatch(/^🔔 Escalation started \(policy /);
    expect(channelNotes[1]).toMatch(/is not acknowledged yet/);
    expect((await o.store.getByIncident(42))?.state).toBe('exhausted');
    // The fake PagerDuty endpoint got Events API v2 triggers with the stable dedup key.
    expect(hook.received).toHaveLength(2);
    const body = hook.received[0]!.body;
    expect(body).toMatchObject({
      routing_key: 'R0UTINGKEY0000000000000000000001',
      event_action: 'trigger',
      dedup_key: 'linewatch-incident-42',
      payload: { source: 'linewatch', severity: 'critical', custom_details: { incident_id: 42, unique: '0000000773' } },
    });
    expect(String((body.payload as Record<string, unknown>).summary)).toContain('0000000773');
    expect(hook.received[1]!.body.dedup_key).toBe('linewatch-incident-42');
    expect(hook.received[0]!.headers['content-type']).toBe('application/json');
    const types = (await o.service.history(42)).map((e) => e.type);
    expect(types).toEqual([
      'escalation.started',
      'step.notify_channel',
      'step.wait',
      'step.mention_oncall',
      'step.wait',
      'step.dm_oncall',
      'step.page',
      'step.wait',
      'page.sent',
      'step.repeat',
      'step.notify_channel',
      'step.wait',
      'step.mention_oncall',
      'step.wait',
      'step.dm_oncall',
      'step.page',
      'step.wait',
      'page.sent',
      'escalation.exhausted',
    ]);
    expect((await o.service.history(42)).every((e) => e.type === 'escalation.started' || e.actor.source === 'system')).toBe(true);
  });

  it('a replayed incident.opened does not start a second escalation', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(db.db, clock, yamlFor(hook.url), 'w1');
    await o.emit({ type: 'incident.opened', incident: incident(7) });
    await o.emit({ type: 'incident.opened', incident: incident(7) });
    await o.runAt(at(0));
    expect(o.notifier.timeline(T0)).toEqual([[0, 'channel', '']]);
  });

  it('acknowledge stops the escalation and a reminder fires after remind_after', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(db.db, clock, yamlFor(hook.url, '    remind_after: 30\n    reminders: 2'), 'w1');
    await o.emit({ type: 'incident.opened', incident: incident(43) });
    await o.runAt(at(0));
    clock.set(at(2));
    await o.emit({ type: 'incident.acknowledged', incident: { ...incident(43, 'acknowledged'), acknowledgedBy: sato }, actor: sato });
    for (const m of [5, 15, 31]) await o.runAt(at(m));
    expect(o.notifier.timeline(T0)).toEqual([[0, 'channel', '']]);
    await o.runAt(at(32));
    await o.runAt(at(61));
    await o.runAt(at(62));
    await o.runAt(at(200));
    expect(o.notifier.timeline(T0)).toEqual([
      [0, 'channel', ''],
      [32, 'mention', 'Aoi'],
      [62, 'mention', 'Aoi'],
    ]);
    expect(o.notifier.calls[1]!.text).toContain('Reminder');
    const history = await o.service.history(43);
    const ack = history.find((e) => e.type === 'escalation.acknowledged')!;
    expect(ack.actor).toEqual(sato);
    expect(history.filter((e) => e.type === 'escalation.reminder')).toHaveLength(2);
    expect(history.filter((e) => e.type === 'step.stale')).toHaveLength(1); // the pending wait step
  });

  it('resolve wins over an acknowledge arriving 3 s later; pages get a resolve with the same dedup key', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(
      db.db,
      clock,
      yamlFor(hook.url, '', `      - type: page\n        webhook: pagerduty\n        url: ${hook.url}\n        routing_key: RK1\n      - type: wait\n        minutes: 5\n      - type: mention_oncall\n        schedule: primary`),
      'w1',
    );
    await o.emit({ type: 'incident.opened', incident: incident(44) });
    await o.runAt(at(0));
    clock.set(at(1));
    await o.emit({ type: 'incident.resolved', incident: incident(44, 'resolved'), actor: sato, reason: 'manual' });
    clock.set(at(1, 3));
    await o.emit({ type: 'incident.acknowledged', incident: incident(44, 'acknowledged'), actor: { source: 'discord', id: '1', name: 'Eri' } });
    for (const m of [1, 5, 61, 200]) await o.runAt(at(m));
    expect((await o.store.getByIncident(44))?.state).toBe('resolved');
    expect(o.notifier.timeline(T0).filter(([, k]) => k !== 'page')).toEqual([]);
    expect(hook.received.map((r) => [r.body.event_action, r.body.dedup_key])).toEqual([
      ['trigger', 'linewatch-incident-44'],
      ['resolve', 'linewatch-incident-44'],
    ]);
    expect(hook.received[1]!.body).toEqual({ routing_key: 'RK1', event_action: 'resolve', dedup_key: 'linewatch-incident-44' });
    const history = await o.service.history(44);
    expect(history.map((e) => e.type)).toContain('change.ignored');
    expect(history.find((e) => e.type === 'change.ignored')?.actor.source).toBe('discord');
    expect(history.find((e) => e.type === 'escalation.resolved')?.actor).toEqual(sato);
  });

  it('snooze pauses and incident.unsnoozed resumes at the paused step', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(db.db, clock, yamlFor(hook.url), 'w1');
    await o.emit({ type: 'incident.opened', incident: incident(45) });
    await o.runAt(at(0));
    clock.set(at(2));
    await o.emit({ type: 'incident.snoozed', incident: incident(45, 'snoozed'), actor: sato, until: at(60) });
    await o.runAt(at(5));
    await o.runAt(at(40));
    expect(o.notifier.timeline(T0)).toEqual([[0, 'channel', '']]);
    clock.set(at(50)); // woken early by the engine
    await o.emit({ type: 'incident.unsnoozed', incident: incident(45, 'open') });
    await o.runAt(at(50));
    await o.runAt(at(60)); // the resume job is stale now: nothing twice
    await o.runAt(at(59 + 1 + 10));
    expect(o.notifier.timeline(T0)).toEqual([
      [0, 'channel', ''],
      [50, 'mention', 'Aoi'],
      [60, 'dm', 'Aoi'],
      [60, 'page', 'pagerduty:trigger'],
    ]);
  });

  it('without an unsnoozed event the escalation resumes when the snooze ends', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(db.db, clock, yamlFor(hook.url), 'w1');
    await o.emit({ type: 'incident.opened', incident: incident(46) });
    await o.runAt(at(0));
    clock.set(at(2));
    await o.emit({ type: 'incident.snoozed', incident: incident(46, 'snoozed'), actor: sato, until: at(30) });
    await o.runAt(at(29));
    await o.runAt(at(30));
    expect(o.notifier.timeline(T0)).toEqual([
      [0, 'channel', ''],
      [30, 'mention', 'Aoi'],
    ]);
    expect((await o.service.history(46)).map((e) => e.type)).toContain('escalation.resumed');
  });

  it('a restart mid-escalation continues from the rows; a dead worker’s lease is taken over', async () => {
    const clock = new TestClock(T0);
    const first = buildOncall(db.db, clock, yamlFor(hook.url), 'old-process');
    await first.emit({ type: 'incident.opened', incident: incident(47) });
    await first.runAt(at(0));
    await first.worker.stop();
    // A new process: new store, executor and worker on the same database.
    const second = buildOncall(db.db, clock, yamlFor(hook.url), 'new-process');
    await second.runAt(at(5));
    expect(second.notifier.timeline(T0)).toEqual([[5, 'mention', 'Aoi']]);
    // A third process claims the next step and dies before finishing it.
    clock.set(at(15));
    const lost = await second.store.claimDue(['step'], at(15), at(16), 'crashed', 10);
    expect(lost).toHaveLength(1);
    await second.runAt(at(15, 30));
    expect(second.notifier.calls).toHaveLength(1);
    await second.runAt(at(16, 1));
    expect(second.notifier.timeline(T0).map(([, k, w]) => `${k}:${w}`)).toEqual(['mention:Aoi', 'dm:Aoi', 'page:pagerduty:trigger']);
  });

  it('a failing webhook is retried with backoff as a row; the steps go on meanwhile', async () => {
    const clock = new TestClock(T0);
    hook.statuses = [500, 503];
    const o = buildOncall(
      db.db,
      clock,
      yamlFor(hook.url, '', `      - type: page\n        webhook: generic\n        url: ${hook.url}\n      - type: notify_channel`),
      'w1',
    );
    await o.emit({ type: 'incident.opened', incident: incident(48) });
    await o.runAt(at(0));
    expect(hook.received).toHaveLength(1);
    expect(o.notifier.calls.map((c) => c.kind)).toEqual(['channel', 'page']);
    await o.runAt(at(0, 29));
    expect(hook.received).toHaveLength(1);
    await o.runAt(at(0, 30)); // 30 s backoff
    await o.runAt(at(1, 29));
    expect(hook.received).toHaveLength(2);
    await o.runAt(at(1, 30)); // then 60 s
    expect(hook.received).toHaveLength(3);
    expect(hook.received[2]!.body).toMatchObject({ event: 'trigger', dedup_key: 'linewatch-incident-48', incident: { id: 48 } });
    const types = (await o.service.history(48)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('page.'))).toEqual(['page.retry', 'page.retry', 'page.sent']);
  });

  it('start() polls on its own and stop() waits for the work in hand', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(db.db, clock, yamlFor(hook.url), 'poller');
    const worker = new EscalationWorker({ store: o.store, executor: o.executor, clock, logger: { warn: () => {}, error: () => {} }, pollMs: 20 });
    await o.emit({ type: 'incident.opened', incident: incident(49) });
    worker.start();
    for (let i = 0; i < 200 && o.notifier.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await worker.stop();
    expect(o.notifier.timeline(T0)).toEqual([[0, 'channel', '']]);
  });
});
