/**
 * Platform-neutral chat commands. Slack parses them from the slash-command text
 * (`parseCommandText`), Discord builds them from typed options; both then call the same service.
 */
import type { UniqueType } from '../../domain/index.js';
import type { Actor, AlertActionId } from '../../alerts/index.js';

export type ChatCommand =
  | { readonly name: 'line.status'; readonly unique: string }
  | { readonly name: 'line.history'; readonly unique: string; readonly limit?: number }
  | { readonly name: 'line.why'; readonly unique: string }
  | { readonly name: 'line.help' }
  | { readonly name: 'circle.status'; readonly circle: string; readonly type?: UniqueType; readonly page?: number; readonly queryUnknown?: boolean }
  | { readonly name: 'oncall.show' }
  | { readonly name: 'oncall.override'; readonly person: string; readonly durationMinutes: number };

/** Who asks and where; the channel decides which accounts' lines may be shown. */
export interface ChatContext {
  readonly platform: 'slack' | 'discord' | 'cli';
  /** Platform channel id, null for the CLI. */
  readonly channelId: string | null;
  readonly actor: Actor;
}

/** A button pressed on an alert message. */
export interface AlertAction {
  readonly action: AlertActionId;
  readonly incidentId: number;
  /** For `snooze`: one of SNOOZE_CHOICES_MINUTES. */
  readonly snoozeMinutes?: number;
}
