/**
 * `npm run bench`: linewatch side by side with Kamailio, in one run, on this machine.
 *
 *  1. linewatch + PostgreSQL, 10,000 provisioned uniques, SIPp REGISTER→401→REGISTER(digest)→200
 *     at stepped rates (achieved rate, failures, retransmissions, p50/p99, CPU of each process);
 *  2. the same against Kamailio (a) in memory and (b) persisting to PostgreSQL (write-back);
 *  3. refresh load (re-REGISTER of existing bindings);
 *  4. memory: RSS with 100,000 active bindings, idle RSS of `npm start` on PGlite;
 *  5. `/line status` and `/circle status` (500 uniques) latency with 100,000 uniques provisioned;
 *  6. provisioning: bulk import of 10,000 uniques.
 * Options: --quick (CI-sized: small counts, a few seconds per step), --only=a,b, --rates=…, --seconds=N.
 * Needs PostgreSQL (BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres), SIPp
 * (sip-tester), Kamailio with kamailio-postgres-modules; ratios only mean something within one run.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeDualPort, spawnLinewatch, type SpawnedLinewatch } from '../test/helpers/spawn-linewatch.js';
import { prepareKamailioDatabase, startKamailio } from './lib/kamailio.js';
import { CpuMeter, pidsNamed, processTree, rssMegabytes } from './lib/process-stats.js';
import { maxSustainedRate, stepTable, writeResults, type TargetResult } from './lib/report.js';
import { clockShim, runSippStep, writeUsersCsv, type UserLine } from './lib/sipp.js';
import { FakeSlackApi } from '../test/fakes/slack-api-server.js';
import { signSlackRequest } from '../src/chat/slack/signature.js';
import { runSipp } from '../test/helpers/sipp.js';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const DOMAIN = 'bench.test';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env.CI === 'true' },
    only: { type: 'string' },
    rates: { type: 'string' },
    seconds: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'node-args': { type: 'string' },
  },
});
const quick = values.quick!;
const only = values.only ? new Set(values.only.split(',')) : null;
const wants = (step: string) => !only || only.has(step);
const USERS = quick ? 500 : 10_000;
const BIG = quick ? 2_000 : 100_000;
const SECONDS = Number(values.seconds ?? (quick ? 2 : 8));
const RATES = (values.rates ?? (quick ? '100,200' : '1000,2000,4000,6000,8000,10000,12000,15000,18000,22000')).split(',').map(Number);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SLACK_SECRET = 'bench-slack-signing-secret';
const SLACK_CHANNEL = 'C0BENCH';
const DEREGISTER_GRACE_S = 2;

const users: UserLine[] = Array.from({ length: BIG }, (_, i) => ({ user: String(3_000_000_000 + i), password: `bench-pw-${i}` }));
const ha1 = (u: UserLine) => createHash('md5').update(`${u.user}:${DOMAIN}:${u.password}`).digest('hex');

function log(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

const EVENT_LOOP_SAMPLING_MS = 10; // prom-client's default eventLoopMonitoringPrecision

/** The serve's event-loop delay since the previous scrape (prom-client resets its histogram on each collect) and its group-commit counts. */
async function serveStats(baseUrl: string): Promise<{ maxMs: number; p99Ms: number; commits: number; commitsOver20ms: number; commitsOver50ms: number } | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^linewatch_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) * 1000;
    // Group commits slower than 20 ms (cumulative histogram since the serve started).
    const bucket = (le: string) => Number(text.split('\n').find((l) => l.startsWith(`linewatch_store_batch_seconds_bucket{le="${le}"}`))?.split(' ')[1] ?? NaN);
    const batches = bucket('+Inf');
    // prom-client samples with monitorEventLoopDelay({resolution: 10}): each sample is the interval
    // between 10 ms timer ticks, so an idle loop reads ~10 ms. Report the delay beyond that.
    const beyondTick = (ms: number) => Math.max(0, ms - EVENT_LOOP_SAMPLING_MS);
    return { maxMs: beyondTick(read('max')), p99Ms: beyondTick(read('p99')), commits: batches, commitsOver20ms: batches - bucket('0.02'), commitsOver50ms: batches - bucket('0.05') };
  } catch {
    return null;
  }
}

