/**
 * Alert engine cost per stored registration event: the group-commit writer persists COMMITS
 * registrations (binding upsert + `registered`/`refreshed` event each, 10,000 lines, the first
 * sight of every line in the first waves) in waves of WAVE, with the engine attached through
 * `onStored` exactly as `src/compose/alerting.ts` wires it; after each wave the engine is drained.
 * Prints this process's CPU per registration and the database statements per registration
 * (postgres.js `debug` hook), with and without the engine (ENGINE=0), against PostgreSQL.
 * Then times the engine's 1 s tick with every line tracked (TICKS=20 of them, p50 and max).
 * Usage: [SRC=/path/to/src] [LINES=10000] npx tsx bench/perf/engine-driver.ts [commits=20000] [wave=500]
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { scratchDatabase } from '../lib/scratch-db.js';

const SRC = process.env.SRC ?? new URL('../../src', import.meta.url).pathname;
const COMMITS = Number(process.argv[2] ?? 20_000);
const WAVE = Number(process.argv[3] ?? 500);
const WITH_ENGINE = process.env.ENGINE !== '0';
const LINES = Number(process.env.LINES ?? 10_000);
const TICKS = Number(process.env.TICKS ?? 20);

async function main(): Promise<void> {
  const { createDb, migrateDb } = await import(`${SRC}/store/db.js`);
  const store = await import(`${SRC}/store/index.js`);
  const schema = await import(`${SRC}/store/schema/index.js`);
  const alerts = await import(`${SRC}/alerts/index.js`);
  const { DrizzleIncidentRepo } = await import(`${SRC}/store/repos/incident-repo.js`);
  const scratch = await scratchDatabase('lw_perf_engine');
  const url = new URL(scratch.url);
  const setup = await createDb({ kind: 'postgres', url: url.toString() });
  await migrateDb(setup);
  await setup.close();
  let statements = 0;
  const client = postgres(url.toString(), { max: 10, onnotice: () => undefined, ...(process.env.COUNT === '0' ? {} : { debug: () => void statements++ }) });
  const db = drizzle({ client, schema });
  const access = { db: db as never, query: (text: string, params: readonly unknown[]) => client.unsafe(text, params as never[], { prepare: true }) as never };
  const clock = { now: () => new Date() };
  const writer = new store.RegistrationWriter({ query: access.query });
  const incidentRepo = new DrizzleIncidentRepo(access);
  const incidents = new alerts.IncidentService({ store: incidentRepo, clock });
  const engine = new alerts.AlertEngine({
    incidents,
    store: incidentRepo,
    events: new store.DrizzleEventRepo(access),
    bindings: new store.DrizzleBindingRepo(access),
    directory: new alerts.LineDirectory(new store.DrizzleUniqueRepo(db), new store.DrizzleCircleRepo(db)),
    clock,
    locale: 'en',
    timeZone: 'Asia/Tokyo',
    minExpires: 60,
  });
  if (WITH_ENGINE) {
    await engine.wake();
    writer.onStored(engine.listener);
  }
  const commit = (i: number) => {
    const unique = String(700_000_000 + (i % LINES));
    const at = new Date();
    return {
      upserts: [{
        unique, contact: `sip:${unique}@192.0.2.${i % 250}:5060;transport=udp`, source: `192.0.2.${i % 250}:5060`, transport: 'udp',
        userAgent: 'Yealink SIP-T46U 108.86.0.45', callId: `call-${unique}@phone`, cseq: 2 + Math.floor(i / LINES), path: [], instanceId: null, regId: null, q: null,
        requestedExpires: 600, grantedExpires: 600, registeredAt: at, refreshedAt: at, expiresAt: new Date(at.getTime() + 600_000),
      }],
      removals: [],
      events: [{ type: i < LINES ? 'registered' : 'refreshed', unique, at, method: 'REGISTER', source: `192.0.2.${i % 250}:5060`, transport: 'udp', userAgent: 'Yealink', contact: `sip:${unique}@192.0.2.${i % 250}:5060;transport=udp`, callId: `call-${unique}@phone`, requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {} }],
    };
  };
  const drain = async () => {
    await writer.flush();
    // A pass queued by the last onStored ends the serial chain; wake() runs after it.
    if (WITH_ENGINE) await engine.wake();
  };
  const run = async (from: number, to: number) => {
    for (let i = from; i < to; i += WAVE) {
      await Promise.all(Array.from({ length: WAVE }, (_, k) => writer.persist(commit(i + k))));
      // let the engine's pass run between waves, as under steady load
      await new Promise((r) => setImmediate(r));
    }
  };
  const cpu0 = process.cpuUsage();
  statements = 0;
  const t0 = performance.now();
  await run(0, COMMITS);
  const tRun = performance.now() - t0;
  const cpuRun = process.cpuUsage(cpu0);
  await drain();
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  const n = statements;
  const tickMs: number[] = [];
  if (WITH_ENGINE) {
    for (let k = 0; k < TICKS; k++) {
      const t = performance.now();
      await engine.tick();
      tickMs.push(performance.now() - t);
    }
    tickMs.sort((a, b) => a - b);
  }
  const cursor = await incidentRepo.getCursor('alert-engine');
  await writer.stop();
  await client.end({ timeout: 5 });
  await scratch.drop();
  console.log(`${WITH_ENGINE ? 'engine' : 'no engine'} ${SRC}: ${COMMITS} registrations, ${((cpu.user + cpu.system) / COMMITS).toFixed(1)} µs CPU/reg ` +
    `(${((cpuRun.user + cpuRun.system) / COMMITS).toFixed(1)} before the final drain, ${tRun.toFixed(0)} ms), ` +
    `${(n / COMMITS).toFixed(3)} statements/reg, ${(COMMITS / (ms / 1000)).toFixed(0)}/s wall, cursor ${cursor}` +
      (tickMs.length ? `; tick with ${LINES} lines: p50 ${tickMs[Math.floor(tickMs.length / 2)]!.toFixed(2)} ms, max ${tickMs[tickMs.length - 1]!.toFixed(2)} ms` : ''));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
