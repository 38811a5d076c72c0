/**
 * Transport layer interface (RFC 3261 §18): byte in, byte out, no SIP semantics.
 *
 * @remarks
 * https://www.rfc-editor.org/rfc/rfc3261#section-18. Like bolt-js's Receiver, a transport only
 * knows how to listen, deliver what it received and send; the server above parses and routes.
 */
import type { SipPeer, SipTransportName } from '../message/index.js';

/** A stream connection a request arrived on; responses go back on it (RFC 3261 §18.2.2). */
export interface SipConnection {
  readonly id: number;
  /** Whether the connection can still be written to. */
  readonly open: boolean;
  /** Write bytes; false when the connection is gone (the caller treats it as a transport error). */
  send(bytes: Buffer): boolean;
}

/** Called for every complete message (datagram or framed stream message). */
export type InboundHandler = (bytes: Buffer, peer: SipPeer, connection: SipConnection | null) => void;

/** A listening transport. */
export interface SipTransport {
  readonly name: SipTransportName;
  /** Bind and listen; resolves with the bound port (useful when `port` is 0). */
  listen(host: string, port: number): Promise<number>;
  /** Stop listening and close every connection. */
  close(): Promise<void>;
  /** Whether the transport is currently listening. */
  readonly listening: boolean;
}

/** Strip the IPv4-mapped IPv6 prefix so that one IP has one spelling in abuse maps and events. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** "203.0.113.7:5062" or "[2001:db8::1]:5060". */
export function formatSource(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
