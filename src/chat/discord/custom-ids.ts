/**
 * `custom_id` strings of our buttons and selects, built and parsed in one place.
 *
 * @remarks
 * Discord echoes a component's `custom_id` (at most 100 characters) back in the interaction, so it
 * carries everything needed to act without server-side state:
 * - `alert:ack:<incident>`, `alert:resolve:<incident>`, `alert:history:<incident>`,
 *   `alert:snooze:<incident>:<minutes>` (button) or `alert:snooze:<incident>` (select; minutes in `values[0]`);
 * - `circle:page:<circle>:<type|*>:<page>` — pagination of `/circle status`;
 * - `post:<command>:<args…>` — "Post to channel": re-runs the command and answers publicly.
 * Parsing never throws: anything unexpected (old buttons, forged ids) is `null`.
 */
import { isUniqueType } from '../../domain/index.js';
import { SNOOZE_CHOICES_MINUTES, type AlertActionId } from '../../alerts/index.js';
import type { AlertAction, ChatCommand } from '../commands/index.js';

export const CUSTOM_ID_MAX = 100;

export type ComponentIntent =
  | { readonly kind: 'alert'; readonly action: AlertAction }
  | { readonly kind: 'alert_snooze_select'; readonly incidentId: number }
  | { readonly kind: 'circle_page'; readonly command: ChatCommand & { readonly name: 'circle.status' } }
  | { readonly kind: 'post'; readonly command: ChatCommand };

const NUMBER_TOKEN = /^[0-9A-Za-z_.-]{1,40}$/;
const INT = /^[0-9]{1,9}$/;

export function alertButtonId(action: AlertActionId, incidentId: number, snoozeMinutes?: number): string {
  return action === 'snooze' && snoozeMinutes !== undefined
    ? `alert:snooze:${incidentId}:${snoozeMinutes}`
    : `alert:${action}:${incidentId}`;
}

export function circlePageId(circle: string, type: string | null, page: number): string {
  return `circle:page:${circle}:${type ?? '*'}:${page}`;
}

/** The "Post to channel" id of a command, or null when the command is not worth re-posting. */
export function postCommandId(command: ChatCommand): string | null {
  let id: string;
  switch (command.name) {
    case 'line.status':
    case 'line.history':
    case 'line.why':
      id = `post:${command.name}:${command.unique}`;
      break;
    case 'line.help':
    case 'oncall.show':
      id = `post:${command.name}`;
      break;
    case 'circle.status':
      id = `post:circle.status:${command.circle}:${command.type ?? '*'}:${command.page ?? 1}`;
      break;
    case 'oncall.override':
      return null;
    default: {
      const never: never = command;
      return never;
    }
  }
  return id.length <= CUSTOM_ID_MAX ? id : null;
}

export function parseCustomId(customId: string, values: readonly string[] = []): ComponentIntent | null {
  if (customId.length > CUSTOM_ID_MAX) return null;
  const parts = customId.split(':');
  const [head, second] = parts;
  if (head === 'alert') return parseAlert(parts, values);
  if (head === 'circle' && second === 'page' && parts.length === 5) {
    const command = circleCommand(parts[2]!, parts[3]!, parts[4]!);
    return command ? { kind: 'circle_page', command } : null;
  }
  if (head === 'post') {
    const command = parsePostCommand(parts.slice(1));
    return command ? { kind: 'post', command } : null;
  }
  return null;
}

function parseAlert(parts: readonly string[], values: readonly string[]): ComponentIntent | null {
  const [, action, idText, minutesText] = parts;
  if (idText === undefined || !INT.test(idText)) return null;
  const incidentId = Number(idText);
  switch (action) {
    case 'ack':
    case 'resolve':
    case 'history':
      return parts.length === 3 ? { kind: 'alert', action: { action, incidentId } } : null;
    case 'snooze': {
      const chosen = minutesText ?? values[0];
      if (chosen === undefined) return parts.length === 3 ? { kind: 'alert_snooze_select', incidentId } : null;
      if (!INT.test(chosen)) return null;
      const minutes = Number(chosen);
      if (!(SNOOZE_CHOICES_MINUTES as readonly number[]).includes(minutes)) return null;
      return { kind: 'alert', action: { action: 'snooze', incidentId, snoozeMinutes: minutes } };
    }
    default:
      return null;
  }
}

function circleCommand(circle: string, type: string, page: string): (ChatCommand & { name: 'circle.status' }) | null {
  if (!NUMBER_TOKEN.test(circle) || !INT.test(page)) return null;
  if (type !== '*' && !isUniqueType(type)) return null;
  const pageNumber = Math.max(1, Number(page));
  return type === '*' ? { name: 'circle.status', circle, page: pageNumber } : { name: 'circle.status', circle, type, page: pageNumber };
}

function parsePostCommand(args: readonly string[]): ChatCommand | null {
  const [name, a, b, c] = args;
  switch (name) {
    case 'line.status':
    case 'line.history':
    case 'line.why':
      return args.length === 2 && a !== undefined && NUMBER_TOKEN.test(a) ? { name, unique: a } : null;
    case 'line.help':
    case 'oncall.show':
      return args.length === 1 ? { name } : null;
    case 'circle.status':
      return args.length === 4 ? circleCommand(a!, b!, c!) : null;
    default:
      return null;
  }
}
