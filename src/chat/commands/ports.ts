/**
 * What the command layer needs from the alert engine, the on-call module and the channel
 * configuration. Declared here (the consumer) so those modules implement them and `main.ts` adapts;
 * the command layer imports none of their concrete classes.
 */
import type { Actor, AlertView, Incident } from '../../alerts/index.js';

/** One audit record of an incident: every transition and action, with who did it. */
export interface IncidentAuditEntry {
  readonly at: Date;
  /** e.g. `opened`, `repeated`, `acknowledged`, `snoozed`, `unsnoozed`, `resolved`, `escalated`. */
  readonly type: string;
  readonly actor: Actor;
  readonly reason: string | null;
}

/**
 * Incidents as the alert engine keeps them.
 *
 * @remarks
 * `acknowledge`, `resolve` and `snooze` return the incident after the change. They may throw an
 * error whose `code` is `ALERT_ERR_INCIDENT_NOT_FOUND` or `ALERT_ERR_INCIDENT_RESOLVED` (a race with
 * another user or with recovery); the command layer maps both to a clear chat message.
 */
export interface IncidentPort {
  /** Incidents of a unique that are not resolved (open, acknowledged or snoozed), newest first. */
  openForUnique(unique: string): Promise<readonly Incident[]>;
  acknowledge(id: number, actor: Actor): Promise<Incident>;
  resolve(id: number, actor: Actor): Promise<Incident>;
  snooze(id: number, until: Date, actor: Actor): Promise<Incident>;
  get(id: number): Promise<Incident | null>;
  /** Oldest first or newest first; the command layer sorts newest first. */
  audit(id: number): Promise<readonly IncidentAuditEntry[]>;
  /** The alert message for the incident in its current state (localized). */
  alertView(incident: Incident): AlertView;
}

/** One binding the built-in registrar holds in memory. */
export interface LiveBinding {
  readonly contact: string;
  /** `ip:port` the REGISTER came from. */
  readonly source: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/**
 * What the built-in registrar holds in memory now: it answers while the database does not, so a
 * support agent still learns whether a phone is registered during an outage.
 */
export interface LiveRegistrations {
  /** Bindings of a number at this registrar, expired ones included (none for lines of other login servers). */
  bindingsOf(unique: string): readonly LiveBinding[];
}

/** Who is on call in one layer of a schedule. */
export interface OncallLayerNow {
  readonly layer: string;
  /** Display name; null when the layer has nobody now (a gap in the rotation). */
  readonly person: string | null;
  /** When this person's shift ends; null when open-ended. */
  readonly until: Date | null;
  /** Whether an override put this person there. */
  readonly override: boolean;
}

export interface OncallScheduleNow {
  readonly schedule: string;
  readonly layers: readonly OncallLayerNow[];
}

/** What `/oncall` shows; the on-call module builds it, the command layer formats it. */
export interface OncallDescription {
  readonly schedules: readonly OncallScheduleNow[];
  /** The next handoff across all schedules; null when nothing is scheduled. */
  readonly nextHandoff: { readonly at: Date; readonly schedule: string; readonly from: string | null; readonly to: string | null } | null;
  /** Escalation policies, each step as one already-localized line ("Wait 5 min", "Mention the on-call person"). */
  readonly policies: readonly { readonly name: string; readonly steps: readonly string[] }[];
}

export type OncallOverrideResult =
  | { readonly ok: true; readonly person: string; readonly schedule: string; readonly startsAt: Date; readonly endsAt: Date }
  | { readonly ok: false; readonly reason: 'person_not_found' | 'ambiguous_person' | 'no_schedule'; readonly candidates: readonly string[] };

export interface OncallPort {
  describe(now: Date): Promise<OncallDescription>;
  /** Puts the person matching `personQuery` (name or platform user id) on call for `minutes`, from now. */
  override(personQuery: string, minutes: number, actor: Actor): Promise<OncallOverrideResult>;
}

/** Where a chat command comes from. */
export type ChatPlatform = 'slack' | 'discord' | 'cli';

/**
 * Which accounts' lines a channel may see. A channel shared with a customer is restricted to that
 * customer's account; internal support channels see everything (`'all'`).
 */
export interface ChannelScope {
  allowedAccounts(platform: ChatPlatform, channelId: string | null): ReadonlySet<string> | 'all';
}

/** Every channel sees every account: the default when no channel restrictions are configured. */
export const unrestrictedScope: ChannelScope = { allowedAccounts: () => 'all' };
