/**
 * In-process registrar benchmark: full REGISTER → 401 → REGISTER(digest MD5) → 200 flows over UDP.
 *
 * Usage: npx tsx bench/registrar-inproc.bench.ts [flows=50000] [window=256]
 *
 * The server (10,000 credentials in memory, a delegate that resolves at once) and the load
 * generator share one Node process and one core, so the figure is a lower bound of the server
 * alone (compare bench-facts.md: 15–22k/s for a minimal Node registrar with SIPp on another core).
 * 127.0.0.1 is allow-listed in the abuse guard: every flow comes from the same IP.
 */
import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { createSipServer, type RegistrarCommit } from '../src/sip/index.js';

const FLOWS = Number(process.argv[2] ?? 50_000);
const WINDOW = Number(process.argv[3] ?? 256);
const USERS = 10_000;
const SOCKETS = 8;
const REALM = 'bench.test';
const TIMEOUT_MS = 2000;

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const user = (i: number): string => String(i).padStart(10, '0');
const password = (i: number): string => `pw-${i}`;

interface Flow {
  readonly id: number;
  readonly userIndex: number;
  readonly callId: string;
  readonly socket: number;
  readonly started: number;
  stage: 1 | 2;
}

async function main(): Promise<void> {
  const credentials = new Map<string, { ha1Md5: string; ha1Sha256: string }>();
  const clientHa1: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const ha1 = md5(`${user(i)}:${REALM}:${password(i)}`);
    clientHa1.push(ha1);
    credentials.set(user(i), { ha1Md5: ha1, ha1Sha256: createHash('sha256').update(`${user(i)}:${REALM}:${password(i)}`).digest('hex') });
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
      persist: (_c: RegistrarCommit) => {
        commits++;
        return Promise.resolve();
      },
    },
    abuse: { allowList: ['127.0.0.1'] },
  });
  const { udpPort } = await server.start();

  const sockets: Socket[] = [];
  const ports: number[] = [];
  for (let s = 0; s < SOCKETS; s++) {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    try {
      socket.setRecvBufferSize(4 * 1024 * 1024);
      socket.setSendBufferSize(4 * 1024 * 1024);
    } catch {
      /* OS cap */
    }
    sockets.push(socket);
    ports.push(socket.address().port);
  }

  const inFlight = new Map<string, Flow>();
  const latencies: number[] = [];
  let started = 0;
  let done = 0;
  let failed = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => (finish = r));

  const request = (f: Flow, cseq: number, auth: string | null): Buffer => {
    const u = user(f.userIndex);
    const port = ports[f.socket]!;
    return Buffer.from(
      `REGISTER sip:${REALM} SIP/2.0\r\n` +
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${f.id}x${cseq};rport\r\n` +
        `Max-Forwards: 70\r\nFrom: <sip:${u}@${REALM}>;tag=${f.id}\r\nTo: <sip:${u}@${REALM}>\r\n` +
        `Call-ID: ${f.callId}\r\nCSeq: ${cseq} REGISTER\r\n` +
        `Contact: <sip:${u}@127.0.0.1:${port}>\r\nExpires: 600\r\nUser-Agent: bench\r\n` +
        (auth === null ? '' : `Authorization: ${auth}\r\n`) +
        'Content-Length: 0\r\n\r\n',
      'latin1',
    );
  };
  const send = (f: Flow, bytes: Buffer): void => sockets[f.socket]!.send(bytes, udpPort, '127.0.0.1');

  const startFlow = (): void => {
    if (started >= FLOWS) return;
    const id = started++;
    const f: Flow = { id, userIndex: id % USERS, callId: `b${id}@bench`, socket: id % SOCKETS, started: performance.now(), stage: 1 };
    inFlight.set(f.callId, f);
    send(f, request(f, 1, null));
  };
  const complete = (f: Flow, ok: boolean): void => {
    inFlight.delete(f.callId);
    if (ok) latencies.push(performance.now() - f.started);
    else failed++;
    done++;
    if (done === FLOWS) finish();
    else startFlow();
  };

  const onMessage = (msg: Buffer): void => {
    const text = msg.toString('latin1');
    const c = text.indexOf('\r\nCall-ID: ');
    if (c < 0) return;
    const f = inFlight.get(text.slice(c + 11, text.indexOf('\r\n', c + 11)));
    if (f === undefined) return;
    const status = text.slice(8, 11);
    if (f.stage === 1 && status === '401') {
      const at = text.indexOf('algorithm=MD5');
      const line = text.lastIndexOf('WWW-Authenticate:', at);
      const n = text.indexOf('nonce="', line) + 7;
      const nonce = text.slice(n, text.indexOf('"', n));
      const uri = `sip:${REALM}`;
      const ha2 = md5(`REGISTER:${uri}`);
      const response = md5(`${clientHa1[f.userIndex]}:${nonce}:00000001:c${f.id}:auth:${ha2}`);
      const auth = `Digest username="${user(f.userIndex)}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c${f.id}"`;
      f.stage = 2;
      send(f, request(f, 2, auth));
    } else if (f.stage === 2) {
      complete(f, status === '200');
    }
  };
  for (const s of sockets) s.on('message', onMessage);

  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const f of [...inFlight.values()]) if (now - f.started > TIMEOUT_MS) complete(f, false);
  }, 250);

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < WINDOW; i++) startFlow();
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(watchdog);

  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const ok = latencies.length;
  console.log(`flows=${FLOWS} window=${WINDOW} users=${USERS} sockets=${SOCKETS}`);
  console.log(`registrations/s: ${(ok / seconds).toFixed(0)}  (ok=${ok} failed=${failed} in ${seconds.toFixed(2)} s)`);
  console.log(`latency ms (REGISTER → 401 → REGISTER → 200): p50=${pct(50).toFixed(2)} p99=${pct(99).toFixed(2)} max=${pct(100).toFixed(2)}`);
  console.log(`CPU µs per registration (server + load generator): ${((cpu.user + cpu.system) / Math.max(1, ok)).toFixed(1)}`);
  console.log(`active bindings: ${server.activeBindingCount()}  persist calls: ${commits}  rss MB: ${(process.memoryUsage().rss / 1e6).toFixed(0)}`);

  for (const s of sockets) s.close();
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
