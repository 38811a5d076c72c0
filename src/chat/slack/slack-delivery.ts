/**
 * Delivers alerts from the outbox to Slack: one message per incident, edited in place as the
 * incident changes, with notes in its thread and direct messages for escalation.
 *
 * @remarks
 * The outbox owns retries, so the Web API client must be built with `retryConfig: {retries: 0}`
 * and `rejectRateLimitedCalls: true` (createSlackApp does). Errors are mapped for the outbox:
 * HTTP 429 → `DeliveryRateLimitedError(Retry-After)`; errors retrying cannot fix →
 * `DeliveryPermanentError`; network errors and 5xx → plain `Error` (retry).
 *
 * "Nothing posted twice": `chat.postMessage` has no idempotency key, so every post carries
 * message metadata `{event_type, event_payload: {idempotency_key, incident_id}}`
 * (https://api.slack.com/metadata/using). When a post fails ambiguously (timeout, reset, 5xx: it
 * may have landed), the key is remembered and the retry first looks for it in the last 50
 * messages (`conversations.history` / `conversations.replies` with `include_all_metadata`) and
 * returns the found message instead of posting again. The outbox also says when an earlier attempt
 * of a row did not finish (its claim count, stored with the row), so the same look-up happens after
 * a restart between an ambiguous failure and its retry.
 */
import { webApi } from '@slack/bolt';
import {
  DeliveryPermanentError,
  DeliveryRateLimitedError,
  type AlertNote,
  type AlertView,
  type ChatDelivery,
  type DeliveryAttempt,
} from '../../alerts/index.js';
import type { Locale } from '../../domain/index.js';
import type { SlackMessage } from './block-kit.js';
import { renderAlert, renderAlertNote } from './render-alert.js';

export const ALERT_EVENT_TYPE = 'linewatch_alert';
export const NOTE_EVENT_TYPE = 'linewatch_note';

/** Slack error strings that retrying cannot fix (https://api.slack.com/methods/chat.postMessage#errors). */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'team_access_not_granted',
  'restricted_action',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'thread_not_found',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
]);

/** Platform errors that mean "Slack had trouble": the call may or may not have taken effect. */
const AMBIGUOUS_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

export interface SlackDeliveryOptions {
  /** The bot-token client from `createSlackApp(...).client`. */
  readonly client: webApi.WebClient;
  readonly locale: Locale;
  /** How many recent messages to search for an idempotency key. Default 50. */
  readonly lookupLimit?: number;
  /** Bound on remembered ambiguous keys. Default 10,000. */
  readonly maxRememberedKeys?: number;
}

interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}

export function formatMessageRef(ref: MessageRef): string {
  return `${ref.channel}:${ref.ts}`;
}

export function parseMessageRef(messageRef: string): MessageRef {
  const at = messageRef.lastIndexOf(':');
  if (at <= 0 || at === messageRef.length - 1) throw new DeliveryPermanentError(`not a Slack message reference: ${messageRef}`);
  return { channel: messageRef.slice(0, at), ts: messageRef.slice(at + 1) };
}

type Failure = { readonly error: Error; readonly ambiguous: boolean };

/** Maps a Web API failure to what the outbox understands, and says whether the call may have landed. */
export function classifySlackError(error: unknown): Failure {
  const cause = { cause: error };
  if (error instanceof webApi.WebAPIRateLimitedError) return { error: new DeliveryRateLimitedError(error.retryAfter * 1000, cause), ambiguous: false };
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    if (PERMANENT_ERRORS.has(code)) return { error: new DeliveryPermanentError(`Slack refused the call: ${code}`, cause), ambiguous: false };
    return { error: new Error(`Slack error: ${code}`, cause), ambiguous: AMBIGUOUS_ERRORS.has(code) };
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    if (error.statusCode >= 500) return { error: new Error(`Slack answered HTTP ${error.statusCode}`, cause), ambiguous: true };
    return { error: new DeliveryPermanentError(`Slack answered HTTP ${error.statusCode}`, cause), ambiguous: false };
  }
  if (error instanceof webApi.WebAPIRequestError) return { error: new Error(`Slack unreachable: ${error.original.message}`, cause), ambiguous: true };
  return { error: error instanceof Error ? error : new Error(String(error)), ambiguous: true };
}

export class SlackDelivery implements ChatDelivery {
  readonly platform = 'slack' as const;
  private readonly client: webApi.WebClient;
  private readonly locale: Locale;
  private readonly lookupLimit: number;
  private readonly maxRememberedKeys: number;
  /** Keys whose last post may have landed; insertion-ordered so the oldest is evicted first. */
  private readonly ambiguousKeys = new Set<string>();

