/**
 * Guarantee: a PostgreSQL outage under registration load costs phones nothing. The registrar keeps
 * answering 200 from memory, `/readyz` says 503 meanwhile, and after recovery every registration
 * event is in the database exactly once and every binding is there.
 *
 * The database sits behind a TCP proxy this test cuts (connections reset, new ones refused).
 * `RELIABILITY_OUTAGE_S` sets the outage (default 30 s, the number).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TcpProxy } from '../fakes/tcp-proxy.js';
import { dropTestDatabase, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';
import { DOMAIN, eventually, keepLogs, makeLines, provision, readyz, sleep, startBehindProxy, withSql } from './support/harness.js';
import { Phone } from './support/phone.js';

const OUTAGE_S = Number(process.env.RELIABILITY_OUTAGE_S ?? 30);
const STEADY = 16; // phones registered before the outage, refreshing throughout
const NEWCOMERS = 4; // phones registering for the first time during the outage

describe('PostgreSQL outage under registration load', { retry: 1 }, () => {
  let lw: SpawnedLinewatch | undefined;
  let proxy: TcpProxy | undefined;
  let realUrl: string | null = null;
  const phones: Phone[] = [];

  /** After the test, and before a retry: an attempt's phones, serve, proxy and database go. */
  async function cleanUp(): Promise<void> {
    keepLogs(lw, 'postgres-outage');
    for (const p of phones.splice(0)) await p.close();
    if (lw) await lw.stop('SIGKILL');
    if (proxy) await proxy.close();
    if (realUrl) await dropTestDatabase(realUrl);
    if (lw) await lw.cleanup();
    lw = undefined;
    proxy = undefined;
    realUrl = null;
  }

  afterAll(cleanUp);

  it(`keeps answering phones for a ${OUTAGE_S} s outage, reports it on /readyz, then stores every event exactly once`, async () => {
    await cleanUp();
    ({ databaseUrl: realUrl, proxy, lw } = await startBehindProxy());
    const lines = makeLines(7_100_000, STEADY + NEWCOMERS);
    await provision(lw, lines);
    for (const [i, line] of lines.entries()) {
      phones.push(await Phone.open({ serverPort: lw.sipPort, localAddress: `127.0.0.${2 + i}`, domain: DOMAIN, ...line }));
    }
    const steady = phones.slice(0, STEADY);
    const newcomers = phones.slice(STEADY);

    // Load: every steady phone refreshes about once a second until told to stop (bounded).
    let running = true;
    const failures: string[] = [];
    const loop = async (phone: Phone) => {
      for (let round = 0; round < 600 && running; round++) {
        const r = await phone.register({ expires: 600 });
        if (r.status !== 200) failures.push(`${phone.o.unique} round ${round}: ${r.statuses.join('/') || 'no answer'}`);
        await sleep(700 + Math.random() * 600);
      }
    };
    const load = Promise.all(steady.map(loop));
    await sleep(2000);
    expect((await readyz(lw)).status).toBe(200);

    proxy.cut();
    const cutAt = Date.now();
    const samples: { afterMs: number; status: number; writes: boolean | undefined }[] = [];
    let newcomersJoined = 0;
    let lineStatus: { status: number; body: any } | null = null;
    for (let s = 0; s < OUTAGE_S * 2 && Date.now() - cutAt < OUTAGE_S * 1000; s++) {
      if (s === 4) {
        // New bindings during the outage: answered from memory too, written after recovery.
        const joined = await Promise.all(newcomers.map((p) => p.register({ expires: 600 })));
        for (const [i, r] of joined.entries()) if (r.status !== 200) failures.push(`newcomer ${newcomers[i]!.o.unique}: ${r.statuses.join('/') || 'no answer'}`);
        newcomersJoined = joined.filter((r) => r.status === 200).length;
      }
      // A support agent asking meanwhile is told the database is unavailable, not "internal error".
      if (s === 5) lineStatus = await lw.api('GET', `/uniques/${lines[0]!.unique}`);
      const r = await readyz(lw);
      const writes = (r.body?.checks as { name: string; ok: boolean }[] | undefined)?.find((c) => c.name === 'database_writes')?.ok;
      samples.push({ afterMs: Date.now() - cutAt, status: r.status, writes });
      await sleep(Math.max(0, 1000 - (Date.now() - cutAt - samples.at(-1)!.afterMs)));
    }
    proxy.restore();
    await sleep(3000);
    running = false;
    await load;

    // Recovery: ready again and the writer's queue drained (retry backoff is at most 5 s).
    const recovered = await eventually(() => readyz(lw!), (r) => r.status === 200, 20_000, 250);
    expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);

    expect(failures, 'registrations that did not get 200').toEqual([]);
    expect(newcomersJoined).toBe(NEWCOMERS);
    expect(proxy.refused, 'the outage must really have refused connections').toBeGreaterThan(0);
    const late = samples.filter((s) => s.afterMs > 3000);
    expect(late.length).toBeGreaterThan(0);
    // status 0 = /readyz gave no answer within 5 s: a readiness check hung on the dead connection.
    expect(late.filter((s) => s.status !== 503), 'readyz samples during the outage that were not 503').toEqual([]);
    expect(late.some((s) => s.writes === false), 'database_writes reports the outage').toBe(true);
    expect(lineStatus?.status, JSON.stringify(lineStatus?.body)).toBe(503);
    expect(lineStatus?.body?.error?.code).toBe('HTTP_ERR_UNAVAILABLE');

    const callIds = phones.map((p) => p.callId);
    const expected = new Map(phones.map((p) => [p.callId, { registered: 1, refreshed: p.ok200 - 1 }]));
    const stored = await eventually(
      () =>
        withSql(realUrl!, (sql) => sql<{ call_id: string; type: string; n: number }[]>`
          select call_id, type, count(*)::int as n from registration_events where call_id = any(${callIds}) group by call_id, type`),
      (rows) => rows.reduce((a, r) => a + r.n, 0) >= phones.reduce((a, p) => a + p.ok200, 0),
      15_000,
      500,
    );
    const actual = new Map(phones.map((p) => [p.callId, { registered: 0, refreshed: 0 }]));
    const other: string[] = [];
    for (const row of stored) {
      if (row.type === 'registered' || row.type === 'refreshed') actual.get(row.call_id)![row.type] = row.n;
      else other.push(`${row.call_id}: ${row.n} ${row.type}`);
    }
    expect(other, 'no other event types for these phones').toEqual([]);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));

    await withSql(realUrl!, async (sql) => {
      const dupes = await sql`select event_key, count(*)::int as n from registration_events group by event_key having count(*) > 1`;
      expect(dupes).toEqual([]);
      const rows = await sql<{ unique_number: string; contact: string }[]>`select unique_number, contact from bindings`;
      const inDb = new Set(rows.map((r) => `${r.unique_number} ${r.contact}`));
      const missing = phones.filter((p) => !inDb.has(`${p.o.unique} ${p.contact}`)).map((p) => p.o.unique);
      expect(missing, 'bindings missing after recovery').toEqual([]);
    });
    const total = phones.reduce((a, p) => a + p.ok200, 0);
    console.info(`[postgres-outage] outage ${OUTAGE_S} s, ${total} registrations answered 200, ${samples.length} readyz samples, proxy refused ${proxy.refused} connections`);
  }, 180_000);
});
