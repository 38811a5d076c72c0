import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCEPTED_REGISTER_TYPES, ERROR_EVENT_TYPES, type Binding, type RegistrationEvent } from '../../../src/domain/index.js';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { provision, type Repos } from '../chat/commands/fixtures.js';

/** The circle overview's reads select the circle's uniques themselves (PERF-NOTES.md #26–#28). */
describe.each(testDbKinds())('reads of a whole circle on %s', (kind) => {
  let db: TestDb;
  let repos: Repos;
  const circle = '123456789';
  const members = ['0000000773', '0000000774', '0000000775', '0000000776', '0000000777'];
  beforeEach(async () => {
    db = await openTestDb(kind);
    repos = await provision(db);
    // A line of another circle with events of its own: never part of the answer.
    const at = new Date('2026-11-26T08:00:00Z');
    const other = (type: RegistrationEvent['type']): RegistrationEvent => ({
      type, unique: '0000000901', at, method: 'REGISTER', source: '192.0.2.9:5060', transport: 'udp', userAgent: 'x', contact: null,
      callId: 'c901', requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {},
    });
    await repos.events.append([other('registered'), other('auth_failed')]);
  });
  afterEach(async () => {
    await db.dispose();
  });

  it('give what the per-unique reads give for the circle members, and nothing of other circles', async () => {
    const accepted = await repos.events.latestForUniques(members, ACCEPTED_REGISTER_TYPES);
    const marks = await repos.events.latestMarksForCircle(circle, ACCEPTED_REGISTER_TYPES);
    expect([...marks.keys()].sort()).toEqual([...accepted.keys()].sort());
    expect(marks.size).toBeGreaterThan(0);
    for (const [unique, mark] of marks) expect(mark).toEqual({ id: accepted.get(unique)!.id, at: accepted.get(unique)!.at });

    const errors = await repos.events.latestForCircle(circle, ERROR_EVENT_TYPES);
    expect(errors).toEqual(await repos.events.latestForUniques(members, ERROR_EVENT_TYPES));
    expect(errors.has('0000000774')).toBe(true);

    const full = new Map<string, Binding[]>();
    for (const unique of members) {
      const list = await repos.bindings.listForUnique(unique);
      if (list.length > 0) full.set(unique, list);
    }
    const views = await repos.bindings.listViewsForCircle(circle);
    expect([...views.keys()]).toEqual([...full.keys()]);
    for (const [unique, list] of views) {
      expect(list).toEqual(
        full.get(unique)!.map((b) => ({ contact: b.contact, source: b.source, transport: b.transport, userAgent: b.userAgent, registeredAt: b.registeredAt, expiresAt: b.expiresAt })),
      );
    }
  });

  it('keep to one unique type when asked, and answer an unknown circle with nothing', async () => {
    expect([...(await repos.events.latestMarksForCircle(circle, ACCEPTED_REGISTER_TYPES, 'smartphone')).keys()]).toEqual(['0000000774']);
    expect([...(await repos.events.latestForCircle(circle, ERROR_EVENT_TYPES, 'sip_terminal')).keys()]).toEqual([]);
    expect([...(await repos.bindings.listViewsForCircle(circle, 'sip_terminal')).keys()]).toEqual(['0000000773']);
    expect((await repos.bindings.listViewsForCircle(circle, 'smartphone')).size).toBe(0);
    expect((await repos.bindings.listViewsForCircle('000000000')).size).toBe(0);
    expect((await repos.events.latestMarksForCircle('000000000', ACCEPTED_REGISTER_TYPES)).size).toBe(0);
    expect((await repos.events.latestForCircle(circle, [])).size).toBe(0);
  });
});
