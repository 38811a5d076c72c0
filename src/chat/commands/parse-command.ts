/**
 * Slash-command text → `ChatCommand`. Slack hands us `/line` plus the text after it; the CLI does
 * the same. Discord builds commands from typed options but may reuse the normalizers below.
 *
 * Input comes from people typing on phones and with a Japanese IME, so: NFKC first (全角 ０１２ →
 * 012, full-width space → space), hyphens and spaces inside numbers are dropped, and `/line <n>`
 * means `/line status <n>`. Bad input is expected, never thrown: it becomes an `ErrorReply` that
 * says what to type.
 */
import { UNIQUE_NUMBER_PATTERN, UNIQUE_TYPES, translate, type Locale, type LocalizedText } from '../../domain/index.js';
import type { ChatCommand } from './chat-command.js';
import type { ErrorReply } from './chat-reply.js';
import type { ParsedCommand } from './chat-service.js';
import type { ChatErrorCode } from './errors.js';
import { chatMessages as m } from './messages.js';
import { UNIQUE_TYPE_LABELS, resolveUniqueType } from './type-labels.js';

/** Hyphen look-alikes an IME produces (ー is the long-vowel mark typed instead of a hyphen). */
const HYPHENS = /[\s\-‐‑‒–—―−ー－]/g;
const NUMBERISH = /^[0-9\-‐‑‒–—―−ー－]+$/;
const CIRCLE_NUMBER_PATTERN = /^[0-9]{1,32}$/;
/** Override durations: 1 minute to 30 days. */
const MAX_DURATION_MINUTES = 30 * 24 * 60;
/** `/line history` shows at most this many events. */
export const MAX_HISTORY_LIMIT = 100;

/** Full-width to ASCII and unified whitespace, as typed through a Japanese IME. */
export function normalizeInput(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** A number as typed (`０００-０００-０７７３`) → digits (`0000000773`). */
export function normalizeNumber(text: string): string {
  return text.normalize('NFKC').replace(HYPHENS, '');
}

/** `30m`, `2h`, `1d`, `1h30m`, `90分`, `2時間` → minutes; null when unreadable or out of range. */
export function parseDurationMinutes(text: string): number | null {
  const s = text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  const unit = /(\d{1,6})(d|days?|日|h|hr|hrs|hours?|時間|m|min|mins|minutes?|分)/gy;
  let total = 0;
  let consumed = 0;
  for (let i = 0; i < 4; i += 1) {
    const match = unit.exec(s);
    if (!match) break;
    const n = Number(match[1]);
    const u = match[2]!;
    total += /^(d|day|days|日)$/.test(u) ? n * 1440 : /^(h|hr|hrs|hour|hours|時間)$/.test(u) ? n * 60 : n;
    consumed = unit.lastIndex;
  }
  if (consumed === 0 || consumed !== s.length) return null;
  return total >= 1 && total <= MAX_DURATION_MINUTES ? total : null;
}

function error(code: ChatErrorCode, locale: Locale, parts: readonly [LocalizedText, Record<string, string | number>?][]): { ok: false; reply: ErrorReply } {
  return { ok: false, reply: { kind: 'error', code, message: parts.map(([text, params]) => translate(text, locale, params ?? {})).join(' ') } };
}

/** The list shown when a type code is unknown: `sip_terminal (SIP端末), ...`. */
export function typeCodeList(locale: Locale): string {
  return UNIQUE_TYPES.map((t) => `${t} (${UNIQUE_TYPE_LABELS[t][locale]})`).join(', ');
}

interface Options {
  readonly page?: string;
  readonly limit?: string;
  readonly query: boolean;
}

/** Splits `key=value` options and the `query` flag from positional tokens. */
function splitOptions(tokens: readonly string[]): { positional: string[]; options: Options } {
  const positional: string[] = [];
  let page: string | undefined;
  let limit: string | undefined;
  let query = false;
  for (const token of tokens) {
    const kv = /^-{0,2}(page|p|limit|n)[=:](.*)$/i.exec(token);
    if (kv) {
      const key = kv[1]!.toLowerCase();
      if (key === 'page' || key === 'p') page = kv[2]!;
      else limit = kv[2]!;
    } else if (/^-{0,2}(query|q)$/i.test(token)) query = true;
    else positional.push(token);
  }
  return { positional, options: { ...(page !== undefined ? { page } : {}), ...(limit !== undefined ? { limit } : {}), query } };
}

function parseLine(tokens: string[], locale: Locale): ParsedCommand {
  const first = tokens[0]?.toLowerCase();
  if (first === undefined || first === 'help' || first === '?') return { ok: true, command: { name: 'line.help' } };
  const sub = first === 'status' || first === 'history' || first === 'why' ? first : NUMBERISH.test(normalizeNumber(tokens[0]!)) ? 'status' : null;
  if (!sub) return error('CHAT_ERR_UNKNOWN_COMMAND', locale, [[m.unknownSubcommand, { command: '/line', sub: tokens[0]! }]]);
  const rest = sub === first ? tokens.slice(1) : tokens;
  const usage = sub === 'status' ? m.usageLineStatus : sub === 'history' ? m.usageLineHistory : m.usageLineWhy;
  const { positional, options } = splitOptions(rest);
  if (positional.length === 0) return error('CHAT_ERR_USAGE', locale, [[usage]]);
  const unique = normalizeNumber(positional.join(''));
  if (!UNIQUE_NUMBER_PATTERN.test(unique)) return error('CHAT_ERR_USAGE', locale, [[m.notAUniqueNumber, { value: positional.join(' ') }], [usage]]);
  if (sub === 'history') {
    if (options.limit === undefined) return { ok: true, command: { name: 'line.history', unique } };
    const limit = Number(normalizeNumber(options.limit));
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT)
      return error('CHAT_ERR_USAGE', locale, [[m.unexpectedArgument, { value: `limit=${options.limit}` }], [usage]]);
    return { ok: true, command: { name: 'line.history', unique, limit } };
  }
  return { ok: true, command: { name: sub === 'status' ? 'line.status' : 'line.why', unique } };
}

