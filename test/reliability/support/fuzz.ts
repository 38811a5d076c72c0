/**
 * The registrar fuzzer: seeded, so a failure replays. Datagrams are mutations of the RFC 4475 /
 * RFC 5118 torture messages (bit flips, truncations, duplicated header lines, huge values, splices,
 * stray CRLFs) and plain random bytes, sent from many loopback source addresses (127.1.x.y) so the
 * per-source rate limit does not turn the run into a rate-limiter test; TCP gets random byte
 * streams and mutated messages in random chunks. Every loop is bounded by a count.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/spawn-linewatch.js';

export const DEFAULT_CORPUS_DIR = process.env.FUZZ_CORPUS_DIR ?? join(REPO_ROOT, '..', 'shared', 'corpus');

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function loadCorpus(dir = DEFAULT_CORPUS_DIR): Buffer[] {
  const out: Buffer[] = [];
  for (const sub of ['rfc4475', 'rfc5118']) {
    const d = join(dir, sub);
    if (!existsSync(d)) throw new Error(`fuzz corpus missing: ${d} (set FUZZ_CORPUS_DIR)`);
    for (const name of readdirSync(d).sort()) if (name.endsWith('.dat')) out.push(readFileSync(join(d, name)));
  }
  if (out.length < 50) throw new Error(`fuzz corpus too small: ${out.length} files in ${dir}`);
  return out;
}

const MAX_DATAGRAM = 60_000;

/** One mutated datagram. */
export function mutate(corpus: readonly Buffer[], rnd: () => number): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (n: number) => Math.floor(rnd() * n);
  const base = pick(corpus);
  switch (int(9)) {
    case 0: {
      const b = Buffer.from(base);
      for (let i = 0, n = 1 + int(8); i < n && b.length > 0; i++) b[int(b.length)] ^= 1 << int(8);
      return b;
    }
    case 1:
      return base.subarray(0, int(base.length + 1));
    case 2: {
      // Duplicate one header line many times.
      const lines = base.toString('latin1').split('\r\n');
      const at = 1 + int(Math.max(1, lines.length - 2));
      const copies = Array.from({ length: 1 + int(200) }, () => lines[at] ?? '');
      lines.splice(at, 0, ...copies);
      return Buffer.from(lines.join('\r\n').slice(0, MAX_DATAGRAM), 'latin1');
    }
    case 3: {
      // A huge value: a long header value, a huge number, or a long token.
      const lines = base.toString('latin1').split('\r\n');
      const at = 1 + int(Math.max(1, lines.length - 2));
      const filler = pick(['A', '9', ';', ',', '"', '<', '\\', '%', ' ', '\t', '\u00ff']).repeat(1 + int(40_000));
      const name = pick(['Via', 'Contact', 'To', 'From', 'CSeq', 'Call-ID', 'Content-Length', 'Expires', 'Authorization', 'WWW-Authenticate', 'Max-Forwards', 'X-Huge']);
      lines.splice(at, 0, `${name}: ${pick(['', '1', 'sip:', '<sip:a@b>;', 'Digest '])}${filler}`);
      return Buffer.from(lines.join('\r\n').slice(0, MAX_DATAGRAM), 'latin1');
    }
    case 4: {
      const b = Buffer.alloc(int(1500));
      for (let i = 0; i < b.length; i++) b[i] = int(256);
      return b;
    }
    case 5: {
      // Splice two messages at random points.
      const other = pick(corpus);
      return Buffer.concat([base.subarray(0, int(base.length)), other.subarray(int(other.length))]).subarray(0, MAX_DATAGRAM);
    }
    case 6: {
      // Stray CR / LF / NUL / spaces inserted.
      const b = [...base];
      for (let i = 0, n = 1 + int(20); i < n; i++) b.splice(int(b.length + 1), 0, pick([13, 10, 0, 32, 9, 0x3a, 0x2c]));
      return Buffer.from(b);
    }
    case 7: {
      // A plausible REGISTER with one random field broken (passes the parser more often).
      const user = pick(['0000000001', '', 'a'.repeat(int(300)), '%00', '0000000001;x', '"q"']);
      const lines = [
        `REGISTER ${pick(['sip:linewatch.test', 'sip:127.0.0.1', 'sips:x', '*', 'sip:[::1]', 'tel:+1'])} SIP/2.0`,
        `Via: SIP/2.0/${pick(['UDP', 'TCP', 'XYZ', ''])} 127.0.0.1:${int(70000)};branch=z9hG4bK${int(1e9)};rport`,
        `From: <sip:${user}@linewatch.test>;tag=${int(1e6)}`,
        `To: <sip:${user}@linewatch.test>`,
        `Call-ID: ${int(1e9)}@fuzz`,
        `CSeq: ${pick(['1', '-1', '4294967296', '99999999999999999999', 'x'])} REGISTER`,
        `Contact: ${pick(['*', '<sip:a@127.0.0.1>', '<sip:a@127.0.0.1>;expires=-5', '<sip:a@[::1]:0>;q=7', '<>', 'sip:a@b;expires=99999999999'])}`,
        `Expires: ${pick(['0', '60', '-1', '1e9', 'abc', ''])}`,
        `Authorization: ${pick(['Digest', 'Digest username="0000000001", nonce="x", response="y"', 'Basic Zm9v', 'Digest nc=ffffffffff', ''])}`,
        `Content-Length: ${pick(['0', '5', '-1', '999999', 'x'])}`,
        '',
        pick(['', 'body', '\r\n\r\n']),
      ];
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
    default:
      return Buffer.from(base);
  }
}

