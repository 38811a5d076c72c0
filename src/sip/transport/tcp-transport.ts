/**
 * TCP transport (RFC 3261 §18.3): framing by Content-Length, CRLF keep-alive, connection limits.
 *
 * @remarks
 * https://www.rfc-editor.org/rfc/rfc3261#section-18.3, RFC 5626 §3.5.1 (a CRLFCRLF "ping" is
 * answered with a CRLF "pong"). Limits: idle timeout, at most `maxConnections`, and per connection
 * a framer that refuses messages above `maxMessageBytes` and a cap on unsent output (a peer that
 * never reads is disconnected instead of growing our memory).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { StreamFramer } from './stream-framer.js';
import type { SipLogger } from '../registrar/delegates.js';
import { normalizeAddress, type InboundHandler, type SipConnection, type SipTransport } from './transport.js';

/** Limits of the TCP transport. */
export interface TcpLimits {
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxMessageBytes: number;
  /**
   * A message must arrive whole within this long after its first byte (default 10 s). The idle
   * timeout alone never fires for a client that drips one byte just before it would.
   */
  readonly messageTimeoutMs?: number;
}

const PONG = Buffer.from('\r\n');
/** Unsent bytes allowed per connection before it is dropped. */
const MAX_PENDING_OUTPUT = 1024 * 1024;

class TcpConnection implements SipConnection {
  constructor(
    readonly id: number,
    private readonly socket: Socket,
  ) {}

  get open(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  send(bytes: Buffer): boolean {
    if (!this.open) return false;
    if (this.socket.writableLength > MAX_PENDING_OUTPUT) {
      this.socket.destroy();
      return false;
    }
    this.socket.write(bytes);
    return true;
  }
}

/** A TCP listener; each accepted connection gets its own framer. */
export class TcpTransport implements SipTransport {
  readonly name = 'tcp' as const;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private nextId = 1;

  constructor(
    private readonly onMessage: InboundHandler,
    private readonly limits: TcpLimits,
    private readonly logger: SipLogger,
  ) {}

  get listening(): boolean {
    return this.server !== null;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
      server.maxConnections = this.limits.maxConnections;
      const onError = (err: Error): void => {
        server.close();
        reject(err);
      };
      server.once('error', onError);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', onError);
        server.on('error', (err) => this.logger.warn({ err }, 'TCP server error'));
        this.server = server;
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const connection = new TcpConnection(this.nextId++, socket);
    const framer = new StreamFramer({ maxMessageBytes: this.limits.maxMessageBytes });
    const peer = { address: normalizeAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0, transport: 'tcp' as const };
    socket.setTimeout(this.limits.idleTimeoutMs, () => socket.destroy());
    let messageDeadline: NodeJS.Timeout | null = null;
    const messageTimeoutMs = this.limits.messageTimeoutMs ?? 10_000;
    socket.on('close', () => {
      if (messageDeadline !== null) clearTimeout(messageDeadline);
    });
    socket.on('data', (chunk: Buffer) => {
      const wasMidMessage = framer.midMessage;
      for (const item of framer.push(chunk)) {
        switch (item.type) {
          case 'message':
            this.onMessage(item.bytes, peer, connection);
            break;
          case 'keepalive':
            // RFC 5626 §3.5.1: "the server MUST respond to each [CRLFCRLF ping] with a single CRLF pong".
            socket.write(PONG);
            break;
          case 'error':
            // Framing is lost (e.g. a message above the limit, a bad Content-Length): the stream
            // cannot be resynchronised, so the connection is closed.
            this.logger.debug({ reason: item.reason, peer }, 'TCP framing error; closing connection');
            socket.destroy();
            return;
        }
      }
      // The deadline runs from a message's first byte; completing any message re-arms it.
      if (!framer.midMessage) {
        if (messageDeadline !== null) clearTimeout(messageDeadline);
        messageDeadline = null;
      } else if (messageDeadline === null || !wasMidMessage) {
        if (messageDeadline !== null) clearTimeout(messageDeadline);
        messageDeadline = setTimeout(() => {
          this.logger.debug({ peer }, 'TCP message not complete in time; closing connection');
          socket.destroy();
        }, messageTimeoutMs);
      }
    });
    socket.on('error', (err) => this.logger.debug({ err, peer }, 'TCP connection error'));
    socket.on('close', () => this.sockets.delete(socket));
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server === null) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
