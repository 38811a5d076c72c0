import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { EventRetention } from '../../../src/store/event-retention.js';
import { DrizzleEventRepo } from '../../../src/store/index.js';
import type { RegistrationEvent, RegistrationEventType } from '../../../src/domain/index.js';

const NOW = new Date('2026-11-26T00:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number, from = NOW) => new Date(from.getTime() - d * DAY);

const event = (unique: string, type: RegistrationEventType, at: Date): RegistrationEvent => ({
  type, unique, at, method: 'REGISTER', source: '192.0.2.1:5060', transport: 'udp', userAgent: 'ua', contact: null,
  callId: `c-${unique}`, requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {},
});

/** Lines 100 and 101 are provisioned; 999 is a number a scanner tried. */
async function provision(db: TestDb): Promise<void> {
  await db.query("insert into accounts (login_id, name) values ('acme', 'Acme')", []);
  await db.query("insert into circles (number, account_login_id) values ('1', 'acme')", []);
  for (const n of ['100', '101']) {
    await db.query("insert into uniques (number, circle_number, type, login_server, realm, ha1_md5, ha1_sha256) values ($1, '1', 'sip_terminal', 'x', 'x', 'a', 'b')", [n]);
  }
}

const remaining = async (db: TestDb) =>
  (await db.query('select unique_number as u, type, at from registration_events order by id', [])).map(
    (r) => `${String(r.u)} ${String(r.type)} ${Math.round((NOW.getTime() - new Date(r.at as string).getTime()) / DAY)}d`,
  );

describe.each(testDbKinds())('EventRetention on %s', (kind) => {
  let db: TestDb;
  let events: DrizzleEventRepo;
  beforeEach(async () => {
    db = await openTestDb(kind);
    events = new DrizzleEventRepo(db);
    await provision(db);
  });
  afterEach(async () => {
    await db.dispose();
  });

  const retention = (over: Partial<ConstructorParameters<typeof EventRetention>[0]> = {}) =>
    new EventRetention({ query: db.query, driver: db.driver, retention: { refreshDays: 7, eventDays: 90 }, now: () => NOW, ...over });

  it('deletes refreshes after 7 days and other events after 90, keeping the newest of each type of a provisioned line', async () => {
    const history = [
      event('101', 'registered', daysAgo(92)),
      event('100', 'auth_failed', daysAgo(91)),
      event('100', 'registered', daysAgo(90.5)),
      event('100', 'refreshed', daysAgo(90.2)),
      event('999', 'unknown_unique', daysAgo(90.1)),
      event('100', 'auth_failed', daysAgo(50)),
      event('101', 'refreshed', daysAgo(30)),
      event('999', 'unknown_unique', daysAgo(29)),
      event('100', 'refreshed', daysAgo(20)),
      event('100', 'refreshed', daysAgo(8)),
      event('100', 'refreshed', daysAgo(3)),
      event('100', 'refreshed', daysAgo(1)),
    ];
    await events.append(history);
    const latestBefore = await events.latestForUniques(['100', '101'], ['registered', 'refreshed', 'unregistered']);

    const counted: number[] = [];
    const run = await retention({ metrics: { deleted: (n) => counted.push(n) } }).run();
    expect(run).toMatchObject({ refreshesDeleted: 3, eventsDeleted: 2, more: false });
    expect(counted.reduce((a, n) => a + n, 0)).toBe(5);
    expect(await remaining(db)).toEqual([
      '101 registered 92d', // the only `registered` of 101: when it last registered stays known
      '100 registered 91d',
      '100 auth_failed 50d',
      '101 refreshed 30d', // the newest refresh of 101, however old
      '999 unknown_unique 29d',
      '100 refreshed 3d',
      '100 refreshed 1d',
    ]);
    expect(await events.latestForUniques(['100', '101'], ['registered', 'refreshed', 'unregistered'])).toEqual(latestBefore);
    // Nothing more to do until time passes.
    expect(await retention().run()).toMatchObject({ refreshesDeleted: 0, eventsDeleted: 0 });

    // Ten days later the walks resume where they stopped.
    const later = new Date(NOW.getTime() + 10 * DAY);
    await events.append([event('100', 'refreshed', daysAgo(0, later))]);
    expect(await retention({ now: () => later }).run()).toMatchObject({ refreshesDeleted: 2 });
    expect((await remaining(db)).filter((r) => r.startsWith('100 refreshed'))).toEqual(['100 refreshed -10d']);
  });

  it('stops at the first row not old enough, so an older event stored after it waits for the next runs', async () => {
    // An external registrar's event arrives late with an old timestamp: ids do not follow time.
    await events.append([event('100', 'refreshed', daysAgo(1)), event('100', 'refreshed', daysAgo(20)), event('100', 'refreshed', daysAgo(0.5))]);
    expect(await retention().run()).toMatchObject({ refreshesDeleted: 0 });
    const later = new Date(NOW.getTime() + 7 * DAY);
    expect(await retention({ now: () => later }).run()).toMatchObject({ refreshesDeleted: 2 });
    expect(await remaining(db)).toEqual(['100 refreshed 1d']); // the one from half a day before NOW
  });

  it('works a backlog off in bounded runs and reports that more is left', async () => {
    await events.append(Array.from({ length: 9 }, (_, i) => event('100', 'refreshed', daysAgo(30 - i))));
    const small = retention({ windowRows: 2, maxStepsPerRun: 2 });
    const runs = [];
    for (let i = 0; i < 10; i++) {
      const run = await small.run();
      runs.push(run);
      if (!run.more) break;
    }
    expect(runs[0]).toMatchObject({ refreshesDeleted: 4, more: true });
    expect(runs.at(-1)!.more).toBe(false);
    expect(runs.reduce((a, r) => a + r.refreshesDeleted, 0)).toBe(8);
    expect(await remaining(db)).toEqual(['100 refreshed 22d']);
  });

  it('keeps everything when both retentions are 0, and refreshes as long as the rest when theirs is 0', async () => {
    await events.append([event('100', 'refreshed', daysAgo(400)), event('100', 'refreshed', daysAgo(100)), event('100', 'refreshed', daysAgo(30))]);
    const off = retention({ retention: { refreshDays: 0, eventDays: 0 } });
    expect(off.enabled).toBe(false);
    expect(await off.run()).toMatchObject({ refreshesDeleted: 0, eventsDeleted: 0 });
    expect(await retention({ retention: { refreshDays: 0, eventDays: 365 } }).run()).toMatchObject({ eventsDeleted: 1 });
    expect(await remaining(db)).toEqual(['100 refreshed 100d', '100 refreshed 30d']);
  });

  it('vacuums after deleting where no autovacuum runs', async () => {
    await events.append([event('100', 'refreshed', daysAgo(30)), event('100', 'refreshed', daysAgo(1))]);
    const run = await retention().run();
    expect(run.refreshesDeleted).toBe(1);
    const [setting] = kind === 'pglite' ? [{ autovacuum: 'off' }] : await db.query("select current_setting('autovacuum') as autovacuum", []);
    expect(run.vacuumed).toBe(setting?.autovacuum === 'off');
  });

  it('property: never deletes what is young or the newest of a provisioned line; deletes the rest once old', async () => {
    const types: RegistrationEventType[] = ['registered', 'refreshed', 'expired', 'auth_failed'];
    const arbitrary = fc.array(fc.record({ unique: fc.constantFrom('100', '101', '999'), type: fc.constantFrom(...types), ageDays: fc.double({ min: 0, max: 200, noNaN: true }) }), { maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(arbitrary, async (drawn) => {
        await db.query('delete from registration_events', []);
        await db.query('delete from event_cursors', []);
        const sorted = [...drawn].sort((a, b) => b.ageDays - a.ageDays);
        const stored = await events.append(sorted.map((d) => event(d.unique, d.type, daysAgo(d.ageDays))));
        const small = retention({ windowRows: 3, maxStepsPerRun: 1000 });
        await small.run();
        const kept = new Set((await db.query('select id from registration_events', [])).map((r) => Number(r.id)));
        for (const [i, e] of stored.entries()) {
          const limit = e.type === 'refreshed' ? 7 : 90;
          const old = sorted[i]!.ageDays > limit;
          const newestOfLine = e.unique !== '999' && !stored.some((o) => o.unique === e.unique && o.type === e.type && o.id > e.id);
          expect(kept.has(e.id), `${e.unique} ${e.type} ${sorted[i]!.ageDays}d`).toBe(!old || newestOfLine);
        }
      }),
      { numRuns: kind === 'pglite' ? 25 : 40 },
    );
  });
});
