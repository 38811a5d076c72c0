import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../../src/store/db.js';
import { openTestDb, testDbKinds } from '../../helpers/test-db.js';
import { buildOncall, FakeWebhookServer, incident, TestClock, yamlFor } from './harness.js';

const T0 = new Date('2026-11-26T01:00:00Z');
const INCIDENTS = 12;

describe.each(testDbKinds())('two escalation workers on one %s database', (kind) => {
  const hook = new FakeWebhookServer();
  beforeAll(() => hook.start());
  afterAll(() => hook.stop());

  it('each step and each page runs once', async () => {
    hook.received.length = 0;
    const db = await openTestDb(kind);
    let second: DbHandle | null = null;
    try {
      // PostgreSQL: a second connection pool, as a second linewatch process would have.
      // PGlite: one connection shared by both workers (its single-connection variant).
      if (kind === 'postgres') {
        const rows = (await db.db.execute(sql`select current_database() as name`)) as unknown as { name: string }[];
        const url = new URL(process.env.DATABASE_URL!);
        url.pathname = `/${rows[0]!.name}`;
        second = await createDb({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
      }
      const clock = new TestClock(T0);
      const yaml = yamlFor(hook.url, '', `      - type: page\n        webhook: pagerduty\n        url: ${hook.url}\n        routing_key: RK2\n      - type: notify_channel\n      - type: wait\n        minutes: 5\n      - type: mention_oncall\n        schedule: primary`);
      const a = buildOncall(db.db, clock, yaml, 'instance-a');
      const b = buildOncall((second ?? db).db, clock, yaml, 'instance-b');
      for (let i = 1; i <= INCIDENTS; i++) await a.emit({ type: 'incident.opened', incident: incident(100 + i) });
      const both = async (at: Date) => {
        clock.set(at);
        await Promise.all([a.worker.tick(), b.worker.tick(), a.worker.tick(), b.worker.tick()]);
        await Promise.all([a.worker.idle(), b.worker.idle()]);
      };
      await both(T0);
      await both(new Date(T0.getTime() + 5 * 60_000));
      await both(new Date(T0.getTime() + 10 * 60_000));
      const calls = [...a.notifier.calls, ...b.notifier.calls];
      expect(calls.filter((c) => c.kind === 'channel')).toHaveLength(INCIDENTS);
      expect(calls.filter((c) => c.kind === 'mention')).toHaveLength(INCIDENTS);
      expect(calls.filter((c) => c.kind === 'page')).toHaveLength(INCIDENTS);
      const keys = hook.received.map((r) => r.body.dedup_key);
      expect(keys).toHaveLength(INCIDENTS);
      expect(new Set(keys).size).toBe(INCIDENTS);
      // Idempotency keys are unique per job and action: an outbox could dedupe a crash replay.
      expect(new Set(calls.filter((c) => c.kind !== 'page').map((c) => c.key)).size).toBe(INCIDENTS * 2);
    } finally {
      await second?.close();
      await db.dispose();
    }
  });
});
