/**
 * Block Kit building blocks that respect Slack's limits, so a long circle or history never makes
 * `chat.postMessage` fail with `invalid_blocks`.
 *
 * @remarks
 * Limits from https://api.slack.com/reference/block-kit/blocks: 50 blocks per message, 3000
 * characters of section text, 10 section fields of 2000 characters each, 150 characters of header
 * text, 75 characters of button text, 10 context elements, 2000 characters of button value.
 */
import type { types } from '@slack/bolt';
import { translate, type Locale } from '../../domain/index.js';
import { slackMessages } from './messages.js';

export type Block = types.KnownBlock;

export const BLOCK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  optionText: 75,
  contextElements: 10,
  actionValue: 2000,
  /** The `text` fallback is shown in notifications; Slack truncates beyond 40,000, we keep it short. */
  fallbackText: 3000,
} as const;

/** What a renderer returns: blocks and the notification/fallback text. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: Block[];
}

/** Escapes the three characters Slack's mrkdwn and plain text reserve. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters (code points), ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, BLOCK_LIMITS.headerText), emoji: true } };
}

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, BLOCK_LIMITS.sectionText) } };
}

export function context(mrkdwnItems: readonly string[]): Block {
  return {
    type: 'context',
    elements: mrkdwnItems.slice(0, BLOCK_LIMITS.contextElements).map((t) => ({ type: 'mrkdwn' as const, text: truncate(t, BLOCK_LIMITS.sectionText) })),
  };
}

export const divider: Block = { type: 'divider' };

export interface LabeledValue {
  readonly label: string;
  readonly value: string;
}

/**
 * Labeled facts as section fields, at most ten per section; beyond `maxSections` sections the
 * rest is summarised as "…and N more".
 */
export function fieldSections(fields: readonly LabeledValue[], locale: Locale, maxSections = 2): Block[] {
  const capacity = maxSections * BLOCK_LIMITS.fieldsPerSection;
  const shown = fields.length > capacity ? fields.slice(0, capacity - 1) : fields;
  const blocks: Block[] = [];
  for (let i = 0; i < shown.length; i += BLOCK_LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: shown.slice(i, i + BLOCK_LIMITS.fieldsPerSection).map((f) => ({
        type: 'mrkdwn' as const,
        text: truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, BLOCK_LIMITS.fieldText),
      })),
    });
  }
  if (shown.length < fields.length) {
    const last = blocks[blocks.length - 1];
    if (last?.type === 'section' && last.fields)
      last.fields.push({ type: 'mrkdwn', text: translate(slackMessages.andMore, locale, { count: fields.length - shown.length }) });
  }
  return blocks;
}

/**
 * Packs lines (already mrkdwn) into sections of at most 3000 characters, at most `maxBlocks`
 * sections; lines that do not fit are counted in a closing "…and N more". `wrap` puts each
 * section's text in a frame such as a code fence (its length is accounted for).
 */
export function lineSections(
  lines: readonly string[],
  locale: Locale,
  options: { readonly maxBlocks: number; readonly heading?: string; readonly wrap?: (body: string) => string },
): Block[] {
  const wrap = options.wrap ?? ((body: string) => body);
  const frame = wrap('').length;
  const moreReserve = 40;
  const blocks: Block[] = [];
  let current: string[] = [];
  let currentLength = 0;
  let prefix = options.heading ? `*${escapeMrkdwn(options.heading)}*\n` : '';
  const budget = () => BLOCK_LIMITS.sectionText - frame - prefix.length - moreReserve;
  const flush = () => {
    blocks.push(section(`${prefix}${wrap(current.join('\n'))}`));
    prefix = '';
    current = [];
    currentLength = 0;
  };
  let used = 0;
  for (const raw of lines) {
    const line = truncate(raw, budget());
    const added = line.length + (current.length > 0 ? 1 : 0);
    if (currentLength + added > budget() && current.length > 0) {
      if (blocks.length + 1 >= options.maxBlocks) break;
      flush();
    }
    current.push(line);
    currentLength += line.length + (current.length > 1 ? 1 : 0);
    used += 1;
  }
  const omitted = lines.length - used;
  if (current.length > 0 || blocks.length === 0) {
    const more = omitted > 0 ? `\n${translate(slackMessages.andMore, locale, { count: omitted })}` : '';
    blocks.push(section(`${prefix}${wrap(current.join('\n'))}${more}`));
  } else if (omitted > 0) {
    blocks.push(context([translate(slackMessages.andMore, locale, { count: omitted })]));
  }
  return blocks;
}

/**
 * Final guard for the 50-block limit: keeps the first blocks and the trailing actions block (the
 * buttons matter most), replacing the middle with "…and N more".
 */
export function limitBlocks(blocks: readonly Block[], locale: Locale): Block[] {
  if (blocks.length <= BLOCK_LIMITS.blocksPerMessage) return [...blocks];
  const last = blocks[blocks.length - 1];
  const tail = last && last.type === 'actions' ? [last] : [];
  const keep = BLOCK_LIMITS.blocksPerMessage - 1 - tail.length;
  const omitted = blocks.length - tail.length - keep;
  return [...blocks.slice(0, keep), context([translate(slackMessages.andMore, locale, { count: omitted })]), ...tail];
}
