/**
 * Non-INVITE server transaction (RFC 3261 §17.2.2).
 *
 * @remarks
 * https://www.rfc-editor.org/rfc/rfc3261#section-17.2.2 — Trying → Proceeding → Completed →
 * Terminated. Retransmitted requests never reach the TU: they are absorbed here, which is what lets
 * the registrar await a durable commit without processing a REGISTER twice.
 */
import type { SipTransportName } from '../message/types.js';
import { SipIllegalTransitionError } from '../errors.js';
import type { TimerWheel, WheelTimer } from './timer-wheel.js';
import { timerJ } from './timers.js';

/** States of Figure 8 of RFC 3261. */
export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

const LEGAL: Readonly<Record<NonInviteServerState, readonly NonInviteServerState[]>> = {
  Trying: ['Proceeding', 'Completed', 'Terminated'],
  Proceeding: ['Proceeding', 'Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
};

/** What the transaction layer needs from its surroundings. */
export interface ServerTransactionEnv {
  readonly wheel: TimerWheel;
  now(): number;
  onTerminated(key: string): void;
  /**
   * Optional: takes over a UDP transaction entering "Completed" with a Timer J to run (the
   * {@link TransactionLayer} keeps just its response and destination until then, in
   * `CompletedResponses`); the transaction object itself terminates at once.
   */
  retire?(key: string, response: Buffer, timerJMs: number, destination: UdpDestination): void;
}

/** Where a UDP response goes (RFC 3261 §18.2.2), kept by a completed transaction instead of a closure. */
export interface UdpDestination {
  readonly address: string;
  readonly port: number;
}

/** What happened to a retransmitted request. */
export type RetransmissionOutcome = 'absorbed' | 'resent';

/** One non-INVITE server transaction; `send` writes bytes to the peer via the right transport. */
export class NonInviteServerTransaction {
  readonly kind = 'non-invite' as const;
  private current: NonInviteServerState = 'Trying';
  private lastResponse: Buffer | null = null;
  private timerJHandle: WheelTimer | null = null;

  constructor(
    readonly key: string,
    readonly method: string,
    readonly transport: SipTransportName,
    private readonly send: (bytes: Buffer) => void,
    private readonly env: ServerTransactionEnv,
    private readonly destination: UdpDestination | null = null,
  ) {}

  get state(): NonInviteServerState {
    return this.current;
  }

  /** A request matching this transaction arrived again. */
  receiveRequest(): RetransmissionOutcome {
    switch (this.current) {
      case 'Trying':
        // "Once in the "Trying" state, any further request retransmissions are discarded."
        return 'absorbed';
      case 'Proceeding':
      case 'Completed':
        // "If a retransmission of the request is received while in the "Proceeding" state, the most
        // recently sent provisional response MUST be passed to the transport layer for retransmission."
        // "While in the "Completed" state, the server transaction MUST pass the final response to the
        // transport layer for retransmission whenever a retransmission of the request is received."
        if (this.lastResponse !== null) this.send(this.lastResponse);
        return 'resent';
      case 'Terminated':
        return 'absorbed';
    }
  }

  /** The TU passes a response (already serialized) down. */
  respond(status: number, bytes: Buffer): void {
    if (this.current === 'Completed' || this.current === 'Terminated') {
      // "Any other final responses passed by the TU to the server transaction MUST be discarded
      // while in the "Completed" state."
      return;
    }
    this.lastResponse = bytes;
    this.send(bytes);
    if (status < 200) {
      this.transition('Proceeding');
      return;
    }
    // "When the server transaction enters the "Completed" state, it MUST set Timer J to fire in
    // 64*T1 seconds for unreliable transports, and zero seconds for reliable transports."
    this.transition('Completed');
    const delay = timerJ(this.transport);
    if (delay === 0) this.terminate();
    else if (this.env.retire !== undefined && this.destination !== null) {
      // The layer answers retransmissions from here on, for the same Timer J.
      this.env.retire(this.key, bytes, delay, this.destination);
      this.terminate();
    } else this.timerJHandle = this.env.wheel.schedule(this.env.now() + delay, () => this.onTimerJ());
  }

  /** A transport error: "the server transaction SHOULD inform the TU ... and transition to Terminated". */
  transportError(): void {
    if (this.current !== 'Terminated') this.terminate();
  }

  private onTimerJ(): void {
    this.timerJHandle = null;
    // "When Timer J fires, the server transaction MUST transition to the "Terminated" state."
    if (this.current === 'Completed') this.terminate();
  }

  private terminate(): void {
    this.timerJHandle?.cancel();
    this.timerJHandle = null;
    this.transition('Terminated');
    this.lastResponse = null;
    this.env.onTerminated(this.key);
  }

  private transition(to: NonInviteServerState): void {
    if (!LEGAL[this.current].includes(to)) {
      throw new SipIllegalTransitionError('non-INVITE server transaction', this.current, to);
    }
    this.current = to;
  }
}
