/**
 * The gateway way in: a discord.js `Client` that receives INTERACTION_CREATE over the WebSocket
 * (no public URL needed) and answers through discord.js (`reply`, `update`, `respond`).
 *
 * @remarks
 * Only the `Guilds` intent: interactions arrive without any privileged intent. Reconnects and
 * resumes are discord.js's job (@discordjs/ws). Discord wants an answer within 3 seconds; when
 * the ChatService is slower (a login server queried live), we defer first (`deferReply` /
 * `deferUpdate`) and edit the answer in when it is ready.
 * https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
 */
import {
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type ClientOptions,
  type CommandInteractionOption,
  type Interaction,
} from 'discord.js';
import { settleWithin } from '../../async/index.js';
import { silentDiscordLogger, type DiscordLogger, type InteractionHandler } from './interaction-handler.js';
import type { InteractionOutcome, InteractionRequest, OptionValue } from './interaction-request.js';
import type { DiscordMessage } from './render.js';

export interface DiscordGatewayOptions {
  readonly token: string;
  /** `DISCORD_API_URL`; the gateway URL then comes from that API's `GET /gateway/bot`. */
  readonly apiUrl?: string | undefined;
  readonly handler: InteractionHandler;
  readonly logger?: DiscordLogger;
  /** Defer when the answer takes longer than this (Discord's limit is 3 s). */
  readonly deferAfterMs?: number;
  /** How long `start()` waits for READY; default 30 s. */
  readonly readyTimeoutMs?: number;
  /** How long `stop()` waits for the gateway to close; default 5 s. */
  readonly stopTimeoutMs?: number;
  /** Extra discord.js options (tests: `waitGuildTimeout`). */
  readonly clientOptions?: Partial<ClientOptions>;
}

const DEFAULT_DEFER_AFTER_MS = 2_000;
const DEFAULT_READY_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_TIMEOUT_MS = 5_000;

function flatten(data: readonly CommandInteractionOption[]): { subcommand: string | null; leaves: readonly CommandInteractionOption[] } {
  const first = data[0];
  if (first?.type === ApplicationCommandOptionType.Subcommand) return { subcommand: first.name, leaves: first.options ?? [] };
  if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
    const sub = first.options?.[0];
    return { subcommand: sub ? `${first.name}.${sub.name}` : null, leaves: sub?.options ?? [] };
  }
  return { subcommand: null, leaves: data };
}

/** discord.js interaction → our request; null for kinds we do not handle. */
export function fromDiscordJs(interaction: Interaction): InteractionRequest | null {
  const common = {
    user: { id: interaction.user.id, username: interaction.user.username, globalName: interaction.user.globalName },
    channelId: interaction.channelId,
  };
  if (interaction.isChatInputCommand()) {
    const { subcommand, leaves } = flatten(interaction.options.data);
    const options: Record<string, OptionValue> = {};
    for (const o of leaves) if (o.value !== undefined) options[o.name] = o.value;
    return { ...common, kind: 'command', commandName: interaction.commandName, subcommand, options };
  }
  if (interaction.isAutocomplete()) {
    const { subcommand } = flatten(interaction.options.data);
    const focused = interaction.options.getFocused(true);
    return { ...common, kind: 'autocomplete', commandName: interaction.commandName, subcommand, focused: { name: focused.name, value: String(focused.value) } };
  }
  if (interaction.isButton() || interaction.isStringSelectMenu()) {
    return {
      ...common,
      kind: 'component',
      customId: interaction.customId,
      values: interaction.isStringSelectMenu() ? interaction.values : [],
      messageEphemeral: interaction.message.flags.has(MessageFlags.Ephemeral),
    };
  }
  return null;
}

function replyOptions(message: DiscordMessage) {
  return {
    content: message.content ?? '',
    embeds: message.embeds,
    components: message.components,
    allowedMentions: { parse: [], users: [...(message.allowed_mentions.users ?? [])], roles: [...(message.allowed_mentions.roles ?? [])] },
  };
}

export class DiscordGateway {
  readonly client: Client;
  readonly #options: DiscordGatewayOptions;
  readonly #logger: DiscordLogger;

  constructor(options: DiscordGatewayOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentDiscordLogger;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
      ...options.clientOptions,
    });
    this.client.on(Events.InteractionCreate, (interaction) => {
      this.#dispatch(interaction).catch((error: unknown) => this.#logger.error({ err: error }, 'discord interaction reply failed'));
    });
    this.client.on(Events.Error, (error) => this.#logger.error({ err: error }, 'discord client error'));
  }

  /** Logs in and resolves once the gateway session is READY (rejects after `readyTimeoutMs`). */
  async start(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      this.client.once(Events.ClientReady, () => resolve());
      timer = setTimeout(() => reject(new Error('Discord gateway not ready in time')), this.#options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    });
    try {
      await Promise.all([this.client.login(this.#options.token), ready]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Closes the gateway session, waiting at most `stopTimeoutMs` (default 5 s).
   *
   * @remarks
   * Measured with @discordjs/ws 1.2.3: `destroy()` while the shard still waits for READY aborts
   * that wait, whose handler starts a reconnecting destroy of its own, and the first destroy's
   * close promise never settles. The bound keeps shutdown from hanging in that case.
   */
  async stop(): Promise<void> {
    await settleWithin(this.client.destroy(), this.#options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS, () => {
      this.#logger.warn({}, 'discord client did not close in time');
    });
  }

  async #dispatch(interaction: Interaction): Promise<void> {
    const request = fromDiscordJs(interaction);
    if (request === null || (!interaction.isRepliable() && !interaction.isAutocomplete())) return;
    const work = this.#options.handler.handle(request);
    if (interaction.isAutocomplete()) {
      const outcome = await work;
      if (outcome.type === 'choices') await interaction.respond([...outcome.choices]);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.#options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS);
    });
    const first = await Promise.race([work, late]).finally(() => clearTimeout(timer));
    const deferred = first === 'late';
    if (deferred) {
      if (interaction.isMessageComponent()) await interaction.deferUpdate();
      else await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    }
    const outcome = deferred ? await work : (first as InteractionOutcome);
    await this.#send(interaction, outcome, deferred);
  }

  async #send(interaction: Interaction, outcome: InteractionOutcome, deferred: boolean): Promise<void> {
    if (!interaction.isRepliable() || outcome.type === 'choices') return;
    const options = replyOptions(outcome.message);
    if (outcome.type === 'update') {
      if (deferred) await interaction.editReply(options);
      else if (interaction.isMessageComponent()) await interaction.update(options);
      return;
    }
    const flags = outcome.ephemeral ? MessageFlags.Ephemeral : undefined;
    if (!deferred) await interaction.reply({ ...options, ...(flags ? { flags } : {}) });
    else if (interaction.isMessageComponent()) await interaction.followUp({ ...options, ...(flags ? { flags } : {}) });
    else await interaction.editReply(options);
  }
}
