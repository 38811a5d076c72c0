/**
 * Interactive element ids and their values. Values are all we get back when a button is pressed
 * (ephemeral messages are not echoed in the payload), so they carry what the handler needs.
 * Values come back from the network: decoding never throws and returns null on anything unexpected.
 */
import { SNOOZE_CHOICES_MINUTES, type AlertActionId } from '../../alerts/index.js';
import type { AlertAction } from '../commands/index.js';
import { BLOCK_LIMITS } from './block-kit.js';

export const SLACK_ACTION_IDS = {
  ack: 'alert_ack',
  resolve: 'alert_resolve',
  snooze: 'alert_snooze',
  history: 'alert_history',
  postToChannel: 'post_to_channel',
  circlePage: 'circle_page',
} as const;

export const ALERT_ACTION_IDS: Readonly<Record<AlertActionId, string>> = {
  ack: SLACK_ACTION_IDS.ack,
  resolve: SLACK_ACTION_IDS.resolve,
  snooze: SLACK_ACTION_IDS.snooze,
  history: SLACK_ACTION_IDS.history,
};

/** Button value for ack/resolve/history: the incident id. Snooze options: `<incident>:<minutes>`. */
export function alertActionValue(incidentId: number, snoozeMinutes?: number): string {
  return snoozeMinutes === undefined ? String(incidentId) : `${incidentId}:${snoozeMinutes}`;
}

export function decodeAlertAction(action: AlertActionId, value: string | undefined): AlertAction | null {
  if (value === undefined) return null;
  const m = /^(\d{1,15})(?::(\d{1,6}))?$/.exec(value);
  if (!m) return null;
  const incidentId = Number(m[1]);
  if (action !== 'snooze') return m[2] === undefined ? { action, incidentId } : null;
  const minutes = Number(m[2]);
  if (!(SNOOZE_CHOICES_MINUTES as readonly number[]).includes(minutes)) return null;
  return { action, incidentId, snoozeMinutes: minutes };
}

/** The slash command a "Post to channel" button re-runs, e.g. `{command:'/line', text:'status 773'}`. */
export interface SharedCommand {
  readonly command: string;
  readonly text: string;
}

/** Encodes a command for a button value; null when it would not fit (the button is then omitted). */
export function encodeSharedCommand(shared: SharedCommand): string | null {
  const value = JSON.stringify({ c: shared.command, t: shared.text });
  return value.length <= BLOCK_LIMITS.actionValue ? value : null;
}

export function decodeSharedCommand(value: string | undefined): SharedCommand | null {
  const parsed = parseJson(value);
  if (!parsed || typeof parsed.c !== 'string' || typeof parsed.t !== 'string' || !/^\/[a-z]{1,32}$/.test(parsed.c)) return null;
  return { command: parsed.c, text: parsed.t };
}

/** A circle list page to show: the circle, the optional type filter and the 1-based page. */
export interface CirclePage {
  readonly circle: string;
  readonly type: string | null;
  readonly page: number;
}

export function encodeCirclePage(page: CirclePage): string {
  return JSON.stringify({ c: page.circle, y: page.type, p: page.page });
}

export function decodeCirclePage(value: string | undefined): CirclePage | null {
  const parsed = parseJson(value);
  if (!parsed || typeof parsed.c !== 'string' || !(parsed.y === null || typeof parsed.y === 'string')) return null;
  if (typeof parsed.p !== 'number' || !Number.isInteger(parsed.p) || parsed.p < 1 || parsed.p > 100_000) return null;
  return { circle: parsed.c, type: parsed.y, page: parsed.p };
}

function parseJson(value: string | undefined): Record<string, unknown> | null {
  if (value === undefined || value.length > BLOCK_LIMITS.actionValue) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
