/**
 * The on-call configuration (`ONCALL_CONFIG`, issue 7): people, schedules, overrides, escalation
 * policies and business hours, validated with zod. YAML keys are snake_case; the parsed types
 * below are what the rest of the module uses. Cross-references (a participant must be a person, a
 * step's schedule must exist) are checked here too, so every error carries a path.
 */
import { z } from 'zod';
import { INCIDENT_CAUSES } from '../alerts/index.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected an id of letters, digits, _ . - (at most 64)');
const timeZone = z.string().refine(isTimeZone, 'expected an IANA timezone such as Asia/Tokyo');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day HH:MM (24 h)');
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const positiveMinutes = z.number({ invalid_type_error: 'expected a positive number', required_error: 'expected a positive number' }).positive('expected a positive number').max(10_080, 'expected at most 10080 (one week)');
const instantText = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO-8601 time with offset, e.g. 2026-04-01T09:00:00+09:00')
  .transform((s) => new Date(s));

export const PersonSchema = z
  .object({
    id,
    name: z.string().min(1, 'expected a name'),
    timezone: timeZone.default('Asia/Tokyo'),
    slack_user_id: z.string().min(1).optional(),
    discord_user_id: z.string().regex(/^\d{5,25}$/, 'expected a Discord user id (digits)').optional(),
    email: z.string().email('expected an e-mail address').optional(),
    webhook: z.string().url('expected a URL').optional(),
  })
  .strict();

export const RestrictionSchema = z
  .object({
    days: z.array(z.enum(WEEKDAYS)).min(1).default([...WEEKDAYS]),
    from: clockTime,
    to: clockTime,
  })
  .strict()
  .refine((r) => r.from !== r.to, { message: 'expected from and to to differ', path: ['to'] });

export const LayerSchema = z
  .object({
    name: z.string().min(1),
    rotation: z.enum(['daily', 'weekly', 'custom']),
    /** For `custom`: the shift length in hours (wall-clock, in the schedule's timezone). */
    length_hours: z.number().int('expected whole hours').positive('expected a positive number').max(24 * 366).optional(),
    handoff: clockTime.default('09:00'),
    /** The local date the first participant's first shift starts (at `handoff`). */
    start: localDate,
    participants: z.array(id).min(1, 'expected at least one participant'),
    restrictions: z.array(RestrictionSchema).optional(),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.rotation === 'custom' && l.length_hours === undefined)
      ctx.addIssue({ code: 'custom', path: ['length_hours'], message: 'expected length_hours for a custom rotation' });
    if (l.rotation !== 'custom' && l.length_hours !== undefined)
      ctx.addIssue({ code: 'custom', path: ['length_hours'], message: 'length_hours is only for rotation: custom' });
  });

export const ScheduleSchema = z
  .object({
    id,
    name: z.string().min(1).optional(),
    timezone: timeZone,
    /** Later layers sit on top of earlier ones (like PagerDuty's Layer 2 over Layer 1). */
    layers: z.array(LayerSchema).min(1, 'expected at least one layer'),
  })
  .strict();

export const OverrideSchema = z
  .object({
    schedule: id.optional(),
    person: id,
    start: instantText,
    end: instantText,
  })
  .strict()
  .refine((o) => o.end.getTime() > o.start.getTime(), { message: 'expected end after start', path: ['end'] });

const step = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.object({ type: z.literal(kind), ...shape }).strict();

export const StepSchema = z.discriminatedUnion('type', [
  step('notify_channel', { targets: z.array(z.string().min(1)).optional() }),
  step('wait', { minutes: positiveMinutes }),
  step('mention_oncall', { schedule: id }),
  step('dm_oncall', { schedule: id }),
  step('page', {
    webhook: z.enum(['pagerduty', 'generic']),
    url: z.string().url('expected a URL').optional(),
    routing_key: z.string().min(1).optional(),
  }),
  step('notify_next_layer', { schedule: id }),
  step('repeat', { times: z.number().int('expected a whole number').positive('expected a positive number').max(20, 'expected at most 20') }),
]);

export const MatchSchema = z
  .object({
    accounts: z.array(z.string().min(1)).optional(),
    circles: z.array(z.string().min(1)).optional(),
    causes: z.array(z.enum(INCIDENT_CAUSES)).optional(),
    severities: z.array(z.enum(['critical', 'warning', 'info'])).optional(),
  })
  .strict();

