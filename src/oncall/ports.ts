/**
 * Ports of the on-call module. The composition root adapts them: the notifier to the alert outbox
 * (`enqueueNote` / `enqueueDirectMessage`), the store to PostgreSQL (`src/store/repos/oncall-*.ts`).
 * Nothing here knows Slack, Discord or SQL: a person carries per-platform ids only as contact data.
 */
import type { Actor, AlertNote, Incident, Mention } from '../alerts/index.js';
import type { EscalationState, EscalationSnapshot } from './escalation-chain.js';

/** A person from the on-call configuration, in the shape the rest of the product uses. */
export interface OncallPerson {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
  readonly slackUserId?: string;
  readonly discordUserId?: string;
  readonly email?: string;
  readonly webhook?: string;
}

/** A page request: where and what to POST (PagerDuty Events API v2 or a generic JSON webhook). */
export interface PageRequest {
  readonly webhook: 'pagerduty' | 'generic';
  readonly url: string;
  readonly eventAction: 'trigger' | 'acknowledge' | 'resolve';
  readonly body: Record<string, unknown>;
}

/**
 * How escalation reaches people. `idempotencyKey` is stable across retries of the same job, so an
 * outbox can drop a duplicate after a crash between delivery and bookkeeping.
 */
export interface EscalationNotifier {
  /** A note in the incident's thread of its alert channel(s); `targets` narrows the destinations. */
  notifyChannel(incident: Incident, targets: readonly string[] | undefined, note: AlertNote, idempotencyKey: string): Promise<void>;
  /** A note that mentions people in the incident's thread (mentions notify them). */
  mentionInChannel(incident: Incident, mentions: readonly Mention[], note: AlertNote, idempotencyKey: string): Promise<void>;
  /** A direct message to one person on every platform they have an id for. */
  directMessage(person: OncallPerson, note: AlertNote, idempotencyKey: string): Promise<void>;
  /**
   * POSTs a page. Throws `PageDeliveryError` on failure; the page job retries it with backoff.
   * `WebhookPager` (paging.ts) implements it with global fetch.
   */
  page(incident: Incident, webhook: PageRequest['webhook'], payload: PageRequest): Promise<void>;
}

/** Reads incidents as the alert engine keeps them (to double-check a step is still wanted). */
export interface IncidentReader {
  get(id: number): Promise<Incident | null>;
}

export const ESCALATION_LOG_TYPES = [
  'escalation.started',
  'escalation.no_policy',
  'step.notify_channel',
  'step.wait',
  'step.mention_oncall',
  'step.dm_oncall',
  'step.page',
  'step.notify_next_layer',
  'step.repeat',
  'step.deferred',
  'step.nobody_on_call',
  'step.stale',
  'escalation.exhausted',
  'escalation.acknowledged',
  'escalation.reminder',
  'escalation.paused',
  'escalation.resumed',
  'escalation.resolved',
  'change.ignored',
  'page.sent',
  'page.retry',
  'page.failed',
  'override.created',
] as const;
export type EscalationLogType = (typeof ESCALATION_LOG_TYPES)[number];

/** One audit record: what happened, who did it, from where, why. */
export interface EscalationLogEntry {
  readonly incidentId: number;
  readonly escalationId: number | null;
  readonly at: Date;
  readonly type: EscalationLogType;
  readonly actor: Actor;
  readonly reason: string | null;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
}

export type JobKind = 'step' | 'reminder' | 'resume' | 'page';

/** A pending piece of escalation work with a due time. */
export interface EscalationJob {
  readonly id: number;
  readonly escalationId: number;
  readonly incidentId: number;
  readonly kind: JobKind;
  readonly stepIndex: number;
  readonly dueAt: Date;
  readonly fencingToken: number;
  readonly attempts: number;
  readonly payload: Record<string, unknown> | null;
}

/** A job to schedule; the store stamps the escalation's (new) fencing token on it. */
export interface NewJob {
  readonly kind: JobKind;
  readonly stepIndex: number;
  readonly dueAt: Date;
  readonly payload?: Record<string, unknown>;
}

