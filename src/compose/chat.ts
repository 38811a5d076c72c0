/**
 * Wiring of the chat platforms that have credentials: each contributes HTTP mounts (signed
 * endpoints), a ChatDelivery for the outbox, and a lifecycle (Socket Mode / gateway connections).
 */
import type { Logger } from 'pino';
import type { ChatDelivery } from '../alerts/index.js';
import type { ChatService } from '../chat/commands/index.js';
import { FastifyReceiver, SlackDelivery, createSlackApp, slackEventsPlugin } from '../chat/slack/index.js';
import type { Config } from '../config.js';
import type { Mount } from '../http/build-server.js';

export interface ChatPlatforms {
  readonly mounts: readonly Mount[];
  readonly deliveries: readonly ChatDelivery[];
  /** Opens outbound connections (Slack Socket Mode, Discord gateway); after the server listens. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createChatPlatforms(config: Config, chatService: ChatService, logger: Logger): ChatPlatforms {
  const mounts: Mount[] = [];
  const deliveries: ChatDelivery[] = [];
  const starts: (() => Promise<void>)[] = [];
  const stops: (() => Promise<void>)[] = [];

  if (config.slack) {
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
