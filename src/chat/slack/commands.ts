/**
 * Bolt listeners: the slash commands `/line`, `/circle`, `/oncall` and the interactive elements
 * (alert buttons, "Post to channel", circle pages). They translate Slack payloads into the
 * platform-neutral command layer and render its replies with `render.ts`.
 *
 * @remarks
 * Slack needs an acknowledgement within 3 s (https://api.slack.com/interactivity/slash-commands).
 * A command whose answer takes longer than `ackDeadlineMs` is acknowledged with a short
 * "Checking…" and answered later through its `response_url`.
 */
import type { AllMiddlewareArgs, App, BlockAction, RespondArguments, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AlertActionId } from '../../alerts/index.js';
import { isUniqueType, translate, type Locale } from '../../domain/index.js';
import type { ChatContext, ChatReply, ChatService } from '../commands/index.js';
import { ALERT_ACTION_IDS, SLACK_ACTION_IDS, decodeAlertAction, decodeCirclePage, decodeSharedCommand, encodeSharedCommand } from './action-ids.js';
import type { SlackMessage } from './block-kit.js';
import { slackMessages } from './messages.js';
import { renderReply } from './render.js';

export const SLASH_COMMANDS = ['/line', '/circle', '/oncall'] as const;

export interface SlackListenerDeps {
  readonly chatService: ChatService;
  readonly locale: Locale;
  /** Acknowledge with "Checking…" when the answer is not ready by then. Default 2000 ms. */
  readonly ackDeadlineMs?: number;
  readonly logger?: { error(obj: object, msg: string): void };
}

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

function chatContext(channelId: string | undefined, user: { id: string; name?: string | undefined; username?: string | undefined }): ChatContext {
  return { platform: 'slack', channelId: channelId ?? null, actor: { source: 'slack', id: user.id, name: user.name ?? user.username ?? null } };
}

function asRespond(message: SlackMessage, extra: { response_type?: 'ephemeral' | 'in_channel'; replace_original?: boolean }): RespondArguments {
  return { ...extra, text: message.text, blocks: message.blocks };
}

/** Registers every command and action listener on the Bolt app. */
export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const { chatService, locale } = deps;
  const ackDeadlineMs = deps.ackDeadlineMs ?? 2000;
  const logError = (err: unknown, msg: string) => deps.logger?.error({ err }, msg);
  const failure = (): SlackMessage => ({ text: translate(slackMessages.failed, locale), blocks: [] });

  async function answer(commandName: string, text: string, ctx: ChatContext, page?: number): Promise<ChatReply> {
    const parsed = chatService.parse(commandName, text);
    if (!parsed.ok) return parsed.reply;
    const command = page !== undefined && parsed.command.name === 'circle.status' ? { ...parsed.command, page } : parsed.command;
    return chatService.execute(command, ctx);
  }

  for (const name of SLASH_COMMANDS) {
    app.command(name, async ({ command, ack, respond }: CommandArgs) => {
      const ctx = chatContext(command.channel_id, { id: command.user_id, name: command.user_name });
      const render = (reply: ChatReply) =>
        renderReply(reply, { locale, shareValue: reply.kind === 'error' ? null : encodeSharedCommand({ command: command.command, text: command.text }) });
      const pending = answer(command.command, command.text, ctx).then(render, (err: unknown) => {
        logError(err, 'slack command failed');
        return failure();
      });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), ackDeadlineMs);
      });
      const early = await Promise.race([pending, late]);
      clearTimeout(timer);
      if (early) {
        await ack({ response_type: 'ephemeral', text: early.text, blocks: early.blocks });
        return;
      }
      await ack({ response_type: 'ephemeral', text: translate(slackMessages.working, locale) });
      await respond(asRespond(await pending, { response_type: 'ephemeral', replace_original: true }));
    });
  }

  const alertActions = Object.entries(ALERT_ACTION_IDS) as [AlertActionId, string][];
  for (const [kind, actionId] of alertActions) {
    app.action<BlockAction>(actionId, async ({ ack, body, action, respond }: ActionArgs) => {
      await ack();
      const value = action.type === 'button' ? action.value : action.type === 'static_select' ? action.selected_option?.value : undefined;
      const decoded = decodeAlertAction(kind, value);
      if (!decoded) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: translate(slackMessages.staleButton, locale) });
        return;
      }
      const reply = await chatService.act(decoded, chatContext(body.channel?.id, body.user)).catch((err: unknown) => {
        logError(err, 'slack alert action failed');
        return null;
      });
      if (!reply) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: failure().text });
        return;
      }
      const message = renderReply(reply, { locale, actorUserId: body.user.id });
      // The updated alert replaces the message in place; anything else (history, errors) is private.
      await respond(asRespond(message, reply.kind === 'action' ? { replace_original: true } : { response_type: 'ephemeral', replace_original: false }));
    });
  }

  app.action<BlockAction>(SLACK_ACTION_IDS.postToChannel, async ({ ack, body, action, respond }: ActionArgs) => {
    await ack();
    const shared = decodeSharedCommand(action.type === 'button' ? action.value : undefined);
    if (!shared) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: translate(slackMessages.staleButton, locale) });
      return;
    }
    const reply = await answer(shared.command, shared.text, chatContext(body.channel?.id, body.user)).catch((err: unknown) => {
      logError(err, 'slack shared command failed');
      return null;
    });
    if (!reply) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: failure().text });
      return;
    }
    await respond(asRespond(renderReply(reply, { locale, sharedBy: body.user.id }), { response_type: 'in_channel', replace_original: false }));
  });

  app.action<BlockAction>(new RegExp(`^${SLACK_ACTION_IDS.circlePage}_(prev|next)$`), async ({ ack, body, action, respond }: ActionArgs) => {
    await ack();
    const page = decodeCirclePage(action.type === 'button' ? action.value : undefined);
    if (!page || (page.type !== null && !isUniqueType(page.type))) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: translate(slackMessages.staleButton, locale) });
      return;
    }
    const text = ['status', page.circle, page.type ?? ''].join(' ').trim();
    const reply = await answer('/circle', text, chatContext(body.channel?.id, body.user), page.page).catch((err: unknown) => {
      logError(err, 'slack circle page failed');
      return null;
    });
    const message = reply ? renderReply(reply, { locale, shareValue: encodeSharedCommand({ command: '/circle', text }) }) : failure();
    await respond(asRespond(message, { response_type: 'ephemeral', replace_original: true }));
  });
}
