import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { RegistrationWriter } from '../../../src/store/registration-writer.js';
import { DrizzleBindingRepo, DrizzleEventRepo } from '../../../src/store/index.js';
import type { Binding, RegistrationEvent } from '../../../src/domain/index.js';

const at = new Date('2026-11-26T00:00:00Z');
const binding = (unique: string, contact: string, expiresAt = new Date(at.getTime() + 600_000)): Binding => ({
  unique, contact, source: '192.0.2.1:5060', transport: 'udp', userAgent: 'ua', callId: 'c1', cseq: 1, path: [],
  instanceId: null, regId: null, q: null, requestedExpires: 600, grantedExpires: 600, registeredAt: at, refreshedAt: at, expiresAt,
});
const event = (type: RegistrationEvent['type'], unique: string): RegistrationEvent => ({
  type, unique, at, method: 'REGISTER', source: '192.0.2.1:5060', transport: 'udp', userAgent: 'ua', contact: null,
  callId: 'c1', requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {},
});

describe.each(testDbKinds())('RegistrationWriter on %s', (kind) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => {
    await db.dispose();
  });

  it('groups concurrent commits into few transactions and stores everything once', async () => {
    const batches: number[] = [];
    const writer = new RegistrationWriter({ query: db.commitQuery, metrics: { batch: (rows) => batches.push(rows), failure: () => {} } });
    const stored: number[] = [];
    writer.onStored((events) => stored.push(...events.map((e) => e.id)));
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => writer.persist({ upserts: [binding(`10${i}`, `sip:${i}@h`)], removals: [], events: [event('registered', `10${i}`)] })),
    );
    expect(batches.length).toBeLessThan(10);
    expect(stored).toHaveLength(300);
    expect(new Set(stored).size).toBe(300);
    const repo = new DrizzleBindingRepo(db);
    expect(await repo.listAll()).toHaveLength(300);
    const some = await repo.leasesForUniques(['100', '1099', '10299', 'nope']);
    expect([...some.keys()].sort()).toEqual(['100', '1099', '10299'].sort());
    expect(some.get('1099')).toEqual([{ contact: 'sip:99@h', expiresAt: (await repo.listForUnique('1099'))[0]!.expiresAt }]);
    expect(await repo.leasesForUniques([])).toEqual(new Map());
  });

  it('resetCommit ends the old commit session, so a statement left on it never commits', async () => {
    if (kind === 'pglite') return; // one embedded connection: nothing can be left behind
    await db.query('create table fence_probe (x int)', []);
    const [{ pid: oldPid } = {}] = await db.commitQuery('select pg_backend_pid() as pid', []);
    // One statement, so it commits when it ends: the insert waits 30 s for its commit.
    const left = db.commitQuery('with w as (insert into fence_probe values (1) returning x) select pg_sleep(30) from w', []);
    left.catch(() => {});
    for (let i = 0; i < 200; i++) {
      const [running] = await db.query("select 1 from pg_stat_activity where pid = $1 and state = 'active' and query like '%pg_sleep%'", [oldPid]);
      if (running) break;
      await new Promise((r) => setTimeout(r, 10));
    }

    await db.resetCommit();
    await db.commitQuery('insert into fence_probe values (2)', []);
    // The old session is gone (its socket alone being closed would not stop it: the server
    // notices a lost client only when it next talks to it), and its insert was rolled back.
    expect(await db.query('select pid from pg_stat_activity where pid = $1', [oldPid])).toEqual([]);
    await expect(left).rejects.toThrow();
    expect((await db.query('select x from fence_probe order by x', [])).map((r) => r.x)).toEqual([2]);
    const [own] = await db.commitQuery('select application_name as name from pg_stat_activity where pid = pg_backend_pid()', []);
    expect(own?.name).toMatch(/^linewatch-commit [0-9a-f]{8}$/);
  });

  it('commits on a connection of its own, so a busy pool does not hold a commit back', async () => {
    if (kind === 'pglite') {
      // One embedded connection: the commit statement is the same entry point as every other.
      expect(db.commitQuery).toBe(db.query);
      return;
    }
    const [own] = await db.commitQuery('select application_name as name from pg_stat_activity where pid = pg_backend_pid()', []);
    expect(own?.name).toMatch(/^linewatch-commit [0-9a-f]{8}$/);
    // Every pooled connection (5 in tests) busy, and more queued behind them.
    const busy = Array.from({ length: 7 }, () => db.query('select pg_sleep(0.6)', []));
    const started = performance.now();
    const writer = new RegistrationWriter({ query: db.commitQuery });
    await writer.persist({ upserts: [binding('0311110001', 'sip:a@192.0.2.1')], removals: [], events: [event('registered', '0311110001')] });
    expect(performance.now() - started).toBeLessThan(400);
    await Promise.all(busy);
  });

  it('coalesces an upsert followed by a removal of the same binding', async () => {
    const writer = new RegistrationWriter({ query: db.commitQuery });
    const p1 = writer.persist({ upserts: [binding('100', 'sip:a@h')], removals: [], events: [] });
    const p2 = writer.persist({ upserts: [], removals: [{ unique: '100', contact: 'sip:a@h' }], events: [event('unregistered', '100')] });
    await Promise.all([p1, p2]);
    expect(await new DrizzleBindingRepo(db).listForUnique('100')).toEqual([]);
    const events = await new DrizzleEventRepo(db).listForUnique('100', { limit: 10 });
    expect(events.map((e) => e.type)).toEqual(['unregistered']);
  });

  it('updates an existing binding in place on refresh', async () => {
    const writer = new RegistrationWriter({ query: db.commitQuery });
    await writer.persist({ upserts: [binding('100', 'sip:a@h')], removals: [], events: [] });
    const later = new Date(at.getTime() + 1_200_000);
    await writer.persist({ upserts: [{ ...binding('100', 'sip:a@h', later), cseq: 2 }], removals: [], events: [] });
    const rows = await new DrizzleBindingRepo(db).listForUnique('100');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.expiresAt.toISOString()).toBe(later.toISOString());
    expect(rows[0]!.cseq).toBe(2);
  });
});

