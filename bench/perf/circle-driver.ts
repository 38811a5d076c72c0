/**
 * `/circle status` cost without HTTP: LineQueries.circle() for a circle of 500 uniques, each with a
 * binding and a few events, on PostgreSQL (fresh database lw_perf_circle via BENCH_ADMIN_URL).
 * Prints p50/p99 of N calls; run with `node --cpu-prof --import tsx` to profile. OTHERS adds that
 * many uniques in other circles, each with a binding and an event (the bench's 100,000-line store).
 * Usage: npx tsx bench/perf/circle-driver.ts [calls=200] [others=0]
 * PGLITE=<shared buffers MB> runs it on embedded PGlite in a temporary DATA_DIR instead, with
 * PostgreSQL's shared_buffers at that size (the `PGLITE_SHARED_BUFFERS_MB` setting).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/main.js';
import { RegistrationWriter } from '../../src/store/registration-writer.js';
import { scratchDatabase } from '../lib/scratch-db.js';
import { ACCEPTED_REGISTER_TYPES, ERROR_EVENT_TYPES } from '../../src/domain/index.js';

const CALLS = Number(process.argv[2] ?? 200);
const OTHERS = Number(process.argv[3] ?? 0);

async function main(): Promise<void> {
  const pgliteBuffers = process.env.PGLITE;
  const dataDir = pgliteBuffers ? mkdtempSync(join(tmpdir(), 'lw-perf-circle-')) : null;
  const scratch = dataDir ? null : await scratchDatabase('lw_perf_circle');
  const config = loadConfig({
    ...(dataDir ? { DATA_DIR: dataDir, PGLITE_SHARED_BUFFERS_MB: pgliteBuffers } : { DATABASE_URL: scratch!.url }),
    LOCALE: 'en',
    SIP_DOMAIN: 'bench.test',
  });
  const store = await openStore(config, { logger: pino({ level: 'silent' }) });
  await store.provisioning.createAccount('acme', null);
  await store.provisioning.createCircle({ number: '700000000', accountLoginId: 'acme' } as never);
  const numbers = Array.from({ length: 500 }, (_, i) => String(3_000_000_000 + i));
  await store.provisioning.importUniques(numbers.map((n) => ({ number: n, circleNumber: '700000000', type: 'sip_terminal', password: `pw-${n}-Xx1` })));
  const writer = new RegistrationWriter({ query: store.handle.query });
  const now = Date.now();
  for (let from = 0; from < OTHERS; from += 500) {
    const circle = String(710_000_000 + from / 500);
    await store.provisioning.createCircle({ number: circle, accountLoginId: 'acme' } as never);
    const others = Array.from({ length: Math.min(500, OTHERS - from) }, (_, i) => String(4_000_000_000 + from + i));
    await store.provisioning.importUniques(others.map((n) => ({ number: n, circleNumber: circle, type: 'sip_terminal', password: `pw-${n}-Xx1` })));
    const at = new Date(now - 60_000);
    await Promise.all(
      others.map((unique) =>
        writer.persist({
          upserts: [{ unique, contact: `sip:${unique}@192.0.2.9:5060`, source: '192.0.2.9:5060', transport: 'udp', userAgent: 'SIPp', callId: `o${unique}`, cseq: 1, path: [], instanceId: null, regId: null, q: null, requestedExpires: 600, grantedExpires: 600, registeredAt: at, refreshedAt: at, expiresAt: new Date(at.getTime() + 600_000) }],
          removals: [],
          events: [{ type: 'registered', unique, at, method: 'REGISTER', source: '192.0.2.9:5060', transport: 'udp', userAgent: 'SIPp', contact: `sip:${unique}@192.0.2.9:5060`, callId: `o${unique}`, requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {} }],
        }),
      ),
    );
  }
  for (let round = 0; round < 4; round++) {
    await Promise.all(
      numbers.map((unique, i) => {
        const at = new Date(now - (4 - round) * 60_000);
        const contact = `sip:${unique}@192.0.2.${i % 250}:5060`;
        return writer.persist({
          upserts: [{ unique, contact, source: `192.0.2.${i % 250}:5060`, transport: 'udp', userAgent: 'Yealink SIP-T46U', callId: `c${i}`, cseq: round + 1, path: [], instanceId: null, regId: null, q: null, requestedExpires: 600, grantedExpires: 600, registeredAt: at, refreshedAt: at, expiresAt: new Date(at.getTime() + 600_000) }],
          removals: [],
          events: [{ type: round === 0 ? 'registered' : 'refreshed', unique, at, method: 'REGISTER', source: `192.0.2.${i % 250}:5060`, transport: 'udp', userAgent: 'Yealink SIP-T46U', contact, callId: `c${i}`, requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {} }],
        });
      }),
    );
  }
  await writer.stop();
  const times: number[] = [];
  let jsonMs = 0;
  let jsonBytes = 0;
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    const result = await store.lineQueries.circle('700000000');
    times.push(performance.now() - t0);
    if (result.lines.length !== 500) throw new Error(`expected 500 lines, got ${result.lines.length}`);
    const j0 = performance.now();
    jsonBytes = JSON.stringify(result.documents).length; // what the API's reply body costs to build
    jsonMs += performance.now() - j0;
  }
  // Each read of the circle alone, to see which one sets the time (circle() runs them in parallel).
  const parts: [string, () => Promise<unknown>][] = [
    ['uniques.listByCircle', () => store.uniques.listByCircle('700000000')],
    ['bindings.listViewsForCircle', () => store.bindings.listViewsForCircle('700000000')],
    ['events.latestMarksForCircle(accepted)', () => store.events.latestMarksForCircle('700000000', ACCEPTED_REGISTER_TYPES)],
    ['events.latestForCircle(errors)', () => store.events.latestForCircle('700000000', ERROR_EVENT_TYPES)],
  ];
  for (const [name, read] of parts) {
    const each: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await read();
      each.push(performance.now() - t0);
    }
    each.sort((a, b) => a - b);
    console.log(`  ${name}: p50 ${each[25]!.toFixed(1)} ms`);
  }
  console.log(`JSON of the 500 documents: ${(jsonBytes / 1024).toFixed(0)} KiB, ${(jsonMs / CALLS).toFixed(1)} ms per call`);
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`circle(500): p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms over ${CALLS} calls`);
  await store.close();
  await scratch?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
