/**
 * Platform-neutral view model of an alert message. The alert engine and the outbox build it;
 * Slack and Discord only render it (Block Kit / embeds). No platform ids except in `Mention`,
 * which carries a person's per-platform ids from the on-call configuration.
 */
import type { IncidentCause, IncidentState, Severity } from './incident.js';

export type AlertActionId = 'ack' | 'resolve' | 'snooze' | 'history';

/** Snooze choices offered on alert buttons, in minutes (30 min, 1 h, 4 h, 24 h). */
export const SNOOZE_CHOICES_MINUTES = [30, 60, 240, 1440] as const;

/** A person or group to notify; each platform renders the id it has. */
export interface Mention {
  readonly name: string;
  readonly slackUserId?: string;
  readonly slackUserGroupId?: string;
  readonly discordUserId?: string;
  readonly discordRoleId?: string;
}

export interface AlertField {
  readonly label: string;
  readonly value: string;
}

export interface AlertView {
  readonly incidentId: number;
  readonly cause: IncidentCause;
  readonly severity: Severity;
  readonly state: IncidentState;
  /** One line, localized: e.g. "🔴 Deregistered: 0000000773 (circle 123456789)". */
  readonly title: string;
  /** One or two sentences, localized. */
  readonly summary: string;
  /** Labeled facts already localized and formatted in DISPLAY_TZ (unique, circle, time, source, UA, count...). */
  readonly fields: readonly AlertField[];
  readonly tips: readonly string[];
  /** e.g. "Acknowledged by Sato at 2026/11/26 10:02 JST"; null while nobody acted. */
  readonly stateLine: string | null;
  /** Buttons to show (none once resolved, except history). */
  readonly actions: readonly AlertActionId[];
  /** People to notify in the message text (mentions inside embeds/attachments do not notify). */
  readonly mentions: readonly Mention[];
  /** Localized button and section labels for the renderer. */
  readonly labels: AlertLabels;
}

export interface AlertLabels {
  readonly ack: string;
  readonly resolve: string;
  readonly snooze: string;
  readonly history: string;
  readonly tips: string;
  /** Label per snooze choice, same order as SNOOZE_CHOICES_MINUTES. */
  readonly snoozeChoices: readonly string[];
}

/** A short follow-up in the incident's thread (repeat counts, escalation, recovery). */
export interface AlertNote {
  readonly incidentId: number;
  readonly text: string;
  readonly mentions: readonly Mention[];
}
