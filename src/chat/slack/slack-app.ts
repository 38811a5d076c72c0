/**
 * Builds the Bolt `App` for one workspace: HTTP mode through our Fastify receiver, or Socket Mode
 * when an app-level token is configured (no public URL needed, the usual choice behind a firewall).
 *
 * @remarks
 * Bolt calls `auth.test` in the `App` constructor when given a `token`, and with
 * `tokenVerificationEnabled: false` it calls it again on every event. We pass an `authorize`
 * function instead that calls `auth.test` once on first use and caches the identity, so building
 * the app never touches the network and a Slack outage at boot heals by itself.
 * The Web API client never retries (`retries: 0`) and rejects rate-limited calls: the alert
 * outbox owns retries and honours `Retry-After` (see slack-delivery.ts).
 */
import { App, LogLevel, SocketModeReceiver, webApi, type Authorize, type Receiver } from '@slack/bolt';
import type { Locale } from '../../domain/index.js';
import type { ChatService } from '../commands/index.js';
import { registerSlackListeners } from './commands.js';
import type { FastifyReceiver } from './fastify-receiver.js';

export type SlackMode =
  | { readonly kind: 'http'; readonly receiver: FastifyReceiver }
  | {
      readonly kind: 'socket';
      /** `SLACK_APP_TOKEN` (xapp-…) with the `connections:write` scope. */
      readonly appToken: string;
      readonly clientPingTimeoutMs?: number;
      readonly autoReconnectEnabled?: boolean;
    };

export interface SlackAppOptions {
  /** `SLACK_BOT_TOKEN` (xoxb-…). */
  readonly botToken: string;
  readonly mode: SlackMode;
  readonly chatService: ChatService;
  readonly locale: Locale;
  /** `SLACK_API_URL`: Web API base for tests and proxies; default https://slack.com/api/. */
  readonly apiUrl?: string;
  /** Per-call Web API timeout; an expired call is an ambiguous failure the outbox retries. Default 10 s. */
  readonly requestTimeoutMs?: number;
  readonly ackDeadlineMs?: number;
  readonly logLevel?: LogLevel;
  readonly logger?: { error(obj: object, msg: string): void };
}

export interface SlackApp {
  readonly app: App;
  /** Bot-token Web API client with the app's options; `SlackDelivery` posts alerts with it. */
  readonly client: webApi.WebClient;
  /** Socket Mode: connects the WebSocket. HTTP mode: nothing (Fastify serves `/slack/events`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const clientOptions: webApi.WebClientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.requestTimeoutMs ?? 10_000,
  };
  const logLevel = options.logLevel ?? LogLevel.WARN;
  const client = new webApi.WebClient(options.botToken, { ...clientOptions, logLevel });
  const receiver: Receiver =
    options.mode.kind === 'http'
      ? options.mode.receiver
      : new SocketModeReceiver({
          appToken: options.mode.appToken,
          logLevel,
          ...(options.mode.clientPingTimeoutMs !== undefined ? { clientPingTimeout: options.mode.clientPingTimeoutMs } : {}),
          ...(options.mode.autoReconnectEnabled !== undefined ? { autoReconnectEnabled: options.mode.autoReconnectEnabled } : {}),
          // Bolt hands `installerOptions.clientOptions` to the SocketModeClient's own WebClient, which
          // calls apps.connections.open; this is how SLACK_API_URL reaches it.
          installerOptions: { clientOptions: { ...clientOptions, retryConfig: { retries: 0 } } },
        });
  const app = new App({ receiver, authorize: cachedAuthorize(client, options.botToken), clientOptions, logLevel });
  registerSlackListeners(app, {
    chatService: options.chatService,
    locale: options.locale,
    ...(options.ackDeadlineMs !== undefined ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    app,
    client,
    async start() {
      if (options.mode.kind === 'socket') await app.start();
    },
    async stop() {
      if (options.mode.kind === 'socket') await app.stop();
    },
  };
}

/** `auth.test` once, on first use; a failure is not cached, so the next event tries again. */
function cachedAuthorize(client: webApi.WebClient, botToken: string): Authorize<boolean> {
  let identity: Promise<{ botId?: string; botUserId?: string; teamId?: string }> | null = null;
  return async () => {
    identity ??= client.auth.test().then((r) => ({
      ...(r.bot_id ? { botId: r.bot_id } : {}),
      ...(r.user_id ? { botUserId: r.user_id } : {}),
      ...(r.team_id ? { teamId: r.team_id } : {}),
    }));
    try {
      return { botToken, ...(await identity) };
    } catch (error) {
      identity = null;
      throw error;
    }
  };
}