/**
 * V8 heap used and committed (total), and external memory: what of RSS the JS side accounts for;
 * and per heap space (old, new, large objects, code) committed/used, to tell live data from pages V8
 * keeps committed after a load. From prom-client's process metrics, in MB.
 */
async function heapMegabytes(baseUrl: string): Promise<{ used: number; total: number; external: number; spaces: Record<string, string> } | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const lines = text.split('\n');
    const read = (name: string) => Math.round(Number(lines.find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? NaN) / 1048576);
    const spaces: Record<string, string> = {};
    for (const space of ['old', 'new', 'large_object', 'code', 'map']) {
      const sized = (kind: string) => read(`linewatch_nodejs_heap_space_size_${kind}_bytes{space="${space}"}`);
      if (!Number.isNaN(sized('total'))) spaces[space] = `${sized('used')}/${sized('total')}`;
    }
    return {
      used: read('linewatch_nodejs_heap_size_used_bytes'),
      total: read('linewatch_nodejs_heap_size_total_bytes'),
      external: read('linewatch_nodejs_external_memory_bytes'),
      spaces,
    };
  } catch {
    return null;
  }
}

async function stepRates(name: string, targetPid: () => number[], port: number, csv: string, shim: string | null, rates = RATES, metricsUrl?: string, sippPort?: number): Promise<TargetResult> {
  const steps: TargetResult['steps'][number][] = [];
  // Every target first gets a short unmeasured run at a low rate: a JIT-compiled process (linewatch)
  // otherwise spends the first half second of its first step compiling, which is not what a
  // registrar that has been up for minutes costs. Kamailio gets the same run, for the same conditions.
  const warmUp = quick ? { rate: 50, seconds: 1 } : { rate: 500, seconds: 3 };
  // One local port for all of a target's runs: every user keeps one contact, like a phone, so a
  // user's first REGISTER creates its binding and the following ones refresh it (with a new port
  // per step every step added a contact per user, up to SIP_MAX_BINDINGS_PER_UNIQUE, then replaced
  // the oldest: contact churn, not a fleet).
  const localPort = sippPort ?? (await freeDualPort());
  await runSippStep({ benchDir: BENCH_DIR, target: `127.0.0.1:${port}`, domain: DOMAIN, usersCsv: csv, rate: warmUp.rate, seconds: warmUp.seconds, localPort, shim });
  await new Promise((r) => setTimeout(r, 1000));
  for (const rate of rates) {
    if (metricsUrl) await serveStats(metricsUrl);
    const targetCpu = new CpuMeter(targetPid);
    const pgCpu = new CpuMeter(() => pidsNamed('postgres'));
    const step = await runSippStep({ benchDir: BENCH_DIR, target: `127.0.0.1:${port}`, domain: DOMAIN, usersCsv: csv, rate, seconds: SECONDS, localPort, shim });
    const cpu = targetCpu.seconds();
    const lag = metricsUrl ? await serveStats(metricsUrl) : null;
    // BENCH_KEEP_METRICS=<dir>: the serve's /metrics after each step (histograms of persist and commit times).
    if (metricsUrl && process.env.BENCH_KEEP_METRICS) {
      mkdirSync(process.env.BENCH_KEEP_METRICS, { recursive: true });
      writeFileSync(join(process.env.BENCH_KEEP_METRICS, `metrics-${name.split(' ')[0]}-${rate}-${Date.now()}.txt`), await (await fetch(`${metricsUrl}/metrics`)).text());
    }
    const row = { ...step, targetCpuSeconds: cpu, postgresCpuSeconds: pgCpu.seconds(), cpuMicrosPerRegistration: step.successful ? (cpu / step.successful) * 1e6 : 0, eventLoopLag: lag };
    steps.push(row);
    log(
      `${name} @${rate}/s: ${Math.round(step.achievedRate)}/s achieved, ${step.failed} failed, p50 ${step.p50ms ?? '–'} ms, p99 ${step.p99ms ?? '–'} ms, ${Math.round(row.cpuMicrosPerRegistration)} µs CPU/reg` +
        (lag ? `, event-loop delay p99 ${lag.p99Ms.toFixed(1)} ms max ${lag.maxMs.toFixed(1)} ms, commits so far ${lag.commits} (>20 ms: ${lag.commitsOver20ms}, >50 ms: ${lag.commitsOver50ms})` : ''),
    );
    const failureRatio = step.offered ? step.failed / step.offered : 1;
    // Far past the limit: stop climbing. Latency alone stops it only when it is second-scale (a
    // queue building up), so the throughput limit (< 1 % failures) is found too.
    if (failureRatio >= 0.05 || (step.p99ms ?? 9999) > 1000) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { name, steps, maxRate: maxSustainedRate(steps), maxRateAnyLatency: maxSustainedRate(steps, Infinity) };
}

async function latency(lw: SpawnedLinewatch, path: string, count: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i++) await lw.api('GET', path);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await lw.api('GET', path);
    samples.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(count * 0.5)]!, p99: samples[Math.min(count - 1, Math.floor(count * 0.99))]! };
}

