import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RegistrationWriter } from '../../../src/store/index.js';
import type { RegistrationEvent } from '../../../src/domain/index.js';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { buildHarness, ev } from './harness.js';

const wrong = { detail: { reason: 'wrong_password' }, responseCode: 403, grantedExpires: null } as const;

describe.each(testDbKinds())('alert engine fed by the writer (%s)', (kind) => {
  let db: TestDb;
  let writer: RegistrationWriter;
  beforeEach(async () => {
    db = await openTestDb(kind);
    writer = new RegistrationWriter({ query: db.query });
  });
  afterEach(async () => {
    await writer.stop();
    await db.dispose();
  });

  const persist = (...events: RegistrationEvent[]) => writer.persist({ upserts: [], removals: [], events });

  it('processes handed events without re-reading them, reads when the ids leave a gap, and recovers the line', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000773']);
    await h.engine.wake();
    writer.onStored(h.engine.listener);
    const reads = vi.spyOn(h.events, 'listAfter');

    await persist(...[0, 1, 2].map((s) => ev('auth_failed', '0000000773', h.at(s), wrong)));
    await h.engine.idle();
    expect(reads).not.toHaveBeenCalled();
    expect(await h.service.list()).toMatchObject([{ cause: 'password_error', count: 3 }]);

    // Stored by someone else (not handed): the next hand-over does not continue the cursor.
    await h.events.append([3, 4].map((s) => ev('auth_failed', '0000000773', h.at(s), wrong)));
    await persist(ev('auth_failed', '0000000773', h.at(5), wrong));
    await h.engine.idle();
    expect(reads).toHaveBeenCalled();
    expect(await h.service.list()).toMatchObject([{ cause: 'password_error', count: 6 }]);

    await persist(ev('registered', '0000000773', h.at(10)));
    await h.engine.idle();
    expect(await h.service.list()).toMatchObject([{ cause: 'password_error', state: 'resolved' }]);
    expect(await h.incidentRepo.getCursor('alert-engine')).toBe(7);
  });

  it('a refresh resolves an incident raised elsewhere once the active-line set was reloaded', async () => {
    const h = await buildHarness(db);
    await h.provision('123456789', ['0000000774']);
    await h.engine.wake();
    writer.onStored(h.engine.listener);
    // Another instance on the same database raises an at_risk incident for the line.
    await h.service.raise({
      cause: 'at_risk', severity: 'warning', unique: '0000000774', circle: '123456789', accountLoginId: 'acme', scopeKey: 'unique:0000000774',
      at: h.at(0), source: null, userAgent: null, tips: [], parentId: null, detail: {}, eventId: 0,
    });
    await h.tickTo(11);
    await persist(ev('refreshed', '0000000774', h.at(12)));
    await h.engine.idle();
    expect(await h.service.list()).toMatchObject([{ cause: 'at_risk', state: 'resolved' }]);
  });
});
