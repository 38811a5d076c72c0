/**
 * The escalation chain, pure. A policy is snapshotted when escalation starts; each step is a
 * function `(state, now) → { actions[], next?, eta?, stop? }` and the worker persists the result as
 * the next job row. Who is on call is looked up when the step runs (overrides set meanwhile count);
 * the steps themselves never change once started.
 */
import type { Incident, IncidentCause, Severity } from '../alerts/index.js';
import type { BusinessHoursConfig, PolicyConfig, StepConfig } from './config-schema.js';
import { nextOpening } from './time-window.js';
import { Zone } from './zone.js';

export const ESCALATION_STATES = ['active', 'acknowledged', 'paused', 'resolved', 'exhausted'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

/** The incident fields escalation needs, as JSON. */
export interface IncidentSnapshot {
  readonly id: number;
  readonly cause: IncidentCause;
  readonly severity: Severity;
  readonly unique: string | null;
  readonly circle: string | null;
  readonly accountLoginId: string | null;
  readonly openedAt: string;
}

/** Stored on the escalation row; later configuration changes do not touch it. */
export interface EscalationSnapshot {
  readonly policy: PolicyConfig;
  /** Business hours of the incident's account at start (null: always business hours). */
  readonly businessHours: BusinessHoursConfig | null;
  readonly incident: IncidentSnapshot;
}

export interface ChainPosition {
  readonly stepIndex: number;
  readonly repeatCount: number;
  readonly layerDepth: number;
}

/** Who is on call in a schedule at an instant, most responsible first (override, top layer, …). */
export type OncallLookup = (scheduleId: string, at: Date) => readonly string[];

export type EscalationAction =
  | { readonly type: 'notify_channel'; readonly targets?: readonly string[] }
  | { readonly type: 'mention'; readonly scheduleId: string; readonly personIds: readonly string[]; readonly nextLayer: boolean }
  | { readonly type: 'dm'; readonly scheduleId: string; readonly personIds: readonly string[]; readonly nextLayer: boolean }
  | { readonly type: 'page'; readonly webhook: 'pagerduty' | 'generic'; readonly url?: string; readonly routingKey?: string }
  | { readonly type: 'wait'; readonly minutes: number }
  | { readonly type: 'repeat'; readonly round: number; readonly times: number }
  | { readonly type: 'deferred'; readonly until: Date };

export interface StepOutcome {
  readonly actions: readonly EscalationAction[];
  /** Where the chain continues; absent with `stop`. */
  readonly next?: ChainPosition;
  /** When the next step is due. */
  readonly eta?: Date;
  /** The chain ran out of steps (and repeats) without an acknowledgement. */
  readonly stop?: 'exhausted';
}

const MINUTE = 60_000;

export function snapshotIncident(i: Incident): IncidentSnapshot {
  return { id: i.id, cause: i.cause, severity: i.severity, unique: i.unique, circle: i.circle, accountLoginId: i.accountLoginId, openedAt: i.openedAt.toISOString() };
}

/** First policy whose match fits the incident (an empty match fits everything). */
export function matchPolicy(policies: readonly PolicyConfig[], incident: Pick<Incident, 'accountLoginId' | 'circle' | 'cause' | 'severity'>): PolicyConfig | null {
  const fits = <T>(list: readonly T[] | undefined, value: T | null) => list === undefined || list.length === 0 || (value !== null && list.includes(value));
  return (
    policies.find(
      (p) => fits(p.match.accounts, incident.accountLoginId) && fits(p.match.circles, incident.circle) && fits(p.match.causes, incident.cause) && fits(p.match.severities, incident.severity),
    ) ?? null
  );
}

/** Business hours for an account: its own entry, else the `*` entry, else none. */
export function businessHoursFor(all: readonly BusinessHoursConfig[], account: string | null): BusinessHoursConfig | null {
  return all.find((b) => account !== null && b.account === account) ?? all.find((b) => b.account === '*') ?? null;
}

/** The start of the next business-hours window at or after `now` (now itself when inside one). */
export function businessOpening(hours: BusinessHoursConfig | null, now: Date): Date {
  if (hours === null) return now;
  const t = nextOpening([hours], new Zone(hours.timezone), now.getTime());
  return t === null ? now : new Date(t);
}

const interruptsPeople = (s: StepConfig) => s.type === 'mention_oncall' || s.type === 'dm_oncall' || s.type === 'page' || s.type === 'notify_next_layer';

const pick = (chain: readonly string[], depth: number): string[] => (chain.length === 0 ? [] : [chain[Math.min(depth, chain.length - 1)]!]);

/**
 * Runs the step at `pos.stepIndex`. Immediate steps return `eta = now`; the worker runs the next one
 * right away. `wait` returns `eta = now + minutes`.
 */
export function evaluateStep(snapshot: EscalationSnapshot, pos: ChainPosition, now: Date, oncall: OncallLookup): StepOutcome {
  const { policy } = snapshot;
  const step = policy.steps[pos.stepIndex];
  if (step === undefined) return { actions: [], stop: 'exhausted' };
  const advance = (extra: Partial<ChainPosition> = {}): ChainPosition => ({ ...pos, stepIndex: pos.stepIndex + 1, ...extra });

  if (policy.after_hours === 'wait' && interruptsPeople(step)) {
    const opening = businessOpening(snapshot.businessHours, now);
    if (opening.getTime() > now.getTime()) return { actions: [{ type: 'deferred', until: opening }], next: pos, eta: opening };
  }

  switch (step.type) {
    case 'notify_channel':
      return { actions: [{ type: 'notify_channel', ...(step.targets ? { targets: step.targets } : {}) }], next: advance(), eta: now };
    case 'wait':
      return { actions: [{ type: 'wait', minutes: step.minutes }], next: advance(), eta: new Date(now.getTime() + step.minutes * MINUTE) };
    case 'mention_oncall':
      return { actions: [{ type: 'mention', scheduleId: step.schedule, personIds: pick(oncall(step.schedule, now), pos.layerDepth), nextLayer: false }], next: advance(), eta: now };
    case 'dm_oncall':
      return { actions: [{ type: 'dm', scheduleId: step.schedule, personIds: pick(oncall(step.schedule, now), pos.layerDepth), nextLayer: false }], next: advance(), eta: now };
    case 'notify_next_layer': {
      const chain = oncall(step.schedule, now);
      const depth = pos.layerDepth + 1;
      const people = depth < chain.length ? [chain[depth]!] : [];
      return {
        actions: [
          { type: 'mention', scheduleId: step.schedule, personIds: people, nextLayer: true },
          { type: 'dm', scheduleId: step.schedule, personIds: people, nextLayer: true },
        ],
        next: advance({ layerDepth: Math.min(depth, Math.max(chain.length - 1, 0)) }),
        eta: now,
      };
    }
    case 'page':
      return {
        actions: [{ type: 'page', webhook: step.webhook, ...(step.url ? { url: step.url } : {}), ...(step.routing_key ? { routingKey: step.routing_key } : {}) }],
        next: advance(),
        eta: now,
      };
    case 'repeat':
      if (pos.repeatCount >= step.times) return { actions: [], stop: 'exhausted' };
      return { actions: [{ type: 'repeat', round: pos.repeatCount + 1, times: step.times }], next: { stepIndex: 0, repeatCount: pos.repeatCount + 1, layerDepth: pos.layerDepth }, eta: now };
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

/** An acknowledged incident still open: remind, and plan the next reminder while any are left. */
export function evaluateReminder(policy: PolicyConfig, sent: number, now: Date): { readonly remind: boolean; readonly eta?: Date } {
  if (sent >= policy.reminders) return { remind: false };
  const eta = sent + 1 < policy.reminders ? new Date(now.getTime() + policy.remind_after * MINUTE) : undefined;
  return eta ? { remind: true, eta } : { remind: true };
}
