/**
 * Heap and RSS per binding: registers USERS distinct uniques through the real receive path (the
 * `receiveDatagram`/`udpSend` seam, no sockets), then measures memory with the transactions of
 * those requests still held (as during load, Timer J) and after a fake clock moved 40 s on, so that
 * Timer J ended them (steady state).
 *
 * Usage: npx esbuild bench/perf/binding-memory.ts --bundle --platform=node --format=esm --outfile=bench/perf/dist/binding-memory.mjs
 *        node --expose-gc bench/perf/dist/binding-memory.mjs [users=100000]
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createSipServer } from '../../src/sip/index.js';

const USERS = Number(process.argv[2] ?? 100_000);
const REALM = 'bench.test';
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const user = (i: number): string => String(i).padStart(10, '0');
const gc = (globalThis as { gc?: () => void }).gc;

function measure(): { heap: number; rss: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

async function main(): Promise<void> {
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const credentials = new Map<string, { ha1Md5: string; ha1Sha256: string }>();
  for (let i = 0; i < USERS; i++) credentials.set(user(i), { ha1Md5: md5(`${user(i)}:${REALM}:pw`), ha1Sha256: '' });
  const ha2 = md5(`REGISTER:sip:${REALM}`);
  let last: Buffer | null = null;
  let offsetMs = 0;
  const server = createSipServer({
    host: '127.0.0.1', port: 0, domain: REALM, realm: REALM, minExpires: 60, maxExpires: 3600, defaultExpires: 600,
    maxBindingsPerAor: 5, nonceSecret: 'bench-secret', nonceLifetimeSeconds: 300,
    credentials: { lookup: (u) => credentials.get(u) },
    delegate: { persist: () => Promise.resolve() },
    abuse: { allowList: ['127.0.0.1'] },
    udpSend: (bytes) => { last = bytes; },
    clock: { now: () => Date.now() + offsetMs },
  });
  await server.start(); // for the ticker that ends transactions (Timer J)
  const request = (id: number, cseq: number, auth: string | null): Buffer => {
    const name = user(id);
    const port = 20000 + (id % 40000);
    return Buffer.from(`REGISTER sip:${REALM} SIP/2.0\r\nVia: SIP/2.0/UDP 10.1.${id >> 8 & 255}.${id & 255}:${port};branch=z9hG4bK${id}x${cseq};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:${name}@${REALM}>;tag=${id}\r\nTo: <sip:${name}@${REALM}>\r\n` +
      `Call-ID: ${md5(String(id))}@phone\r\nCSeq: ${cseq} REGISTER\r\nContact: <sip:${name}@10.1.${id >> 8 & 255}.${id & 255}:${port};transport=udp;rinstance=${id.toString(16)}>;+sip.instance="<urn:uuid:00000000-0000-0000-0000-${String(id).padStart(12, '0')}>"\r\nExpires: 600\r\n` +
      `Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\r\nUser-Agent: Yealink SIP-T46U 108.86.0.45\r\n` +
      (auth === null ? '' : `Authorization: ${auth}\r\n`) + 'Content-Length: 0\r\n\r\n', 'latin1');
  };
  const before = measure();
  for (let id = 0; id < USERS; id++) {
    server.receiveDatagram(request(id, 1, null), '127.0.0.1', 5070);
    const text = (last as Buffer | null)?.toString('latin1') ?? '';
    const n = text.indexOf('nonce="', text.lastIndexOf('WWW-Authenticate:', text.indexOf('algorithm=MD5'))) + 7;
    const nonce = text.slice(n, text.indexOf('"', n));
    const response = md5(`${credentials.get(user(id))!.ha1Md5}:${nonce}:00000001:c${id}:auth:${ha2}`);
    server.receiveDatagram(request(id, 2, `Digest username="${user(id)}", realm="${REALM}", nonce="${nonce}", uri="sip:${REALM}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c${id}"`), '127.0.0.1', 5070);
    if (id % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setImmediate(r));
  const loaded = measure();
  offsetMs = 40_000; // past Timer J (32 s), before the bindings expire (600 s)
  await new Promise((r) => setTimeout(r, 500));
  const steady = measure();
  (await import("node:v8")).writeHeapSnapshot("/tmp/bind.heapsnapshot");
  // Cost of the idle ticker (transaction wheel + expiry sweep, every 50 ms) with USERS bindings.
  const elu0 = performance.eventLoopUtilization();
  const cpuIdle0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 2000));
  const elu = performance.eventLoopUtilization(elu0);
  const cpuIdle = process.cpuUsage(cpuIdle0);
  await server.stop();
  const per = (a: number, b: number): string => ((b - a) / USERS).toFixed(0);
  console.log(`bindings=${server.activeBindingCount()}`);
  console.log(`with transactions held: heap +${((loaded.heap - before.heap) / 1e6).toFixed(1)} MB (${per(before.heap, loaded.heap)} B/binding), rss +${((loaded.rss - before.rss) / 1e6).toFixed(1)} MB`);
  console.log(`idle ticker with ${USERS} bindings: event loop ${(elu.utilization * 100).toFixed(2)} % busy, ${((cpuIdle.user + cpuIdle.system) / 40).toFixed(0)} µs CPU per 50 ms tick (process)`);
  console.log(`bindings only:          heap +${((steady.heap - before.heap) / 1e6).toFixed(1)} MB (${per(before.heap, steady.heap)} B/binding), rss +${((steady.rss - before.rss) / 1e6).toFixed(1)} MB`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
