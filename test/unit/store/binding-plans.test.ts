import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../../helpers/test-db.js';
import { LEASES_FOR_UNIQUES, LIST_VIEWS_FOR_CIRCLE } from '../../../src/store/repos/binding-repo.js';
import { BATCH_STATEMENT } from '../../../src/store/registration-batch.js';

/**
 * The per-unique binding reads (the alert engine's seeds, the circle overview) must probe the
 * primary key once per unique, also before the table was ever analyzed (PostgreSQL then assumes
 * 200 distinct values): pulled up into a hash join they scanned all 100,000 bindings per call
 * (PERF-NOTES.md #27).
 */
describe.each(testDbKinds())('binding reads by unique on %s', (kind) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => {
    await db.dispose();
  });

  it('probe the primary key per unique instead of hashing the table, before any ANALYZE', async () => {
    const insert = (from: number, count: number) =>
      db.query(
        `insert into bindings (unique_number, contact, source, transport, call_id, cseq, path, granted_expires, registered_at, refreshed_at, expires_at)
         select 'u' || (g % $3), 'sip:' || g || '@192.0.2.1', '192.0.2.1:5060', 'udp', 'c' || g, 1, '[]'::jsonb, 600, now(), now(), now() + interval '10 minutes'
         from generate_series($1::int, $2::int) g`,
        [from, from + count - 1, from === 0 ? 2 : 1_000_000],
      );
    await insert(0, 50); // 2 uniques with 25 contacts each
    await insert(1_000, 20_000); // and a fleet that just registered: 20,000 uniques with one contact each
    const wanted = JSON.stringify(Array.from({ length: 500 }, (_, i) => `u${1_000 + i * 7}`));
    const withValues = [
      LEASES_FOR_UNIQUES.replace('$1', `'${wanted}'`),
      LIST_VIEWS_FOR_CIRCLE.replaceAll('$1', "'700000000'").replaceAll('$2', 'null'),
    ];
    for (const statement of withValues) {
      const plan = (await db.query(`explain ${statement}`, [])).map((r) => String(Object.values(r)[0])).join('\n');
      expect(plan).not.toMatch(/Hash Join|Seq Scan on bindings/);
      expect(plan).toMatch(/Index (Only )?Scan .*on bindings/);
    }
    expect(await db.query(LEASES_FOR_UNIQUES, [wanted])).toHaveLength(500);
  });

  it('the group commit removes bindings by primary-key probes, also once the table is analyzed', async () => {
    await db.query(
      `insert into bindings (unique_number, contact, source, transport, call_id, cseq, path, granted_expires, registered_at, refreshed_at, expires_at)
       select 'u' || g, 'sip:' || g || '@192.0.2.1', '192.0.2.1:5060', 'udp', 'c' || g, 1, '[]'::jsonb, 600, now(), now(), now() + interval '10 minutes'
       from generate_series(1, 20000) g`,
      [],
    );
    await db.query('analyze bindings', []);
    const removals = JSON.stringify([{ u: 'u7', c: 'sip:7@192.0.2.1' }, { u: 'u8', c: 'sip:other' }]);
    const statement = BATCH_STATEMENT.replace('$1::text', `'${removals}'`).replace('$2::text', "'[]'").replace('$3::text', "'[]'");
    const plan = (await db.query(`explain ${statement}`, [])).map((r) => String(Object.values(r)[0])).join('\n');
    // With PostgreSQL's 100-row guess for jsonb_to_recordset, DELETE … USING hashed the list and
    // scanned all 20,000 bindings (PERF-NOTES.md #34).
    expect(plan).not.toMatch(/Seq Scan on bindings/);
    expect(plan).toMatch(/Tid Scan on bindings/);
    await db.query(statement, []);
    const left = await db.query(`select unique_number from bindings where unique_number in ('u7', 'u8')`, []);
    expect(left.map((r) => r.unique_number)).toEqual(['u8']);
  });
});
