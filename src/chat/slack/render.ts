/**
 * Block Kit renderers for every `ChatReply` kind. Pure functions of the view model and locale:
 * all text arrives localized and formatted, so this file only lays it out within Slack's limits.
 */
import type { LineStatus } from '../../domain/index.js';
import { translate, type Locale } from '../../domain/index.js';
import type {
  ActionReply,
  ChatReply,
  CircleStatusReply,
  HelpReply,
  HistoryEntry,
  LineHistoryReply,
  LineStatusReply,
  LineWhyReply,
  OncallReply,
} from '../commands/index.js';
import { SLACK_ACTION_IDS, encodeCirclePage } from './action-ids.js';
import {
  BLOCK_LIMITS,
  context,
  divider,
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
import { slackMessages } from './messages.js';
import { button, renderAlert } from './render-alert.js';

/** A clear mark per line state, the same everywhere in Slack. */
export const STATUS_MARK: Readonly<Record<LineStatus, string>> = {
  registered: ':large_green_circle:',
  not_registered: ':red_circle:',
  unsupported: ':white_circle:',
  unknown: ':grey_question:',
};

export interface RenderOptions {
  readonly locale: Locale;
  /** Adds the "Post to channel" button carrying this value (see `encodeSharedCommand`). */
  readonly shareValue?: string | null;
  /** Slack user id of the person who shared an answer into the channel. */
  readonly sharedBy?: string;
  /** Slack user id of the person who pressed an alert button (ActionReply). */
  readonly actorUserId?: string;
}

export function renderReply(reply: ChatReply, options: RenderOptions): SlackMessage {
  const rendered = renderBody(reply, options);
  const blocks = [...rendered.blocks];
  const shareLabel = 'labels' in reply ? reply.labels.postToChannel : null;
  if (options.sharedBy) blocks.push(context([translate(slackMessages.sharedBy, options.locale, { user: `<@${options.sharedBy}>` })]));
  else if (options.shareValue && shareLabel) {
    const last = blocks[blocks.length - 1];
    const share = button(SLACK_ACTION_IDS.postToChannel, shareLabel, options.shareValue);
    if (last?.type === 'actions' && last.elements.length < 25) last.elements.push(share);
    else blocks.push({ type: 'actions', elements: [share] });
  }
  return { text: truncate(rendered.text, BLOCK_LIMITS.fallbackText), blocks: limitBlocks(blocks, options.locale) };
}

function renderBody(reply: ChatReply, options: RenderOptions): SlackMessage {
  const { locale } = options;
  switch (reply.kind) {
    case 'line_status':
      return renderLineStatus(reply, locale);
    case 'line_history':
      return renderLineHistory(reply, locale);
    case 'line_why':
      return renderLineWhy(reply, locale);
    case 'circle_status':
      return renderCircleStatus(reply, locale);
    case 'oncall':
      return renderOncall(reply, locale);
    case 'help':
      return renderHelp(reply, locale);
    case 'error':
      return { text: escapeMrkdwn(reply.message), blocks: [section(`:warning: ${escapeMrkdwn(reply.message)}`)] };
    case 'action':
      return renderActionReply(reply, options);
    default: {
      const unreachable: never = reply;
      throw new Error(`unknown reply kind ${String((unreachable as { kind: string }).kind)}`);
    }
  }
}

function tipsBlocks(tips: readonly string[], locale: Locale): Block[] {
  if (tips.length === 0) return [];
  return lineSections(tips.map((t) => `• ${escapeMrkdwn(t)}`), locale, { maxBlocks: 2, heading: translate(slackMessages.tips, locale) });
}

function renderLineStatus(reply: LineStatusReply, locale: Locale): SlackMessage {
  const status = reply.document.status;
  const mark = STATUS_MARK[status];
  const blocks: Block[] = [
    header(reply.labels.title),
    section(`${mark} *${escapeMrkdwn(reply.headline)}*  (${escapeMrkdwn(reply.labels.status[status])})`),
    ...fieldSections(reply.fields, locale, 1),
  ];
  if (reply.bindings.length > 0) {
    blocks.push(section(`*${escapeMrkdwn(translate(slackMessages.bindings, locale))}*`));
    const shown = reply.bindings.slice(0, 5);
    for (const binding of shown) blocks.push(...fieldSections(binding, locale, 1));
    if (reply.bindings.length > shown.length) blocks.push(context([translate(slackMessages.andMore, locale, { count: reply.bindings.length - shown.length })]));
  }
  if (reply.lastError) {
    blocks.push(section(`:warning: *${escapeMrkdwn(translate(slackMessages.lastError, locale))}*`));
    blocks.push(...fieldSections(reply.lastError, locale, 1));
  }
  blocks.push(...tipsBlocks(reply.document.tips, locale));
  if (reply.openIncidents.length > 0) {
    const lines = reply.openIncidents.map((i) => `:rotating_light: ${translate(slackMessages.incidentRef, locale, { id: i.id })} ${escapeMrkdwn(i.title)}`);
    blocks.push(...lineSections(lines, locale, { maxBlocks: 1, heading: translate(slackMessages.openIncidents, locale) }));
  }
  if (reply.queriedExternally) blocks.push(context([escapeMrkdwn(translate(slackMessages.queriedExternally, locale))]));
  return { text: `${reply.labels.title}: ${reply.headline}`, blocks };
}

function timelineLine(e: HistoryEntry): string {
  const details = e.details ? `\n      _${escapeMrkdwn(e.details)}_` : '';
  return `${e.mark} \`${escapeMrkdwn(e.at)}\` ${escapeMrkdwn(e.text)}${details}`;
}

function renderLineHistory(reply: LineHistoryReply, locale: Locale): SlackMessage {
  const blocks: Block[] = [header(reply.labels.title)];
  if (reply.entries.length === 0) blocks.push(section(`_${escapeMrkdwn(translate(slackMessages.noEvents, locale))}_`));
  else blocks.push(...lineSections(reply.entries.map(timelineLine), locale, { maxBlocks: 30, heading: translate(slackMessages.timeline, locale) }));
  if (reply.audit.length > 0) {
    blocks.push(divider);
    blocks.push(...lineSections(reply.audit.map(timelineLine), locale, { maxBlocks: 10, heading: translate(slackMessages.audit, locale) }));
  }
  if (reply.retentionNote) blocks.push(context([escapeMrkdwn(reply.retentionNote)]));
  return { text: reply.labels.title, blocks };
}

function renderLineWhy(reply: LineWhyReply, locale: Locale): SlackMessage {
  const blocks: Block[] = [header(reply.labels.title), section(`*${escapeMrkdwn(reply.headline)}*`), ...fieldSections(reply.fields, locale)];
  blocks.push(...tipsBlocks(reply.tips, locale));
  return { text: `${reply.labels.title}: ${reply.headline}`, blocks };
}

const STATUS_ORDER: readonly LineStatus[] = ['registered', 'not_registered', 'unsupported', 'unknown'];

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** Monospace display width, counting East Asian wide characters as two columns. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

function padDisplay(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

function renderCircleStatus(reply: CircleStatusReply, locale: Locale): SlackMessage {
  const blocks: Block[] = [header(reply.labels.title), ...fieldSections(reply.fields, locale, 1)];
  const counts = STATUS_ORDER.map((s) => `${STATUS_MARK[s]} ${escapeMrkdwn(reply.labels.status[s])} *${reply.counts[s]}*`).join('   ');
  blocks.push(section(counts));
  if (reply.typeFilter) blocks.push(context([escapeMrkdwn(translate(slackMessages.typeFilter, locale, { type: reply.typeFilter }))]));
  if (reply.rows.length === 0) blocks.push(section(`_${escapeMrkdwn(translate(slackMessages.noLines, locale))}_`));
  else {
    const typeWidth = Math.min(24, reply.rows.reduce((m, r) => Math.max(m, displayWidth(r.typeLabel)), 0) + 2);
    const lines = reply.rows.map((r) => escapeMrkdwn(`${r.mark} ${r.unique}  ${padDisplay(r.typeLabel, typeWidth)}${r.lastRegisterAt ?? '-'}`));
    blocks.push(...lineSections(lines, locale, { maxBlocks: 20, wrap: (body) => `\`\`\`\n${body}\n\`\`\`` }));
  }
  if (reply.pageCount > 1) {
    blocks.push(context([translate(slackMessages.page, locale, { page: reply.page, pageCount: reply.pageCount })]));
    const type = reply.typeFilter;
    const elements = [];
    if (reply.page > 1)
      elements.push(button(`${SLACK_ACTION_IDS.circlePage}_prev`, translate(slackMessages.previousPage, locale), encodeCirclePage({ circle: reply.circle, type, page: reply.page - 1 })));
    if (reply.page < reply.pageCount)
      elements.push(button(`${SLACK_ACTION_IDS.circlePage}_next`, translate(slackMessages.nextPage, locale), encodeCirclePage({ circle: reply.circle, type, page: reply.page + 1 })));
    blocks.push({ type: 'actions', elements });
  }
  const summary = STATUS_ORDER.map((s) => `${reply.labels.status[s]} ${reply.counts[s]}`).join(' / ');
  return { text: `${reply.labels.title}: ${summary}`, blocks };
}

function renderOncall(reply: OncallReply, locale: Locale): SlackMessage {
  const blocks: Block[] = [header(reply.labels.title), section(escapeMrkdwn(reply.headline))];
  for (const s of reply.sections.slice(0, 20))
    blocks.push(...lineSections(s.lines.map((l) => `• ${escapeMrkdwn(l)}`), locale, { maxBlocks: 2, heading: s.title }));
  return { text: `${reply.labels.title}: ${reply.headline}`, blocks };
}

function renderHelp(reply: HelpReply, locale: Locale): SlackMessage {
  const lines = reply.lines.map((l) => (l.usage ? `\`${escapeMrkdwn(l.usage)}\`  ${escapeMrkdwn(l.description)}` : escapeMrkdwn(l.description)));
  return { text: reply.labels.title, blocks: [header(reply.labels.title), ...lineSections(lines, locale, { maxBlocks: 5 })] };
}

function renderActionReply(reply: ActionReply, options: RenderOptions): SlackMessage {
  const alert = renderAlert(reply.alert, options.locale);
  const who = options.actorUserId ? `<@${options.actorUserId}>` : '';
  const line = who ? translate(slackMessages.pressedBy, options.locale, { user: who, confirmation: escapeMrkdwn(reply.confirmation) }) : escapeMrkdwn(reply.confirmation);
  // The confirmation sits just above the buttons so the person who pressed sees it in place.
  const blocks = [...alert.blocks];
  const at = blocks[blocks.length - 1]?.type === 'actions' ? blocks.length - 1 : blocks.length;
  blocks.splice(at, 0, context([line]));
  return { text: alert.text, blocks };
}