describe.each(testDbKinds())('RegistrationWriter with data the database refuses, on %s', (kind) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => {
    await db.dispose();
  });

  it('stores an event carrying a NUL byte sanitized, and keeps storing the events after it', async () => {
    const errors: string[] = [];
    const writer = new RegistrationWriter({ query: db.commitQuery, logger: { error: (_o, m) => errors.push(m), warn: () => {}, info: () => {} } });
    const poisoned = { ...event('rejected', '100'), callId: 'abc\u0000def', userAgent: 'scanner\u0000' };
    await Promise.all([
      writer.persist({ upserts: [], removals: [], events: [poisoned] }),
      writer.persist({ upserts: [binding('101', 'sip:b@h')], removals: [], events: [event('registered', '101')] }),
    ]);
    await writer.persist({ upserts: [], removals: [], events: [event('registered', '102')] });
    expect(writer.degraded).toBe(false);
    const repo = new DrizzleEventRepo(db);
    const [stored] = await repo.listForUnique('100', { limit: 5 });
    expect(stored?.callId).toBe('abc\ufffddef');
    expect(await repo.listForUnique('101', { limit: 5 })).toHaveLength(1);
    expect(await repo.listForUnique('102', { limit: 5 })).toHaveLength(1);
    expect(await new DrizzleBindingRepo(db).listForUnique('101')).toHaveLength(1);
  });
});

