/**
 * Wiring of the chat platforms that have credentials: each contributes HTTP mounts (signed
 * endpoints), a ChatDelivery for the outbox, and a lifecycle (Socket Mode / gateway connections).
 */
import type { Logger } from 'pino';
import type { ChatDelivery } from '../alerts/index.js';
import type { ChatService } from '../chat/commands/index.js';
import type { Config } from '../config.js';
import type { Mount } from '../http/build-server.js';

export interface ChatPlatforms {
  readonly mounts: readonly Mount[];
  readonly deliveries: readonly ChatDelivery[];
  /** Opens outbound connections (Slack Socket Mode, Discord gateway); after the server listens. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Bolt and discord.js are imported only when their credentials are set: the embedded default
 * (`npm start`, no chat) then stays about 40 MB smaller (README, Benchmarks).
 */
export async function createChatPlatforms(config: Config, chatService: ChatService, logger: Logger): Promise<ChatPlatforms> {
  const mounts: Mount[] = [];
  const deliveries: ChatDelivery[] = [];
  const starts: (() => Promise<void>)[] = [];
  const stops: (() => Promise<void>)[] = [];

  if (config.slack) {
    const { FastifyReceiver, SlackDelivery, createSlackApp, slackEventsPlugin } = await import('../chat/slack/index.js');
    const log = logger.child({ module: 'slack' });
    const receiver = config.slack.appToken ? undefined : new FastifyReceiver({ signingSecret: config.slack.signingSecret!, logger: log });
    const slack = createSlackApp({
      botToken: config.slack.botToken,
      mode: receiver ? { kind: 'http', receiver } : { kind: 'socket', appToken: config.slack.appToken! },
      chatService,
      locale: config.locale,
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      logger: log,
    });
    if (receiver) mounts.push({ plugin: slackEventsPlugin, options: { receiver } });
    deliveries.push(new SlackDelivery({ client: slack.client, locale: config.locale }));
    starts.push(() => slack.start());
    stops.push(() => slack.stop());
  }

  if (config.discord) {
    const { DiscordDelivery, DiscordGateway, InteractionHandler, createDiscordRest, discordInteractionsRoute } = await import('../chat/discord/index.js');
    const discord = config.discord;
    const log = logger.child({ module: 'discord' });
    const handler = new InteractionHandler({ chatService, locale: config.locale, logger: log });
    if (discord.publicKey) {
      mounts.push({
        plugin: discordInteractionsRoute,
        options: {
          publicKeyHex: discord.publicKey,
          handler,
          logger: log,
          // Interaction follow-ups go to webhook routes, which need no bot token.
          followUpRest: createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl }),
        },
      });
    }
    if (discord.token) {
      deliveries.push(new DiscordDelivery({ rest: createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl }), locale: config.locale }));
      // With an interactions URL set in the Developer Portal, Discord sends interactions over HTTP
      // only, so running the gateway as well never answers one twice.
      const gateway = new DiscordGateway({ token: discord.token, apiUrl: discord.apiUrl, handler, logger: log });
      starts.push(() => gateway.start());
      stops.push(() => gateway.stop());
    }
  }

  return {
    mounts,
    deliveries,
    async start() {
      for (const start of starts) await start();
    },
    async stop() {
      for (const stop of stops) await stop().catch((err: unknown) => logger.warn({ err }, 'chat platform did not stop cleanly'));
    },
  };
}
