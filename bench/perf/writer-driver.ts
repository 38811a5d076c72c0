/**
 * Group-commit writer cost: persists COMMITS registrations (one binding upsert + one event each)
 * in waves of WAVE concurrent persist() calls, like a loaded registrar, against PostgreSQL
 * (a fresh database lw_perf_writer, created through BENCH_ADMIN_URL), and prints this process's CPU
 * per registration and the batch sizes.
 * Usage: npx tsx bench/perf/writer-driver.ts [commits=20000] [wave=500]
 */
import { createDb, migrateDb } from '../../src/store/db.js';
import { RegistrationWriter } from '../../src/store/registration-writer.js';
import { scratchDatabase } from '../lib/scratch-db.js';
import { sampleCommit } from './sample-commit.js';

const COMMITS = Number(process.argv[2] ?? 20_000);
const WAVE = Number(process.argv[3] ?? 500);

async function main(): Promise<void> {
  const scratch = await scratchDatabase('lw_perf_writer');
  const url = new URL(scratch.url);
  const db = await createDb({ kind: 'postgres', url: url.toString() });
  await migrateDb(db);
  const batches: number[] = [];
  const writer = new RegistrationWriter({ query: db.commitQuery, metrics: { batch: (rows) => batches.push(rows), failure: () => undefined } });
  const at = new Date();
  const commit = (i: number) => sampleCommit(i, at);
  for (let i = 0; i < 2000; i += WAVE) await Promise.all(Array.from({ length: WAVE }, (_, k) => writer.persist(commit(i + k)))); // warm-up
  batches.length = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const waveMs: number[] = [];
  for (let i = 0; i < COMMITS; i += WAVE) {
    const w0 = performance.now();
    await Promise.all(Array.from({ length: WAVE }, (_, k) => writer.persist(commit(i + k))));
    waveMs.push(performance.now() - w0);
  }
  const ms = performance.now() - t0;
  waveMs.sort((a, b) => a - b);
  const pct = (p: number) => waveMs[Math.min(waveMs.length - 1, Math.floor(p * waveMs.length))]!.toFixed(2);
  const cpu = process.cpuUsage(cpu0);
  await writer.stop();
  await db.close();
  await scratch.drop();
  console.log(`${COMMITS} registrations in ${batches.length} batches (mean ${(batches.reduce((a, b) => a + b, 0) / batches.length).toFixed(0)} rows): ` +
    `${((cpu.user + cpu.system) / COMMITS).toFixed(1)} µs CPU per registration in this process, ${(COMMITS / (ms / 1000)).toFixed(0)}/s wall; ` +
    `wave (persist → durable) p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