  constructor(options: SlackDeliveryOptions) {
    this.client = options.client;
    this.locale = options.locale;
    this.lookupLimit = options.lookupLimit ?? 50;
    this.maxRememberedKeys = options.maxRememberedKeys ?? 10_000;
  }

  async post(destination: string, alert: AlertView, idempotencyKey: string, attempt?: DeliveryAttempt): Promise<{ readonly messageRef: string }> {
    const message = renderAlert(alert, this.locale);
    const ref = await this.postOnce({ channel: destination }, message, { type: ALERT_EVENT_TYPE, key: idempotencyKey, incidentId: alert.incidentId }, attempt);
    return { messageRef: formatMessageRef(ref) };
  }

  async update(_destination: string, messageRef: string, alert: AlertView): Promise<void> {
    const { channel, ts } = parseMessageRef(messageRef);
    const message = renderAlert(alert, this.locale);
    await this.call(() => this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }));
  }

  async reply(_destination: string, messageRef: string, note: AlertNote, idempotencyKey: string, attempt?: DeliveryAttempt): Promise<void> {
    const { channel, ts } = parseMessageRef(messageRef);
    await this.postOnce({ channel, threadTs: ts }, renderAlertNote(note), { type: NOTE_EVENT_TYPE, key: idempotencyKey, incidentId: note.incidentId }, attempt);
  }

  async directMessage(userId: string, note: AlertNote, idempotencyKey: string, attempt?: DeliveryAttempt): Promise<void> {
    const opened = await this.call(() => this.client.conversations.open({ users: userId }));
    const channel = opened.channel?.id;
    if (!channel) throw new DeliveryPermanentError(`Slack opened no conversation with ${userId}`);
    await this.postOnce({ channel }, renderAlertNote(note), { type: NOTE_EVENT_TYPE, key: idempotencyKey, incidentId: note.incidentId }, attempt);
  }

  private async postOnce(
    where: { readonly channel: string; readonly threadTs?: string },
    message: SlackMessage,
    tag: { readonly type: string; readonly key: string; readonly incidentId: number },
    attempt?: DeliveryAttempt,
  ): Promise<MessageRef> {
    // This process saw an ambiguous failure, or the outbox says an earlier attempt (perhaps of a
    // process that died since) did not finish: the message may be there already.
    if (this.ambiguousKeys.has(tag.key) || attempt?.mayHavePosted) {
      const found = await this.call(() => this.findPosted(where, tag.key));
      if (found) {
        this.ambiguousKeys.delete(tag.key);
        return found;
      }
    }
    try {
      const result = await this.client.chat.postMessage({
        channel: where.channel,
        ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
        text: message.text,
        blocks: message.blocks,
        metadata: { event_type: tag.type, event_payload: { idempotency_key: tag.key, incident_id: tag.incidentId } },
      });
      this.ambiguousKeys.delete(tag.key);
      if (!result.ts || !result.channel) throw new DeliveryPermanentError('Slack accepted the message but returned no ts');
      return { channel: result.channel, ts: result.ts };
    } catch (error) {
      if (error instanceof DeliveryPermanentError) throw error;
      const failure = classifySlackError(error);
      if (failure.ambiguous) this.remember(tag.key);
      throw failure.error;
    }
  }

  /** Finds our earlier message by idempotency key among the latest `lookupLimit` messages. */
  private async findPosted(where: { readonly channel: string; readonly threadTs?: string }, key: string): Promise<MessageRef | null> {
    const query = { channel: where.channel, limit: this.lookupLimit, include_all_metadata: true };
    const page = where.threadTs
      ? await this.client.conversations.replies({ ...query, ts: where.threadTs })
      : await this.client.conversations.history(query);
    for (const m of page.messages ?? []) {
      const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
      if (m.ts && payload?.idempotency_key === key) return { channel: where.channel, ts: m.ts };
    }
    return null;
  }

  private remember(key: string): void {
    this.ambiguousKeys.delete(key);
    this.ambiguousKeys.add(key);
    while (this.ambiguousKeys.size > this.maxRememberedKeys) {
      const oldest = this.ambiguousKeys.values().next().value;
      if (oldest === undefined) break;
      this.ambiguousKeys.delete(oldest);
    }
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw classifySlackError(error).error;
    }
  }
}
