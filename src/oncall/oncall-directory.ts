/**
 * What `/oncall` shows and `/oncall override` does (the command layer's `OncallPort`): on-call per
 * schedule and layer, the next handoff, each policy's steps as localized lines; overrides are
 * stored with who set them and audited.
 */
import type { Actor } from '../alerts/index.js';
import type { OncallDescription, OncallOverrideResult, OncallPort } from '../chat/commands/ports.js';
import { translatorFor, type Locale, type Translator } from '../domain/index.js';
import type { PolicyConfig, StepConfig } from './config-schema.js';
import { oncallMessages as m } from './messages.js';
import type { OncallConfigSource } from './oncall-config-source.js';
import type { OncallSettingsStore } from './ports.js';
import { ScheduleView } from './schedule.js';

export function describeStep(step: StepConfig, t: Translator, scheduleName: (id: string) => string): string {
  switch (step.type) {
    case 'notify_channel':
      return step.targets ? t(m.stepNotifyTargets, { targets: step.targets.join(', ') }) : t(m.stepNotifyChannel);
    case 'wait':
      return t(m.stepWait, { minutes: step.minutes });
    case 'mention_oncall':
      return t(m.stepMention, { schedule: scheduleName(step.schedule) });
    case 'dm_oncall':
      return t(m.stepDm, { schedule: scheduleName(step.schedule) });
    case 'page':
      return t(step.webhook === 'pagerduty' ? m.stepPagePagerduty : m.stepPageGeneric);
    case 'notify_next_layer':
      return t(m.stepNextLayer, { schedule: scheduleName(step.schedule) });
    case 'repeat':
      return t(m.stepRepeat, { times: step.times });
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

export function describePolicy(p: PolicyConfig, t: Translator, scheduleName: (id: string) => string): string[] {
  return [
    ...p.steps.map((s, i) => `${i + 1}. ${describeStep(s, t, scheduleName)}`),
    t(m.stepRemind, { minutes: p.remind_after, count: p.reminders }),
    t(p.after_hours === 'wait' ? m.stepAfterHoursWait : m.stepAfterHoursPage),
  ];
}

export class OncallDirectory implements OncallPort {
  private readonly t: Translator;

  constructor(
    private readonly config: OncallConfigSource,
    private readonly settings: OncallSettingsStore,
    locale: Locale,
    private readonly clock: { now(): Date },
  ) {
    this.t = translatorFor(locale);
  }

  async describe(now: Date): Promise<OncallDescription> {
    const { config, overrides } = await this.config.load(now);
    const name = (id: string) => config.people.find((p) => p.id === id)?.name ?? id;
    const scheduleName = (id: string) => config.schedules.find((s) => s.id === id)?.name ?? id;
    let nextHandoff: OncallDescription['nextHandoff'] = null;
    const schedules = config.schedules.map((s) => {
      const view = new ScheduleView(s, overrides);
      const h = view.nextHandoff(now);
      if (h && (nextHandoff === null || h.at < nextHandoff.at))
        nextHandoff = { at: h.at, schedule: s.name ?? s.id, from: h.from === null ? null : name(h.from), to: h.to === null ? null : name(h.to) };
      return {
        schedule: s.name ?? s.id,
        layers: view.layersAt(now).map((l) => ({
          layer: l.override ? this.t(m.overrideLayer) : l.layer,
          person: l.personId === null ? null : name(l.personId),
          until: l.until,
          override: l.override,
        })),
      };
    });
    const policies = config.escalation_policies.map((p) => ({ name: p.name ?? p.id, steps: describePolicy(p, this.t, scheduleName) }));
    return { schedules, nextHandoff, policies };
  }

  async override(personQuery: string, minutes: number, actor: Actor): Promise<OncallOverrideResult> {
    const now = this.clock.now();
    const { config } = await this.config.load(now);
    const q = personQuery.trim().replace(/^<@!?(\w+)>$/, '$1').replace(/^@/, '').toLowerCase();
    const exact = config.people.filter((p) => [p.id, p.name, p.slack_user_id, p.discord_user_id, p.email].some((v) => v !== undefined && v.toLowerCase() === q));
    const partial = exact.length > 0 ? exact : config.people.filter((p) => p.name.toLowerCase().includes(q) || p.id.toLowerCase().includes(q));
    if (q === '' || partial.length === 0) return { ok: false, reason: 'person_not_found', candidates: [] };
    if (partial.length > 1) return { ok: false, reason: 'ambiguous_person', candidates: partial.map((p) => p.name) };
    if (config.schedules.length === 0) return { ok: false, reason: 'no_schedule', candidates: [] };
    const person = partial[0]!;
    // The schedules the person takes part in; someone in none of them covers every schedule.
    const own = config.schedules.filter((s) => s.layers.some((l) => l.participants.includes(person.id)));
    const scheduleId = own.length === 1 ? own[0]!.id : null;
    const end = new Date(now.getTime() + minutes * 60_000);
    await this.settings.addOverride({ scheduleId, personId: person.id, start: now, end, createdBy: actor });
    return { ok: true, person: person.name, schedule: scheduleId === null ? '*' : (own[0]!.name ?? scheduleId), startsAt: now, endsAt: end };
  }
}