export interface FuzzOptions {
  readonly host?: string;
  readonly port: number;
  readonly datagrams: number;
  readonly tcpStreams: number;
  /** Datagrams per second, at most. */
  readonly ratePerSecond: number;
  readonly seed: number;
  /** Number of source addresses (127.1.x.y) to spread datagrams over. */
  readonly sources?: number;
  readonly corpusDir?: string;
  /** Called every `progressEvery` datagrams (RSS samples, progress lines). */
  readonly onProgress?: (sent: number) => void;
  readonly progressEvery?: number;
}

export interface FuzzReport {
  readonly datagrams: number;
  readonly tcpStreams: number;
  readonly seconds: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sends everything; resolves when done. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const corpus = loadCorpus(o.corpusDir);
  const rnd = prng(o.seed);
  const host = o.host ?? '127.0.0.1';
  const sourceCount = o.sources ?? 64;
  const sockets: UdpSocket[] = [];
  for (let i = 0; i < sourceCount; i++) {
    const s = createSocket('udp4');
    s.on('error', () => {});
    s.on('message', () => {});
    await new Promise<void>((resolve) => s.bind(0, `127.1.${Math.floor(i / 250)}.${1 + (i % 250)}`, () => resolve()));
    sockets.push(s);
  }
  const started = Date.now();
  const tcpEvery = o.tcpStreams > 0 ? Math.max(1, Math.floor(o.datagrams / o.tcpStreams)) : Infinity;
  const openTcp = new Set<Promise<void>>();
  let tcpDone = 0;
  const batch = Math.max(1, Math.round(o.ratePerSecond / 100)); // sent every 10 ms
  for (let sent = 0; sent < o.datagrams; ) {
    const tickStart = Date.now();
    for (let k = 0; k < batch && sent < o.datagrams; k++, sent++) {
      const socket = sockets[sent % sockets.length]!;
      socket.send(mutate(corpus, rnd), o.port, host);
      if (sent % tcpEvery === 0 && tcpDone < o.tcpStreams && openTcp.size < 20) {
        tcpDone++;
        const p = tcpStream(host, o.port, corpus, prng(o.seed + sent + 1)).finally(() => openTcp.delete(p));
        openTcp.add(p);
      }
      if (o.onProgress && sent % (o.progressEvery ?? 10_000) === 0) o.onProgress(sent);
    }
    const elapsed = Date.now() - tickStart;
    await sleep(Math.max(0, 10 - elapsed));
  }
  await Promise.all(openTcp);
  for (const s of sockets) s.close();
  return { datagrams: o.datagrams, tcpStreams: tcpDone, seconds: (Date.now() - started) / 1000 };
}

/** One TCP connection: random chunks of random bytes and mutated messages, then close or abandon. */
async function tcpStream(host: string, port: number, corpus: readonly Buffer[], rnd: () => number): Promise<void> {
  const socket = connect({ host, port });
  socket.on('error', () => {});
  socket.on('data', () => {});
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('error', () => resolve());
    socket.once('close', () => resolve());
  });
  const chunks = 1 + Math.floor(rnd() * 20);
  for (let i = 0; i < chunks && !socket.destroyed; i++) {
    let bytes: Buffer;
    if (rnd() < 0.5) {
      bytes = Buffer.alloc(Math.floor(rnd() * 4000));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rnd() * 256);
    } else bytes = mutate(corpus, rnd);
    socket.write(bytes);
    await sleep(Math.floor(rnd() * 20));
  }
  if (rnd() < 0.5) socket.end();
  else socket.destroy();
}