export const PolicySchema = z
  .object({
    id,
    name: z.string().min(1).optional(),
    match: MatchSchema.default({}),
    steps: z.array(StepSchema).min(1, 'expected at least one step').max(50, 'expected at most 50 steps'),
    remind_after: positiveMinutes.default(60),
    /** How many reminders an acknowledged, still open incident gets (every `remind_after`). */
    reminders: z.number().int().min(0).max(24).default(3),
    /** Outside the account's business hours: `wait` defers people-facing steps to the next start; `page` goes on. */
    after_hours: z.enum(['wait', 'page']).default('page'),
  })
  .strict()
  .superRefine((p, ctx) => {
    // A repeat with no positive wait before it would loop without time passing.
    p.steps.forEach((s, i) => {
      if (s.type === 'repeat' && !p.steps.slice(0, i).some((x) => x.type === 'wait'))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'type'], message: 'expected a wait step before repeat' });
    });
  });

export const BusinessHoursSchema = z
  .object({
    /** An account login id, or `*` for every account without its own entry. */
    account: z.string().min(1),
    timezone: timeZone,
    days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    from: clockTime,
    to: clockTime,
  })
  .strict();

export const OncallFileSchema = z
  .object({
    people: z.array(PersonSchema).default([]),
    schedules: z.array(ScheduleSchema).default([]),
    overrides: z.array(OverrideSchema).default([]),
    escalation_policies: z.array(PolicySchema).default([]),
    business_hours: z.array(BusinessHoursSchema).default([]),
  })
  .strict()
  .superRefine((f: ReferencedSections, ctx) => checkReferences(f, ctx));

export type PersonConfig = z.infer<typeof PersonSchema>;
export type LayerConfig = z.infer<typeof LayerSchema>;
export type ScheduleConfig = z.infer<typeof ScheduleSchema>;
export type OverrideConfig = z.infer<typeof OverrideSchema>;
export type StepConfig = z.infer<typeof StepSchema>;
export type PolicyConfig = z.infer<typeof PolicySchema>;
export type BusinessHoursConfig = z.infer<typeof BusinessHoursSchema>;
export type OncallConfig = z.infer<typeof OncallFileSchema>;

export const emptyOncallConfig = (): OncallConfig => ({ people: [], schedules: [], overrides: [], escalation_policies: [], business_hours: [] });

function duplicates<T>(items: readonly T[], key: (t: T) => string, ctx: z.RefinementCtx, section: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [section, i, 'id'], message: `duplicate id "${k}"` });
    seen.add(k);
  });
}

/** Every id a section refers to exists; ids are unique. */
export interface ReferencedSections {
  readonly people: readonly PersonConfig[];
  readonly schedules: readonly ScheduleConfig[];
  readonly overrides: readonly OverrideConfig[];
  readonly escalation_policies: readonly PolicyConfig[];
}

export function checkReferences(f: ReferencedSections, ctx: z.RefinementCtx): void {
  duplicates(f.people, (p) => p.id, ctx, 'people');
  duplicates(f.schedules, (s) => s.id, ctx, 'schedules');
  duplicates(f.escalation_policies, (p) => p.id, ctx, 'escalation_policies');
  const people = new Set(f.people.map((p) => p.id));
  const schedules = new Set(f.schedules.map((s) => s.id));
  f.schedules.forEach((s, si) =>
    s.layers.forEach((l, li) =>
      l.participants.forEach((p, pi) => {
        if (!people.has(p)) ctx.addIssue({ code: 'custom', path: ['schedules', si, 'layers', li, 'participants', pi], message: `unknown person "${p}"` });
      }),
    ),
  );
  f.overrides.forEach((o, i) => {
    if (!people.has(o.person)) ctx.addIssue({ code: 'custom', path: ['overrides', i, 'person'], message: `unknown person "${o.person}"` });
    if (o.schedule !== undefined && !schedules.has(o.schedule))
      ctx.addIssue({ code: 'custom', path: ['overrides', i, 'schedule'], message: `unknown schedule "${o.schedule}"` });
  });
  f.escalation_policies.forEach((p, pi) =>
    p.steps.forEach((s, si) => {
      if ('schedule' in s && !schedules.has(s.schedule))
        ctx.addIssue({ code: 'custom', path: ['escalation_policies', pi, 'steps', si, 'schedule'], message: `unknown schedule "${s.schedule}"` });
      if (s.type === 'page' && s.webhook === 'pagerduty' && !s.routing_key)
        ctx.addIssue({ code: 'custom', path: ['escalation_policies', pi, 'steps', si, 'routing_key'], message: 'expected a routing_key for a pagerduty page' });
      if (s.type === 'page' && s.webhook === 'generic' && !s.url)
        ctx.addIssue({ code: 'custom', path: ['escalation_policies', pi, 'steps', si, 'url'], message: 'expected a url for a generic webhook page' });
    }),
  );
}
