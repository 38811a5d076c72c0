/**
 * Guarantee: a database that hangs (connections accepted and never answered, as behind a firewall
 * that drops packets) costs phones nothing either. No error ever comes back, so the registrar
 * cannot learn of the outage from one: the group commit in flight turns the writer degraded after
 * 3 s, new registrations are answered 200 from memory, `/readyz` says 503, and once the database
 * answers again every event is stored exactly once. A statement that is never answered even then
 * (seen in about one loaded run in five before the writer abandoned it) is abandoned after 10 s
 * and its batch retried on a new commit connection.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TcpProxy } from '../fakes/tcp-proxy.js';
import { dropTestDatabase, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';
import { DOMAIN, eventually, keepLogs, makeLines, provision, readyz, sleep, startBehindProxy, withSql } from './support/harness.js';
import { Phone } from './support/phone.js';

describe('PostgreSQL that hangs instead of failing', () => {
  let lw: SpawnedLinewatch | undefined;
  let proxy: TcpProxy | undefined;
  let realUrl: string | null = null;
  const phones: Phone[] = [];

  afterAll(async () => {
    keepLogs(lw, 'postgres-hang');
    for (const p of phones) await p.close();
    if (lw) await lw.stop('SIGKILL');
    if (proxy) await proxy.close();
    if (realUrl) await dropTestDatabase(realUrl);
    if (lw) await lw.cleanup();
  });

  it('answers new registrations from memory within seconds, reports it on /readyz, then stores every event once', async () => {
    ({ databaseUrl: realUrl, proxy, lw } = await startBehindProxy());
    const lines = makeLines(7_200_000, 3);
    await provision(lw, lines);
    for (const [i, line] of lines.entries()) {
      phones.push(await Phone.open({ serverPort: lw.sipPort, localAddress: `127.0.0.${2 + i}`, domain: DOMAIN, ...line }));
    }
    const [steady, ...newcomers] = phones;
    expect((await steady!.register()).status).toBe(200);

    proxy.blackhole();
    // A read that the database never answers is cut by the API deadline (15 s) with a 503. Sent
    // once the pool has seen its connections close (that alone fails a query at once, as
    // "unavailable"), so it waits on a new connection that the blackhole never answers.
    const lineStatus = sleep(500).then(() => lw!.api('GET', `/uniques/${lines[0]!.unique}`));
    // New bindings wait for their commit, which now never completes nor fails: the writer must
    // give up waiting on its own (the phones' budget is 8 s per transaction).
    const started = Date.now();
    const joined = await Promise.all(newcomers.map((p) => p.register()));
    expect(joined.map((r) => r.statuses.join('/'))).toEqual(['401/200', '401/200']);
    expect(Date.now() - started).toBeLessThan(8000);
    expect((await steady!.register()).status).toBe(200);
    const during = await readyz(lw);
    expect(during.status).toBe(503);
    expect((during.body?.checks as { name: string; ok: boolean }[]).find((c) => c.name === 'database_writes')?.ok).toBe(false);

    const read = await lineStatus;
    expect(read.status, JSON.stringify(read.body)).toBe(503);
    expect(read.body?.error?.code).toBe('HTTP_ERR_UNAVAILABLE');
    expect(read.body?.error?.message).toMatch(/did not answer within 15 s/);

    proxy.restore();
    // Within one abandonment (10 s) and one retry delay (at most 5 s) of the restore.
    const recovered = await eventually(() => readyz(lw!), (r) => r.status === 200, 40_000, 250);
    expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);
    const callIds = phones.map((p) => p.callId);
    const expectedRows = phones.reduce((a, p) => a + p.ok200, 0);
    const stored = await eventually(
      () => withSql(realUrl!, (sql) => sql<{ call_id: string; n: number }[]>`select call_id, count(*)::int as n from registration_events where call_id = any(${callIds}) group by call_id`),
      (rows) => rows.reduce((a, r) => a + r.n, 0) >= expectedRows,
      20_000,
      250,
    );
    expect(Object.fromEntries(stored.map((r) => [r.call_id, r.n]))).toEqual(Object.fromEntries(phones.map((p) => [p.callId, p.ok200])));
    const bindings = await withSql(realUrl!, (sql) => sql<{ n: number }[]>`select count(*)::int as n from bindings`);
    expect(bindings[0]!.n).toBe(3);

    // Alerts work again: the engine's reads in flight during the hang did not stall it for good.
    expect((await steady!.register({ password: 'not-the-password' })).status).toBe(403);
    const raised = await eventually(
      () => lw!.api('GET', '/incidents'),
      (r) => (r.body?.incidents ?? []).some((i: { cause: string; unique: string | null }) => i.cause === 'password_error' && i.unique === steady!.o.unique),
      20_000,
      250,
    );
    expect(raised.body?.incidents?.map((i: { cause: string }) => i.cause)).toContain('password_error');
  }, 90_000);
});