/** Signed slash commands through Bolt's command handler, timed until the HTTP answer. */
async function slackLatency(lw: SpawnedLinewatch, command: string, text: string, count: number): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count + 5; i++) {
    const body = new URLSearchParams({ command, text, user_id: 'U1', user_name: 'bench', channel_id: SLACK_CHANNEL, team_id: 'T1', response_url: 'http://127.0.0.1:9/unused', trigger_id: 't' }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const t = performance.now();
    const res = await fetch(`${lw.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(SLACK_SECRET, ts, body) },
      body,
    });
    await res.text();
    if (i >= 5) samples.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${command} ${text} answered ${res.status}`);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(count * 0.5)]!, p99: samples[Math.min(count - 1, Math.floor(count * 0.99))]! };
}

/**
 * Alert latency to the (fake) Slack API: from a wrong-password REGISTER's 403, and from a binding's
 * expiry plus DEREGISTER_GRACE_S, to chat.postMessage arriving.
 */
async function alertLatency(lw: SpawnedLinewatch, slack: FakeSlackApi, password: UserLine, expiring: UserLine): Promise<{ wrongPasswordMs: number; deregistrationMs: number }> {
  const posted = (unique: string) => slack.waitFor(() => slack.calls.find((c) => c.method === 'chat.postMessage' && JSON.stringify(c.params).includes(unique)), 30_000).then(() => performance.now());
  const watchPassword = posted(password.user);
  const refused = await runSipp({ scenario: 'register-refused', port: lw.sipPort, transport: 'udp', lines: [{ unique: password.user, domain: DOMAIN, password: 'wrong-password', expires: 600 }] });
  const refusedAt = performance.now();
  if (refused.exitCode !== 0) throw new Error(`wrong-password scenario failed: ${refused.output.slice(-500)}`);
  const wrongPasswordMs = (await watchPassword) - refusedAt;
  const ok = await runSipp({ scenario: 'register', port: lw.sipPort, transport: 'udp', lines: [{ unique: expiring.user, domain: DOMAIN, password: expiring.password, expires: 5 }] });
  if (ok.exitCode !== 0) throw new Error(`register scenario failed: ${ok.output.slice(-500)}`);
  const doc = (await lw.api('GET', `/uniques/${expiring.user}`)).body as { bindings: { expiresAt: string }[] };
  const dueWall = Date.parse(doc.bindings[0]!.expiresAt) + DEREGISTER_GRACE_S * 1000;
  const dueAt = performance.now() + (dueWall - Date.now());
  const deregistrationMs = (await posted(expiring.user)) - dueAt;
  return { wrongPasswordMs: Math.round(wrongPasswordMs), deregistrationMs: Math.round(deregistrationMs) };
}

async function importUniques(lw: SpawnedLinewatch, list: readonly UserLine[], circleOf: (i: number) => string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < list.length; i += 10_000) {
    const rows = list.slice(i, i + 10_000).map((u, j) => ({ number: u.user, circleNumber: circleOf(i + j), type: 'sip_terminal', password: u.password }));
    const res = await lw.api('POST', '/uniques/import', rows);
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return performance.now() - started;
}

