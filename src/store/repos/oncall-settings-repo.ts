/**
 * Run-time on-call state: overrides (with who set them) and API edits of people, schedules and
 * policies, which replace the YAML file's section until edited again.
 */
import { asc, gt } from 'drizzle-orm';
import type { Db } from '../db.js';
import { oncallOverrides, oncallSettings, type OncallOverrideRow } from '../schema/index.js';
import type { OncallSettingsStore, SettingsSection, StoredOverride } from '../../oncall/index.js';

const toOverride = (r: OncallOverrideRow): StoredOverride => ({
  id: r.id,
  scheduleId: r.scheduleId,
  personId: r.personId,
  start: r.startAt,
  end: r.endAt,
  createdBy: { source: r.createdBySource as StoredOverride['createdBy']['source'], id: r.createdById, name: r.createdByName },
});

export class DrizzleOncallSettingsStore implements OncallSettingsStore {
  constructor(private readonly db: Db) {}

  async addOverride(o: Omit<StoredOverride, 'id'>): Promise<StoredOverride> {
    const [row] = await this.db
      .insert(oncallOverrides)
      .values({
        scheduleId: o.scheduleId,
        personId: o.personId,
        startAt: o.start,
        endAt: o.end,
        createdBySource: o.createdBy.source,
        createdById: o.createdBy.id,
        createdByName: o.createdBy.name,
      })
      .returning();
    return toOverride(row!);
  }

  async activeOverrides(after: Date): Promise<StoredOverride[]> {
    const rows = await this.db.select().from(oncallOverrides).where(gt(oncallOverrides.endAt, after)).orderBy(asc(oncallOverrides.id));
    return rows.map(toOverride);
  }

  async getSections(): Promise<Partial<Record<SettingsSection, unknown[]>>> {
    const rows = await this.db.select().from(oncallSettings);
    const out: Partial<Record<SettingsSection, unknown[]>> = {};
    for (const r of rows) out[r.section] = r.body;
    return out;
  }

  async putSection(section: SettingsSection, body: unknown[], at: Date, by: string | null): Promise<void> {
    await this.db
      .insert(oncallSettings)
      .values({ section, body, updatedAt: at, updatedBy: by })
      .onConflictDoUpdate({ target: oncallSettings.section, set: { body, updatedAt: at, updatedBy: by } });
  }
}
