/**
 * In-process registrar benchmark: full REGISTER → 401 → REGISTER(digest MD5) → 200 flows over UDP.
 *
 * Usage: npx tsx bench/registrar-inproc.bench.ts [flows=50000] [window=256]
 *
 * The server (10,000 credentials in memory, a delegate that resolves at once) runs on the main
 * thread; the load generator runs in a worker thread of the same process (plain JS, its own event
 * loop), like SIPp on another core in bench-facts.md. Besides the measured rate and latency, the
 * main thread's event-loop utilisation (ELU) gives the server's cost per registration and the rate
 * it would reach at 100 % of one core — the figure to compare with bench-facts.md (15–22k/s for a
 * minimal Node registrar) on a quiet machine. ELU is wall-clock busy time: on a machine shared with
 * other jobs it includes time the OS gave to them, so read it together with the load average. 127.0.0.1 is allow-listed in the abuse guard since
 * every flow comes from the same IP.
 */
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createSipServer } from '../src/sip/index.js';

const FLOWS = Number(process.argv[2] ?? 50_000);
const WINDOW = Number(process.argv[3] ?? 256);
const USERS = 10_000;
const REALM = 'bench.test';

/** The load generator (plain JS so the worker needs no TypeScript loader). */
const GENERATOR = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createSocket } = require('node:dgram');
const { port, flows, window, users, realm } = workerData;
const SOCKETS = 8, TIMEOUT_MS = 2000;
const md5 = (s) => createHash('md5').update(s).digest('hex');
const user = (i) => String(i).padStart(10, '0');
const ha1 = []; for (let i = 0; i < users; i++) ha1.push(md5(user(i) + ':' + realm + ':pw-' + i));
const ha2 = md5('REGISTER:sip:' + realm);
(async () => {
  const sockets = [], ports = [];
  for (let s = 0; s < SOCKETS; s++) {
    const socket = createSocket('udp4');
    await new Promise((r) => socket.bind(0, '127.0.0.1', r));
    try { socket.setRecvBufferSize(4 << 20); socket.setSendBufferSize(4 << 20); } catch {}
    sockets.push(socket); ports.push(socket.address().port);
  }
  const inFlight = new Map(); const lat = [];
  let started = 0, done = 0, failed = 0, t0 = 0;
  const request = (f, cseq, auth) => {
    const u = user(f.u), p = ports[f.s];
    return Buffer.from('REGISTER sip:' + realm + ' SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:' + p + ';branch=z9hG4bK' + f.id + 'x' + cseq + ';rport\r\n' +
      'Max-Forwards: 70\r\nFrom: <sip:' + u + '@' + realm + '>;tag=' + f.id + '\r\nTo: <sip:' + u + '@' + realm + '>\r\n' +
      'Call-ID: ' + f.callId + '\r\nCSeq: ' + cseq + ' REGISTER\r\nContact: <sip:' + u + '@127.0.0.1:' + p + '>\r\nExpires: 600\r\nUser-Agent: bench\r\n' +
      (auth ? 'Authorization: ' + auth + '\r\n' : '') + 'Content-Length: 0\r\n\r\n', 'latin1');
  };
  const send = (f, b) => sockets[f.s].send(b, port, '127.0.0.1');
  const startFlow = () => {
    if (started >= flows) return;
    const id = started++;
    const f = { id, u: id % users, callId: 'b' + id + '@bench', s: id % SOCKETS, t: performance.now(), stage: 1 };
    inFlight.set(f.callId, f); send(f, request(f, 1, null));
  };
  const finish = () => {
    const seconds = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    parentPort.postMessage({ ok: lat.length, failed, seconds, p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.floor(lat.length * 0.99)], max: lat[lat.length - 1] });
    for (const s of sockets) s.close(); clearInterval(watchdog);
  };
  const complete = (f, ok) => {
    inFlight.delete(f.callId);
    if (ok) lat.push(performance.now() - f.t); else failed++;
    if (++done === flows) finish(); else startFlow();
  };
  const onMessage = (msg) => {
    const text = msg.toString('latin1');
    const c = text.indexOf('\r\nCall-ID: '); if (c < 0) return;
    const f = inFlight.get(text.slice(c + 11, text.indexOf('\r\n', c + 11))); if (!f) return;
    const status = text.slice(8, 11);
    if (f.stage === 1 && status === '401') {
      const line = text.lastIndexOf('WWW-Authenticate:', text.indexOf('algorithm=MD5'));
      const n = text.indexOf('nonce="', line) + 7; const nonce = text.slice(n, text.indexOf('"', n));
      const response = md5(ha1[f.u] + ':' + nonce + ':00000001:c' + f.id + ':auth:' + ha2);
      f.stage = 2;
      send(f, request(f, 2, 'Digest username="' + user(f.u) + '", realm="' + realm + '", nonce="' + nonce + '", uri="sip:' + realm + '", response="' + response + '", algorithm=MD5, qop=auth, nc=00000001, cnonce="c' + f.id + '"'));
    } else if (f.stage === 2) complete(f, status === '200');
  };
  for (const s of sockets) s.on('message', onMessage);
  const watchdog = setInterval(() => { const now = performance.now(); for (const f of [...inFlight.values()]) if (now - f.t > TIMEOUT_MS) complete(f, false); }, 250);
  parentPort.postMessage({ ready: true });
  parentPort.once('message', () => { t0 = performance.now(); for (let i = 0; i < window; i++) startFlow(); });
})();
`;

interface Result {
  ok: number;
  failed: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
}

async function main(): Promise<void> {
  const credentials = new Map<string, { ha1Md5: string; ha1Sha256: string }>();
  for (let i = 0; i < USERS; i++) {
    const u = String(i).padStart(10, '0');
    credentials.set(u, {
      ha1Md5: createHash('md5').update(`${u}:${REALM}:pw-${i}`).digest('hex'),
      ha1Sha256: createHash('sha256').update(`${u}:${REALM}:pw-${i}`).digest('hex'),
    });
  }
  let commits = 0;
  const server = createSipServer({
    host: '127.0.0.1',
    port: 0,
    domain: REALM,
    realm: REALM,
    minExpires: 60,
    maxExpires: 3600,
    defaultExpires: 600,
    maxBindingsPerAor: 5,
    nonceSecret: 'bench-secret',
    nonceLifetimeSeconds: 300,
    credentials: { lookup: (u) => credentials.get(u) },
    delegate: {
      persist: () => {
        commits++;
        return Promise.resolve();
      },
    },
    abuse: { allowList: ['127.0.0.1'] },
  });
  const { udpPort } = await server.start();
  const worker = new Worker(GENERATOR, { eval: true, workerData: { port: udpPort, flows: FLOWS, window: WINDOW, users: USERS, realm: REALM } });
  await new Promise<void>((resolve) => worker.once('message', () => resolve()));
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const result = new Promise<Result>((resolve) => worker.once('message', (m: Result) => resolve(m)));
  worker.postMessage('go');
  const r = await result;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const serverBusyMs = elu.active;
  const rate = r.ok / r.seconds;
  console.log(`flows=${FLOWS} window=${WINDOW} users=${USERS}`);
  console.log(`registrations/s: ${rate.toFixed(0)}  (ok=${r.ok} failed=${r.failed} in ${r.seconds.toFixed(2)} s)`);
  console.log(`latency ms (REGISTER → 401 → REGISTER → 200): p50=${r.p50.toFixed(2)} p99=${r.p99.toFixed(2)} max=${r.max.toFixed(2)}`);
  console.log(`server event loop: utilisation ${(elu.utilization * 100).toFixed(0)} %, ${((serverBusyMs * 1000) / Math.max(1, r.ok)).toFixed(1)} µs busy per registration → ~${((r.ok / serverBusyMs) * 1000).toFixed(0)} registrations/s at 100 % of one loop`);
  console.log(`process CPU (server + generator threads): ${((cpu.user + cpu.system) / Math.max(1, r.ok)).toFixed(1)} µs per registration; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (ELU counts time the OS took away too)`);
  console.log(`active bindings: ${server.activeBindingCount()}  persist calls: ${commits}  rss MB: ${(process.memoryUsage().rss / 1e6).toFixed(0)}`);
  await worker.terminate();
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
