/**
 * A small SIP UA for tests: UDP or TCP, REGISTER with digest auth (MD5 / SHA-256), INVITE, OPTIONS,
 * raw bytes. Deliberately independent of the server's digest code (it hashes on its own).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIPv6, type Socket as TcpSocket } from 'node:net';
import { getHeader, parseDigestCredentials, parseMessage, type SipResponse } from '../../src/sip/message/index.js';
import { StreamFramer } from '../../src/sip/transport/stream-framer.js';

export type ClientTransport = 'udp' | 'tcp';
export type ClientAlgorithm = 'MD5' | 'SHA-256';

export interface SipClientOptions {
  readonly transport: ClientTransport;
  readonly host: string;
  readonly port: number;
  /** Request-URI / To domain (default: the registrar's domain "example.test"). */
  readonly domain?: string;
  readonly userAgent?: string;
}

export interface RequestOptions {
  readonly method: string;
  readonly user: string;
  readonly requestUri?: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly contact?: string | null;
  readonly expires?: number | null;
  readonly extraHeaders?: readonly string[];
  readonly authorization?: { header: 'Authorization' | 'Proxy-Authorization'; value: string };
  /** Reuse this branch (a retransmission). */
  readonly branch?: string;
  readonly fromTag?: string;
}

export interface Sent {
  readonly bytes: Buffer;
  readonly branch: string;
  readonly callId: string;
  readonly cseq: number;
}

/** Response helpers. */
export const header = (r: SipResponse, name: string): string | undefined => getHeader(r, name);
export const headers = (r: SipResponse, name: string): string[] =>
  r.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);

/** Hash helper for tests. */
export function hashHex(algorithm: ClientAlgorithm, text: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(text).digest('hex');
}

/** A test UA bound to one local socket. */
export class SipTestClient {
  private udp: UdpSocket | null = null;
  private tcp: TcpSocket | null = null;
  private readonly framer = new StreamFramer({ maxMessageBytes: 65_535 });
  private readonly received: SipResponse[] = [];
  /** Raw CRLF pongs received on TCP. */
  pongs = 0;
  private waiters: (() => void)[] = [];
  localPort = 0;
  readonly domain: string;
  private cseq = 1;

  private constructor(private readonly o: SipClientOptions) {
    this.domain = o.domain ?? 'example.test';
  }

  static async open(o: SipClientOptions): Promise<SipTestClient> {
    const c = new SipTestClient(o);
    await c.connect();
    return c;
  }

  private get localHost(): string {
    return isIPv6(this.o.host) ? `[${this.o.host}]` : this.o.host;
  }

  private async connect(): Promise<void> {
    if (this.o.transport === 'udp') {
      const socket = createSocket(isIPv6(this.o.host) ? 'udp6' : 'udp4');
      socket.on('message', (bytes) => this.onMessage(bytes));
      await new Promise<void>((resolve) => socket.bind(0, this.o.host, () => resolve()));
      this.localPort = socket.address().port;
      this.udp = socket;
      return;
    }
    const socket = connect({ host: this.o.host, port: this.o.port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      if (chunk.equals(Buffer.from('\r\n'))) {
        this.pongs++;
        this.wake();
        return;
      }
      for (const item of this.framer.push(chunk)) if (item.type === 'message') this.onMessage(item.bytes);
    });
    this.localPort = socket.localPort ?? 0;
    this.tcp = socket;
  }

