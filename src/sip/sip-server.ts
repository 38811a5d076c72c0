/**
 * The SIP server: transports → parse → abuse guard → transactions → registrar TU.
 *
 * @remarks
 * The composition root calls {@link createSipServer}; nothing here reads the environment. One
 * `setInterval` (the "ticker") drives the transaction timer wheel and the binding expiry sweep:
 * no per-request or per-binding timers (bench-facts.md; bench/registrar-inproc.bench.ts).
 */
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { buildResponse, getHeader, parseMessage, parseNameAddr, parseVia, responseDestination, serializeResponse } from './message/index.js';
import type { SipHeaderField, SipPeer, SipRequest } from './message/index.js';
import { AbuseGuard, type AbuseOptions } from './abuse/abuse-guard.js';
import { DigestAuthenticator, type DigestAlgorithm } from './auth/digest.js';
import { NonceService } from './auth/nonce.js';
import { SipBindError, SipInvalidOptionsError } from './errors.js';
import { BindingTable, restoreBindings, type StoredBinding } from './registrar/binding-table.js';
import { ExpirySchedule } from './registrar/expiry-schedule.js';
import { noopSipMetrics, silentSipLogger, type BindingRecord, type CredentialLookup, type RegistrarDelegate, type SipClock, type SipLogger, type SipMetrics } from './registrar/delegates.js';
import { Registrar, type Reply, type RequestContext } from './registrar/registrar.js';
import { cancelTargetKey, transactionKey, TransactionLayer, type LiveServerTransaction, type TransactionKeyFields } from './transaction/transaction-layer.js';
import type { UdpDestination } from './transaction/non-invite-server-transaction.js';
import { salvageRequest, statelessResponse } from './transaction/stateless-reply.js';
import { requestTransactionFields, stampTopVia } from './transaction/request-fields.js';
import { TcpTransport } from './transport/tcp-transport.js';
import { formatSource, type SipConnection } from './transport/transport.js';
import { UdpTransport } from './transport/udp-transport.js';

/** Options of {@link createSipServer}. */
export interface SipServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests); UDP and TCP always share the port number. */
  readonly port: number;
  readonly domain: string;
  readonly realm: string;
  /** Other login-server names this registrar answers for (Request-URI host). */
  readonly servedDomains?: readonly string[];
  readonly minExpires: number;
  readonly maxExpires: number;
  readonly defaultExpires: number;
  readonly maxBindingsPerAor: number;
  /** Shared by every worker so nonces verify anywhere. */
  readonly nonceSecret: string | Buffer;
  readonly nonceLifetimeSeconds: number;
  /** Digest algorithms offered, most preferred first (default SHA-256, MD5). */
  readonly digestAlgorithms?: readonly DigestAlgorithm[];
  readonly credentials: CredentialLookup;
  readonly delegate: RegistrarDelegate;
  readonly metrics?: SipMetrics;
  readonly clock?: SipClock;
  readonly logger?: SipLogger;
  readonly abuse?: AbuseOptions;
  /** Lapsed bindings restored at startup stay this long before expiring (default 120 s). */
  readonly restoreGraceSeconds?: number;
  /**
   * TCP limits: idle timeout (default 120 s), connections (default 10,000) and the largest message
   * (default 65,535 bytes; also applied to UDP datagrams, which get 513 above it).
   */
  readonly tcp?: { readonly idleTimeoutMs?: number; readonly maxConnections?: number; readonly maxMessageBytes?: number };
  /** Ticker period, ms (default 50). */
  readonly tickMs?: number;
  /**
   * Bench/test seam: replaces the UDP socket's send (responses go here instead of the network).
   * Used with {@link SipServer.receiveDatagram} by `bench/perf/inproc-driver.ts` to count
   * instructions per registration without sockets.
   */
  readonly udpSend?: (bytes: Buffer, address: string, port: number) => void;
}

