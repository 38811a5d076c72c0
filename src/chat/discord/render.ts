/**
 * Discord renderers: ChatReply view models → `{content, embeds, components, allowed_mentions}`.
 * Pure functions; the view models are already localized, this file only lays them out.
 *
 * @remarks
 * Same information and marks as the Slack renderer: ● registered, × not registered,
 * － unsupported, ? unknown, with one colour per state. Every result passes the embed and
 * component limits (`embed-limits.ts`) so Discord never rejects a reply for its size.
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIComponentInMessageActionRow, type APIEmbed, type APIEmbedField } from 'discord.js';
import { translatorFor, type LineStatus, type Locale, type Translator } from '../../domain/index.js';
import { STATUS_MARKS, type ChatReply, type CircleStatusReply, type DisplayField, type LineStatusReply, type ReplyLabels } from '../commands/index.js';
import { circlePageId } from './custom-ids.js';
import { LIMITS, clampComponents, clampEmbeds, escapeMarkdown, truncate } from './embed-limits.js';
import { discordMessages as m } from './messages.js';
import { COLOURS, renderAlert, type DiscordMessage } from './render-alert.js';

export { COLOURS, alertColour, renderAlert, renderMentions, renderNote, type DiscordMessage } from './render-alert.js';

const STATUS_ORDER: readonly LineStatus[] = ['registered', 'not_registered', 'unsupported', 'unknown'];

export interface RenderOptions {
  readonly locale: Locale;
  /** `custom_id` of the "Post to channel" button; null for public messages (no button). */
  readonly postId: string | null;
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

function label(labels: ReplyLabels, key: keyof typeof m & string, t: Translator): string {
  return labels.fields[key] ?? t(m[key]);
}

// Values come from phones and customers (User-Agent, contact, names): shown literally, never as markdown.
const fieldLines = (fields: readonly DisplayField[]) => fields.map((f) => `**${f.label}**: ${escapeMarkdown(f.value)}`).join('\n');
const inlineFields = (fields: readonly DisplayField[]): APIEmbedField[] => fields.map((f) => ({ name: f.label, value: escapeMarkdown(f.value), inline: true }));
const bullets = (lines: readonly string[]) => lines.map((l) => `• ${l}`).join('\n');

function postButton(labels: ReplyLabels, postId: string | null): APIButtonComponent[] {
  return postId === null ? [] : [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: postId, label: truncate(labels.postToChannel, LIMITS.buttonLabel) }];
}

function message(embeds: APIEmbed[], rows: Row[]): DiscordMessage {
  return { content: '', embeds: clampEmbeds(embeds), components: clampComponents(rows), allowed_mentions: { parse: [] } };
}

function lineStatus(reply: LineStatusReply, t: Translator, postId: string | null): DiscordMessage {
  const { document: doc, labels } = reply;
  const fields: APIEmbedField[] = [...inlineFields(reply.fields)];
  reply.bindings.forEach((b, i) => fields.push({ name: `${label(labels, 'bindings', t)} ${i + 1}`, value: fieldLines(b) }));
  if (reply.lastError) fields.push({ name: label(labels, 'lastError', t), value: fieldLines(reply.lastError) });
  if (doc.tips.length > 0) fields.push({ name: label(labels, 'tips', t), value: bullets(doc.tips) });
  if (reply.openIncidents.length > 0) {
    fields.push({ name: label(labels, 'openIncidents', t), value: reply.openIncidents.map((i) => `#${i.id} ${i.title}`).join('\n') });
  }
  const headline = `**${reply.headline}** (${labels.status[doc.status]})`;
  const description = [headline, reply.queriedExternally ? `_${t(m.queriedExternally)}_` : null].filter((s): s is string => !!s).join('\n');
  const embed: APIEmbed = { title: `${STATUS_MARKS[doc.status]} ${labels.title}`, description, color: COLOURS[doc.status], fields };
  return message([embed], [{ type: ComponentType.ActionRow, components: postButton(labels, postId) }]);
}