  private onMessage(bytes: Buffer): void {
    const parsed = parseMessage(bytes);
    if (parsed.ok && parsed.value.kind === 'response') this.received.push(parsed.value);
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Every response received so far. */
  get responses(): readonly SipResponse[] {
    return this.received;
  }

  /** Send raw bytes (a datagram, or a chunk on the TCP stream). */
  sendRaw(bytes: Buffer | string): void {
    const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    if (this.udp !== null) this.udp.send(b, this.o.port, this.o.host);
    else this.tcp!.write(b);
  }

  /** Build a request; nothing is sent. */
  build(r: RequestOptions): Sent {
    const branch = r.branch ?? `z9hG4bK${randomBytes(8).toString('hex')}`;
    const callId = r.callId ?? `${randomBytes(8).toString('hex')}@test`;
    const cseq = r.cseq ?? this.cseq++;
    const proto = this.o.transport.toUpperCase();
    const requestUri = r.requestUri ?? `sip:${this.domain}`;
    const aor = `sip:${r.user}@${this.domain}`;
    const lines = [
      `${r.method} ${r.method === 'INVITE' ? `sip:someone@${this.domain}` : requestUri} SIP/2.0`,
      `Via: SIP/2.0/${proto} ${this.localHost}:${this.localPort};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <${aor}>;tag=${r.fromTag ?? 'ft' + hashHex('MD5', callId).slice(0, 8)}`,
      `To: <${r.method === 'INVITE' ? `sip:someone@${this.domain}` : aor}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${r.method}`,
      `User-Agent: ${this.o.userAgent ?? 'linewatch-test-ua/1.0'}`,
    ];
    const contact = r.contact === undefined ? `<sip:${r.user}@${this.localHost}:${this.localPort};transport=${this.o.transport}>` : r.contact;
    if (contact !== null) lines.push(`Contact: ${contact}`);
    if (r.expires !== undefined && r.expires !== null) lines.push(`Expires: ${r.expires}`);
    if (r.authorization !== undefined) lines.push(`${r.authorization.header}: ${r.authorization.value}`);
    lines.push(...(r.extraHeaders ?? []), 'Content-Length: 0', '', '');
    return { bytes: Buffer.from(lines.join('\r\n'), 'latin1'), branch, callId, cseq };
  }

  /** Send a request and wait for its final response (matching Call-ID and CSeq). */
  async request(r: RequestOptions, timeoutMs = 2000): Promise<{ sent: Sent; response: SipResponse }> {
    const sent = this.build(r);
    const before = this.received.length;
    this.sendRaw(sent.bytes);
    const response = await this.waitFor(
      (resp, i) => i >= before && resp.status >= 200 && getHeader(resp, 'Call-ID') === sent.callId && (getHeader(resp, 'CSeq') ?? '').startsWith(`${sent.cseq} `),
      timeoutMs,
    );
    return { sent, response };
  }

  /** Wait until a received response satisfies `pred`. */
  async waitFor(pred: (r: SipResponse, index: number) => boolean, timeoutMs = 2000): Promise<SipResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((r, i) => pred(r, i));
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a SIP response');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Wait `ms` and return how many responses arrived meanwhile. */
  async quiet(ms: number): Promise<number> {
    const before = this.received.length;
    await new Promise((r) => setTimeout(r, ms));
    return this.received.length - before;
  }

  /** Compute a digest Authorization value answering `challenge`. */
  answer(challenge: string, o: { method: string; user: string; password: string; uri: string; nc?: number; cnonce?: string; username?: string }): string {
    const p = parseDigestCredentials(challenge);
    if (!p.ok) throw new Error(`bad challenge: ${p.reason}`);
    const realm = p.value.get('realm')!;
    const nonce = p.value.get('nonce')!;
    const algorithm = (p.value.get('algorithm') ?? 'MD5') as ClientAlgorithm;
    const opaque = p.value.get('opaque');
    const nc = (o.nc ?? 1).toString(16).padStart(8, '0');
    const cnonce = o.cnonce ?? randomBytes(6).toString('hex');
    const username = o.username ?? o.user;
    const ha1 = hashHex(algorithm, `${username}:${realm}:${o.password}`);
    const ha2 = hashHex(algorithm, `${o.method}:${o.uri}`);
    const response = hashHex(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    return (
      `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${o.uri}", response="${response}", ` +
      `algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"${opaque === undefined ? '' : `, opaque="${opaque}"`}`
    );
  }

  /**
   * REGISTER → 401 → REGISTER with credentials for `algorithm` → final response.
   */
  async register(o: {
    user: string;
    password: string;
    algorithm?: ClientAlgorithm;
    expires?: number | null;
    contact?: string | null;
    callId?: string;
    username?: string;
    extraHeaders?: readonly string[];
  }): Promise<{ challenge: SipResponse; final: SipResponse; callId: string }> {
    const callId = o.callId ?? `${randomBytes(8).toString('hex')}@test`;
    const base = { method: 'REGISTER', user: o.user, callId, expires: o.expires === undefined ? 600 : o.expires, contact: o.contact, extraHeaders: o.extraHeaders };
    const first = await this.request(base);
    if (first.response.status !== 401) return { challenge: first.response, final: first.response, callId };
    const challenge = this.pickChallenge(first.response, 'WWW-Authenticate', o.algorithm ?? 'MD5');
    const uri = `sip:${this.domain}`;
    const authorization = { header: 'Authorization' as const, value: this.answer(challenge, { method: 'REGISTER', user: o.user, password: o.password, uri, username: o.username }) };
    const second = await this.request({ ...base, authorization });
    return { challenge: first.response, final: second.response, callId };
  }

  /** INVITE → 407 → INVITE with Proxy-Authorization → final response. */
  async invite(o: { user: string; password: string; algorithm?: ClientAlgorithm }): Promise<{ challenge: SipResponse; final: SipResponse }> {
    const callId = `${randomBytes(8).toString('hex')}@test`;
    const first = await this.request({ method: 'INVITE', user: o.user, callId });
    this.sendAck(first.sent, first.response);
    if (first.response.status !== 407) return { challenge: first.response, final: first.response };
    const challenge = this.pickChallenge(first.response, 'Proxy-Authenticate', o.algorithm ?? 'MD5');
    const uri = `sip:someone@${this.domain}`;
    const authorization = { header: 'Proxy-Authorization' as const, value: this.answer(challenge, { method: 'INVITE', user: o.user, password: o.password, uri }) };
    const second = await this.request({ method: 'INVITE', user: o.user, callId, authorization });
    this.sendAck(second.sent, second.response);
    return { challenge: first.response, final: second.response };
  }

  /** ACK for a non-2xx final response (same branch, RFC 3261 §17.1.1.3). */
  sendAck(sent: Sent, response: SipResponse): void {
    const to = getHeader(response, 'To') ?? '';
    const text = sent.bytes.toString('latin1');
    const lines = text.split('\r\n');
    const out = lines
      .map((l) => {
        if (l.startsWith('INVITE ')) return l.replace('INVITE', 'ACK');
        if (l.startsWith('CSeq:')) return `CSeq: ${sent.cseq} ACK`;
        if (l.startsWith('To:')) return `To: ${to}`;
        if (l.startsWith('Proxy-Authorization:') || l.startsWith('Contact:')) return null;
        return l;
      })
      .filter((l): l is string => l !== null);
    this.sendRaw(out.join('\r\n'));
  }

  pickChallenge(r: SipResponse, name: string, algorithm: ClientAlgorithm): string {
    const all = headers(r, name);
    const found = all.find((v) => new RegExp(`algorithm=${algorithm}(,|$|\\s)`).test(v));
    if (found === undefined) throw new Error(`no ${algorithm} challenge in ${all.join(' | ')}`);
    return found;
  }

  async close(): Promise<void> {
    if (this.udp !== null) await new Promise<void>((r) => this.udp!.close(() => r()));
    if (this.tcp !== null) this.tcp.destroy();
  }
}
