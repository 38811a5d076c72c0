/** The bench's one summary table (stdout) and its JSON copy under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SippStep } from './sipp.js';

export interface TargetResult {
  readonly name: string;
  readonly steps: readonly (SippStep & { targetCpuSeconds: number; postgresCpuSeconds: number; cpuMicrosPerRegistration: number })[];
  /** Highest achieved rate with < 1 % failures and p99 < 50 ms (the definition). */
  readonly maxRate: number;
  /** Highest achieved rate with < 1 % failures, whatever the latency (throughput alone). */
  readonly maxRateAnyLatency: number;
}

export function maxSustainedRate(steps: TargetResult['steps'], p99LimitMs = 50): number {
  let best = 0;
  for (const s of steps) {
    const failureRatio = s.offered ? s.failed / s.offered : 1;
    if (failureRatio < 0.01 && s.p99ms !== null && s.p99ms < p99LimitMs) best = Math.max(best, s.achievedRate);
  }
  return Math.round(best);
}

const fmt = (v: number | null, digits = 1) => (v === null ? '–' : v.toFixed(digits));

export function stepTable(results: readonly TargetResult[]): string {
  const rows = ['| target | offered/s | achieved/s | failures | retrans | p50 ms | p99 ms | target CPU µs/reg | PostgreSQL CPU s | SIPp CPU s |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of results) {
    for (const s of r.steps) {
      rows.push(
        `| ${r.name} | ${s.rate} | ${Math.round(s.achievedRate)} | ${s.failed} | ${s.retransmissions} | ${fmt(s.p50ms, 2)} | ${fmt(s.p99ms, 2)} | ${Math.round(s.cpuMicrosPerRegistration)} | ${fmt(s.postgresCpuSeconds, 2)} | ${fmt(s.sippCpuSeconds, 2)} |`,
      );
    }
  }
  return rows.join('\n');
}

export function writeResults(benchDir: string, results: unknown): string {
  const dir = join(benchDir, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  return file;
}
