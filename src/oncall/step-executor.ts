/**
 * Runs one claimed job: checks it is not stale (fencing token, escalation and incident state),
 * evaluates the pure step, performs its actions through the notifier and returns what to persist.
 * Pages are not sent here: a `page` action becomes a page job that the worker sends on its own.
 */
import { systemActor, type Incident } from '../alerts/index.js';
import { evaluateReminder, evaluateStep, type EscalationAction, type EscalationState } from './escalation-chain.js';
import type { NoteBuilder } from './note-builder.js';
import { incidentFromSnapshot } from './note-builder.js';
import { oncallLookup, toPerson, type OncallConfigSource } from './oncall-config-source.js';
import { buildPageRequest, PAGE_MAX_ATTEMPTS, pageBackoffMs } from './paging.js';
import { PageDeliveryError } from './errors.js';
import type {
  Escalation,
  EscalationJob,
  EscalationLogEntry,
  EscalationLogType,
  EscalationNotifier,
  EscalationStore,
  IncidentReader,
  JobCompletion,
  NewJob,
  OncallPerson,
  PageRequest,
} from './ports.js';

/** What the worker does with a job after running it. */
export type JobResult = { readonly kind: 'complete'; readonly completion: JobCompletion } | { readonly kind: 'retry'; readonly dueAt: Date; readonly error: string; readonly log: readonly EscalationLogEntry[] };

export interface StepExecutorDeps {
  readonly store: EscalationStore;
  readonly notifier: EscalationNotifier;
  readonly config: OncallConfigSource;
  readonly notes: NoteBuilder;
  /** The alert engine's incidents; when given, a step for an incident no longer open is stale. */
  readonly incidents?: IncidentReader;
}

/** Notifier failures: the whole step is retried (idempotency keys make repeats harmless) this many times. */
const ACTION_MAX_ATTEMPTS = 5;

const EXPECTED_STATE: Record<EscalationJob['kind'], readonly EscalationState[]> = {
  step: ['active'],
  reminder: ['acknowledged'],
  resume: ['paused'],
  page: ['active', 'exhausted'],
};

const INCIDENT_STATE_FOR: Record<EscalationJob['kind'], readonly Incident['state'][]> = {
  step: ['open'],
  reminder: ['acknowledged'],
  resume: ['snoozed', 'open', 'acknowledged'],
  page: ['open'],
};

export class StepExecutor {
  constructor(private readonly deps: StepExecutorDeps) {}

  private entry(job: EscalationJob, at: Date, type: EscalationLogType, reason: string | null, detail: EscalationLogEntry['detail'] = {}): EscalationLogEntry {
    return { incidentId: job.incidentId, escalationId: job.escalationId, at, type, actor: systemActor, reason, detail };
  }

  async run(job: EscalationJob, now: Date): Promise<JobResult> {
    const esc = await this.deps.store.get(job.escalationId);
    const followUp = job.kind === 'page' && (job.payload?.request as PageRequest | undefined)?.eventAction !== 'trigger';
    let incident: Incident | null = null;
    if (this.deps.incidents) incident = await this.deps.incidents.get(job.incidentId);
    if (!followUp) {
      const stale =
        esc === null ? 'escalation gone'
        : esc.fencingToken !== job.fencingToken ? `fencing token ${job.fencingToken} ≠ ${esc.fencingToken}`
        : !EXPECTED_STATE[job.kind].includes(esc.state) ? `escalation is ${esc.state}`
        : job.kind === 'step' && job.stepIndex !== esc.stepIndex ? `step ${job.stepIndex} ≠ ${esc.stepIndex}`
        : this.deps.incidents && (incident === null || !INCIDENT_STATE_FOR[job.kind].includes(incident.state)) ? `incident is ${incident?.state ?? 'gone'}`
        : null;
      if (stale !== null) return { kind: 'complete', completion: { jobState: 'stale', log: [this.entry(job, now, 'step.stale', stale, { kind: job.kind, stepIndex: job.stepIndex })] } };
    }
    const current = incident ?? incidentFromSnapshot(esc!.snapshot.incident);
    switch (job.kind) {
      case 'step':
        return this.runStep(job, esc!, current, now);
      case 'reminder':
        return this.runReminder(job, esc!, current, now);
      case 'resume':
        return this.runResume(job, esc!, now);
      case 'page':
        return this.runPage(job, current, now);
      default: {
        const never: never = job.kind;
        throw new Error(`unknown job kind ${String(never)}`);
      }
    }
  }

