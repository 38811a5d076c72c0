/**
 * Block Kit for alert messages and their thread notes. Pure: same view, same blocks.
 *
 * @remarks
 * Mentions go into the message `text` and the first section, never into attachments: Slack only
 * notifies for mentions in the message text and blocks
 * (https://api.slack.com/reference/surfaces/formatting#mentioning-users).
 */
import type { AlertNote, AlertView, Mention } from '../../alerts/index.js';
import { SNOOZE_CHOICES_MINUTES } from '../../alerts/index.js';
import type { Locale } from '../../domain/index.js';
import { ALERT_ACTION_IDS, alertActionValue } from './action-ids.js';
import {
  BLOCK_LIMITS,
  context,
  escapeMrkdwn,
  fieldSections,
  header,
  limitBlocks,
  lineSections,
  section,
  truncate,
  type Block,
  type SlackMessage,
} from './block-kit.js';

const SEVERITY_MARK = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' } as const;
const STATE_MARK = { open: ':rotating_light:', acknowledged: ':eyes:', snoozed: ':zzz:', resolved: ':white_check_mark:' } as const;

/** `<@U…>` for a person, `<!subteam^S…>` for a user group; the plain name when neither is known. */
export function slackMention(m: Mention): string {
  if (m.slackUserId) return `<@${m.slackUserId}>`;
  if (m.slackUserGroupId) return `<!subteam^${m.slackUserGroupId}>`;
  return escapeMrkdwn(m.name);
}

function mentionLine(mentions: readonly Mention[]): string {
  return mentions.map(slackMention).join(' ');
}

/** The alert message: header, summary, facts, tips, state line and the action buttons. */
export function renderAlert(alert: AlertView, locale: Locale): SlackMessage {
  const mentions = mentionLine(alert.mentions);
  const blocks: Block[] = [header(alert.title)];
  const summary = `${STATE_MARK[alert.state]} ${escapeMrkdwn(alert.summary)}`;
  blocks.push(section(mentions ? `${mentions}\n${summary}` : summary));
  blocks.push(...fieldSections(alert.fields, locale));
  if (alert.tips.length > 0)
    blocks.push(...lineSections(alert.tips.map((t) => `• ${escapeMrkdwn(t)}`), locale, { maxBlocks: 2, heading: alert.labels.tips }));
  const ctx = [`${SEVERITY_MARK[alert.severity]} #${alert.incidentId}`];
  if (alert.stateLine) ctx.push(escapeMrkdwn(alert.stateLine));
  blocks.push(context(ctx));
  const actions = alertActions(alert);
  if (actions) blocks.push(actions);
  const text = truncate([mentions, escapeMrkdwn(alert.title)].filter((s) => s !== '').join(' '), BLOCK_LIMITS.fallbackText);
  return { text, blocks: limitBlocks(blocks, locale) };
}

function alertActions(alert: AlertView): Block | null {
  const id = alert.incidentId;
  const elements = alert.actions.map((action) => {
    switch (action) {
      case 'ack':
        return button(ALERT_ACTION_IDS.ack, alert.labels.ack, alertActionValue(id), 'primary');
      case 'resolve':
        return button(ALERT_ACTION_IDS.resolve, alert.labels.resolve, alertActionValue(id), 'danger');
      case 'history':
        return button(ALERT_ACTION_IDS.history, alert.labels.history, alertActionValue(id));
      case 'snooze':
        return {
          type: 'static_select' as const,
          action_id: ALERT_ACTION_IDS.snooze,
          placeholder: { type: 'plain_text' as const, text: truncate(alert.labels.snooze, BLOCK_LIMITS.optionText), emoji: true },
          options: SNOOZE_CHOICES_MINUTES.map((minutes, i) => ({
            text: { type: 'plain_text' as const, text: truncate(alert.labels.snoozeChoices[i] ?? `${minutes} min`, BLOCK_LIMITS.optionText), emoji: true },
            value: alertActionValue(id, minutes),
          })),
        };
      default: {
        const unreachable: never = action;
        throw new Error(`unknown alert action ${String(unreachable)}`);
      }
    }
  });
  return elements.length === 0 ? null : { type: 'actions', block_id: `alert_${id}`, elements };
}

export function button(actionId: string, label: string, value: string, style?: 'primary' | 'danger') {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text: truncate(label, BLOCK_LIMITS.buttonText), emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}

/** A thread note (repeat count, escalation, recovery): one section, mentions first. */
export function renderAlertNote(note: AlertNote): SlackMessage {
  const mentions = mentionLine(note.mentions);
  const body = escapeMrkdwn(note.text);
  const text = mentions ? `${mentions} ${body}` : body;
  return { text: truncate(text, BLOCK_LIMITS.fallbackText), blocks: [section(text)] };
}