function parseCircle(tokens: string[], locale: Locale): ParsedCommand {
  const first = tokens[0]?.toLowerCase();
  const rest = first === 'status' ? tokens.slice(1) : first !== undefined && NUMBERISH.test(normalizeNumber(tokens[0]!)) ? tokens : null;
  if (rest === null) {
    if (first === undefined) return error('CHAT_ERR_USAGE', locale, [[m.usageCircleStatus]]);
    return error('CHAT_ERR_UNKNOWN_COMMAND', locale, [[m.unknownSubcommand, { command: '/circle', sub: tokens[0]! }], [m.usageCircleStatus]]);
  }
  const { positional, options } = splitOptions(rest);
  let i = 0;
  while (i < positional.length && NUMBERISH.test(positional[i]!)) i += 1;
  if (i === 0) {
    if (positional.length === 0) return error('CHAT_ERR_USAGE', locale, [[m.usageCircleStatus]]);
    return error('CHAT_ERR_USAGE', locale, [[m.notACircleNumber, { value: positional[0]! }], [m.usageCircleStatus]]);
  }
  const circle = normalizeNumber(positional.slice(0, i).join(''));
  if (!CIRCLE_NUMBER_PATTERN.test(circle)) return error('CHAT_ERR_USAGE', locale, [[m.notACircleNumber, { value: positional.slice(0, i).join(' ') }], [m.usageCircleStatus]]);
  const typeText = positional.slice(i).join(' ');
  const type = typeText === '' ? undefined : resolveUniqueType(typeText);
  if (type === null) return error('CHAT_ERR_UNKNOWN_TYPE', locale, [[m.unknownType, { type: typeText, codes: typeCodeList(locale) }]]);
  let page: number | undefined;
  if (options.page !== undefined) {
    page = Number(normalizeNumber(options.page));
    if (!Number.isInteger(page) || page < 1 || page > 100_000) return error('CHAT_ERR_USAGE', locale, [[m.badPage, { value: options.page }], [m.usageCircleStatus]]);
  }
  const command: ChatCommand = {
    name: 'circle.status',
    circle,
    ...(type ? { type } : {}),
    ...(page !== undefined ? { page } : {}),
    ...(options.query ? { queryUnknown: true } : {}),
  };
  return { ok: true, command };
}

function parseOncall(tokens: string[], locale: Locale): ParsedCommand {
  const first = tokens[0]?.toLowerCase();
  if (first === undefined || first === 'show' || first === 'now' || first === 'who') {
    if (tokens.length > 1) return error('CHAT_ERR_USAGE', locale, [[m.unexpectedArgument, { value: tokens.slice(1).join(' ') }]]);
    return { ok: true, command: { name: 'oncall.show' } };
  }
  if (first !== 'override') return error('CHAT_ERR_UNKNOWN_COMMAND', locale, [[m.unknownSubcommand, { command: '/oncall', sub: tokens[0]! }], [m.usageOncallOverride]]);
  if (tokens.length < 3) return error('CHAT_ERR_USAGE', locale, [[m.usageOncallOverride]]);
  const durationText = tokens[tokens.length - 1]!;
  const durationMinutes = parseDurationMinutes(durationText);
  if (durationMinutes === null) return error('CHAT_ERR_USAGE', locale, [[m.badDuration, { value: durationText }], [m.usageOncallOverride]]);
  return { ok: true, command: { name: 'oncall.override', person: tokens.slice(1, -1).join(' '), durationMinutes } };
}

/**
 * Parses a slash command: `commandName` is `/line`, `/circle` or `/oncall` (slash optional), `text`
 * everything after it. Errors are localized in `locale`.
 */
export function parseCommandText(commandName: string, text: string, locale: Locale = 'ja'): ParsedCommand {
  const name = normalizeInput(commandName).replace(/^\//, '').toLowerCase();
  const normalized = normalizeInput(text);
  const tokens = normalized === '' ? [] : normalized.split(' ').slice(0, 64);
  switch (name) {
    case 'line':
      return parseLine(tokens, locale);
    case 'circle':
      return parseCircle(tokens, locale);
    case 'oncall':
      return parseOncall(tokens, locale);
    default:
      return error('CHAT_ERR_UNKNOWN_COMMAND', locale, [[m.unknownCommand, { command: commandName }]]);
  }
}