/** A running (or startable) registrar. */
export interface SipServer {
  start(): Promise<{ udpPort: number; tcpPort: number }>;
  /** Close sockets, then wait for in-flight persists. */
  stop(): Promise<void>;
  restoreBindings(records: readonly StoredBinding[], now: Date): number;
  bindingsOf(unique: string): BindingRecord[];
  activeBindingCount(): number;
  isBound(): boolean;
  /** Bench/test seam: the UDP receive path for one datagram, without a socket. */
  receiveDatagram(bytes: Buffer, address: string, port: number): void;
}

/** Methods served here (the Allow header of a 405). */
const SERVED_METHODS = ['REGISTER', 'OPTIONS', 'INVITE', 'ACK', 'CANCEL', 'BYE'] as const;
/** Every method of RFC 3261 and its extensions (3262, 3265, 3311, 3428, 3515, 3903, 6086). */
export const SIP_METHODS: ReadonlySet<string> = new Set([...SERVED_METHODS, 'SUBSCRIBE', 'NOTIFY', 'MESSAGE', 'INFO', 'PRACK', 'UPDATE', 'REFER', 'PUBLISH']);
const ALLOW: SipHeaderField = { name: 'Allow', value: SERVED_METHODS.join(', ') };
const BIND_ATTEMPTS = 5;

/** Create (not start) the SIP server. */
export function createSipServer(options: SipServerOptions): SipServer {
  return new Server(options);
}

class Server implements SipServer {
  private readonly clock: SipClock;
  private readonly logger: SipLogger;
  private readonly metrics: SipMetrics;
  private readonly table = new BindingTable();
  private readonly schedule = new ExpirySchedule();
  private readonly transactions: TransactionLayer;
  private readonly abuse: AbuseGuard;
  private readonly registrar: Registrar;
  private readonly udp: UdpTransport;
  private readonly tcp: TcpTransport;
  private readonly maxMessageBytes: number;
  private readonly localAddresses = new Set<string>();
  private readonly tagPrefix = randomBytes(4).toString('hex');
  private tagCounter = 0;
  private ticker: NodeJS.Timeout | null = null;
  /** Every UDP datagram we send: the socket, or the bench/test seam `udpSend`. */
  private readonly udpOut: (bytes: Buffer, address: string, port: number) => void;

  constructor(private readonly o: SipServerOptions) {
    if (o.minExpires > o.maxExpires || o.defaultExpires < o.minExpires || o.defaultExpires > o.maxExpires) {
      throw new SipInvalidOptionsError('need minExpires <= defaultExpires <= maxExpires');
    }
    if (o.maxBindingsPerAor < 1) throw new SipInvalidOptionsError('maxBindingsPerAor must be at least 1');
    this.clock = o.clock ?? { now: () => Date.now() };
    this.logger = o.logger ?? silentSipLogger;
    this.metrics = o.metrics ?? noopSipMetrics;
    this.maxMessageBytes = o.tcp?.maxMessageBytes ?? 65_535;
    const now = (): number => this.clock.now();
    this.udpOut = o.udpSend ?? ((bytes, address, port) => this.udp.send(bytes, address, port));
    // Completed UDP transactions resend through udpOut with the address they keep (no closure each).
    this.transactions = new TransactionLayer({ now, tickMs: o.tickMs ?? 50, resend: this.udpOut });
    this.abuse = new AbuseGuard(o.abuse);
    const nonces = new NonceService({ secret: o.nonceSecret, realm: o.realm, lifetimeSeconds: o.nonceLifetimeSeconds, now });
    const opaque = randomBytes(12).toString('hex');
    const authenticator = new DigestAuthenticator({
      realm: o.realm,
      opaque,
      nonces,
      lookup: (u) => o.credentials.lookup(u),
      ...(o.digestAlgorithms ? { algorithms: o.digestAlgorithms } : {}),
    });
    this.registrar = new Registrar({
      domain: o.domain,
      servedDomains: o.servedDomains ?? [],
      isLocalAddress: (host) => this.localAddresses.has(host),
      policy: { minExpires: o.minExpires, maxExpires: o.maxExpires, defaultExpires: o.defaultExpires },
      maxBindingsPerAor: o.maxBindingsPerAor,
      authenticator,
      abuse: this.abuse,
      table: this.table,
      schedule: this.schedule,
      delegate: o.delegate,
      metrics: this.metrics,
      logger: this.logger,
      now,
    });
    const inbound = (bytes: Buffer, peer: SipPeer, connection: SipConnection | null): void => this.receive(bytes, peer, connection);
    this.udp = new UdpTransport(inbound, this.logger);
    this.tcp = new TcpTransport(
      inbound,
      { idleTimeoutMs: o.tcp?.idleTimeoutMs ?? 120_000, maxConnections: o.tcp?.maxConnections ?? 10_000, maxMessageBytes: this.maxMessageBytes },
      this.logger,
    );
  }

