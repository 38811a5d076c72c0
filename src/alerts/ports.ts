/**
 * Storage ports of the alert module; `src/store/repos/incident-repo.ts` and `outbox-repo.ts`
 * implement them on PostgreSQL / PGlite.
 */
import type { Actor, Incident, IncidentCause, IncidentState, Severity } from './incident.js';

export interface NewIncident {
  readonly cause: IncidentCause;
  readonly severity: Severity;
  readonly unique: string | null;
  readonly circle: string | null;
  readonly accountLoginId: string | null;
  readonly scopeKey: string;
  readonly at: Date;
  readonly source: string | null;
  readonly userAgent: string | null;
  readonly tips: readonly string[];
  readonly parentId: number | null;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  /** The registration event behind this occurrence (0 for clock-driven ones): replays are ignored. */
  readonly eventId: number;
  /** How many occurrences this call stands for (default 1). */
  readonly occurrences?: number;
}

export interface IncidentAuditEntry {
  readonly incidentId: number;
  readonly at: Date;
  readonly type: string;
  readonly actor: Actor;
  readonly reason: string | null;
}

/** Fields a transition may set; `state` always changes through `transition`. */
export interface IncidentPatch {
  readonly state: IncidentState;
  readonly updatedAt: Date;
  readonly snoozedUntil?: Date | null;
  readonly resolvedAt?: Date | null;
  readonly acknowledgedBy?: Actor | null;
  readonly acknowledgedAt?: Date | null;
  readonly resolvedBy?: Actor | null;
  readonly parentId?: number | null;
}

export type OpenOutcome =
  /** A new incident was opened. */
  | { readonly kind: 'opened'; readonly incident: Incident }
  /** The active incident of this (cause, scope) counted the occurrence. */
  | { readonly kind: 'repeated'; readonly incident: Incident }
  /** The event was already applied (replay after a restart): nothing changed. */
  | { readonly kind: 'unchanged'; readonly incident: Incident };

export interface IncidentStore {
  /** Opens the (cause, scopeKey) incident or counts a repeat of the active one, atomically. */
  openOrRepeat(incident: NewIncident): Promise<OpenOutcome>;
  get(id: number): Promise<Incident | null>;
  /** Newest first. */
  list(state: IncidentState | undefined, limit: number): Promise<Incident[]>;
  /** Not-resolved incident of (cause, scopeKey). */
  findActive(cause: IncidentCause, scopeKey: string): Promise<Incident | null>;
  /** Not-resolved incidents of a unique. */
  activeForUnique(unique: string): Promise<Incident[]>;
  /** Not-resolved incidents folded into a parent. */
  activeChildren(parentId: number): Promise<Incident[]>;
  /** Snoozed incidents whose snooze ended at or before `now`. */
  snoozeEnded(now: Date, limit: number): Promise<Incident[]>;
  /**
   * Applies a transition if the incident is still in one of `from` (compare-and-set), and appends
   * the audit entry in the same transaction. Null when the state moved on meanwhile.
   */
  transition(id: number, from: readonly IncidentState[], patch: IncidentPatch, audit: IncidentAuditEntry): Promise<Incident | null>;
  appendAudit(entry: IncidentAuditEntry): Promise<void>;
  audit(id: number): Promise<IncidentAuditEntry[]>;
  getCursor(name: string): Promise<number>;
  setCursor(name: string, lastEventId: number, at: Date): Promise<void>;
}

export type OutboxKind = 'post' | 'update' | 'reply' | 'dm';
export type OutboxState = 'pending' | 'delivered' | 'parked';

export interface NewOutboxRow {
  readonly incidentId: number;
  readonly platform: string;
  readonly destination: string;
  readonly kind: OutboxKind;
  readonly payload: Record<string, unknown> | null;
  readonly idempotencyKey: string;
  readonly nextAttemptAt: Date;
}

export interface OutboxEntry extends NewOutboxRow {
  readonly id: number;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

export interface AlertMessageRef {
  readonly messageRef: string;
  readonly digest: boolean;
}

export interface OutboxStore {
  /** Inserts rows; a duplicate idempotency key is skipped, a second not-yet-claimed update coalesces. */
  enqueue(rows: readonly NewOutboxRow[]): Promise<number>;
  /**
   * Claims due pending rows of one platform (`FOR UPDATE SKIP LOCKED`): in id order, only the first
   * pending row of each (incident, destination) thread, and leases them until `leaseUntil`.
   */
  claim(platform: string, now: Date, leaseUntil: Date, limit: number): Promise<OutboxEntry[]>;
  markDelivered(id: number, at: Date): Promise<void>;
  /** Claims (leases) the due pending posts of one destination, for a storm digest. */
  takeStormPosts(platform: string, destination: string, now: Date, limit: number, leaseUntil?: Date): Promise<OutboxEntry[]>;
  /** Destinations of the platform with more than `threshold` due, never-attempted posts (a storm). */
  stormDestinations(platform: string, now: Date, threshold: number): Promise<string[]>;
  /** Gives a claimed row back without counting an attempt (budget exhausted). */
  release(id: number, nextAttemptAt: Date): Promise<void>;
  retry(id: number, nextAttemptAt: Date, error: string): Promise<void>;
  park(id: number, error: string): Promise<void>;
  getMessage(incidentId: number, platform: string, destination: string): Promise<AlertMessageRef | null>;
  saveMessage(incidentId: number, platform: string, destination: string, ref: AlertMessageRef): Promise<void>;
  list(filter: { readonly incidentId?: number; readonly platform?: string }): Promise<OutboxEntry[]>;
}
