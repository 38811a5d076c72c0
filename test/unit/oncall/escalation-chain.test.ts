import { describe, expect, it } from 'vitest';
import { businessOpening, evaluateReminder, evaluateStep, matchPolicy, type EscalationSnapshot } from '../../../src/oncall/escalation-chain.js';
import { PolicySchema, type PolicyConfig } from '../../../src/oncall/config-schema.js';

const policy = (raw: unknown): PolicyConfig => PolicySchema.parse(raw);
const snapshot = (p: PolicyConfig, businessHours: EscalationSnapshot['businessHours'] = null): EscalationSnapshot => ({
  policy: p,
  businessHours,
  incident: { id: 1, cause: 'deregistered', severity: 'warning', unique: '0000000773', circle: '123456789', accountLoginId: 'acme', openedAt: '2026-11-26T01:00:00Z' },
});
const oncall = () => ['aoi', 'chika', 'eri'];
const pos = (stepIndex: number, layerDepth = 0, repeatCount = 0) => ({ stepIndex, layerDepth, repeatCount });
const hours = { account: '*', timezone: 'Asia/Tokyo', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], from: '09:00', to: '18:00' };

describe('evaluateStep', () => {
  const p = policy({
    id: 'p',
    steps: [
      { type: 'mention_oncall', schedule: 's' },
      { type: 'notify_next_layer', schedule: 's' },
      { type: 'dm_oncall', schedule: 's' },
      { type: 'wait', minutes: 10 },
      { type: 'repeat', times: 1 },
    ],
  });
  const now = new Date('2026-11-26T01:00:00Z');

  it('mentions the top of the chain, then the next layer, and later steps follow the deeper layer', () => {
    expect(evaluateStep(snapshot(p), pos(0), now, oncall)).toEqual({
      actions: [{ type: 'mention', scheduleId: 's', personIds: ['aoi'], nextLayer: false }],
      next: pos(1),
      eta: now,
    });
    const next = evaluateStep(snapshot(p), pos(1), now, oncall);
    expect(next.actions.map((a) => a.type === 'mention' && a.personIds)).toEqual([['chika'], false]);
    expect(next.next).toEqual(pos(2, 1));
    expect(evaluateStep(snapshot(p), pos(2, 1), now, oncall).actions).toEqual([{ type: 'dm', scheduleId: 's', personIds: ['chika'], nextLayer: false }]);
  });

  it('wait sets the eta; repeat restarts until its count is used, then stops', () => {
    expect(evaluateStep(snapshot(p), pos(3), now, oncall).eta).toEqual(new Date('2026-11-26T01:10:00Z'));
    expect(evaluateStep(snapshot(p), pos(4, 1, 0), now, oncall)).toMatchObject({ next: pos(0, 1, 1), eta: now });
    expect(evaluateStep(snapshot(p), pos(4, 1, 1), now, oncall)).toEqual({ actions: [], stop: 'exhausted' });
  });

  it('after_hours: wait defers people-facing steps to the next business opening; page goes on', () => {
    const saturday = new Date('2026-11-28T03:00:00Z'); // Sat 12:00 JST
    const waiting = { ...p, after_hours: 'wait' as const };
    expect(evaluateStep(snapshot(waiting, hours), pos(0), saturday, oncall)).toEqual({
      actions: [{ type: 'deferred', until: new Date('2026-11-30T00:00:00Z') }],
      next: pos(0),
      eta: new Date('2026-11-30T00:00:00Z'),
    });
    expect(evaluateStep(snapshot(waiting, hours), pos(0), new Date('2026-11-30T00:00:00Z'), oncall).actions[0]!.type).toBe('mention');
    expect(evaluateStep(snapshot(p, hours), pos(0), saturday, oncall).actions[0]!.type).toBe('mention');
    // Waits are not deferred.
    expect(evaluateStep(snapshot(waiting, hours), pos(3), saturday, oncall).actions[0]!.type).toBe('wait');
    expect(businessOpening(hours, new Date('2026-11-26T10:00:00Z'))).toEqual(new Date('2026-11-27T00:00:00Z')); // Thu 19:00 → Fri 09:00
  });

  it('nobody on call yields an empty person list (the executor says so in the channel)', () => {
    expect(evaluateStep(snapshot(p), pos(0), now, () => []).actions).toEqual([{ type: 'mention', scheduleId: 's', personIds: [], nextLayer: false }]);
  });
});

describe('matchPolicy and reminders', () => {
  it('first match wins; an empty match is the default', () => {
    const ps = [
      policy({ id: 'crit', match: { severities: ['critical'], accounts: ['acme'] }, steps: [{ type: 'notify_channel' }] }),
      policy({ id: 'pw', match: { causes: ['password_error'] }, steps: [{ type: 'notify_channel' }] }),
      policy({ id: 'all', steps: [{ type: 'notify_channel' }] }),
    ];
    const i = { accountLoginId: 'acme', circle: '1', cause: 'deregistered' as const, severity: 'critical' as const };
    expect(matchPolicy(ps, i)?.id).toBe('crit');
    expect(matchPolicy(ps, { ...i, accountLoginId: 'other' })?.id).toBe('all');
    expect(matchPolicy(ps, { ...i, severity: 'warning', cause: 'password_error' })?.id).toBe('pw');
    expect(matchPolicy(ps.slice(0, 2), { ...i, accountLoginId: null })).toBeNull();
  });

  it('reminders come every remind_after until the count is used', () => {
    const p = policy({ id: 'p', remind_after: 30, reminders: 2, steps: [{ type: 'notify_channel' }] });
    const now = new Date('2026-11-26T01:00:00Z');
    expect(evaluateReminder(p, 0, now)).toEqual({ remind: true, eta: new Date('2026-11-26T01:30:00Z') });
    expect(evaluateReminder(p, 1, now)).toEqual({ remind: true });
    expect(evaluateReminder(p, 2, now)).toEqual({ remind: false });
  });
});
