/**
 * RFC 3261 timer values for server transactions.
 *
 * @remarks
 * https://www.rfc-editor.org/rfc/rfc3261#appendix-A. Unlike SIP.js (which assumes WebSocket and sets
 * Timer J to 0 everywhere), the values depend on the transport: a UDP registrar must keep a completed
 * non-INVITE transaction for 64*T1 to absorb retransmissions.
 */
import type { SipTransportName } from '../message/types.js';

/** RTT estimate. */
export const T1_MS = 500;
/** Maximum retransmit interval for non-INVITE requests and INVITE responses. */
export const T2_MS = 4000;
/** Maximum duration a message will remain in the network. */
export const T4_MS = 5000;

/** Whether the transport is reliable (RFC 3261 §18: TCP yes, UDP no). */
export function isReliable(transport: SipTransportName): boolean {
  return transport === 'tcp';
}

/** Timer G: INVITE final response retransmit interval, initially T1 (UDP only). */
export function timerGInitial(): number {
  return T1_MS;
}

/** Next Timer G interval: "MIN(2*T1, T2)", doubling up to T2. */
export function timerGNext(previous: number): number {
  return Math.min(previous * 2, T2_MS);
}

/** Timer H: wait time for ACK receipt, 64*T1 for all transports. */
export function timerH(): number {
  return 64 * T1_MS;
}

/** Timer I: wait time for ACK retransmits, T4 for UDP, 0 for reliable transports. */
export function timerI(transport: SipTransportName): number {
  return isReliable(transport) ? 0 : T4_MS;
}

/** Timer J: wait time for non-INVITE request retransmits, 64*T1 for UDP, 0 for reliable transports. */
export function timerJ(transport: SipTransportName): number {
  return isReliable(transport) ? 0 : 64 * T1_MS;
}
