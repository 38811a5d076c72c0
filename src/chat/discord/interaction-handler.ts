/**
 * Platform glue shared by the gateway client and the HTTP endpoint: an interaction in, the
 * ChatService called, a rendered Discord answer out.
 *
 * @remarks
 * - Slash commands answer ephemerally (flags 64) with a "Post to channel" button that re-runs the
 *   command and answers publicly.
 * - Autocomplete answers with up to 25 choices from `ChatService.complete`.
 * - Alert buttons and the snooze select act on the incident and update the alert message in
 *   place (type 7); answers that are not the alert (history, errors) come as an ephemeral reply.
 * - Circle pagination updates the listing in place.
 * Failures of the ChatService never leak: the user gets a short localized message, the log the cause.
 */
import { isUniqueType, translatorFor, type Locale } from '../../domain/index.js';
import type { Actor } from '../../alerts/index.js';
import type { ChatCommand, ChatContext, ChatReply, ChatService } from '../commands/index.js';
import { MAX_OVERRIDE_MINUTES } from './command-definitions.js';
import { parseCustomId, postCommandId } from './custom-ids.js';
import type { InteractionOutcome, InteractionRequest, InteractionUser, OptionValue } from './interaction-request.js';
import { discordMessages as m } from './messages.js';
import { renderReply } from './render.js';

/** pino-compatible subset. */
export interface DiscordLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentDiscordLogger: DiscordLogger = { warn() {}, error() {} };

export interface InteractionHandlerOptions {
  readonly chatService: ChatService;
  readonly locale: Locale;
  readonly logger?: DiscordLogger;
}

const MAX_CHOICES = 25;
const CHOICE_MAX = 100;

export function discordActor(user: InteractionUser): Actor {
  return { source: 'discord', id: user.id, name: user.globalName ?? user.username };
}

type CommandResult = { ok: true; command: ChatCommand } | { ok: false; message: string };

export class InteractionHandler {
  readonly #chat: ChatService;
  readonly #locale: Locale;
  readonly #logger: DiscordLogger;

  constructor(options: InteractionHandlerOptions) {
    this.#chat = options.chatService;
    this.#locale = options.locale;
    this.#logger = options.logger ?? silentDiscordLogger;
  }

  async handle(request: InteractionRequest): Promise<InteractionOutcome> {
    const ctx: ChatContext = { platform: 'discord', channelId: request.channelId, actor: discordActor(request.user) };
    try {
      switch (request.kind) {
        case 'command':
          return await this.#command(request, ctx);
        case 'autocomplete':
          return await this.#autocomplete(request, ctx);
        case 'component':
          return await this.#component(request, ctx);
        default: {
          const never: never = request;
          return never;
        }
      }
    } catch (error) {
      this.#logger.error({ err: error, kind: request.kind }, 'discord interaction failed');
      if (request.kind === 'autocomplete') return { type: 'choices', choices: [] };
      return this.#errorReply('CHAT_ERR_INTERNAL', translatorFor(this.#locale)(m.internalError));
    }
  }

  async #command(request: Extract<InteractionRequest, { kind: 'command' }>, ctx: ChatContext): Promise<InteractionOutcome> {
    const built = buildCommand(request.commandName, request.subcommand, request.options, this.#locale);
    if (!built.ok) return this.#errorReply('CHAT_ERR_USAGE', built.message);
    const reply = await this.#chat.execute(built.command, ctx);
    return this.#reply(reply, reply.kind === 'error' ? null : postCommandId(built.command), true);
  }

  async #autocomplete(request: Extract<InteractionRequest, { kind: 'autocomplete' }>, ctx: ChatContext): Promise<InteractionOutcome> {
    const kind = request.focused.name === 'unique' ? 'unique' : request.focused.name === 'circle' ? 'circle' : null;
    if (kind === null) return { type: 'choices', choices: [] };
    const found = await this.#chat.complete(kind, request.focused.value.trim(), ctx);
    const choices = found
      .filter((v) => v.length > 0 && v.length <= CHOICE_MAX)
      .slice(0, MAX_CHOICES)
      .map((v) => ({ name: v, value: v }));
    return { type: 'choices', choices };
  }

  async #component(request: Extract<InteractionRequest, { kind: 'component' }>, ctx: ChatContext): Promise<InteractionOutcome> {
    const intent = parseCustomId(request.customId, request.values);
    const t = translatorFor(this.#locale);
    if (intent === null || intent.kind === 'alert_snooze_select') {
      this.#logger.warn({ customId: request.customId.slice(0, 100) }, 'discord component not recognised');
      return this.#errorReply('CHAT_ERR_USAGE', t(m.unknownInteraction));
    }
    switch (intent.kind) {
      case 'alert': {
        const reply = await this.#chat.act(intent.action, ctx);
        if (reply.kind === 'action') return { type: 'update', message: renderReply(reply, { locale: this.#locale, postId: null }) };
        return this.#reply(reply, null, true);
      }
      case 'circle_page': {
        const reply = await this.#chat.execute(intent.command, ctx);
        if (reply.kind !== 'circle_status') return this.#reply(reply, null, true);
        const postId = request.messageEphemeral ? postCommandId({ ...intent.command, page: reply.page }) : null;
        return { type: 'update', message: renderReply(reply, { locale: this.#locale, postId }) };
      }
      case 'post': {
        const reply = await this.#chat.execute(intent.command, ctx);
        return this.#reply(reply, null, reply.kind === 'error');
      }
      default: {
        const never: never = intent;
        return never;
      }
    }
  }

  #reply(reply: ChatReply, postId: string | null, ephemeral: boolean): InteractionOutcome {
    return { type: 'reply', message: renderReply(reply, { locale: this.#locale, postId }), ephemeral };
  }

  #errorReply(code: string, message: string): InteractionOutcome {
    return this.#reply({ kind: 'error', code, message }, null, true);
  }
}

const text = (v: OptionValue | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Builds the ChatCommand from typed options; the contract's names (docs/contract.md). */
export function buildCommand(name: string, subcommand: string | null, options: Readonly<Record<string, OptionValue>>, locale: Locale): CommandResult {
  const t = translatorFor(locale);
  const unknown: CommandResult = { ok: false, message: t(m.unknownInteraction) };
  switch (`${name} ${subcommand ?? ''}`.trim()) {
    case 'line status':
    case 'line history':
    case 'line why': {
      const unique = text(options.unique);
      return unique ? { ok: true, command: { name: `line.${subcommand as 'status' | 'history' | 'why'}`, unique } } : unknown;
    }
    case 'line help':
      return { ok: true, command: { name: 'line.help' } };
    case 'circle status': {
      const circle = text(options.circle);
      const type = text(options.type);
      if (!circle || (type !== null && !isUniqueType(type))) return unknown;
      return { ok: true, command: type ? { name: 'circle.status', circle, type } : { name: 'circle.status', circle } };
    }
    case 'oncall': {
      const person = text(options.person);
      const duration = options.duration;
      if (person === null && duration === undefined) return { ok: true, command: { name: 'oncall.show' } };
      if (person === null || typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > MAX_OVERRIDE_MINUTES) {
        return { ok: false, message: t(m.oncallDurationRequired) };
      }
      return { ok: true, command: { name: 'oncall.override', person, durationMinutes: duration } };
    }
    default:
      return unknown;
  }
}