  private async runStep(job: EscalationJob, esc: Escalation, incident: Incident, now: Date): Promise<JobResult> {
    const effective = await this.deps.config.load(now);
    const people = new Map(effective.config.people.map((p) => [p.id, toPerson(p)]));
    const outcome = evaluateStep(esc.snapshot, { stepIndex: esc.stepIndex, repeatCount: esc.repeatCount, layerDepth: esc.layerDepth }, now, oncallLookup(effective));
    const log: EscalationLogEntry[] = [];
    const next: NewJob[] = [];
    let failed: string | null = null;
    for (const [n, action] of outcome.actions.entries()) {
      try {
        await this.perform(action, esc, incident, people, `esc-${esc.id}-job-${job.id}-${n}`, now, log, next, job);
      } catch (err) {
        failed = (err as Error).message;
        log.push(this.entry(job, now, logTypeOf(action), 'action failed', { error: (err as Error).name }));
      }
    }
    if (failed !== null && job.attempts < ACTION_MAX_ATTEMPTS) return { kind: 'retry', dueAt: new Date(now.getTime() + 15_000 * job.attempts), error: failed, log };
    if (outcome.stop) {
      log.push(this.entry(job, now, 'escalation.exhausted', 'no steps left and no acknowledgement', { repeats: esc.repeatCount }));
      return { kind: 'complete', completion: { jobState: 'done', progress: { state: 'exhausted' }, next, log } };
    }
    const pos = outcome.next!;
    next.push({ kind: 'step', stepIndex: pos.stepIndex, dueAt: outcome.eta ?? now });
    return {
      kind: 'complete',
      completion: { jobState: failed ? 'failed' : 'done', ...(failed ? { lastError: failed } : {}), progress: { stepIndex: pos.stepIndex, repeatCount: pos.repeatCount, layerDepth: pos.layerDepth }, next, log },
    };
  }

  private async perform(
    action: EscalationAction,
    esc: Escalation,
    incident: Incident,
    people: ReadonlyMap<string, OncallPerson>,
    key: string,
    now: Date,
    log: EscalationLogEntry[],
    next: NewJob[],
    job: EscalationJob,
  ): Promise<void> {
    const snap = esc.snapshot.incident;
    const n = this.deps.notifier;
    switch (action.type) {
      case 'notify_channel': {
        // A policy usually opens with notify_channel, just after the alert itself reached the
        // channel: that note says the escalation started, later ones that nobody acknowledged yet.
        const policy = esc.snapshot.policy;
        const atStart = esc.repeatCount === 0 && !policy.steps.slice(0, esc.stepIndex).some((st) => st.type === 'wait');
        const note = atStart ? this.deps.notes.channelStart(snap, policy.name ?? policy.id) : this.deps.notes.channel(snap);
        await n.notifyChannel(incident, action.targets, note, key);
        log.push(this.entry(job, now, 'step.notify_channel', null, { step: esc.stepIndex, targets: action.targets?.join(',') ?? null }));
        return;
      }
      case 'mention':
      case 'dm': {
        const found = action.personIds.map((id) => people.get(id)).filter((p): p is OncallPerson => p !== undefined);
        if (found.length === 0) {
          // Said once, in the channel, for the mention; the DM of an empty layer says nothing more.
          if (action.type === 'mention') await n.notifyChannel(incident, undefined, this.deps.notes.nobody(snap, action.scheduleId), key);
          log.push(this.entry(job, now, 'step.nobody_on_call', `nobody on call in ${action.scheduleId}`, { step: esc.stepIndex, schedule: action.scheduleId, action: action.type }));
          return;
        }
        if (action.type === 'mention') {
          await n.mentionInChannel(incident, this.deps.notes.mention(snap, found, action.nextLayer).mentions, this.deps.notes.mention(snap, found, action.nextLayer), key);
        } else {
          for (const [i, p] of found.entries()) await n.directMessage(p, this.deps.notes.direct(snap, p), `${key}-${i}`);
        }
        const type: EscalationLogType = action.nextLayer ? 'step.notify_next_layer' : action.type === 'mention' ? 'step.mention_oncall' : 'step.dm_oncall';
        log.push(this.entry(job, now, type, null, { step: esc.stepIndex, schedule: action.scheduleId, people: found.map((p) => p.id).join(','), via: action.type }));
        return;
      }
      case 'page': {
        const request = buildPageRequest(action, 'trigger', snap, this.deps.notes.pageSummary(snap), now);
        next.push({ kind: 'page', stepIndex: esc.stepIndex, dueAt: now, payload: { request } });
        log.push(this.entry(job, now, 'step.page', null, { step: esc.stepIndex, webhook: action.webhook }));
        return;
      }
      case 'wait':
        log.push(this.entry(job, now, 'step.wait', null, { step: esc.stepIndex, minutes: action.minutes }));
        return;
      case 'repeat':
        log.push(this.entry(job, now, 'step.repeat', null, { step: esc.stepIndex, round: action.round, times: action.times }));
        return;
      case 'deferred':
        log.push(this.entry(job, now, 'step.deferred', 'outside business hours', { step: esc.stepIndex, until: action.until.toISOString() }));
        return;
      default: {
        const never: never = action;
        throw new Error(`unknown action ${JSON.stringify(never)}`);
      }
    }
  }