async function main(): Promise<void> {
  // Missing tools fail here with the package to install, not as an unhandled spawn error mid-run.
  const needs: [tool: string, pkg: string, wanted: boolean][] = [
    ['sipp', 'sip-tester', true],
    ['kamailio', 'kamailio kamailio-postgres-modules', wants('kamailio-memory') || wants('kamailio-postgres')],
  ];
  const missing = needs.filter(([tool, , wanted]) => wanted && spawnSync(tool, ['-v'], { stdio: 'ignore' }).error !== undefined);
  if (missing.length > 0) {
    log(`missing: ${missing.map(([tool]) => tool).join(', ')}; install with: apt-get install -y ${missing.map(([, pkg]) => pkg).join(' ')}`);
    process.exit(2);
  }
  const shim = clockShim(BENCH_DIR);
  if (!shim) log('gcc unavailable: SIPp timings are quantized to 4 ms');
  const results: Record<string, unknown> = { startedAt: new Date().toISOString(), quick, machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() }, users: USERS, seconds: SECONDS };
  const work = mkdtempSync(join(tmpdir(), 'linewatch-bench-'));
  const csv = writeUsersCsv(work, users.slice(0, USERS), DOMAIN, 3600);
  const targets: TargetResult[] = [];

  if (wants('linewatch') || wants('refresh') || wants('memory') || wants('queries') || wants('alerts')) {
    const dbUrl = new URL(ADMIN_URL);
    dbUrl.pathname = '/lw_bench';
    const postgres = (await import('postgres')).default;
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe('DROP DATABASE IF EXISTS lw_bench WITH (FORCE)');
    await admin.unsafe('CREATE DATABASE lw_bench');
    await admin.end();
    const slack = await FakeSlackApi.start();
    const profileDir = join(BENCH_DIR, 'results', `profile-${Date.now()}`);
    const lw = await spawnLinewatch({
      databaseUrl: dbUrl.toString(),
      // --profile: a V8 CPU profile of the whole serve, written when it stops (open in Chrome DevTools or speedscope).
      // --node-args="--max-semi-space-size=32 …": V8/Node flags for the serve (experiments).
      nodeArgs: [
        ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        // SIGUSR2 = full GC before the memory step reads live memory (bench/lib/gc-on-signal.cjs).
        '--expose-gc',
        '--require',
        join(BENCH_DIR, 'lib', 'gc-on-signal.cjs'),
        ...(values['node-args']?.split(' ').filter(Boolean) ?? []),
      ],
      env: {
        LOG_LEVEL: 'warn',
        SIP_DOMAIN: DOMAIN,
        SIP_TRUSTED_SOURCES: '127.0.0.1',
        SIP_MAX_EXPIRES: '7200',
        SIP_MIN_EXPIRES: '5',
        DEREGISTER_GRACE_S: String(DEREGISTER_GRACE_S),
        RESTART_GRACE_S: '0',
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_ALERT_CHANNEL: SLACK_CHANNEL,
        SLACK_API_URL: slack.apiUrl,
      },
    });
    try {
      const tree = () => processTree(lw.process.pid!);
      await lw.api('POST', '/accounts', { loginId: 'bench' });
      for (let c = 0; c < Math.ceil(BIG / 500); c++) await lw.api('POST', '/circles', { number: String(700_000_000 + c), accountLoginId: 'bench' });
      const importMs = await importUniques(lw, users.slice(0, USERS), (i) => String(700_000_000 + Math.floor(i / 500)));
      results.import = { uniques: USERS, milliseconds: Math.round(importMs) };
      log(`imported ${USERS} uniques in ${Math.round(importMs)} ms`);
      const sippPort = await freeDualPort();
      if (wants('linewatch')) targets.push(await stepRates('linewatch + PostgreSQL', tree, lw.sipPort, csv, shim, RATES, lw.baseUrl, sippPort));
      // Same SIPp port: every user's binding exists, each REGISTER refreshes it.
      if (wants('refresh')) targets.push(await stepRates('linewatch refresh', tree, lw.sipPort, csv, shim, RATES, lw.baseUrl, sippPort));
      if (wants('memory') || wants('queries') || wants('alerts')) {
        await importUniques(lw, users.slice(USERS), (i) => String(700_000_000 + Math.floor((i + USERS) / 500)));
        const collected = async () => {
          lw.process.kill('SIGUSR2');
          await new Promise((r) => setTimeout(r, 2000));
          return { rss: rssMegabytes(lw.process.pid!), heap: await heapMegabytes(lw.baseUrl) };
        };
        // After load steps, wait until their completed transactions are gone (Timer J, 32 s; RFC 3261
        // §17.2.2) so that "idle" is the serve's own baseline, not the last step's responses.
        if (wants('linewatch') || wants('refresh')) await new Promise((r) => setTimeout(r, quick ? 3000 : 35_000));
        const idle = await collected();
        const idleRss = idle.rss;
        const idleHeap = idle.heap;
        const bigCsv = writeUsersCsv(work, users, DOMAIN, 7200);
        const rate = quick ? 500 : 4000;
        const step = await runSippStep({ benchDir: BENCH_DIR, target: `127.0.0.1:${lw.sipPort}`, domain: DOMAIN, usersCsv: bigCsv, rate, seconds: BIG / rate, localPort: await freeDualPort(), shim });
        await new Promise((r) => setTimeout(r, 2000));
        const peakRss = rssMegabytes(lw.process.pid!);
        // Completed transactions keep their final response for Timer J (64*T1 = 32 s, RFC 3261
        // §17.2.2): measure again once they are gone, which is the steady state of a fleet.
        await new Promise((r) => setTimeout(r, quick ? 3000 : 40_000));
        const unforcedRss = rssMegabytes(lw.process.pid!);
        // Live memory: after a full GC (the unforced figure depends on when V8 last collected).
        const full = await collected();
        const fullRss = full.rss;
        const fullHeap = full.heap;
        results.memory = {
          uniques: BIG,
          registered: step.successful,
          rssBeforeMb: Math.round(idleRss),
          rssPeakMb: Math.round(peakRss),
          rssWithBindingsMb: Math.round(fullRss),
          bindingsCostMb: Math.round(fullRss - idleRss),
          rssBeforeForcedGcMb: Math.round(unforcedRss),
          // What of it is live: V8 heap used and external (Buffers) memory before and after (from /metrics).
          heapUsedMb: { before: idleHeap?.used, after: fullHeap?.used },
          heapCommittedMb: { before: idleHeap?.total, after: fullHeap?.total },
          externalMb: { before: idleHeap?.external, after: fullHeap?.external },
          // used/committed per V8 space after the full GC
          heapSpacesMb: fullHeap?.spaces,
        };
        log(
          `memory: ${step.successful} bindings cost ${Math.round(fullRss - idleRss)} MB after a full GC (${Math.round(unforcedRss - idleRss)} MB before it), ${Math.round(peakRss - idleRss)} MB at peak (RSS ${Math.round(idleRss)} → ${Math.round(fullRss)} MB; ` +
            `V8 heap used ${idleHeap?.used ?? '?'} → ${fullHeap?.used ?? '?'} MB (committed ${idleHeap?.total ?? '?'} → ${fullHeap?.total ?? '?'}), external ${idleHeap?.external ?? '?'} → ${fullHeap?.external ?? '?'} MB; used/committed by space ${JSON.stringify(fullHeap?.spaces ?? {})})`,
        );
        if (wants('queries')) {
          const n = quick ? 50 : 300;
          const lineStatus = await latency(lw, `/uniques/${users[123]!.user}`, n);
          const circleStatus = await latency(lw, '/circles/700000000', n);
          const slackLine = await slackLatency(lw, '/line', `status ${users[123]!.user}`, n);
          const slackCircle = await slackLatency(lw, '/circle', 'status 700000000', n);
          results.queries = { uniques: BIG, lineStatus, circleStatus500: circleStatus, slackLineStatus: slackLine, slackCircleStatus500: slackCircle, samples: n };
          log(`/line status p99 ${lineStatus.p99.toFixed(1)} ms (API) ${slackLine.p99.toFixed(1)} ms (Slack); /circle status (500) p99 ${circleStatus.p99.toFixed(1)} ms (API) ${slackCircle.p99.toFixed(1)} ms (Slack)`);
        }
      }
      if (wants('alerts')) {
        // Two lines of their own: every other line holds a long binding from the steps above.
        const alertUsers: UserLine[] = [
          { user: '3900000001', password: 'bench-alert-pw-1' },
          { user: '3900000002', password: 'bench-alert-pw-2' },
        ];
        await importUniques(lw, alertUsers, () => '700000000');
        // A step that fails is reported as such; the Kamailio and idle steps still run.
        results.alerts = await alertLatency(lw, slack, alertUsers[0]!, alertUsers[1]!).catch((err: unknown) => ({ error: String(err) }));
        log(`alert latency to Slack: ${JSON.stringify(results.alerts)}`);
      }
    } finally {
      await lw.stop();
      // BENCH_SERVE_LOG=<file>: keep the serve's output (e.g. with --node-args=--trace-gc).
      if (process.env.BENCH_SERVE_LOG) writeFileSync(process.env.BENCH_SERVE_LOG, lw.logs());
      await lw.cleanup();
      await slack.close();
      if (values.profile) log(`CPU profile of the serve: ${profileDir}`);
    }
  }

  if (wants('kamailio-memory') || wants('kamailio-postgres')) {
    const kamDb = await prepareKamailioDatabase(ADMIN_URL, 'lw_bench_kam', users.slice(0, USERS).map((u) => ({ user: u.user, ha1: ha1(u) })), DOMAIN);
    for (const config of ['registrar-memory', 'registrar-postgres'] as const) {
      const key = config === 'registrar-memory' ? 'kamailio-memory' : 'kamailio-postgres';
      if (!wants(key)) continue;
      const port = await freeDualPort();
      const kam = await startKamailio({ benchDir: BENCH_DIR, config, port, dbUrl: kamDb });
      try {
        targets.push(await stepRates(config === 'registrar-memory' ? 'Kamailio in memory' : 'Kamailio write-back', () => processTree(kam.process.pid!), port, csv, shim));
      } finally {
        await kam.stop();
      }
    }
  }

  if (wants('idle')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'linewatch-idle-'));
    const lw = await spawnLinewatch({ databaseUrl: null, dataDir, env: { LOG_LEVEL: 'warn' } });
    await new Promise((r) => setTimeout(r, 3000));
    results.idlePglite = { rssMb: Math.round(rssMegabytes(lw.process.pid!)) };
    log(`idle npm start on PGlite: ${Math.round(rssMegabytes(lw.process.pid!))} MB RSS`);
    await lw.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  results.targets = targets;
  const ratio = (of: (t: TargetResult) => number, prefix: string) => {
    const lw = targets.find((t) => t.name.startsWith('linewatch +'));
    const other = targets.find((t) => t.name.startsWith(prefix));
    return lw && other && of(other) ? +(of(lw) / of(other)).toFixed(2) : null;
  };
  results.ratios = {
    vsKamailioMemory: ratio((t) => t.maxRate, 'Kamailio in memory'),
    vsKamailioWriteBack: ratio((t) => t.maxRate, 'Kamailio write-back'),
    throughputVsKamailioMemory: ratio((t) => t.maxRateAnyLatency, 'Kamailio in memory'),
    throughputVsKamailioWriteBack: ratio((t) => t.maxRateAnyLatency, 'Kamailio write-back'),
  };
  const file = writeResults(BENCH_DIR, results);
  process.stdout.write(`\n${stepTable(targets)}\n\n`);
  process.stdout.write(
    `| target | max registrations/s (<1 % failures, p99 < 50 ms) | max registrations/s (<1 % failures) |\n| --- | --- | --- |\n` +
      `${targets.map((t) => `| ${t.name} | ${t.maxRate} | ${t.maxRateAnyLatency} |`).join('\n')}\n\n`,
  );
  process.stdout.write(`${JSON.stringify({ ratios: results.ratios, import: results.import, memory: results.memory, queries: results.queries, alerts: results.alerts, idlePglite: results.idlePglite }, null, 2)}\n`);
  process.stdout.write(`results: ${file}\n`);
  rmSync(work, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
