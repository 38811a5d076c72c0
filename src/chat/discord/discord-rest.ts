/**
 * The `@discordjs/rest` client as we configure it for the outbox and the CLI.
 *
 * @remarks
 * Options checked against the installed @discordjs/rest 2.6.3 (`dist/index.d.ts`, `RESTOptions`):
 * - `api`: base URL, default `https://discord.com/api`; `DISCORD_API_URL` points it at a fake.
 * - `retries: 0`: the default 3 silent retries of 5xx/timeouts would duplicate our outbox's own
 *   retries; the outbox decides when to retry.
 * - `rejectOnRateLimit: () => true` (type `RateLimitQueueFilter | string[] | null`, default null):
 *   when a request would wait for a bucket, or a 429 comes back, `REST` throws `RateLimitError`
 *   (with `retryAfter` in ms) instead of sleeping and re-sending inside its queue. The outbox then
 *   records the wait, survives a restart and never holds a worker for minutes.
 * - `timeout`: 15 s default; 10 s here so a hung request fails before the outbox lease ends.
 */
import { REST } from 'discord.js';

export interface DiscordRestOptions {
  /** Without a token the client can still answer interactions through their webhooks (`auth: false`). */
  readonly token?: string | undefined;
  readonly apiUrl?: string | undefined;
  readonly timeoutMs?: number;
}

export function createDiscordRest(options: DiscordRestOptions): REST {
  const rest = new REST({
    ...(options.apiUrl ? { api: options.apiUrl } : {}),
    version: '10',
    retries: 0,
    rejectOnRateLimit: () => true,
    timeout: options.timeoutMs ?? 10_000,
  });
  return options.token ? rest.setToken(options.token) : rest;
}
