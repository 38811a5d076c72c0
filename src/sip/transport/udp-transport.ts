/**
 * UDP transport (RFC 3261 §18.1.1, §18.2.1): one datagram is one message.
 *
 * @remarks
 * The receive buffer is raised to 4 MiB when the OS allows it: bench-facts.md notes that a 64 KB
 * socket buffer overflows at ~12k registrations/s.
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOptions } from 'node:dns';
import { isIP, isIPv6 } from 'node:net';
import type { SipLogger } from '../registrar/delegates.js';
import { normalizeAddress, type InboundHandler, type SipTransport } from './transport.js';

const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * dgram resolves every destination through `lookup`; the default (dns.lookup) answers an IP literal
 * on the next tick, one closure and one tick per datagram. Responses go to the addresses requests
 * came from (RFC 3261 §18.2.2 received/rport), nearly always literals: answer those at once.
 */
function lookupLiteralFirst(hostname: string, options: LookupOptions | number, callback: LookupCallback): void {
  const family = isIP(hostname);
  if (family !== 0) return callback(null, hostname, family);
  dnsLookup(hostname, typeof options === 'number' ? { family: options } : options, callback as never);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** A UDP listener on one address. */
export class UdpTransport implements SipTransport {
  readonly name = 'udp' as const;
  private socket: Socket | null = null;

  constructor(
    private readonly onMessage: InboundHandler,
    private readonly logger: SipLogger,
  ) {}

  get listening(): boolean {
    return this.socket !== null;
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', lookup: lookupLiteralFirst });
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.on('message', (bytes, rinfo) => {
        this.onMessage(bytes, { address: normalizeAddress(rinfo.address), port: rinfo.port, transport: 'udp' }, null);
      });
      socket.bind({ address: host, port, exclusive: true }, () => {
        socket.off('error', onError);
        socket.on('error', (err) => this.logger.warn({ err }, 'UDP socket error'));
        try {
          socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
          socket.setSendBufferSize(RECEIVE_BUFFER_BYTES);
        } catch {
          // The OS cap (net.core.rmem_max) applies; the default buffer still works at lower rates.
        }
        this.socket = socket;
        resolve(socket.address().port);
      });
    });
  }

  /** Send a datagram; errors (e.g. EHOSTUNREACH) are logged, never thrown. */
  send(bytes: Buffer, address: string, port: number): void {
    const socket = this.socket;
    if (socket === null) return;
    try {
      // No completion callback: Node then tries a synchronous send (uv_udp_try_send) without a
      // send request object. An asynchronous UDP failure (ICMP unreachable) is not reported either
      // way; it used to be logged at debug only. The phone retransmits; the transaction answers again.
      socket.send(bytes, port, address);
    } catch (err) {
      // dgram throws synchronously for a bad port or address (ERR_SOCKET_BAD_PORT): a request's
      // Via chose it, so it is bad input, not our bug.
      this.logger.debug({ err, address, port }, 'UDP send refused');
    }
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket === null) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
