/**
 * Alerts into Discord channels: the outbox's `ChatDelivery` on the REST API.
 *
 * @remarks
 * - Nothing twice: every create carries `nonce` (a 25-character hash of the outbox row's
 *   idempotency key) with `enforce_nonce: true`. "If `enforce_nonce` is set to true and a message
 *   was created by the same author with the same nonce in the past few minutes, that message will
 *   be returned and no new message will be created."
 *   https://discord.com/developers/docs/resources/message#create-message
 *   So a retry after a lost response returns the first message instead of posting again.
 * - Nothing lost: the REST client throws on rate limits instead of queueing in memory
 *   (`discord-rest.ts`); we turn that into `DeliveryRateLimitedError` and the outbox retries after
 *   `retry_after`. 4xx answers other than 429 cannot succeed on retry → `DeliveryPermanentError`;
 *   5xx, timeouts and network errors are plain errors the outbox retries with backoff.
 * - Threads: a message thread's id equals the starter message's id, so the alert's thread needs
 *   no stored id. A note is posted to the thread; if Discord answers Unknown Channel (10003) the
 *   thread does not exist yet, so it is created once and the note posted again.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import { translatorFor, type Locale } from '../../domain/index.js';
import { DeliveryPermanentError, DeliveryRateLimitedError, type AlertNote, type AlertView, type ChatDelivery } from '../../alerts/index.js';
import { discordMessages as m } from './messages.js';
import { truncate } from './embed-limits.js';
import { renderAlert, renderNote, type DiscordMessage } from './render.js';

/** Discord API error codes we treat specially. https://discord.com/developers/docs/topics/opcodes-and-status-codes#json */
export const DISCORD_CODES = {
  unknownChannel: 10003,
  unknownMessage: 10008,
  missingAccess: 50001,
  missingPermissions: 50013,
  threadAlreadyCreated: 160004,
} as const;

/** Nonces are at most 25 characters. */
export function nonceFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 25);
}

export interface DiscordDeliveryOptions {
  /** From `createDiscordRest` (retries 0, rejectOnRateLimit). */
  readonly rest: REST;
  readonly locale: Locale;
}

interface CreatedMessage {
  readonly id: string;
  readonly channel_id: string;
}

const ONE_DAY_MINUTES = 1440;

export class DiscordDelivery implements ChatDelivery {
  readonly platform = 'discord' as const;
  readonly #rest: REST;
  readonly #locale: Locale;

  constructor(options: DiscordDeliveryOptions) {
    this.#rest = options.rest;
    this.#locale = options.locale;
  }

  async post(destination: string, alert: AlertView, idempotencyKey: string): Promise<{ readonly messageRef: string }> {
    const created = await this.#create(destination, renderAlert(alert), idempotencyKey);
    return { messageRef: created.id };
  }

  async update(destination: string, messageRef: string, alert: AlertView): Promise<void> {
    await mapErrors(() => this.#rest.patch(Routes.channelMessage(destination, messageRef), { body: renderAlert(alert) }));
  }

  async reply(destination: string, messageRef: string, note: AlertNote, idempotencyKey: string): Promise<void> {
    const message = renderNote(note);
    try {
      await this.#create(messageRef, message, idempotencyKey);
      return;
    } catch (error) {
      if (!(error instanceof DeliveryPermanentError && discordCode(error.cause) === DISCORD_CODES.unknownChannel)) throw error;
    }
    await this.#startThread(destination, messageRef, note.incidentId);
    await this.#create(messageRef, message, idempotencyKey);
  }

  async directMessage(userId: string, note: AlertNote, idempotencyKey: string): Promise<void> {
    const channel = (await mapErrors(() => this.#rest.post(Routes.userChannels(), { body: { recipient_id: userId } }))) as { id: string };
    await this.#create(channel.id, renderNote(note), idempotencyKey);
  }

  async #create(channelId: string, message: DiscordMessage, idempotencyKey: string): Promise<CreatedMessage> {
    const body = { ...message, nonce: nonceFor(idempotencyKey), enforce_nonce: true };
    return (await mapErrors(() => this.#rest.post(Routes.channelMessages(channelId), { body }))) as CreatedMessage;
  }

  async #startThread(channelId: string, messageId: string, incidentId: number): Promise<void> {
    const name = translatorFor(this.#locale)(m.threadName, { id: incidentId });
    try {
      await mapErrors(() =>
        this.#rest.post(Routes.threads(channelId, messageId), { body: { name: truncate(name, 100), auto_archive_duration: ONE_DAY_MINUTES } }),
      );
    } catch (error) {
      // Another worker (or an earlier attempt whose answer was lost) created it: fine.
      if (!(error instanceof DeliveryPermanentError && discordCode(error.cause) === DISCORD_CODES.threadAlreadyCreated)) throw error;
    }
  }
}

function discordCode(error: unknown): number | string | null {
  return error instanceof DiscordAPIError ? error.code : null;
}

/** Maps @discordjs/rest errors to the outbox's retry semantics. */
export async function mapErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyDiscordError(error);
  }
}

export function classifyDiscordError(error: unknown): Error {
  if (error instanceof RateLimitError) {
    // retryAfter is in ms (Retry-After header × 1000 + offset); when Discord sent none, the
    // bucket's reset time is the next best estimate, and one second the floor.
    const wait = Math.max(error.retryAfter, error.timeToReset, 0) || 1000;
    return new DeliveryRateLimitedError(Math.ceil(wait), { cause: error });
  }
  if (error instanceof DiscordAPIError) {
    // 429 never gets here (RateLimitError above). 408 is a timeout: worth retrying.
    if (error.status >= 400 && error.status < 500 && error.status !== 408) {
      return new DeliveryPermanentError(`Discord refused the message (${error.status}, code ${String(error.code)}): ${error.message}`, { cause: error });
    }
    return new Error(`Discord answered ${error.status}`, { cause: error });
  }
  if (error instanceof HTTPError) return new Error(`Discord answered ${error.status}`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
