/**
 * ChatDelivery to the log: the embedded default with no chat credentials, so `npm start` shows
 * the whole alert loop. Message refs are the idempotency key of the post.
 */
import type { AlertNote, AlertView } from '../alert-view.js';
import type { ChatDelivery } from '../chat-delivery.js';

export interface AlertLogger {
  info(obj: object, msg: string): void;
}

export class LogDelivery implements ChatDelivery {
  readonly platform = 'log' as const;

  constructor(private readonly logger: AlertLogger) {}

  async post(destination: string, alert: AlertView, idempotencyKey: string): Promise<{ readonly messageRef: string }> {
    this.logger.info({ destination, incidentId: alert.incidentId, cause: alert.cause, state: alert.state, tips: alert.tips, fields: alert.fields }, `alert: ${alert.title} — ${alert.summary}`);
    return { messageRef: `log:${idempotencyKey}` };
  }

  async update(destination: string, messageRef: string, alert: AlertView): Promise<void> {
    this.logger.info({ destination, messageRef, incidentId: alert.incidentId, state: alert.state }, `alert updated: ${alert.title}${alert.stateLine ? ` — ${alert.stateLine}` : ''}`);
  }

  async reply(destination: string, messageRef: string, note: AlertNote): Promise<void> {
    this.logger.info({ destination, messageRef, incidentId: note.incidentId }, `alert note: ${note.text}`);
  }

  async directMessage(userId: string, note: AlertNote): Promise<void> {
    this.logger.info({ userId, incidentId: note.incidentId }, `alert direct message: ${note.text}`);
  }
}