  async start(): Promise<{ udpPort: number; tcpPort: number }> {
    const port = await this.bindBoth();
    this.collectLocalAddresses();
    this.ticker = setInterval(() => this.tick(), this.o.tickMs ?? 50);
    this.ticker.unref();
    this.logger.info({ host: this.o.host, port }, 'SIP registrar listening (UDP and TCP)');
    return { udpPort: port, tcpPort: port };
  }

  /** Bind UDP first, then TCP on the same port; with port 0, retry when TCP finds it taken. */
  private async bindBoth(): Promise<number> {
    let lastError: unknown;
    for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      let udpPort: number;
      try {
        udpPort = await this.udp.listen(this.o.host, this.o.port);
      } catch (cause) {
        throw new SipBindError(this.o.host, this.o.port, { cause });
      }
      try {
        await this.tcp.listen(this.o.host, udpPort);
        return udpPort;
      } catch (cause) {
        lastError = cause;
        await this.udp.close();
        if (this.o.port !== 0) break;
      }
    }
    throw new SipBindError(this.o.host, this.o.port, { cause: lastError });
  }

  private collectLocalAddresses(): void {
    this.localAddresses.clear();
    this.localAddresses.add(this.o.host.toLowerCase());
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) this.localAddresses.add(a.address.toLowerCase());
    }
  }

  async stop(): Promise<void> {
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
    await Promise.all([this.udp.close(), this.tcp.close()]);
    await this.registrar.flush();
    this.transactions.clear();
  }

  restoreBindings(records: readonly StoredBinding[], now: Date): number {
    const n = restoreBindings(this.table, this.schedule, records, now, this.o.restoreGraceSeconds ?? 120);
    this.metrics.activeBindings(this.table.size);
    return n;
  }

  bindingsOf(unique: string): BindingRecord[] {
    return [...this.table.get(unique)];
  }

  activeBindingCount(): number {
    return this.table.size;
  }

  isBound(): boolean {
    return this.udp.listening && this.tcp.listening;
  }

  receiveDatagram(bytes: Buffer, address: string, port: number): void {
    this.receive(bytes, { address, port, transport: 'udp' }, null);
  }

  private tick(): void {
    try {
      const now = this.clock.now();
      this.transactions.advance(now);
      this.registrar.sweepExpired(now);
    } catch (err) {
      this.logger.error({ err }, 'SIP ticker failed');
    }
  }

  // --- inbound --------------------------------------------------------------------------------

  private receive(bytes: Buffer, peer: SipPeer, connection: SipConnection | null): void {
    try {
      this.dispatch(bytes, peer, connection);
    } catch (err) {
      // Never crash on network input; a bug here costs one request, not the registrar.
      this.logger.error({ err, peer }, 'SIP request handling failed');
    }
  }

  private dispatch(bytes: Buffer, peer: SipPeer, connection: SipConnection | null): void {
    const now = this.clock.now();
    const admission = this.abuse.admit(peer.address, now);
    if (admission !== 'ok') {
      this.metrics.dropped(admission);
      if (admission === 'blocked' && this.abuse.blockResponse === '403') this.replyStateless(bytes, peer, connection, 403, 'Forbidden');
      return;
    }
    if (bytes.length > this.maxMessageBytes) {
      this.metrics.dropped('oversized');
      return this.replyStateless(bytes, peer, connection, 513, 'Message Too Large');
    }
    const parsed = parseMessage(bytes);
    if (!parsed.ok) {
      this.metrics.dropped('malformed');
      return this.replyStateless(bytes, peer, connection, 400, `Bad Request (${parsed.reason})`);
    }
    const req = parsed.value;
    if (req.kind !== 'request') return this.metrics.dropped('response');
    const fields = requestTransactionFields(req);
    if (typeof fields === 'string') {
      this.metrics.dropped('malformed');
      return this.replyStateless(bytes, peer, connection, 400, `Bad Request (${fields})`);
    }
    // The key is a concatenation of slices of the request text (branch, sent-by): as it is, a live
    // transaction (an INVITE's lasts until Timer H or I) would keep the whole request alive.
    // `(' ' + k).slice(1)` makes it a string over a private copy (PERF-NOTES.md #6); a completed UDP
    // transaction keeps its key as bytes (CompletedResponses).
    const key = (' ' + transactionKey(fields.key)).slice(1);
    const existing = this.transactions.find(key);
    if (req.method === 'ACK') {
      // "The ACK MUST be passed to the server transaction" that sent the final response; with none,
      // it is an ACK for a 2xx we never send: absorbed.
      if (existing !== undefined && existing.kind === 'invite') existing.receiveAck();
      else this.metrics.dropped('stray_ack');
      return;
    }
    if (existing !== undefined) {
      this.metrics.retransmission();
      existing.receiveRequest();
      return;
    }
    this.metrics.request(req.method);
    const destination = connection === null ? responseDestination(fields.via, peer) : null;
    const send = this.sender(peer, connection, destination);
    // Stateless challenges (RFC 3261 §8.2.7): "The stateless UAS role is needed primarily to handle
    // unauthenticated requests for which a challenge response is issued. If unauthenticated requests
    // were handled statefully, then malicious floods of unauthenticated requests could create massive
    // amounts of transaction state" — and so do honest phones: every registration starts with a
    // challenged REGISTER, and a Completed UDP transaction keeps its response for Timer J (32 s),
    // i.e. ~640k responses held at 20k registrations/s. So a REGISTER answered 401 at once gets no
    // server transaction (Kamailio's sl_send_reply does the same): "If a stateless UAS receives a
    // retransmission of a request, it regenerates the response and resends it" — here with a fresh
    // nonce, which any client accepts (its second REGISTER answers whichever challenge arrived), and
    // the retransmission counts as a new request in the metrics. §8.2.7 also asks that "To header
    // tags MUST be generated for responses in a stateless manner ... the same tag for the same
    // request consistently": the tag of a stateless 401 is derived from the transaction key.
    // Any other answer (and any answer given later, after a durable commit) uses a transaction,
    // created before the TU returns so that retransmissions are absorbed while the commit runs.
    // INVITE's 407 stays stateful (its ACK must be absorbed). bench/PERF-NOTES.md (stateless 401).
    let tx: LiveServerTransaction | null = null;
    let statelessDone = false;
    let toTag = '';
    const stamped = stampTopVia(req, fields.via, peer);
    const reply: Reply = (status, reason, headers) => {
      const stateless = tx === null && !statelessDone && status === 401 && req.method === 'REGISTER';
      if (toTag === '') toTag = stateless ? this.statelessTag(key) : this.nextTag();
      const bytes = serializeResponse(buildResponse(stamped, status, reason, { headers: headers === undefined ? [] : [...headers], toTag }));
      this.metrics.response(req.method, status);
      if (stateless) {
        statelessDone = true;
        send(bytes);
        return;
      }
      tx ??= this.transactions.create(key, req.method, peer.transport, send, destination);
      tx.respond(status, bytes);
    };
    const userAgent = getHeader(req, 'User-Agent') ?? null;
    const ctx: RequestContext = { ip: peer.address, source: formatSource(peer.address, peer.port), transport: peer.transport, userAgent, callId: fields.key.callId };
    if (this.abuse.isScanner(userAgent)) this.refuseScanner(req, ctx, reply, now);
    else this.route(req, ctx, reply, fields.key);
    // Not answered yet (a commit in flight): retransmissions must find the transaction meanwhile.
    if (tx === null && !statelessDone) tx = this.transactions.create(key, req.method, peer.transport, send, destination);
  }

  private route(req: SipRequest, ctx: RequestContext, reply: Reply, key: TransactionKeyFields): void {
    switch (req.method) {
      case 'REGISTER':
        return this.registrar.handleRegister(req, ctx, reply);
      case 'INVITE':
        return this.registrar.handleInvite(req, ctx, reply);
      case 'OPTIONS':
        return reply(200, 'OK', [ALLOW, { name: 'Accept', value: 'application/sdp' }, { name: 'Supported', value: 'path, outbound' }]);
      case 'CANCEL':
        // RFC 3261 §9.2: "If the UAS did not find a matching transaction for the CANCEL according to
        // the procedure above, it SHOULD respond to the CANCEL with a 481". Our INVITE transactions
        // always hold a final response already, so "the CANCEL request has no effect" beyond a 200.
        return this.transactions.find(cancelTargetKey(key)) === undefined ? reply(481, 'Call/Transaction Does Not Exist') : reply(200, 'OK');
      case 'BYE':
        // RFC 3261 §15.1.2: "If the BYE does not match an existing dialog, the UAS core SHOULD
        // generate a 481 (Call/Transaction Does Not Exist) response". We never create dialogs.
        return reply(481, 'Call/Transaction Does Not Exist');
      default:
        // RFC 3261 §8.2.1: 405 "MUST ... include an Allow header field"; §21.5.2: 501 for unknown methods.
        // Known but not served (every served method has its own case above): 405.
        if (SIP_METHODS.has(req.method)) return reply(405, 'Method Not Allowed', [ALLOW]);
        return reply(501, 'Not Implemented', [ALLOW]);
    }
  }

  /** Known scanner: 403, one `rejected` event flagged `{scanner:true}`, and a block of the source. */
  private refuseScanner(req: SipRequest, ctx: RequestContext, reply: Reply, now: number): void {
    const to = parseNameAddr(getHeader(req, 'To') ?? '');
    const unique = to.ok ? (to.value.uri.user ?? '') : '';
    this.registrar.recorder.record(req, ctx, 'rejected', unique, 403, { reason: 'scanner', scanner: true }, null);
    reply(403, 'Forbidden');
    this.registrar.recorder.noteFailure(req, ctx, unique, now, true);
  }

  /** Where responses of this transaction go: the same TCP connection, or §18.2.2 for UDP. */
  private sender(peer: SipPeer, connection: SipConnection | null, destination: UdpDestination | null): (bytes: Buffer) => void {
    if (connection !== null) {
      return (bytes) => {
        if (!connection.send(bytes)) this.logger.debug({ peer }, 'TCP connection gone before the response');
      };
    }
    const { address, port } = destination ?? peer;
    return (bytes) => this.udpOut(bytes, address, port);
  }

  private replyStateless(bytes: Buffer, peer: SipPeer, connection: SipConnection | null, status: number, reason: string): void {
    const salvaged = salvageRequest(bytes);
    if (salvaged === null) return; // request line or Via unreadable: drop
    const response = statelessResponse(salvaged, status, reason, this.nextTag());
    if (connection !== null) {
      connection.send(response);
      return;
    }
    const via = parseVia(salvaged.vias[0]!);
    if (!via.ok) return;
    const destination = responseDestination(via.value, peer);
    this.udpOut(response, destination.address, destination.port);
  }

  /** A To tag that is the same for every retransmission of one request (FNV-1a of the transaction key). */
  private statelessTag(key: string): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return this.tagPrefix + 's' + (h >>> 0).toString(36);
  }

  private nextTag(): string {
    this.tagCounter = (this.tagCounter + 1) >>> 0;
    return this.tagPrefix + this.tagCounter.toString(36);
  }
}
