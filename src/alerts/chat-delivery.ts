/**
 * The port through which the outbox worker delivers alerts to one chat platform. Slack and Discord
 * adapters implement it; a log delivery serves the embedded default with no credentials.
 */
import type { AlertNote, AlertView } from './alert-view.js';

export type Platform = 'slack' | 'discord' | 'log' | 'webhook';

export interface ChatDelivery {
  readonly platform: Platform;
  /**
   * Posts a new alert message. `idempotencyKey` is stable across retries of the same outbox row:
   * adapters use it (Discord `nonce` + `enforce_nonce`, Slack message metadata looked up after an
   * ambiguous failure) so that a retry never posts twice. Returns the platform's message reference
   * (Slack `channel:ts`, Discord message id) which later edits and thread replies use.
   */
  post(destination: string, alert: AlertView, idempotencyKey: string, attempt?: DeliveryAttempt): Promise<{ readonly messageRef: string }>;
  /** Edits the original alert message to the current state. */
  update(destination: string, messageRef: string, alert: AlertView): Promise<void>;
  /** Adds a note in the alert's thread (Slack thread reply, Discord thread message). */
  reply(destination: string, messageRef: string, note: AlertNote, idempotencyKey: string, attempt?: DeliveryAttempt): Promise<void>;
  /** Direct message to a person (escalation step); the platform's user id. */
  directMessage(userId: string, note: AlertNote, idempotencyKey: string, attempt?: DeliveryAttempt): Promise<void>;
}

/** What the outbox knows about earlier attempts of the row being delivered. */
export interface DeliveryAttempt {
  /**
   * An earlier attempt of this row was claimed and did not finish: it failed, or the process died
   * after the platform accepted the message and before the row was marked delivered. The outbox
   * stores this (the row's claim count), so it survives restarts: adapters without server-side
   * idempotency look for the message before posting again.
   */
  readonly mayHavePosted: boolean;
}

/** The platform asked us to wait (HTTP 429); the outbox retries no earlier than this. */
export class DeliveryRateLimitedError extends Error {
  readonly code = 'ALERT_ERR_RATE_LIMITED';
  constructor(readonly retryAfterMs: number, options?: { cause?: unknown }) {
    super(`rate limited; retry after ${retryAfterMs} ms`, options);
    this.name = 'DeliveryRateLimitedError';
  }
}

/** Retrying cannot help (unknown channel, missing permission, invalid token): the row is parked. */
export class DeliveryPermanentError extends Error {
  readonly code = 'ALERT_ERR_DELIVERY_REJECTED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryPermanentError';
  }
}
