/**
 * Deterministic in-process registrar driver for instruction counting (no sockets, no database).
 *
 * Usage: node --single-threaded bench/perf/dist/inproc-driver.mjs [flows=20000] (after 4,000 warm-up flows)
 * (bundle first: `npm run perf:bundle`, see bench/PERF-NOTES.md), or `npx tsx bench/perf/inproc-driver.ts`.
 *
 * Feeds REGISTER → 401 → REGISTER(digest MD5) → 200 flows for 10,000 users straight into the UDP
 * receive path through the `receiveDatagram`/`udpSend` seam of `createSipServer`, with a delegate
 * that resolves at once. Half the flows create a binding (first pass over the users), half refresh
 * it (second pass), like bench/registrar-inproc.bench.ts. Under valgrind, compare total Ir of two
 * runs with different flow counts: (Ir(2N) − Ir(N)) / N is the cost of one registration.
 */
import { createHash } from 'node:crypto';
import { createSipServer } from '../../src/sip/index.js';

const FLOWS = Number(process.argv[2] ?? 20_000);
/** Flows run first and not counted, so that the measured ones run optimised code. */
const WARMUP = 4_000;
const USERS = 10_000;
const REALM = 'bench.test';
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const user = (i: number): string => String(i).padStart(10, '0');

async function main(): Promise<void> {
  const credentials = new Map<string, { ha1Md5: string; ha1Sha256: string }>();
  const ha1: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const u = user(i);
    ha1.push(md5(`${u}:${REALM}:pw-${i}`));
    credentials.set(u, { ha1Md5: ha1[i]!, ha1Sha256: createHash('sha256').update(`${u}:${REALM}:pw-${i}`).digest('hex') });
  }
  const ha2 = md5(`REGISTER:sip:${REALM}`);
  let last: Buffer | null = null;
  let persists = 0;
  let pending = 0;
  const server = createSipServer({
    host: '127.0.0.1', port: 0, domain: REALM, realm: REALM, minExpires: 60, maxExpires: 3600, defaultExpires: 600,
    maxBindingsPerAor: 5, nonceSecret: 'bench-secret', nonceLifetimeSeconds: 300,
    credentials: { lookup: (u) => credentials.get(u) },
    delegate: { persist: () => { persists++; return Promise.resolve(); } },
    abuse: { allowList: ['127.0.0.1'] },
    udpSend: (bytes) => { last = bytes; pending--; },
  });
  const request = (id: number, u: number, cseq: number, auth: string | null): Buffer => {
    const name = user(u);
    return Buffer.from(`REGISTER sip:${REALM} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK${id}x${cseq};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:${name}@${REALM}>;tag=${id}\r\nTo: <sip:${name}@${REALM}>\r\n` +
      `Call-ID: b${id}@bench\r\nCSeq: ${cseq} REGISTER\r\nContact: <sip:${name}@127.0.0.1:5070>\r\nExpires: 600\r\nUser-Agent: bench\r\n` +
      (auth === null ? '' : `Authorization: ${auth}\r\n`) + 'Content-Length: 0\r\n\r\n', 'latin1');
  };
  let ok = 0;
  let cpu0 = process.cpuUsage();
  for (let id = 0; id < WARMUP + FLOWS; id++) {
    if (id === WARMUP) {
      ok = 0;
      cpu0 = process.cpuUsage();
    }
    const u = id % USERS;
    pending = 1;
    server.receiveDatagram(request(id, u, 1, null), '127.0.0.1', 5070);
    const text = (last as Buffer | null)?.toString('latin1') ?? '';
    const line = text.lastIndexOf('WWW-Authenticate:', text.indexOf('algorithm=MD5'));
    const n = text.indexOf('nonce="', line) + 7;
    const nonce = text.slice(n, text.indexOf('"', n));
    const response = md5(`${ha1[u]!}:${nonce}:00000001:c${id}:auth:${ha2}`);
    pending = 1;
    server.receiveDatagram(request(id, u, 2, `Digest username="${user(u)}", realm="${REALM}", nonce="${nonce}", uri="sip:${REALM}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c${id}"`), '127.0.0.1', 5070);
    // A created binding is answered after the (immediate) persist resolves: let the microtask run.
    if (pending !== 0) await Promise.resolve();
    if (pending !== 0) await new Promise((r) => setImmediate(r));
    if ((last as Buffer | null)?.toString('latin1', 8, 11) === '200') ok++;
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`flows=${FLOWS} ok=${ok} persists=${persists} bindings=${server.activeBindingCount()} cpu ${((cpu.user + cpu.system) / Math.max(1, FLOWS)).toFixed(1)} µs/flow`);
  await server.stop();
  if (ok !== FLOWS) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
