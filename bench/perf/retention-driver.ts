/**
 * History retention cost: `EventRetention` (src/store/event-retention.ts) on a table of EVENTS
 * registration events of 10,000 provisioned lines spread over 30 days, one in twenty not a
 * refresh, with the defaults (refreshes 7 days, the rest 90). Prints rows deleted, µs per deleted
 * row, the step (one statement of 1,000 rows) p50/max, VACUUM time and table size before/after.
 * Usage: npx tsx bench/perf/retention-driver.ts postgres|pglite [events=500000]
 * (postgres: a fresh database lw_perf_retention via BENCH_ADMIN_URL; pglite: in memory).
 */
import { createDb, migrateDb, type DbHandle, type SqlQuery } from '../../src/store/db.js';
import { EventRetention } from '../../src/store/event-retention.js';
import { scratchDatabase } from '../lib/scratch-db.js';

const KIND = process.argv[2] === 'pglite' ? 'pglite' : 'postgres';
const EVENTS = Number(process.argv[3] ?? 500_000);
const LINES = 10_000;
const SPAN_DAYS = 30;

async function main(): Promise<void> {
  const scratch = KIND === 'postgres' ? await scratchDatabase('lw_perf_retention') : null;
  const db: DbHandle = scratch ? await createDb({ kind: 'postgres', url: scratch.url }) : await createDb({ kind: 'pglite', dataDir: null, sharedBuffersMb: 16 });
  try {
    await migrateDb(db);
    await db.query("insert into accounts (login_id) values ('bench')", []);
    await db.query("insert into circles (number, account_login_id) values ('1', 'bench')", []);
    await db.query(
      "insert into uniques (number, circle_number, type, login_server, realm, ha1_md5, ha1_sha256) select lpad(g::text, 10, '0'), '1', 'sip_terminal', 'bench.test', 'bench.test', 'a', 'b' from generate_series(0, $1::int - 1) g",
      [LINES],
    );
    // In id order, oldest first, as the registrar writes them.
    await db.query(
      `insert into registration_events (event_key, type, unique_number, at, method, source, transport, user_agent, contact, call_id, requested_expires, granted_expires, response_code, detail)
       select 'k' || g, case when g % 20 = 0 then 'registered' else 'refreshed' end, lpad((g % $2::int)::text, 10, '0'),
              now() - make_interval(secs => ($1::int - g)::float8 * $3::float8 / $1::int), 'REGISTER', '192.0.2.1:5060', 'udp',
              'Yealink SIP-T46U 66.86.0.15', 'sip:0000000001@192.0.2.1:5060', 'call-' || (g % $2::int), 600, 600, 200, '{}'::jsonb
       from generate_series(1, $1::int) g`,
      [EVENTS, LINES, SPAN_DAYS * 86_400],
    );
    await db.query('analyze', []);
    const size = async () => Number((await db.query("select pg_total_relation_size('registration_events') as s", []))[0]!.s) / 1e6;
    const sizeBefore = await size();

    const steps: number[] = [];
    let vacuumMs = 0;
    const timed: SqlQuery = async (text, params) => {
      const started = performance.now();
      const rows = await db.query(text, params);
      const ms = performance.now() - started;
      if (text.startsWith('with win')) steps.push(ms);
      if (text.startsWith('vacuum')) vacuumMs = ms;
      return rows;
    };
    const retention = new EventRetention({ query: timed, driver: db.driver, retention: { refreshDays: 7, eventDays: 90 } });
    const started = performance.now();
    let deleted = 0;
    for (let run = 0; run < 1000; run++) {
      const r = await retention.run();
      deleted += r.refreshesDeleted + r.eventsDeleted;
      if (!r.more) break;
    }
    const totalMs = performance.now() - started;
    steps.sort((a, b) => a - b);
    const left = Number((await db.query('select count(*) as n from registration_events', []))[0]!.n);
    console.log(
      JSON.stringify({
        driver: KIND, events: EVENTS, deleted, left, totalMs: Math.round(totalMs), usPerDeletedRow: +((totalMs * 1000) / Math.max(1, deleted)).toFixed(1),
        steps: steps.length, stepP50Ms: +steps[steps.length >> 1]!.toFixed(1), stepMaxMs: +steps.at(-1)!.toFixed(1),
        vacuumMs: Math.round(vacuumMs), sizeMbBefore: +sizeBefore.toFixed(1), sizeMbAfter: +(await size()).toFixed(1),
      }),
    );
  } finally {
    await db.close();
    await scratch?.drop();
  }
}

await main();
