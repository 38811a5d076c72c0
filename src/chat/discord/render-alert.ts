/**
 * Alert messages for Discord: the AlertView as one embed with buttons and a snooze select, and
 * AlertNotes as plain thread messages.
 *
 * @remarks
 * "Mentions inside embeds do not notify" — Discord only pings for mentions in `content`, and only
 * those `allowed_mentions` permits. So escalation mentions go in `content` and `allowed_mentions`
 * names exactly those users and roles (`parse: []`: text from phones, such as a User-Agent with
 * `@everyone`, can never ping anybody).
 * https://discord.com/developers/docs/resources/message#allowed-mentions-object
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIAllowedMentions, type APIButtonComponent, type APIComponentInMessageActionRow, type APIEmbed } from 'discord.js';
import { SNOOZE_CHOICES_MINUTES, type AlertNote, type AlertView, type Mention } from '../../alerts/index.js';
import { alertButtonId } from './custom-ids.js';
import { LIMITS, clampComponents, clampEmbeds, escapeMarkdown, truncate } from './embed-limits.js';

/** What we send to create or edit a message (REST body and interaction response `data`). */
export interface DiscordMessage {
  readonly content?: string;
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  readonly allowed_mentions: APIAllowedMentions;
}

/** Embed colours, shared with the Slack attachments' palette. */
export const COLOURS = {
  registered: 0x2eb67d,
  not_registered: 0xe01e5a,
  unsupported: 0x9aa0a6,
  unknown: 0xecb22e,
  critical: 0xe01e5a,
  warning: 0xecb22e,
  info: 0x36c5f0,
  acknowledged: 0x5865f2,
  snoozed: 0x9aa0a6,
  resolved: 0x2eb67d,
  neutral: 0x5865f2,
  error: 0xe01e5a,
} as const;

const SNOWFLAKE = /^[0-9]{15,21}$/;

/** The embed colour of an alert: by state once someone acted, by severity while open. */
export function alertColour(view: Pick<AlertView, 'state' | 'severity'>): number {
  switch (view.state) {
    case 'open':
      return COLOURS[view.severity];
    case 'acknowledged':
    case 'snoozed':
    case 'resolved':
      return COLOURS[view.state];
    default: {
      const never: never = view.state;
      return never;
    }
  }
}

/** `<@user>` / `<@&role>` for valid snowflakes; otherwise the name as plain text (no ping). */
export function renderMentions(mentions: readonly Mention[]): { text: string; allowed: APIAllowedMentions } {
  const users: string[] = [];
  const roles: string[] = [];
  const parts: string[] = [];
  for (const m of mentions) {
    const before = parts.length;
    if (m.discordUserId && SNOWFLAKE.test(m.discordUserId)) {
      parts.push(`<@${m.discordUserId}>`);
      if (!users.includes(m.discordUserId)) users.push(m.discordUserId);
    }
    if (m.discordRoleId && SNOWFLAKE.test(m.discordRoleId)) {
      parts.push(`<@&${m.discordRoleId}>`);
      if (!roles.includes(m.discordRoleId)) roles.push(m.discordRoleId);
    }
    if (parts.length === before) parts.push(`@${m.name}`);
  }
  // Discord allows at most 100 ids per list.
  return { text: parts.join(' '), allowed: { parse: [], users: users.slice(0, 100), roles: roles.slice(0, 100) } };
}

function alertButton(view: AlertView, action: 'ack' | 'resolve' | 'history'): APIButtonComponent {
  const style = action === 'ack' ? ButtonStyle.Primary : action === 'resolve' ? ButtonStyle.Success : ButtonStyle.Secondary;
  return { type: ComponentType.Button, style, custom_id: alertButtonId(action, view.incidentId), label: truncate(view.labels[action], LIMITS.buttonLabel) };
}

function alertComponents(view: AlertView): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const buttons = view.actions.filter((a): a is 'ack' | 'resolve' | 'history' => a !== 'snooze').map((a) => alertButton(view, a));
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [{ type: ComponentType.ActionRow, components: buttons }];
  if (view.actions.includes('snooze')) {
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: alertButtonId('snooze', view.incidentId),
          placeholder: truncate(view.labels.snooze, 150),
          min_values: 1,
          max_values: 1,
          options: SNOOZE_CHOICES_MINUTES.map((minutes, i) => ({
            label: truncate(view.labels.snoozeChoices[i] ?? `${minutes} min`, 100),
            value: String(minutes),
          })),
        },
      ],
    });
  }
  return clampComponents(rows);
}

/** The alert message: mentions in `content`, one embed, buttons and the snooze select. */
export function renderAlert(view: AlertView): DiscordMessage {
  const mentions = renderMentions(view.mentions);
  const description = [view.summary, view.stateLine ? `**${view.stateLine}**` : null].filter((s): s is string => !!s).join('\n\n');
  const embed: APIEmbed = {
    title: view.title,
    description,
    color: alertColour(view),
    fields: [
      ...view.fields.map((f) => ({ name: f.label, value: escapeMarkdown(f.value), inline: f.value.length <= 40 })),
      ...(view.tips.length > 0 ? [{ name: view.labels.tips, value: view.tips.map((t) => `• ${t}`).join('\n') }] : []),
    ],
    footer: { text: `#${view.incidentId}` },
  };
  return {
    content: truncate(mentions.text, LIMITS.content),
    embeds: clampEmbeds([embed]),
    components: alertComponents(view),
    allowed_mentions: mentions.allowed,
  };
}

/** A thread or direct message: mentions first so truncation never drops a ping. */
export function renderNote(note: AlertNote): DiscordMessage {
  const mentions = renderMentions(note.mentions);
  const content = mentions.text === '' ? note.text : `${mentions.text} ${note.text}`;
  return { content: truncate(content, LIMITS.content), embeds: [], components: [], allowed_mentions: mentions.allowed };
}