function circleStatus(reply: CircleStatusReply, t: Translator, postId: string | null): DiscordMessage {
  const { labels } = reply;
  const rows = reply.rows.map((r) => {
    const when = r.lastRegisterAt ? ` · ${r.lastRegisterAt}` : '';
    return `${r.mark} \`${r.unique}\` ${r.typeLabel}${when}`;
  });
  const counts = STATUS_ORDER.map((s) => `${STATUS_MARKS[s]} ${labels.status[s]} ${reply.counts[s]}`).join('　');
  // The colour of the worst line shown: any × is red, then ●, then ?; a circle of － only is grey.
  const worst = (['not_registered', 'registered', 'unknown'] as const).find((s) => reply.counts[s] > 0) ?? 'unsupported';
  const embed: APIEmbed = {
    title: labels.title,
    description: rows.length > 0 ? rows.join('\n') : t(m.noEntries),
    color: COLOURS[worst],
    fields: [
      ...inlineFields(reply.fields),
      ...(reply.typeFilter ? [{ name: label(labels, 'typeFilter', t), value: reply.typeFilter, inline: true }] : []),
      { name: label(labels, 'counts', t), value: counts },
    ],
    footer: { text: t(m.pageOf, { page: reply.page, pageCount: reply.pageCount }) },
  };
  const buttons: APIButtonComponent[] = [];
  if (reply.pageCount > 1) {
    const type = reply.typeFilter;
    buttons.push(
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: circlePageId(reply.circle, type, reply.page - 1), label: t(m.previousPage), disabled: reply.page <= 1 },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: circlePageId(reply.circle, type, reply.page + 1), label: t(m.nextPage), disabled: reply.page >= reply.pageCount },
    );
  }
  buttons.push(...postButton(labels, postId));
  return message([embed], [{ type: ComponentType.ActionRow, components: buttons }]);
}

/** Renders any command or button answer. */
export function renderReply(reply: ChatReply, options: RenderOptions): DiscordMessage {
  const t = translatorFor(options.locale);
  const { postId } = options;
  switch (reply.kind) {
    case 'line_status':
      return lineStatus(reply, t, postId);
    case 'line_history': {
      const lines = reply.entries.map((e) => `${e.mark} \`${e.at}\` ${escapeMarkdown(e.text)}${e.details ? ` — ${escapeMarkdown(e.details)}` : ''}`);
      const audit = reply.audit.map((e) => `${e.mark} \`${e.at}\` ${escapeMarkdown(e.text)}`);
      const embed: APIEmbed = {
        title: reply.labels.title,
        description: lines.length > 0 ? lines.join('\n') : t(m.noEntries),
        color: COLOURS.neutral,
        fields: audit.length > 0 ? [{ name: label(reply.labels, 'audit', t), value: audit.join('\n') }] : [],
        ...(reply.retentionNote ? { footer: { text: reply.retentionNote } } : {}),
      };
      return message([embed], [{ type: ComponentType.ActionRow, components: postButton(reply.labels, postId) }]);
    }
    case 'line_why': {
      const fields: APIEmbedField[] = inlineFields(reply.fields);
      if (reply.tips.length > 0) fields.push({ name: label(reply.labels, 'tips', t), value: bullets(reply.tips) });
      const embed: APIEmbed = { title: reply.labels.title, description: reply.headline, color: COLOURS.neutral, fields };
      return message([embed], [{ type: ComponentType.ActionRow, components: postButton(reply.labels, postId) }]);
    }
    case 'circle_status':
      return circleStatus(reply, t, postId);
    case 'oncall': {
      const fields = reply.sections.map((s) => ({ name: s.title, value: s.lines.length > 0 ? s.lines.join('\n') : t(m.noEntries) }));
      const embed: APIEmbed = { title: reply.labels.title, description: reply.headline, color: COLOURS.neutral, fields };
      return message([embed], [{ type: ComponentType.ActionRow, components: postButton(reply.labels, postId) }]);
    }
    case 'help': {
      const embed: APIEmbed = {
        title: reply.labels.title,
        description: reply.lines.map((l) => `\`${l.usage}\` — ${l.description}`).join('\n'),
        color: COLOURS.neutral,
      };
      return message([embed], [{ type: ComponentType.ActionRow, components: postButton(reply.labels, postId) }]);
    }
    case 'error':
      return message([{ description: reply.message, color: COLOURS.error, footer: { text: reply.code } }], []);
    case 'action':
      return renderAlert(reply.alert);
    default: {
      const never: never = reply;
      return never;
    }
  }
}
