/**
 * INVITE server transaction (RFC 3261 §17.2.1).
 *
 * @remarks
 * https://www.rfc-editor.org/rfc/rfc3261#section-17.2.1 — linewatch never accepts an INVITE (it
 * answers 407, 403 or 501), so only Proceeding → Completed → Confirmed → Terminated is exercised;
 * a 2xx would terminate the transaction at once (the TU would own retransmissions).
 */
import type { SipTransportName } from '../message/types.js';
import { SipIllegalTransitionError } from '../errors.js';
import type { ServerTransactionEnv, RetransmissionOutcome } from './non-invite-server-transaction.js';
import type { WheelTimer } from './timer-wheel.js';
import { isReliable, timerGInitial, timerGNext, timerH, timerI } from './timers.js';

/** States of Figure 7 of RFC 3261. */
export type InviteServerState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Terminated';

const LEGAL: Readonly<Record<InviteServerState, readonly InviteServerState[]>> = {
  Proceeding: ['Proceeding', 'Completed', 'Terminated'],
  Completed: ['Confirmed', 'Terminated'],
  Confirmed: ['Terminated'],
  Terminated: [],
};

/** One INVITE server transaction. */
export class InviteServerTransaction {
  readonly kind = 'invite' as const;
  readonly method = 'INVITE';
  private current: InviteServerState = 'Proceeding';
  private lastResponse: Buffer | null = null;
  private timerGHandle: WheelTimer | null = null;
  private timerGInterval = timerGInitial();
  private timerHHandle: WheelTimer | null = null;
  private timerIHandle: WheelTimer | null = null;

  constructor(
    readonly key: string,
    readonly transport: SipTransportName,
    private readonly send: (bytes: Buffer) => void,
    private readonly env: ServerTransactionEnv,
  ) {}

  get state(): InviteServerState {
    return this.current;
  }

  /** The INVITE arrived again. */
  receiveRequest(): RetransmissionOutcome {
    switch (this.current) {
      case 'Proceeding':
      case 'Completed':
        // "If a request retransmission is received while in the "Proceeding" state, the most recent
        // provisional response that was received from the TU MUST be passed to the transport layer."
        // "while in the "Completed" state, if a request retransmission is received, the server SHOULD
        // pass the response to the transport for retransmission."
        if (this.lastResponse !== null) this.send(this.lastResponse);
        return 'resent';
      case 'Confirmed':
      case 'Terminated':
        return 'absorbed';
    }
  }

  /** An ACK matched this transaction. */
  receiveAck(): void {
    if (this.current !== 'Completed') return; // "absorbed" in Confirmed; stray otherwise
    // "If an ACK is received while the server transaction is in the "Completed" state, the server
    // transaction MUST transition to the "Confirmed" state. As Timer G is ignored in this state,
    // any retransmissions of the response will cease."
    this.timerGHandle?.cancel();
    this.timerGHandle = null;
    this.timerHHandle?.cancel();
    this.timerHHandle = null;
    this.transition('Confirmed');
    // "When this state is entered, timer I is set to fire in T4 seconds for unreliable transports,
    // and zero seconds for reliable transports."
    const delay = timerI(this.transport);
    if (delay === 0) this.terminate();
    else this.timerIHandle = this.env.wheel.schedule(this.env.now() + delay, () => this.terminate());
  }

  /** The TU passes a response (already serialized) down. */
  respond(status: number, bytes: Buffer): void {
    if (this.current !== 'Proceeding') return;
    this.lastResponse = bytes;
    this.send(bytes);
    if (status < 200) {
      this.transition('Proceeding');
      return;
    }
    if (status < 300) {
      // "If, while in the "Proceeding" state, the TU passes a 2xx response to the server transaction,
      // the server transaction MUST pass this response to the transport layer for transmission ...
      // The server transaction MUST then transition to the "Terminated" state."
      this.terminate();
      return;
    }
    this.transition('Completed');
    const now = this.env.now();
    // "For unreliable transports, timer G is set to fire in T1 seconds, and is not set to fire for
    // reliable transports."
    if (!isReliable(this.transport)) this.scheduleTimerG(now);
    // "When the "Completed" state is entered, timer H MUST be set to fire in 64*T1 seconds for all transports."
    this.timerHHandle = this.env.wheel.schedule(now + timerH(), () => this.onTimerH());
  }

  /** A transport error: transition to Terminated. */
  transportError(): void {
    if (this.current !== 'Terminated') this.terminate();
  }

  private scheduleTimerG(now: number): void {
    this.timerGHandle = this.env.wheel.schedule(now + this.timerGInterval, () => this.onTimerG());
  }

  private onTimerG(): void {
    this.timerGHandle = null;
    if (this.current !== 'Completed' || this.lastResponse === null) return;
    // "If timer G fires, the response is passed to the transport layer once more for retransmission,
    // and timer G is set to fire in MIN(2*T1, T2) seconds."
    this.send(this.lastResponse);
    this.timerGInterval = timerGNext(this.timerGInterval);
    this.scheduleTimerG(this.env.now());
  }

  private onTimerH(): void {
    this.timerHHandle = null;
    // "If timer H fires while in the "Completed" state, it implies that the ACK was never received.
    // In this case, the server transaction MUST transition to the "Terminated" state"
    if (this.current === 'Completed') this.terminate();
  }

  private terminate(): void {
    for (const handle of [this.timerGHandle, this.timerHHandle, this.timerIHandle]) handle?.cancel();
    this.timerGHandle = this.timerHHandle = this.timerIHandle = null;
    this.transition('Terminated');
    this.lastResponse = null;
    this.env.onTerminated(this.key);
  }

  private transition(to: InviteServerState): void {
    if (!LEGAL[this.current].includes(to)) {
      throw new SipIllegalTransitionError('INVITE server transaction', this.current, to);
    }
    this.current = to;
  }
}