  private async runReminder(job: EscalationJob, esc: Escalation, incident: Incident, now: Date): Promise<JobResult> {
    const plan = evaluateReminder(esc.snapshot.policy, esc.remindersSent, now);
    if (!plan.remind) return { kind: 'complete', completion: { jobState: 'done', log: [] } };
    const effective = await this.deps.config.load(now);
    const lookup = oncallLookup(effective);
    const firstSchedule = esc.snapshot.policy.steps.find((s) => 'schedule' in s);
    const ids = firstSchedule && 'schedule' in firstSchedule ? lookup(firstSchedule.schedule, now).slice(0, 1) : [];
    const people = ids.map((id) => effective.config.people.find((p) => p.id === id)).filter((p) => p !== undefined).map(toPerson);
    const note = this.deps.notes.reminder(esc.snapshot.incident, people);
    const key = `esc-${esc.id}-job-${job.id}`;
    try {
      if (people.length > 0) await this.deps.notifier.mentionInChannel(incident, note.mentions, note, key);
      else await this.deps.notifier.notifyChannel(incident, undefined, note, key);
    } catch (err) {
      if (job.attempts < ACTION_MAX_ATTEMPTS) return { kind: 'retry', dueAt: new Date(now.getTime() + 15_000 * job.attempts), error: (err as Error).message, log: [] };
    }
    const log = [this.entry(job, now, 'escalation.reminder', `acknowledged and still open after ${esc.snapshot.policy.remind_after} min`, { reminder: esc.remindersSent + 1 })];
    return {
      kind: 'complete',
      completion: { jobState: 'done', progress: { remindersSent: esc.remindersSent + 1 }, next: plan.eta ? [{ kind: 'reminder', stepIndex: esc.stepIndex, dueAt: plan.eta }] : [], log },
    };
  }

  /** The snooze ended without an `incident.unsnoozed` (or before it): resume where it paused. */
  private async runResume(job: EscalationJob, esc: Escalation, now: Date): Promise<JobResult> {
    await this.deps.store.transition(
      esc.incidentId,
      ['paused'],
      'active',
      now,
      [{ kind: 'step', stepIndex: esc.stepIndex, dueAt: now }],
      [this.entry(job, now, 'escalation.resumed', 'snooze ended', { step: esc.stepIndex })],
    );
    return { kind: 'complete', completion: { jobState: 'done', log: [] } };
  }

  private async runPage(job: EscalationJob, incident: Incident, now: Date): Promise<JobResult> {
    const request = job.payload?.request as PageRequest;
    const detail = { webhook: request.webhook, eventAction: request.eventAction, attempt: job.attempts };
    try {
      await this.deps.notifier.page(incident, request.webhook, request);
      return { kind: 'complete', completion: { jobState: 'done', log: [this.entry(job, now, 'page.sent', null, detail)] } };
    } catch (err) {
      const message = (err as Error).message;
      const retryable = err instanceof PageDeliveryError ? err.retryable : true;
      if (retryable && job.attempts < PAGE_MAX_ATTEMPTS) {
        const dueAt = new Date(now.getTime() + pageBackoffMs(job.attempts));
        return { kind: 'retry', dueAt, error: message, log: [this.entry(job, now, 'page.retry', message, { ...detail, retryAt: dueAt.toISOString() })] };
      }
      return { kind: 'complete', completion: { jobState: 'failed', lastError: message, log: [this.entry(job, now, 'page.failed', message, detail)] } };
    }
  }
}

function logTypeOf(a: EscalationAction): EscalationLogType {
  switch (a.type) {
    case 'notify_channel':
      return 'step.notify_channel';
    case 'mention':
      return a.nextLayer ? 'step.notify_next_layer' : 'step.mention_oncall';
    case 'dm':
      return a.nextLayer ? 'step.notify_next_layer' : 'step.dm_oncall';
    case 'page':
      return 'step.page';
    case 'wait':
      return 'step.wait';
    case 'repeat':
      return 'step.repeat';
    case 'deferred':
      return 'step.deferred';
    default: {
      const never: never = a;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}
