/**
 * Incidents: what the alert engine raises from registration events. One open incident per
 * (unique or scope, cause); repeats update it. Persisted enums are string unions.
 */
export const INCIDENT_CAUSES = ['deregistered', 'password_error', 'unknown_unique', 'at_risk', 'flapping', 'site_down', 'security'] as const;
export type IncidentCause = (typeof INCIDENT_CAUSES)[number];

export const INCIDENT_STATES = ['open', 'acknowledged', 'snoozed', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export type Severity = 'critical' | 'warning' | 'info';

/** Where an action came from; kept in the audit log. */
export type ActorSource = 'slack' | 'discord' | 'api' | 'cli' | 'system';

export interface Actor {
  readonly source: ActorSource;
  /** Platform user id or API token label; `null` for the system. */
  readonly id: string | null;
  /** Display name at the time of the action. */
  readonly name: string | null;
}

export const systemActor: Actor = { source: 'system', id: null, name: null };

export interface Incident {
  readonly id: number;
  readonly cause: IncidentCause;
  readonly severity: Severity;
  readonly state: IncidentState;
  /** The unique concerned; null for scope-wide incidents (site_down for an IP, security). */
  readonly unique: string | null;
  readonly circle: string | null;
  readonly accountLoginId: string | null;
  /** Dedup scope: unique number, circle number, IP address... one open incident per (cause, scopeKey). */
  readonly scopeKey: string;
  readonly openedAt: Date;
  readonly updatedAt: Date;
  readonly resolvedAt: Date | null;
  readonly snoozedUntil: Date | null;
  readonly count: number;
  readonly lastSeenAt: Date;
  readonly lastSource: string | null;
  readonly lastUserAgent: string | null;
  /** Localized remediation lines in the configured LOCALE. */
  readonly tips: readonly string[];
  /** A site_down incident folds the per-line incidents it explains. */
  readonly parentId: number | null;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  readonly acknowledgedBy: Actor | null;
  readonly resolvedBy: Actor | null;
  /** When it was acknowledged (for "Acknowledged by X at T"); absent on older producers. */
  readonly acknowledgedAt?: Date | null;
}

/** What happened to an incident; the on-call escalation and the outbox react to these. */
export type IncidentChange =
  | { readonly type: 'incident.opened'; readonly incident: Incident }
  | { readonly type: 'incident.repeated'; readonly incident: Incident }
  | { readonly type: 'incident.acknowledged'; readonly incident: Incident; readonly actor: Actor }
  | { readonly type: 'incident.snoozed'; readonly incident: Incident; readonly actor: Actor; readonly until: Date }
  | { readonly type: 'incident.unsnoozed'; readonly incident: Incident }
  | { readonly type: 'incident.resolved'; readonly incident: Incident; readonly actor: Actor; readonly reason: 'recovered' | 'manual' | 'folded' }
  | { readonly type: 'incident.escalated'; readonly incident: Incident; readonly step: string };
