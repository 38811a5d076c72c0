/**
 * `POST /discord/interactions`: Discord's HTTP interactions endpoint as a Fastify plugin.
 *
 * @remarks
 * The signature covers the exact bytes Discord sent, so this encapsulated plugin replaces the JSON
 * parser with one that keeps the raw string; other routes keep normal parsing. PING (type 1) is
 * answered `{type: 1}`; commands, autocomplete and components get their response as the body.
 * A wrong, missing or stale signature gets 401 `{error: {code: 'CHAT_ERR_DISCORD_SIGNATURE'}}`,
 * sent here directly so the answer is exact wherever the plugin is mounted. Discord waits 3 s for
 * the response; with `followUpRest`, a slower answer is deferred (type 5, or 6 for components)
 * and edited into the original response through the interaction webhook afterwards.
 * https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 */
import type { FastifyPluginAsync } from 'fastify';
import { InteractionResponseType, InteractionType, MessageFlags, Routes, type APIInteraction, type REST } from 'discord.js';
import { systemClock, type Clock } from '../../domain/index.js';
import { DiscordSignatureError } from './errors.js';
import { silentDiscordLogger, type DiscordLogger, type InteractionHandler } from './interaction-handler.js';
import { fromApiInteraction, toApiResponse, type InteractionOutcome } from './interaction-request.js';
import { importDiscordPublicKey, verifyDiscordSignature } from './verify-signature.js';

export { verifyDiscordSignature, importDiscordPublicKey, SIGNATURE_MAX_SKEW_MS } from './verify-signature.js';

export interface DiscordInteractionsRouteOptions {
  /** `DISCORD_PUBLIC_KEY`. */
  readonly publicKeyHex: string;
  readonly handler: InteractionHandler;
  readonly clock?: Clock;
  /** Defaults to `/discord/interactions`. */
  readonly path?: string;
  /**
   * REST client for late answers (webhook edits need no token). With it, an answer slower than
   * `deferAfterMs` is deferred (type 5/6) and edited in later; without it we always wait.
   */
  readonly followUpRest?: REST;
  /** Discord's limit is 3 s; default 2 s. */
  readonly deferAfterMs?: number;
  readonly logger?: DiscordLogger;
}

const DEFAULT_DEFER_AFTER_MS = 2_000;

/** Sends an outcome that was deferred: edits the original response, or follows up ephemerally. */
async function sendLate(rest: REST, interaction: APIInteraction, outcome: InteractionOutcome): Promise<void> {
  if (outcome.type === 'choices') return;
  const isComponent = interaction.type === InteractionType.MessageComponent;
  if (outcome.type === 'reply' && isComponent) {
    const body = { ...outcome.message, ...(outcome.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
    await rest.post(Routes.webhook(interaction.application_id, interaction.token), { body, auth: false });
    return;
  }
  await rest.patch(Routes.webhookMessage(interaction.application_id, interaction.token), { body: outcome.message, auth: false });
}

/** Interactions are small; Discord's largest (modals with many components) stay far below this. */
const BODY_LIMIT = 256 * 1024;

export const discordInteractionsRoute: FastifyPluginAsync<DiscordInteractionsRouteOptions> = async (app, options) => {
  const key = importDiscordPublicKey(options.publicKeyHex);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentDiscordLogger;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.post(options.path ?? '/discord/interactions', async (request, reply) => {
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const header = (name: string) => {
      const v = request.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const check = verifyDiscordSignature({
      publicKeyHex: key,
      timestamp: header('x-signature-timestamp'),
      signatureHex: header('x-signature-ed25519'),
      rawBody,
      now: clock.now(),
    });
    if (!check.ok) {
      const error = new DiscordSignatureError(check.reason);
      request.log.warn({ reason: check.reason }, 'discord interaction signature rejected');
      return reply.code(401).send({ error: { code: error.code, message: error.message } });
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(rawBody) as APIInteraction;
    } catch {
      return reply.code(400).send({ error: { code: 'CHAT_ERR_DISCORD_INTERACTION', message: 'body is not JSON' } });
    }
    if (interaction.type === InteractionType.Ping) return reply.send({ type: InteractionResponseType.Pong });
    const parsed = fromApiInteraction(interaction);
    if (parsed === null) {
      return reply.code(400).send({ error: { code: 'CHAT_ERR_DISCORD_INTERACTION', message: `unsupported interaction type ${String(interaction.type)}` } });
    }
    const work = options.handler.handle(parsed);
    const rest = options.followUpRest;
    if (!rest || parsed.kind === 'autocomplete') return reply.send(toApiResponse(await work));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS);
    });
    const first = await Promise.race([work, late]).finally(() => clearTimeout(timer));
    if (first !== 'late') return reply.send(toApiResponse(first));
    work
      .then((outcome) => sendLate(rest, interaction, outcome))
      .catch((error: unknown) => logger.error({ err: error }, 'discord late interaction answer failed'));
    return reply.send(
      parsed.kind === 'component'
        ? { type: InteractionResponseType.DeferredMessageUpdate }
        : { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
    );
  });
};
