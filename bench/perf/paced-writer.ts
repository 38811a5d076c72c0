/**
 * Persist latency of the group-commit writer alone, paced like a registrar: RATE persist() calls
 * per second for SECONDS, one binding upsert + one event each, against a fresh PostgreSQL database.
 * Prints the persist → durable distribution and the slow commits' times (no SIPp, no engine).
 * Usage: npx tsx bench/perf/paced-writer.ts [rate=1000] [seconds=10]
 */
import { createDb, migrateDb } from '../../src/store/db.js';
import { RegistrationWriter } from '../../src/store/registration-writer.js';
import { scratchDatabase } from '../lib/scratch-db.js';
import { sampleCommit } from './sample-commit.js';

const RATE = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 10);

async function main(): Promise<void> {
  const scratch = await scratchDatabase('lw_perf_paced');
  const db = await createDb({ kind: 'postgres', url: scratch.url });
  await migrateDb(db);
  const batches: { at: number; rows: number; ms: number }[] = [];
  const timedCommit: typeof db.commitQuery = async (text, params) => {
    const at = performance.now();
    const rows = await db.commitQuery(text, params);
    batches.push({ at, rows: 0, ms: performance.now() - at });
    return rows;
  };
  const writer = new RegistrationWriter({
    query: timedCommit,
    metrics: { batch: (rows) => { const last = batches.at(-1); if (last) last.rows = rows; }, failure: () => undefined },
  });
  const commit = (i: number) => sampleCommit(i, new Date());
  const lat: number[] = [];
  const t0 = performance.now();
  const total = RATE * SECONDS;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const start = performance.now();
    pending.push(writer.persist(commit(i)).then(() => { lat.push(performance.now() - start); }));
  }
  await Promise.all(pending);
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))]!.toFixed(2);
  console.log(`${total} persists at ${RATE}/s: p50 ${q(0.5)} p99 ${q(0.99)} p99.9 ${q(0.999)} max ${q(1)} ms; batches ${batches.length}`);
  for (const b of batches.filter((x) => x.ms > 5)) console.log(`  slow batch at ${((b.at - t0) / 1000).toFixed(3)} s: ${b.rows} rows, ${b.ms.toFixed(1)} ms`);
  await writer.stop();
  await db.close();
  await scratch.drop();
}

void main();
