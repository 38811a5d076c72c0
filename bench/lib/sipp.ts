/**
 * Drives a registrar with SIPp at one rate and reads back what happened: successes, failures,
 * retransmissions, response-time percentiles (whole registration: REGISTER to the final 200).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SippStep {
  readonly rate: number;
  readonly offered: number;
  readonly successful: number;
  readonly failed: number;
  readonly retransmissions: number;
  readonly elapsedSeconds: number;
  readonly achievedRate: number;
  readonly p50ms: number | null;
  readonly p99ms: number | null;
  readonly sippCpuSeconds: number;
}

export interface UserLine {
  readonly user: string;
  readonly password: string;
}

/** Builds (once) the clock shim so SIPp's timings are not quantized to 4 ms. */
export function clockShim(benchDir: string): string | null {
  const out = join(tmpdir(), 'linewatch-clock-shim.so');
  if (existsSync(out)) return out;
  try {
    execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-o', out, join(benchDir, 'clock-shim.c'), '-ldl']);
    return out;
  } catch {
    return null;
  }
}

export function writeUsersCsv(dir: string, users: readonly UserLine[], domain: string, expires: number): string {
  // One file per user set: the memory step's 100,000 users once overwrote the 10,000 the later
  // Kamailio steps read, whose credentials hold only the first 10,000 (every call past them failed).
  const file = join(dir, `users-${users.length}-${expires}.csv`);
  writeFileSync(file, ['SEQUENTIAL', ...users.map((u) => `${u.user};${domain};[authentication username=${u.user} password=${u.password}];${expires};`)].join('\n') + '\n');
  return file;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runSippStep(options: {
  benchDir: string;
  target: string;
  domain: string;
  usersCsv: string;
  rate: number;
  seconds: number;
  localPort: number;
  shim: string | null;
}): Promise<SippStep> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-bench-'));
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const args = [
    options.target,
    '-sf', join(options.benchDir, 'sipp', 'register-auth.xml'),
    '-inf', options.usersCsv,
    '-r', String(options.rate), '-rp', '1000',
    '-m', String(total),
    '-l', String(Math.max(100, options.rate * 2)),
    '-t', 'u1', '-i', '127.0.0.1', '-p', String(options.localPort),
    '-buff_size', '4194304',
    '-default_behaviors', 'abortunexp',
    '-recv_timeout', '5000',
    '-timeout', `${Math.ceil(options.seconds) + 30}s`,
    '-auth_uri', `sip:${options.domain}`,
    '-trace_stat', '-fd', '1',
    '-trace_rtt', '-rtt_freq', '1',
    '-nostdin',
  ];
  const started = process.hrtime.bigint();
  const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, ...(options.shim ? { LD_PRELOAD: options.shim } : {}) } });
  const { cpuSeconds } = await import('./process-stats.js');
  let cpu = 0;
  const sampler = setInterval(() => (cpu = Math.max(cpu, cpuSeconds(child.pid!))), 200);
  await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const files = readdirSync(dir);
  const statFile = files.find((f) => f.endsWith('_.csv'));
  const rttFile = files.find((f) => f.endsWith('_rtt.csv'));
  let successful = 0;
  let failed = 0;
  let retransmissions = 0;
  let elapsedSeconds = elapsed;
  if (statFile) {
    const lines = readFileSync(join(dir, statFile), 'utf8').trim().split('\n');
    const header = lines[0]!.split(';');
    const last = lines[lines.length - 1]!.split(';');
    const col = (name: string) => Number(last[header.indexOf(name)] ?? 0);
    successful = col('SuccessfulCall(C)');
    failed = col('FailedCall(C)');
    retransmissions = col('Retransmissions(C)');
    const elapsedText = last[header.indexOf('ElapsedTime(C)')];
    if (elapsedText) {
      // hh:mm:ss:microseconds
      const [h = 0, m = 0, s = 0, us = 0] = elapsedText.split(':').map(Number);
      elapsedSeconds = h * 3600 + m * 60 + s + us / 1e6;
    }
  }
  const samples: number[] = [];
  if (rttFile) {
    for (const line of readFileSync(join(dir, rttFile), 'utf8').trim().split('\n').slice(1)) {
      // Date_ms;response_time_ms;rtd_no
      const value = Number(line.split(';')[1]);
      if (Number.isFinite(value)) samples.push(value);
    }
  }
  samples.sort((a, b) => a - b);
  // BENCH_KEEP_RTT=<dir>: keep SIPp's per-registration samples (Date_ms;response_time_ms) for a timeline.
  if (rttFile && process.env.BENCH_KEEP_RTT) copyFileSync(join(dir, rttFile), join(process.env.BENCH_KEEP_RTT, `rtt-${options.rate}-${Date.now()}.csv`));
  rmSync(dir, { recursive: true, force: true });
  const activeSeconds = Math.min(elapsedSeconds || elapsed, elapsed);
  return {
    rate: options.rate,
    offered: total,
    successful,
    failed: failed + Math.max(0, total - successful - failed),
    retransmissions,
    elapsedSeconds: activeSeconds,
    achievedRate: activeSeconds > 0 ? successful / activeSeconds : 0,
    p50ms: percentile(samples, 50),
    p99ms: percentile(samples, 99),
    sippCpuSeconds: cpu,
  };
}
