import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DrizzleEventRepo } from '../../../src/store/index.js';
import type { RegistrationEvent } from '../../../src/domain/index.js';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';

const event = (type: RegistrationEvent['type'], unique: string, minute: number): RegistrationEvent => ({
  type, unique, at: new Date(Date.UTC(2026, 10, 26, 1, minute)), method: 'REGISTER', source: '192.0.2.1:5060', transport: 'udp',
  userAgent: 'ua', contact: null, callId: `c-${minute}`, requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: { minute },
});

describe.each(testDbKinds())('DrizzleEventRepo on %s', (kind) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => {
    await db.dispose();
  });

  it('finds the newest event of the given types for each unique, and none for others', async () => {
    const repo = new DrizzleEventRepo(db);
    await repo.append([
      event('registered', '100', 1),
      event('auth_failed', '100', 2),
      event('refreshed', '100', 3),
      event('registered', '200', 4),
      event('expired', '200', 5),
      event('auth_failed', '300', 6),
    ]);
    const accepted = await repo.latestForUniques(['100', '200', '300', '400'], ['registered', 'refreshed', 'unregistered']);
    expect([...accepted.keys()].sort()).toEqual(['100', '200']);
    expect(accepted.get('100')).toMatchObject({ type: 'refreshed', callId: 'c-3', detail: { minute: 3 }, grantedExpires: 600 });
    expect(accepted.get('100')!.at.toISOString()).toBe('2026-11-26T01:03:00.000Z');
    expect(typeof accepted.get('100')!.id).toBe('number');
    expect(accepted.get('200')!.type).toBe('registered');
    const errors = await repo.latestForUniques(['100', '200', '300'], ['auth_failed', 'unknown_unique']);
    expect([...errors.keys()].sort()).toEqual(['100', '300']);
    expect(errors.get('300')!.callId).toBe('c-6');
    expect(await repo.latestForUniques([], ['registered'])).toEqual(new Map());
  });

  it('takes the newest across the types, with other events and an old error behind a long history', async () => {
    const repo = new DrizzleEventRepo(db);
    const history: RegistrationEvent[] = [event('unknown_unique', '500', 0), event('auth_failed', '500', 1), event('registered', '500', 2)];
    for (let minute = 3; minute < 60; minute++) history.push(event(minute % 7 === 0 ? 'unregistered' : 'refreshed', '500', minute));
    history.push(event('expired', '500', 60));
    await repo.append(history);
    // Newest accepted is the refresh of minute 59, not the older unregistered (minute 56) nor the expiry after it.
    expect((await repo.latestForUniques(['500'], ['registered', 'refreshed', 'unregistered'])).get('500')).toMatchObject({ type: 'refreshed', callId: 'c-59' });
    expect((await repo.latestForUniques(['500'], ['unregistered', 'registered'])).get('500')).toMatchObject({ type: 'unregistered', callId: 'c-56' });
    // The newest error is minute 1's auth failure, found behind 58 later events.
    expect((await repo.latestForUniques(['500'], ['auth_failed', 'unknown_unique', 'rejected'])).get('500')).toMatchObject({ type: 'auth_failed', callId: 'c-1' });
    // A type listed twice does not duplicate the row.
    expect([...(await repo.latestForUniques(['500', '500'], ['expired', 'expired'])).values()]).toHaveLength(1);
  });

  it('with an id bound, finds the newest at or below it (what a consumer at that cursor has seen)', async () => {
    const repo = new DrizzleEventRepo(db);
    const stored = await repo.append([event('registered', '600', 1), event('refreshed', '600', 2), event('registered', '700', 3), event('refreshed', '600', 4)]);
    const [first, second, , fourth] = stored.map((e) => e.id);
    const accepted = ['registered', 'refreshed'] as const;
    expect((await repo.latestForUniques(['600', '700'], accepted, second!)).get('600')).toMatchObject({ callId: 'c-2' });
    expect((await repo.latestForUniques(['600'], accepted, first!)).get('600')).toMatchObject({ callId: 'c-1' });
    expect((await repo.latestForUniques(['600'], accepted, fourth!)).get('600')).toMatchObject({ callId: 'c-4' });
    // Line 700's only REGISTER is above the bound: none.
    expect([...(await repo.latestForUniques(['600', '700'], accepted, second!)).keys()]).toEqual(['600']);
    expect(await repo.latestForUniques(['600', '700'], accepted, first! - 1)).toEqual(new Map());
  });
});
