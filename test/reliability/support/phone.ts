/**
 * A registering phone for reliability tests: one UDP socket bound to a chosen loopback address
 * (127.0.0.x, so tests can act as many sources), MD5 digest, one Call-ID for its life (so the
 * registrar sees `registered` then `refreshed`), and RFC 3261 Timer E retransmission (same
 * branch) so a lost datagram on a loaded machine never turns into a second transaction.
 * It counts what it did, so tests can compare with what the database recorded.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { getHeader, parseDigestCredentials, parseMessage, type SipResponse } from '../../../src/sip/message/index.js';

export interface PhoneOptions {
  readonly serverPort: number;
  readonly serverHost?: string;
  /** Local address to bind (127.0.0.1 … 127.255.255.254). */
  readonly localAddress?: string;
  readonly domain: string;
  readonly unique: string;
  readonly password: string;
  readonly userAgent?: string;
}

/** Outcome of one REGISTER exchange. */
export interface RegisterOutcome {
  /** Final status, or null when nothing came back even after retransmissions. */
  readonly status: number | null;
  /** Statuses of every final response in the exchange (401 then 200, say). */
  readonly statuses: readonly number[];
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export class Phone {
  readonly callId = `${randomBytes(8).toString('hex')}@reliability`;
  /** 200 OK to a REGISTER with a non-zero expiry: the first is a registration, later ones refreshes. */
  ok200 = 0;
  /** CSeq of the last REGISTER answered 200 (what the stored binding must carry). */
  lastOkCseq = 0;
  /** Exchanges that got no final response at all. */
  unanswered = 0;
  readonly statusCounts = new Map<number, number>();
  private cseq = 1;
  private pending = new Map<string, (r: SipResponse) => void>();
  private localPort = 0;
  private closed = false;
  private serverPort: number;

  private constructor(
    readonly o: PhoneOptions,
    private readonly socket: Socket,
  ) {
    this.serverPort = o.serverPort;
  }

  /** Point the phone at a restarted registrar (tests give each process fresh ports). */
  retarget(serverPort: number): void {
    this.serverPort = serverPort;
  }

  static async open(o: PhoneOptions): Promise<Phone> {
    const socket = createSocket('udp4');
    const phone = new Phone(o, socket);
    socket.on('message', (bytes) => phone.onMessage(bytes));
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, o.localAddress ?? '127.0.0.1', () => resolve());
    });
    phone.localPort = socket.address().port;
    return phone;
  }

  get localAddress(): string {
    return this.o.localAddress ?? '127.0.0.1';
  }

  /** The Contact URI this phone binds. */
  get contact(): string {
    return `sip:${this.o.unique}@${this.localAddress}:${this.localPort}`;
  }

  private onMessage(bytes: Buffer): void {
    const parsed = parseMessage(bytes);
    if (!parsed.ok || parsed.value.kind !== 'response' || parsed.value.status < 200) return;
    const key = `${getHeader(parsed.value, 'Call-ID')} ${(getHeader(parsed.value, 'CSeq') ?? '').split(' ')[0]}`;
    const waiter = this.pending.get(key);
    if (waiter !== undefined) {
      this.pending.delete(key);
      waiter(parsed.value);
    }
  }

  private build(cseq: number, branch: string, expires: number, authorization: string | null): Buffer {
    const d = this.o.domain;
    const lines = [
      `REGISTER sip:${d} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.localAddress}:${this.localPort};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:${this.o.unique}@${d}>;tag=${md5(this.callId).slice(0, 10)}`,
      `To: <sip:${this.o.unique}@${d}>`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} REGISTER`,
      `User-Agent: ${this.o.userAgent ?? 'reliability-phone/1.0'}`,
      `Contact: <${this.contact}>`,
      `Expires: ${expires}`,
      ...(authorization === null ? [] : [`Authorization: ${authorization}`]),
      'Content-Length: 0',
      '',
      '',
    ];
    return Buffer.from(lines.join('\r\n'), 'latin1');
  }

  /** Send with Timer E retransmissions (500 ms doubling, at most `budgetMs` in all); null on silence. */
  private async transact(cseq: number, bytes: Buffer, budgetMs: number): Promise<SipResponse | null> {
    if (this.closed) return null;
    const key = `${this.callId} ${cseq}`;
    const answered = new Promise<SipResponse>((resolve) => this.pending.set(key, resolve));
    const deadline = Date.now() + budgetMs;
    let interval = 500;
    for (let attempt = 0; attempt < 12 && Date.now() < deadline && !this.closed; attempt++) {
      this.socket.send(bytes, this.serverPort, this.o.serverHost ?? '127.0.0.1');
      const wait = Math.min(interval, deadline - Date.now());
      const r = await Promise.race([answered, new Promise<null>((resolve) => setTimeout(() => resolve(null), wait))]);
      if (r !== null) return r;
      interval = Math.min(interval * 2, 4000);
    }
    this.pending.delete(key);
    return null;
  }

  /**
   * REGISTER → 401 → REGISTER with credentials; `password` defaults to the right one.
   */
  async register(o: { expires?: number; password?: string; budgetMs?: number } = {}): Promise<RegisterOutcome> {
    const expires = o.expires ?? 600;
    const budget = o.budgetMs ?? 8000;
    const statuses: number[] = [];
    const first = this.cseq++;
    const r1 = await this.transact(first, this.build(first, `z9hG4bK${randomBytes(8).toString('hex')}`, expires, null), budget);
    if (r1 === null) return this.finish(null, statuses, expires);
    statuses.push(r1.status);
    if (r1.status !== 401) return this.finish(r1.status, statuses, expires);
    const challenge = r1.headers.filter((h) => h.name.toLowerCase() === 'www-authenticate').map((h) => h.value).find((v) => /algorithm=MD5(,|$|\s)/.test(v));
    if (challenge === undefined) throw new Error('no MD5 challenge');
    const second = this.cseq++;
    const auth = this.answer(challenge, o.password ?? this.o.password);
    const r2 = await this.transact(second, this.build(second, `z9hG4bK${randomBytes(8).toString('hex')}`, expires, auth), budget);
    if (r2 === null) return this.finish(null, statuses, expires);
    statuses.push(r2.status);
    if (r2.status === 200) this.lastOkCseq = second;
    return this.finish(r2.status, statuses, expires);
  }

  private finish(status: number | null, statuses: number[], expires: number): RegisterOutcome {
    if (status === null) this.unanswered++;
    else this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + 1);
    if (status === 200 && expires > 0) this.ok200++;
    return { status, statuses };
  }

  private answer(challenge: string, password: string): string {
    const p = parseDigestCredentials(challenge);
    if (!p.ok) throw new Error(`bad challenge: ${p.reason}`);
    const realm = p.value.get('realm')!;
    const nonce = p.value.get('nonce')!;
    const opaque = p.value.get('opaque');
    // A fresh nonce per challenge, so nc starts at 1 (RFC 7616 §3.4).
    const nc = '00000001';
    const cnonce = randomBytes(6).toString('hex');
    const uri = `sip:${this.o.domain}`;
    const ha1 = md5(`${this.o.unique}:${realm}:${password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    return (
      `Digest username="${this.o.unique}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", ` +
      `algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"${opaque === undefined ? '' : `, opaque="${opaque}"`}`
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
