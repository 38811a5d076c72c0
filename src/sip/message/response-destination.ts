/**
 * Where to send a response.
 *
 * @remarks
 * RFC 3261 §18.2.2 (https://www.rfc-editor.org/rfc/rfc3261#section-18.2.2) with RFC 3581 §4
 * (https://www.rfc-editor.org/rfc/rfc3581#section-4). `maddr` is deliberately ignored: a registrar
 * answers the unicast sender it heard from, and honouring a client-chosen `maddr` would let anyone
 * aim our responses (e.g. 401s) at a third party or a multicast group: a reflection vector with no
 * use case in REGISTER traffic behind NATs.
 */
import type { SipPeer, SipVia } from './types.js';

const RELIABLE = new Set(['TCP', 'TLS', 'SCTP', 'WS', 'WSS']);

/**
 * Address and port for the response to a request whose top Via is `via`, received from `peer`.
 *
 * @remarks
 * RFC 3261 §18.2.2: "If the "sent-protocol" is a reliable transport protocol such as TCP or SCTP
 * [...] the response MUST be sent using the existing connection to the source of the original
 * request". "Otherwise, if the Via header field value contains a "received" parameter, the response
 * MUST be sent to the address in the "received" parameter, using the port indicated in the
 * "sent-by" value, or using port 5060 if none is specified explicitly."
 * §18.2.1: the server MUST add `received` when sent-by differs from the source address, so the
 * address is always the packet source unless `received` was already set.
 * RFC 3581 §4: "When a server compliant to this specification [...] receives a request, it examines
 * the topmost Via header field value. If this Via header field value contains an "rport" parameter
 * with no value, it MUST set the value of the parameter to the source port of the request." and the
 * response "MUST be sent to the IP address listed in the "received" parameter, and the port in the
 * "rport" parameter".
 */
export function responseDestination(via: SipVia, peer: SipPeer): { address: string; port: number } {
  if (peer.transport === 'tcp' || RELIABLE.has(via.transport)) return { address: peer.address, port: peer.port };
  // RFC 3261 §18.2.1: "received" holds the packet's source address, as the server itself records
  // it. A value the client wrote there is never trusted: it would let anyone aim our responses at a
  // third party (reflection). So the address is always the packet's source.
  const rport = via.params.get('rport');
  if (rport !== undefined) return { address: peer.address, port: peer.port };
  const port = via.port;
  return { address: peer.address, port: port !== null && port !== undefined && port > 0 && port <= 65535 ? port : 5060 };
}
