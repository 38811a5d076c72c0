/**
 * The effective on-call configuration: the YAML file, with sections replaced through the API, plus
 * the overrides of the file and those set at run time. Read fresh on each use (cheap, and two
 * instances see each other's edits).
 */
import { z } from 'zod';
import { checkReferences, PersonSchema, PolicySchema, ScheduleSchema, type OncallConfig, type PersonConfig } from './config-schema.js';
import { parseJsonSection } from './config-loader.js';
import { OncallConfigError } from './errors.js';
import type { OncallPerson, OncallSettingsStore, SettingsSection, StoredOverride } from './ports.js';
import { ScheduleView, type ScheduleOverride } from './schedule.js';

export interface EffectiveOncall {
  readonly config: OncallConfig;
  readonly overrides: readonly ScheduleOverride[];
  readonly storedOverrides: readonly StoredOverride[];
}

export const SECTION_SCHEMAS = {
  people: z.array(PersonSchema),
  schedules: z.array(ScheduleSchema),
  escalation_policies: z.array(PolicySchema),
} as const;

export const toPerson = (p: PersonConfig): OncallPerson => ({
  id: p.id,
  name: p.name,
  timezone: p.timezone,
  ...(p.slack_user_id ? { slackUserId: p.slack_user_id } : {}),
  ...(p.discord_user_id ? { discordUserId: p.discord_user_id } : {}),
  ...(p.email ? { email: p.email } : {}),
  ...(p.webhook ? { webhook: p.webhook } : {}),
});

export class OncallConfigSource {
  constructor(
    private readonly base: OncallConfig,
    private readonly settings: OncallSettingsStore,
  ) {}

  async load(now: Date): Promise<EffectiveOncall> {
    const sections = await this.settings.getSections();
    const config: OncallConfig = {
      ...this.base,
      ...(sections.people ? { people: SECTION_SCHEMAS.people.parse(sections.people) } : {}),
      ...(sections.schedules ? { schedules: SECTION_SCHEMAS.schedules.parse(sections.schedules) } : {}),
      ...(sections.escalation_policies ? { escalation_policies: SECTION_SCHEMAS.escalation_policies.parse(sections.escalation_policies) } : {}),
    };
    const stored = await this.settings.activeOverrides(now);
    const overrides: ScheduleOverride[] = [
      ...config.overrides.map((o) => ({ scheduleId: o.schedule ?? null, personId: o.person, start: o.start, end: o.end })),
      ...stored.map((o) => ({ scheduleId: o.scheduleId, personId: o.personId, start: o.start, end: o.end })),
    ];
    return { config, overrides, storedOverrides: stored };
  }

  /**
   * Replaces one section (API `PUT`). The result must still be consistent: participants are
   * people, steps name existing schedules. Throws `OncallConfigError` naming the field.
   */
  async replaceSection(section: SettingsSection, body: unknown, now: Date, by: string | null): Promise<unknown[]> {
    const parsed = parseJsonSection(SECTION_SCHEMAS[section], body, section) as unknown[];
    const current = (await this.load(now)).config;
    const next = { ...current, [section]: parsed } as OncallConfig;
    const issues: string[] = [];
    const ctx = { addIssue: (i: { path?: (string | number)[]; message?: string }) => issues.push(`${formatIssuePath(i.path ?? [])}: ${i.message ?? 'invalid'}`), path: [] } as unknown as z.RefinementCtx;
    checkReferences(next, ctx);
    if (issues.length > 0) throw new OncallConfigError(issues);
    await this.settings.putSection(section, body as unknown[], now, by);
    return parsed;
  }
}

const formatIssuePath = (path: readonly (string | number)[]) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** Who is on call in a schedule at an instant, most responsible first; unknown schedule → nobody. */
export function oncallLookup(effective: EffectiveOncall): (scheduleId: string, at: Date) => string[] {
  const views = new Map(effective.config.schedules.map((s) => [s.id, new ScheduleView(s, effective.overrides)]));
  return (scheduleId, at) => views.get(scheduleId)?.chainAt(at) ?? [];
}