describe('RegistrationWriter when a flush neither commits nor fails', () => {
  it('answers from memory after stallAfterMs, keeps the batch in flight, and recovers when it settles', async () => {
    const calls: string[][] = [];
    let settle!: (rows: Record<string, unknown>[]) => void;
    const query = async (_text: string, params: readonly unknown[]) => {
      calls.push(params as string[]);
      // The first flush hangs (a blackholed connection); later ones commit at once.
      return calls.length === 1 ? new Promise<Record<string, unknown>[]>((resolve) => (settle = resolve)) : [];
    };
    const logged: string[] = [];
    const logger = { info: (_: object, msg: string) => logged.push(msg), warn: (_: object, msg: string) => logged.push(msg), error: (_: object, msg: string) => logged.push(msg) };
    const writer = new RegistrationWriter({ query, stallAfterMs: 50, logger });
    const upsertedUniques = (call: string[]) => (JSON.parse(call[1]!) as { u: string }[]).map((b) => b.u);

    let firstAnswered = false;
    const first = writer.persist({ upserts: [binding('301', 'sip:a@h')], removals: [], events: [event('registered', '301')] }).then(() => (firstAnswered = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(firstAnswered).toBe(false);
    expect(writer.degraded).toBe(false);
    await first;
    expect(writer.degraded).toBe(true);
    expect(logged).toContain('database write stalled; serving from memory');

    // While it stalls: answered at once, queued, and nothing overtakes the flush in flight.
    await writer.persist({ upserts: [binding('302', 'sip:b@h')], removals: [], events: [event('registered', '302')] });
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    expect(upsertedUniques(calls[0]!)).toEqual(['301']);

    settle([]);
    for (let i = 0; i < 100 && calls.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(calls).toHaveLength(2);
    expect(upsertedUniques(calls[1]!)).toEqual(['302']);
    expect(writer.degraded).toBe(false);
    expect(logged).toContain('database writes recovered');
    await writer.stop();
  });

  it('abandons a flush unsettled after abandonAfterMs and retries its rows after reconnect', async () => {
    const order: string[] = [];
    let settleAbandoned!: (rows: Record<string, unknown>[]) => void;
    const query = async (_text: string, params: readonly unknown[]) => {
      order.push(`write ${(JSON.parse(params[1] as string) as { u: string }[]).map((b) => b.u).join(',')}`);
      // The first flush is never answered (the statement the driver kept after a hang).
      return order.length === 1 ? new Promise<Record<string, unknown>[]>((resolve) => (settleAbandoned = resolve)) : [];
    };
    const logged: string[] = [];
    const logger = { info: (_: object, msg: string) => logged.push(msg), warn: (_: object, msg: string) => logged.push(msg), error: (_: object, msg: string) => logged.push(msg) };
    const reconnect = async () => {
      order.push('reconnect');
    };
    const writer = new RegistrationWriter({ query, reconnect, stallAfterMs: 20, abandonAfterMs: 80, retryInitialMs: 10, logger });
    const stored: string[] = [];
    writer.onStored((events) => stored.push(...events.map((e) => e.unique)));

    await writer.persist({ upserts: [binding('311', 'sip:a@h')], removals: [], events: [event('registered', '311')] });
    expect(writer.degraded).toBe(true);
    await writer.persist({ upserts: [binding('312', 'sip:b@h')], removals: [], events: [] });
    for (let i = 0; i < 100 && order.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    // The abandoned rows go first again, after the connection was replaced.
    expect(order).toEqual(['write 311', 'reconnect', 'write 311,312']);
    expect(logged).toContain('database write abandoned; retrying on a new connection');
    expect(writer.degraded).toBe(false);
    expect(writer.queuedRows).toBe(0);

    // The abandoned statement answering late changes nothing.
    settleAbandoned([{ id: '1', event_key: 'x' }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(stored).toEqual([]);
    expect(writer.degraded).toBe(false);
    await writer.stop();
    expect(order).toHaveLength(3);
  });

  it('abandons a row written alone after a data error when it is never answered, and retries the batch', async () => {
    const calls: string[] = [];
    const query = async (_text: string, params: readonly unknown[]) => {
      const uniques = (JSON.parse(params[1] as string) as { u: string }[]).map((b) => b.u).join(',');
      calls.push(uniques);
      // The batch is refused for bad data; the first row written alone then hangs; later calls commit.
      if (calls.length === 1) throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
      if (calls.length === 2) return new Promise<Record<string, unknown>[]>(() => {});
      return [];
    };
    let reconnects = 0;
    const writer = new RegistrationWriter({ query, reconnect: async () => void reconnects++, stallAfterMs: 20, abandonAfterMs: 60, retryInitialMs: 10 });
    await writer.persist({ upserts: [binding('321', 'sip:a@h'), binding('322', 'sip:b@h')], removals: [], events: [] });
    for (let i = 0; i < 100 && (writer.degraded || writer.queuedRows > 0); i++) await new Promise((r) => setTimeout(r, 10));
    expect(calls.slice(0, 2)).toEqual(['321,322', '321']);
    expect(reconnects).toBe(1);
    expect(writer.degraded).toBe(false);
    expect(writer.queuedRows).toBe(0);
    await writer.stop();
  });

  it('a flush that commits in time never turns the writer degraded', async () => {
    const query = async () => {
      await new Promise((r) => setTimeout(r, 5));
      return [];
    };
    const writer = new RegistrationWriter({ query, stallAfterMs: 200 });
    await writer.persist({ upserts: [binding('303', 'sip:c@h')], removals: [], events: [] });
    await new Promise((r) => setTimeout(r, 250));
    expect(writer.degraded).toBe(false);
    await writer.stop();
  });
});
