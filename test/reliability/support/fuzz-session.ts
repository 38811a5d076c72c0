/**
 * A whole fuzz session against a spawned `linewatch serve`: fuzz, then check the process is
 * alive and healthy, a normal phone still registers, no request handler threw, and memory stayed
 * flat (RSS after warm-up vs at the end). Used by `npm run fuzz` and by the CI-sized vitest file.
 */
import { spawnLinewatch } from '../../helpers/spawn-linewatch.js';
import { keepLogs } from './harness.js';
import { runFuzz } from './fuzz.js';
import { DOMAIN, healthz, makeLines, provision, rssKb, sleep } from './harness.js';
import { Phone } from './phone.js';

export interface FuzzSessionOptions {
  readonly datagrams: number;
  readonly tcpStreams?: number;
  readonly ratePerSecond?: number;
  readonly seed?: number;
  /** Allowed RSS growth from the warm-up sample to the end, in MB. */
  readonly maxGrowthMb?: number;
  readonly log?: (line: string) => void;
}

export interface FuzzSessionResult {
  readonly seed: number;
  readonly datagrams: number;
  readonly tcpStreams: number;
  readonly seconds: number;
  readonly alive: boolean;
  readonly healthz: number;
  readonly registration: number | null;
  readonly warmRssMb: number;
  readonly peakRssMb: number;
  readonly endRssMb: number;
  /** Log lines where a request handler threw (a parser or registrar bug), or the process crashed. */
  readonly handlerErrors: readonly string[];
  readonly failures: readonly string[];
  /** The last log lines when the session failed (why the process died, say). */
  readonly logTail: readonly string[];
}

export async function fuzzSession(o: FuzzSessionOptions): Promise<FuzzSessionResult> {
  const seed = o.seed ?? (Date.now() & 0x7fffffff);
  const log = o.log ?? (() => {});
  const lw = await spawnLinewatch({ env: { LOG_LEVEL: 'info' } });
  try {
    const pid = lw.process.pid!;
    const [line] = makeLines(7_400_000, 1);
    await provision(lw, [line!]);
    const samples: number[] = [];
    const warmupAt = Math.floor(o.datagrams * 0.3);
    let warmRss = 0;
    log(`fuzzing linewatch pid ${pid} (SIP ${lw.sipPort}) with ${o.datagrams} datagrams, seed ${seed}`);
    const report = await runFuzz({
      port: lw.sipPort,
      datagrams: o.datagrams,
      tcpStreams: o.tcpStreams ?? Math.max(10, Math.floor(o.datagrams / 500)),
      ratePerSecond: o.ratePerSecond ?? 3000,
      seed,
      progressEvery: Math.max(1000, Math.floor(o.datagrams / 20)),
      onProgress: (sent) => {
        if (lw.process.exitCode !== null) return;
        const rss = rssKb(pid) / 1024;
        samples.push(rss);
        if (sent >= warmupAt && warmRss === 0) warmRss = rss;
        log(`  ${sent} sent, RSS ${rss.toFixed(0)} MB`);
      },
    });
    await sleep(1500);
    const alive = lw.process.exitCode === null && lw.process.signalCode === null;
    const failures: string[] = [];
    if (!alive) failures.push(`process exited (code ${lw.process.exitCode}, signal ${lw.process.signalCode})`);
    const health = alive ? await healthz(lw).catch(() => 0) : 0;
    if (health !== 200) failures.push(`/healthz answered ${health}`);
    let registration: number | null = null;
    if (alive) {
      const phone = await Phone.open({ serverPort: lw.sipPort, localAddress: '127.0.0.250', domain: DOMAIN, ...line! });
      registration = (await phone.register({ expires: 600 })).status;
      await phone.close();
      if (registration !== 200) failures.push(`a normal registration got ${registration}`);
    }
    const endRss = alive ? rssKb(pid) / 1024 : 0;
    const growth = endRss - warmRss;
    const maxGrowth = o.maxGrowthMb ?? 80;
    if (alive && growth > maxGrowth) failures.push(`RSS grew ${growth.toFixed(0)} MB after warm-up (bound ${maxGrowth} MB)`);
    const logs = lw.logs();
    const handlerErrors = logs
      .split('\n')
      .filter((l) => /request handling failed|ticker failed|unhandled|uncaught|UnhandledPromiseRejection|^\s+at /i.test(l))
      .slice(0, 20);
    if (handlerErrors.length > 0) failures.push(`${handlerErrors.length} handler errors in the log`);
    return {
      seed,
      datagrams: report.datagrams,
      tcpStreams: report.tcpStreams,
      seconds: report.seconds,
      alive,
      healthz: health,
      registration,
      warmRssMb: Math.round(warmRss),
      peakRssMb: Math.round(Math.max(...samples, endRss)),
      endRssMb: Math.round(endRss),
      handlerErrors,
      failures,
      logTail: failures.length > 0 ? logs.split('\n').filter((l) => !l.includes('"level":20')).slice(-15) : [],
    };
  } finally {
    keepLogs(lw, 'fuzz');
    await lw.stop('SIGKILL');
    await lw.cleanup();
  }
}
