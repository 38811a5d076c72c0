/**
 * Discord's message limits, applied after rendering so no reply is ever rejected for size.
 *
 * @remarks
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits — title 256,
 * description 4096, 25 fields, field name 256, field value 1024, footer 2048, author name 256,
 * and the characters of all embeds of one message together at most 6000; at most 10 embeds.
 * Message content is at most 2000 characters; 5 action rows of at most 5 buttons (a select
 * takes a whole row) with labels of at most 80 characters and select options at most 25.
 * Cuts happen on code points (never inside a surrogate pair) and end with an ellipsis.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed, APIEmbedField } from 'discord.js';

export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  embeds: 10,
  content: 2000,
  actionRows: 5,
  rowComponents: 5,
  buttonLabel: 80,
  selectOptions: 25,
} as const;

const ELLIPSIS = '…';

/** Cuts `text` to at most `max` UTF-16 units (Discord counts string length), on a code point boundary. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - ELLIPSIS.length;
  // Do not split a surrogate pair: a lone high surrogate would be invalid UTF-16 in the JSON.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, Math.max(0, cut)) + ELLIPSIS;
}

/**
 * Shows text literally in Discord markdown: escapes `\ * _ ~ \` | > < [ ] ( )` and a leading `#`/`-`
 * so a User-Agent like `*evil* [x](http://…)` or `<@123>` renders as typed.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_~`|><[\]()]/g, '\\$&').replace(/^([#-])/gm, '\\$1');
}

/** Discord rejects empty field names and values. */
export function nonEmpty(text: string): string {
  return text.trim() === '' ? '-' : text;
}

function embedLength(e: APIEmbed): number {
  let n = (e.title ?? '').length + (e.description ?? '').length + (e.footer?.text ?? '').length + (e.author?.name ?? '').length;
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function clampEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (e.title !== undefined) out.title = truncate(e.title, LIMITS.title);
  if (e.description !== undefined) out.description = truncate(e.description, LIMITS.description);
  if (e.footer) out.footer = { ...e.footer, text: truncate(e.footer.text, LIMITS.footer) };
  if (e.author) out.author = { ...e.author, name: truncate(e.author.name, LIMITS.authorName) };
  if (e.fields) {
    out.fields = e.fields.slice(0, LIMITS.fields).map(
      (f): APIEmbedField => ({ ...f, name: truncate(nonEmpty(f.name), LIMITS.fieldName), value: truncate(nonEmpty(f.value), LIMITS.fieldValue) }),
    );
  }
  return out;
}

/**
 * Applies every per-embed limit, keeps at most 10 embeds, then shrinks until the total fits 6000:
 * trailing fields go first, then the description is shortened.
 */
export function clampEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, LIMITS.embeds).map(clampEmbed);
  const total = () => out.reduce((n, e) => n + embedLength(e), 0);
  // Bounded: every pass removes a field or shortens a description; at most 10 × 25 field removals.
  for (let i = out.length - 1; i >= 0 && total() > LIMITS.embedTotal; i--) {
    const e = out[i]!;
    while (e.fields && e.fields.length > 0 && total() > LIMITS.embedTotal) e.fields = e.fields.slice(0, -1);
    const excess = total() - LIMITS.embedTotal;
    if (excess > 0 && e.description) e.description = truncate(e.description, Math.max(1, e.description.length - excess));
    if (total() > LIMITS.embedTotal && i > 0) out.splice(i, 1);
  }
  return out;
}

/** At most 5 rows, 5 components each. */
export function clampComponents(rows: readonly APIActionRowComponent<APIComponentInMessageActionRow>[]): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return rows
    .filter((r) => r.components.length > 0)
    .slice(0, LIMITS.actionRows)
    .map((r) => ({ ...r, components: r.components.slice(0, LIMITS.rowComponents) }));
}
