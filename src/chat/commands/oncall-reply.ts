/**
 * `/oncall`, `/oncall override` and `/line help` view models.
 */
import type { Actor } from '../../alerts/index.js';
import type { HelpReply, OncallReply } from './chat-reply.js';
import { ReplyFormat } from './labels.js';
import { chatMessages as m } from './messages.js';
import type { OncallDescription, OncallOverrideResult } from './ports.js';
import { UNIQUE_TYPES } from '../../domain/index.js';

export function buildOncallReply(d: OncallDescription, f: ReplyFormat): OncallReply {
  const nobody = f.t(m.oncallNoPerson);
  const people = new Set<string>();
  const sections: { title: string; lines: string[] }[] = [];
  for (const schedule of d.schedules) {
    const lines = schedule.layers.map((layer) => {
      if (layer.person) people.add(layer.person);
      const person = layer.person === null ? nobody : layer.override ? f.t(m.oncallOverrideMark, { person: layer.person }) : layer.person;
      return layer.until
        ? f.t(m.oncallLayer, { layer: layer.layer, person, until: f.dateTime(layer.until) })
        : f.t(m.oncallLayerOpenEnded, { layer: layer.layer, person });
    });
    sections.push({ title: f.t(m.oncallScheduleTitle, { schedule: schedule.schedule }), lines });
  }
  if (d.schedules.length === 0) sections.push({ title: f.field('schedule'), lines: [f.t(m.oncallNoSchedules)] });
  if (d.nextHandoff) {
    const h = d.nextHandoff;
    sections.push({
      title: f.field('nextHandoff'),
      lines: [f.t(m.oncallHandoff, { time: f.dateTime(h.at), relative: f.time.relative(h.at, f.now), schedule: h.schedule, from: h.from ?? nobody, to: h.to ?? nobody })],
    });
  }
  for (const policy of d.policies) {
    sections.push({ title: f.t(m.oncallPolicyTitle, { policy: policy.name }), lines: policy.steps.map((s, i) => `${i + 1}. ${s}`) });
  }
  return {
    kind: 'oncall',
    labels: f.labels(f.t(m.titleOncall)),
    headline: people.size > 0 ? f.t(m.oncallHeadline, { people: [...people].join(', ') }) : f.t(m.oncallNobody),
    sections,
  };
}

/** Confirmation of an override; only called with a successful result. */
export function buildOverrideReply(result: Extract<OncallOverrideResult, { ok: true }>, actor: Actor, f: ReplyFormat): OncallReply {
  const line = f.t(m.oncallOverrideDone, {
    person: result.person,
    schedule: result.schedule,
    start: f.dateTime(result.startsAt),
    end: f.dateTime(result.endsAt),
    actor: f.actorName(actor),
  });
  return { kind: 'oncall', labels: f.labels(f.t(m.titleOncall)), headline: line, sections: [] };
}

export function buildHelpReply(f: ReplyFormat): HelpReply {
  return {
    kind: 'help',
    labels: f.labels(f.t(m.titleHelp)),
    lines: [
      { usage: '/line status <unique>', description: f.t(m.helpLineStatus) },
      { usage: '/line history <unique> [limit=N]', description: f.t(m.helpLineHistory) },
      { usage: '/line why <unique>', description: f.t(m.helpLineWhy) },
      { usage: '/circle status <circle> [type] [page=N] [query]', description: f.t(m.helpCircleStatus) },
      { usage: '/oncall', description: f.t(m.helpOncall) },
      { usage: '/oncall override <person> <30m|2h|1d>', description: f.t(m.helpOncallOverride) },
      { usage: '/line help', description: f.t(m.helpHelp) },
      { usage: '', description: f.t(m.helpNumbers) },
      { usage: '', description: f.t(m.helpTypeCodes, { codes: UNIQUE_TYPES.join(', ') }) },
    ],
  };
}