export interface Escalation {
  readonly id: number;
  readonly incidentId: number;
  readonly policyId: string;
  readonly snapshot: EscalationSnapshot;
  readonly state: EscalationState;
  readonly fencingToken: number;
  readonly stepIndex: number;
  readonly repeatCount: number;
  readonly layerDepth: number;
  readonly remindersSent: number;
  readonly startedAt: Date;
  readonly updatedAt: Date;
}

/** Fields a step completion may move forward. */
export interface EscalationProgress {
  readonly state?: EscalationState;
  readonly stepIndex?: number;
  readonly repeatCount?: number;
  readonly layerDepth?: number;
  readonly remindersSent?: number;
}

export interface JobCompletion {
  readonly jobState: 'done' | 'stale' | 'failed';
  readonly lastError?: string;
  /** Applied only while the escalation still has the job's fencing token. */
  readonly progress?: EscalationProgress;
  readonly next?: readonly NewJob[];
  readonly log: readonly EscalationLogEntry[];
}

export interface EscalationStore {
  /** Starts an escalation with its first jobs; null when the incident already has one (replay). */
  start(
    escalation: { incidentId: number; policyId: string; snapshot: EscalationSnapshot; at: Date },
    jobs: readonly NewJob[],
    log: readonly EscalationLogEntry[],
  ): Promise<Escalation | null>;
  get(id: number): Promise<Escalation | null>;
  getByIncident(incidentId: number): Promise<Escalation | null>;
  /**
   * Compare-and-set: when the escalation is in one of `from`, sets `state`, bumps the fencing token
   * (every pending job goes stale), schedules `jobs` with the new token and appends `log`.
   * Null when the state had moved on.
   */
  transition(
    incidentId: number,
    from: readonly EscalationState[],
    to: EscalationState,
    at: Date,
    jobs: readonly NewJob[],
    log: readonly EscalationLogEntry[],
  ): Promise<Escalation | null>;
  /** Leases due jobs of the kinds (`FOR UPDATE SKIP LOCKED`): pending and due, or running with an expired lease. */
  claimDue(kinds: readonly JobKind[], now: Date, leaseUntil: Date, workerId: string, limit: number): Promise<EscalationJob[]>;
  /** Finishes a claimed job; false when this worker no longer holds it (lease lost). */
  complete(job: EscalationJob, workerId: string, completion: JobCompletion, at: Date): Promise<boolean>;
  /** Puts a claimed job back for a later attempt. */
  retry(job: EscalationJob, workerId: string, dueAt: Date, error: string, log: readonly EscalationLogEntry[]): Promise<boolean>;
  /** Page jobs of an escalation (for acknowledge/resolve follow-ups to the same targets). */
  pageJobs(escalationId: number): Promise<EscalationJob[]>;
  appendLog(entries: readonly EscalationLogEntry[]): Promise<void>;
  /** Oldest first. */
  history(incidentId: number): Promise<EscalationLogEntry[]>;
}

/** A run-time override with who set it. */
export interface StoredOverride {
  readonly id: number;
  readonly scheduleId: string | null;
  readonly personId: string;
  readonly start: Date;
  readonly end: Date;
  readonly createdBy: Actor;
}

export type SettingsSection = 'people' | 'schedules' | 'escalation_policies';

/** Run-time on-call state: overrides and API edits of the configuration. */
export interface OncallSettingsStore {
  addOverride(o: Omit<StoredOverride, 'id'>): Promise<StoredOverride>;
  /** Overrides that end after `after`. */
  activeOverrides(after: Date): Promise<StoredOverride[]>;
  getSections(): Promise<Partial<Record<SettingsSection, unknown[]>>>;
  putSection(section: SettingsSection, body: unknown[], at: Date, by: string | null): Promise<void>;
}

/** The slice of pino the module logs through. */
export interface OncallLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}
